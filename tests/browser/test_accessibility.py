"""axe-core (npm, default rules, nothing excluded) in Chromium on every page type: no serious or
critical violation, in the light and the dark scheme, and at a phone's width (390 px).
axe.min.js comes from `npm ci` (make unit)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import NetworkLog, new_guarded_context

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}  # a phone's viewport, in CSS pixels
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


# Every page type in the light scheme, and again on a phone (390 px: tables and graphs scroll in
# their boxes); the dark scheme on the pages whose components differ.
CASES = (
    [(name, "light") for name in PAGE_TYPES]
    + [(name, "phone") for name in PAGE_TYPES]
    + [(name, "dark") for name in ("home", "campaign", "compare", "DataId list")]
)


@pytest.mark.parametrize(("page_type", "scheme"), CASES)
def test_no_serious_violations(
    page: Any, served_site: ServedSite, axe_source: str, page_type: str, scheme: str
) -> None:
    if scheme == "phone":
        page.set_viewport_size(PHONE)
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
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


@contextmanager
def phone_page(browser: Any, served_site: ServedSite, path: str) -> Iterator[Any]:
    """``path`` opened at a phone's width in a guarded context, checked clean afterwards."""
    log = NetworkLog()
    context = new_guarded_context(browser, log, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(served_site.url(path))
        page.wait_for_load_state("networkidle")
        yield page
    finally:
        context.close()
    log.assert_clean()


def assert_keyboard_scrolls(page: Any, box: Any) -> None:
    """``box`` takes the focus, shows it, and the arrow keys scroll it."""
    box.focus()
    assert box.evaluate("b => b.matches(':focus-visible')")
    assert box.evaluate("b => getComputedStyle(b).outlineStyle") == "solid"
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(), timeout=5_000)


# A campaign with a lineage graph (derived from, and read by, others) and no live-progress tables.
PHONE_LINEAGE_PAGE = "campaigns/dr1-mini-drp-20261006-q8nc/"
# A campaign with live-progress tables (Markdown tables without links).
PHONE_TABLES_PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"


def test_lineage_graph_on_a_phone_is_accessible(
    browser: Any, served_site: ServedSite, axe_source: str
) -> None:
    """At 390 px the lineage graph scrolls inside its box, and axe requires a scrolling region to
    be reachable by keyboard (scrollable-region-focusable): the SVG itself is aria-hidden."""
    with phone_page(browser, served_site, PHONE_LINEAGE_PAGE) as page:
        graph_box = page.locator("div.cn-scroll:has(svg.cn-lg)")
        assert graph_box.evaluate("box => box.scrollWidth > box.clientWidth"), "it does not scroll"
        assert serious_violations(page, axe_source) == []
        assert_keyboard_scrolls(page, graph_box)


def test_wide_markdown_tables_on_a_phone_are_reachable_by_keyboard(
    browser: Any, served_site: ServedSite, axe_source: str
) -> None:
    """At 390 px Material's scroll box around a Markdown table (the live progress tables hold no
    link) scrolls; material-tables.js puts such a box in the tab order, so axe finds nothing
    serious, and the arrow keys scroll it. A box that fits stays out of the tab order."""
    with phone_page(browser, served_site, PHONE_TABLES_PAGE) as page:
        states = page.locator(".md-typeset__scrollwrap").evaluate_all(
            "all => all.map(b => [b.scrollWidth > b.clientWidth, b.getAttribute('tabindex')])"
        )
        assert any(scrolls for scrolls, _ in states), "no table scrolls at 390 px"
        assert all((tabindex == "0") == scrolls for scrolls, tabindex in states), states
        assert serious_violations(page, axe_source) == []
        assert_keyboard_scrolls(page, page.locator(".md-typeset__scrollwrap[tabindex='0']").first)
        # Wide again (a desktop window): every box fits and leaves the tab order.
        page.set_viewport_size({"width": 1400, "height": 1000})
        page.wait_for_function(
            "() => [...document.querySelectorAll('.md-typeset__scrollwrap')]"
            ".every(b => b.scrollWidth > b.clientWidth || !b.hasAttribute('tabindex'))",
            timeout=5_000,
        )
