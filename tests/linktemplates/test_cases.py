"""Python's link-template expansion against the shared cases (the browser's: tests/browser)."""

from __future__ import annotations

import json

import pytest

from generator.linktemplates import applies, browser_template, browser_templates_script
from generator.model.records import LinkTemplate
from tests.linktemplates.casefiles import Case, load_cases, python_href

CASES = load_cases()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_python_expands_the_case(case: Case) -> None:
    assert python_href(case) == case.href


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_the_row_count_agrees_with_the_expansion(case: Case) -> None:
    template = browser_template(case.template)
    assert template is not None
    assert applies(template, case.values) == (case.href is not None)


def test_there_are_hostile_and_skipped_cases() -> None:
    assert len(CASES) >= 15
    assert sum(case.href is None for case in CASES) >= 5


@pytest.mark.parametrize(
    "url", ["https://a.example/{run_id!r}", "https://a.example/{run_id:>9}", "https://a/{nope}"]
)
def test_templates_only_python_can_expand_stay_in_python(url: str) -> None:
    assert browser_template(LinkTemplate("t", url)) is None


def test_the_site_script_cannot_be_broken_out_of() -> None:
    hostile = LinkTemplate("</script><!-- & \u2028", "https://a.example/?x={run_id}&y=<b>")
    made = browser_template(hostile)
    assert made is not None
    script = browser_templates_script((made,)).decode("ascii")
    assert not set("<>") & set(script)
    assert "&" not in script
    data = json.loads(script.removeprefix("window.cnLinkTemplates = ").rstrip().rstrip(";"))
    assert data == [
        {
            "title": hostile.title,
            "parts": ["https://a.example/?x=", "run_id", "&y=<b>"],
            "when": [],
        }
    ]
