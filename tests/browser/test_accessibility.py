"""axe-core (npm, default rules, nothing excluded) in Chromium on every page type: no serious or
critical violation, in the light and the dark scheme. axe.min.js comes from `npm ci` (make unit)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PAGE_TYPES = {
    "home": "",
    "campaign index": "campaigns/",
    "campaign": "campaigns/dr1-mini-drp-rerun-20261103-t5hw/",
    "production": "productions/dr1/",
    "production index": "productions/",
    "DataId list index": "dataids/",
    "DataId list": "dataids/lsstcam-exclusions/",
    "Jira": "jira/",
    "operators": "operators/",
    "compare": "compare/?a=dr1-mini-drp-20261006-q8nc&b=dr1-mini-drp-rerun-20261103-t5hw",
    "tags": "tags/",
    "guide": "guide/",
    "what's new": "whats-new/",
}


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.is_file():
        message = f"axe-core is not installed ({AXE}): run `npm ci` (make unit does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Any, axe_source: str) -> list[str]:
    # Injected through the DevTools protocol: the page's own policy forbids inline scripts.
    page.evaluate(axe_source)
    results = page.evaluate("() => axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# Every page type in the light scheme; the dark scheme on the pages whose components differ.
CASES = [(name, "light") for name in PAGE_TYPES] + [
    (name, "dark") for name in ("home", "campaign", "compare", "DataId list")
]


@pytest.mark.parametrize(("page_type", "scheme"), CASES)
def test_no_serious_violations(
    page: Any, served_site: ServedSite, axe_source: str, page_type: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(served_site.url(PAGE_TYPES[page_type]))
    page.wait_for_load_state("networkidle")
    expected = "slate" if scheme == "dark" else "default"
    assert page.locator("body").get_attribute("data-md-color-scheme") == expected
    assert serious_violations(page, axe_source) == []


def test_search_dialog_is_accessible(page: Any, served_site: ServedSite, axe_source: str) -> None:
    page.goto(served_site.url())
    page.keyboard.press("/")
    page.locator("#cn-search input").wait_for()
    page.keyboard.type("DM-51302")
    page.locator("#cn-search .pagefind-ui__result").first.wait_for()
    assert serious_violations(page, axe_source) == []
