"""The compare cases against ``generator.comparison``: the differences the compare page must list
are the ones ``campaigns diff`` reports (``compare_campaigns``), flattened and grouped."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.comparison import (
    campaign_differences,
    compare_campaigns,
    flat_change_paths,
    group_of,
)
from generator.pipeline import validate
from tests.compare.casefiles import (
    CASES,
    case_id,
    case_names,
    copy_example_notebook,
    expected_lines,
    expected_paths,
    write_case_records,
)

OCCURRENCE = re.compile(r" \(\d+\)\]$")


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("compare-cases")
    copy_example_notebook(root)
    write_case_records(root, case_names())
    return root


@pytest.mark.parametrize("name", case_names())
def test_case(name: str, notebook: Path, update_golden: bool) -> None:
    validated = validate(notebook)
    errors = [p for p in validated.repository.problems if p.severity == "error"]
    assert errors == [], errors
    campaigns = validated.repository.campaigns
    a, b = campaigns[case_id(name, "a")], campaigns[case_id(name, "b")]
    changes = campaign_differences(a, b)
    text = expected_lines([(group_of(path), path, old, new) for path, old, new in changes])
    expected = CASES / name / "expected.txt"
    if update_golden:
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")

    # The same changes as campaigns diff finds (it numbers no repeated journal entry).
    from_diff = flat_change_paths(compare_campaigns(a, b))
    assert sorted(from_diff) == sorted(OCCURRENCE.sub("]", path) for path, _, _ in changes)
    # The other direction finds the same fields.
    assert sorted(p for p, _, _ in campaign_differences(b, a)) == sorted(p for p, _, _ in changes)


def test_one_inserted_link_is_one_change() -> None:
    assert expected_paths("inserted-link") == ["links[Notebook]"]


def test_reordered_workflows_are_no_change() -> None:
    assert expected_paths("reordered-workflows") == []


def test_only_run_facts_are_all_run_facts() -> None:
    paths = expected_paths("only-run-facts")
    assert paths and all(group_of(path) == "run" for path in paths)
