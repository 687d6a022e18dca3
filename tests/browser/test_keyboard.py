"""Sort, filter, expand, search and compare with the keyboard alone: every control is reached
with Tab from the top of the page and worked with Enter, Space or typing, as a reader without a
mouse would. (Search from the keyboard: test_search.py.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

RERUN = "dr1-mini-drp-rerun-20261103-t5hw"
PARENT = "dr1-mini-drp-20261006-q8nc"
TAB_LIMIT = 300


def tab_to(page: Any, selector: str) -> None:
    """Press Tab until the element matching ``selector`` has the focus (it must be reachable)."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def visible_ids(page: Any) -> list[str]:
    ids: list[str] = page.eval_on_selector_all(
        "#campaign-index tbody tr:not([hidden]) td:first-child",
        "cells => cells.filter(c => c.offsetParent !== null).map(c => c.textContent.trim())",
    )
    return ids


def test_sort_and_filter_the_campaign_index(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url("campaigns/"))
    page.wait_for_selector("#cn-index-filter")
    before = visible_ids(page)
    assert len(before) > 3

    tab_to(page, "#campaign-index th[data-key='id'] button")
    page.keyboard.press("Enter")
    header = page.locator("#campaign-index th[data-key='id']")
    first = header.get_attribute("aria-sort")
    assert first in ("ascending", "descending")
    page.keyboard.press("Space")
    assert header.get_attribute("aria-sort") != first
    ids = visible_ids(page)
    assert ids in (sorted(ids), sorted(ids, reverse=True)) and ids != []

    page.goto(served_site.url("campaigns/"))
    tab_to(page, "#cn-index-filter")
    page.keyboard.type("rerun")
    page.wait_for_function(
        "() => document.querySelector('.cn-index-count').textContent.startsWith('1 of')"
    )
    assert visible_ids(page) == [RERUN]


def test_expand_all_rows_with_the_keyboard(
    page: Any, served_site: ServedSite, large_index_path: str
) -> None:
    page.set_default_timeout(90_000)
    page.goto(served_site.url(large_index_path))
    page.wait_for_selector(".cn-index-more")
    assert page.locator("#campaign-index tbody tr:not([hidden])").count() == 500
    tab_to(page, ".cn-index-more")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "() => document.querySelectorAll('#campaign-index tbody tr:not([hidden])').length === 5000"
    )


def test_compare_with_the_keyboard(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url(f"compare/?a={PARENT}&b={RERUN}"))
    page.wait_for_selector(".cn-compare-table")
    tab_to(page, ".cn-compare-swap")
    page.keyboard.press("Enter")
    assert page.input_value("#cn-compare-a") == RERUN
    assert page.input_value("#cn-compare-b") == PARENT
    assert f"a={RERUN}" in page.url
    # A campaign chosen by typing its first letters in the focused list.
    tab_to(page, "#cn-compare-b")
    page.keyboard.type("nightly")
    assert page.input_value("#cn-compare-b").startswith("nightly-")
    page.wait_for_selector(".cn-compare-table")
