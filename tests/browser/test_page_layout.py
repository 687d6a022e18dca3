"""Every page type at a desktop (1400×1000) and a phone (390×844) viewport: no table needs a
sideways scroll on the desktop, timeline labels are text of at least 12 px, a workflow row's
details open with the mouse and with the keyboard. Screenshots of each page type are written to
build/screenshots/ (not committed) for people to look at."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from tests.browser.conftest import NetworkLog, new_guarded_context

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
RERUN_PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"
PAGE_TYPES = {
    "home": "",
    "campaign-index": "campaigns/",
    "campaign": RERUN_PAGE,
    "production-index": "productions/",
    "production": "productions/dr1/",
    "dataid-index": "dataids/",
    "jira": "jira/",
    "operators": "operators/",
    "compare": "compare/",
}
VIEWPORTS = {"desktop": (1400, 1000), "phone": (390, 844)}

# Tables wider than their scroll container (Material wraps Markdown tables in one).
OVERFLOWING_TABLES = """() => [...document.querySelectorAll('article table')]
  .filter(table => {
    const box = table.closest('.md-typeset__scrollwrap');
    const article = table.closest('article').getBoundingClientRect();
    return (box && box.scrollWidth > box.clientWidth + 1)
      || table.scrollWidth > table.clientWidth + 1
      || table.getBoundingClientRect().right > article.right + 1;
  })
  .map(table => table.querySelector('th') ? table.querySelector('th').textContent : '?')"""

TIMELINE_LABELS = """() => [...document.querySelectorAll('.cn-timeline > p > a, .cn-tl-tick')]
  .filter(el => el.getClientRects().length > 0)
  .map(el => ({text: el.textContent, size: parseFloat(getComputedStyle(el).fontSize),
               height: el.getBoundingClientRect().height}))"""


@pytest.fixture(scope="module")
def viewport_pages(browser: Any, served_site: ServedSite) -> Any:
    contexts: dict[str, Any] = {}
    logs: dict[str, NetworkLog] = {}
    for name, (width, height) in VIEWPORTS.items():
        logs[name] = NetworkLog()
        contexts[name] = new_guarded_context(
            browser, logs[name], viewport={"width": width, "height": height}
        )
    yield contexts
    for context in contexts.values():
        context.close()
    for log in logs.values():
        log.assert_clean()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("page_type", list(PAGE_TYPES))
def test_page_type_fits_and_is_photographed(
    viewport_pages: Any, served_site: ServedSite, page_type: str, viewport: str
) -> None:
    page = viewport_pages[viewport].new_page()
    try:
        page.goto(served_site.url(PAGE_TYPES[page_type]))
        page.wait_for_load_state("load")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{page_type}-{viewport}.png"), full_page=True)
        if viewport == "desktop":
            assert page.evaluate(OVERFLOWING_TABLES) == [], f"{page_type}: a table scrolls sideways"
        labels = page.evaluate(TIMELINE_LABELS)
        if page_type in ("campaign", "production"):
            assert labels, f"{page_type}: no timeline labels in the DOM"
        for label in labels:
            assert label["size"] >= 12 and label["height"] >= 12, label
    finally:
        page.close()


def test_timeline_bars_link_to_workflow_rows(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url(RERUN_PAGE))
    targets = page.eval_on_selector_all(".cn-timeline > p > a", "links => links.map(a => a.hash)")
    assert targets and all(page.locator(target).count() == 1 for target in targets)
    assert "step1-group2-rescue2" in page.locator(".cn-timeline").inner_text()
    assert "Workflow timeline:" in page.locator(".cn-timeline figcaption").inner_text()


def test_phone_shows_workflow_status_and_times_not_group_and_duration(
    page: Any, served_site: ServedSite
) -> None:
    """Columns 2 and 6 give way on a phone (by position: the cells carry no class)."""
    shown = """() => {
        const visible = (cell) => getComputedStyle(cell).display !== 'none';
        const head = Array.from(document.querySelectorAll('.cn-workflows thead th'));
        const cells = Array.from(document.querySelectorAll('.cn-workflows tr[id] td'));
        return {
            head: head.filter(visible).map((cell) => cell.textContent),
            columns: Array.from(new Set(cells.filter(visible).map((cell) => cell.cellIndex))),
        };
    }"""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served_site.url(RERUN_PAGE))
    phone = page.evaluate(shown)
    assert phone["head"] == ["Workflow", "Status", "Started", "Finished"]
    assert sorted(phone["columns"]) == [0, 2, 3, 4]
    page.set_viewport_size({"width": 1400, "height": 1000})
    desktop = page.evaluate(shown)
    assert "Group" in desktop["head"] and "Duration" in desktop["head"]
    assert sorted(desktop["columns"]) == [0, 1, 2, 3, 4, 5]


def test_workflow_details_open_with_mouse_and_keyboard(page: Any, served_site: ServedSite) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(served_site.url(RERUN_PAGE))
    details = page.locator(".cn-workflows details")
    assert details.count() >= 6
    first, second = details.nth(0), details.nth(1)
    assert not first.evaluate("d => d.open")
    assert not first.locator("dd").first.is_visible()
    first.locator("summary").click()
    assert first.evaluate("d => d.open")
    assert first.locator("a", has_text="PanDA workflow").is_visible()
    second.locator("summary").focus()
    page.keyboard.press("Enter")
    assert second.evaluate("d => d.open")
    page.keyboard.press("Space")
    assert not second.evaluate("d => d.open")


def test_jira_page_filters_by_status_and_greys_wont_fix(page: Any, served_site: ServedSite) -> None:
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(served_site.url("jira/"))
    assert page.locator("article th", has_text="Named by").is_visible()
    wont_fix = page.locator(".cn-status", has_text="Won't Fix").first
    assert "cn-jira-closed" in (wont_fix.get_attribute("class") or "")
    assert "✔" not in wont_fix.inner_text()
    rows = page.locator("article table tbody tr")
    total = rows.count()
    page.select_option("#cn-jira-status", "Won't Fix")
    visible = [row for row in rows.all() if row.is_visible()]
    assert 0 < len(visible) < total
    assert all("Won't Fix" in row.inner_text() for row in visible)
    assert "status=Won" in page.url
    page.select_option("#cn-jira-status", "")
    assert sum(1 for row in rows.all() if row.is_visible()) == total
