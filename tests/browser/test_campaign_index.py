"""The campaign index: sorting, filtering, the row count, and the filter kept in the URL."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

INDEX = "campaigns/"
RERUN_ID = "dr1-mini-drp-rerun-20261103-t5hw"

# Rows the reader can see (laid out), whatever attribute or style hides the others.
SHOWN_ROWS = "[...document.querySelectorAll('#campaign-index tbody tr')].filter(row => row.getClientRects().length)"
VISIBLE_COLUMN = """(rows, key) => {
  const headers = [...document.querySelectorAll('#campaign-index thead th')];
  const index = headers.findIndex(th => th.dataset.key === key);
  return rows.map(row => {
    const cell = row.cells[index];
    return (cell.dataset.sort || cell.textContent).trim();
  });
}"""


def visible_column(page: Any, key: str) -> list[str]:
    values: list[str] = page.evaluate(f"({VISIBLE_COLUMN})({SHOWN_ROWS}, {key!r})")
    return values


def visible_rows(page: Any) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = page.evaluate(f"{SHOWN_ROWS}.map(row => ({{...row.dataset}}))")
    return rows


def test_sorting_by_a_text_column_toggles_between_ascending_and_descending(
    page: Any, served_site: ServedSite
) -> None:
    page.goto(served_site.url(INDEX))
    header = page.locator('#campaign-index th[data-key="id"]')
    header.get_by_role("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    ascending = visible_column(page, "id")
    assert len(set(ascending)) > 2, "too few distinct ids to prove anything about sorting"

    # The header is a button: the keyboard sorts too.
    header.get_by_role("button").press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    assert visible_column(page, "id") == list(reversed(ascending))
    assert "sort=id" in page.url and "dir=desc" in page.url
    assert page.locator("#campaign-index th[aria-sort]").count() == 1


def test_sorting_by_a_date_column_puts_empty_cells_last(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url(INDEX))
    page.locator('#campaign-index th[data-key="start"]').get_by_role("button").click()
    values = visible_column(page, "start")
    dated = [value for value in values if value]
    assert len(set(dated)) > 1
    assert values == sorted(dated) + [""] * (len(values) - len(dated))


def test_text_filter_narrows_rows_counts_them_and_survives_a_reload(
    page: Any, served_site: ServedSite
) -> None:
    page.goto(served_site.url(INDEX))
    total = page.locator("#campaign-index tbody tr").count()
    assert total > 1
    page.fill("#cn-index-filter", "T5HW")  # case does not matter
    page.wait_for_function("() => new URLSearchParams(location.search).get('filter') === 'T5HW'")
    assert len(visible_rows(page)) == 1
    assert visible_column(page, "id") == [RERUN_ID]
    assert page.locator(".cn-index-count").text_content() == f"1 of {total} campaigns"

    page.reload()
    assert page.input_value("#cn-index-filter") == "T5HW"
    assert visible_column(page, "id") == [RERUN_ID]
    # The shared view must not also open Material's search dialog (it answers to ?q=).
    assert not page.is_checked("#__search")
    page.locator("#campaign-index a", has_text=RERUN_ID).click()
    page.wait_for_url(served_site.url(f"campaigns/{RERUN_ID}/"))


def test_words_in_the_filter_must_all_match(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url(INDEX) + "?filter=dr1%20nothing-has-this-word")
    assert visible_rows(page) == []
    assert page.locator(".cn-index-count").text_content().startswith("0 of ")


def test_status_facet_comes_from_the_rows_and_is_kept_in_the_url(
    page: Any, served_site: ServedSite
) -> None:
    source = (served_site.site.root / "campaigns" / "index.html").read_text(encoding="utf-8")
    statuses = [
        html.unescape(value) for value in re.findall(r'<tr[^>]* data-status="([^"]*)"', source)
    ]
    assert "running" in statuses

    page.goto(served_site.url(INDEX))
    options = page.eval_on_selector_all(
        "#cn-index-status option", "options => options.map(o => o.value)"
    )
    assert options == ["", *sorted(set(statuses))]

    page.select_option("#cn-index-status", "running")
    rows = visible_rows(page)
    assert len(rows) == statuses.count("running")
    assert {row["status"] for row in rows} == {"running"}

    # A shared link restores the facet, the sort and the text filter together.
    shared = page.url
    assert "status=running" in shared
    page.goto(served_site.url())
    page.goto(shared)
    assert page.input_value("#cn-index-status") == "running"
    assert len(visible_rows(page)) == statuses.count("running")

    page.click(".cn-index-clear")
    assert len(visible_rows(page)) == len(statuses)
    assert "status=" not in page.url


def test_filtering_five_thousand_campaigns(
    page: Any, served_site: ServedSite, large_index_path: str
) -> None:
    """Not a timing test (the benchmark measures speed): the page must simply work at scale."""
    page.set_default_timeout(90_000)  # a busy CI machine parses 5,000 rows slowly
    page.goto(served_site.url(large_index_path))
    assert page.locator(".cn-index-count").text_content() == "5,000 of 5,000 campaigns"
    page.fill("#cn-index-filter", "synthetic-04999")
    page.wait_for_function(
        "() => document.querySelector('.cn-index-count').textContent === '1 of 5,000 campaigns'"
    )
    assert visible_column(page, "id") == ["synthetic-04999"]

    page.fill("#cn-index-filter", "")
    page.select_option("#cn-index-status", "failed")
    page.locator('#campaign-index th[data-key="start"]').get_by_role("button").click()
    assert page.locator(".cn-index-count").text_content() == "1,000 of 5,000 campaigns"
    # Only the first 500 matching rows are laid out until the reader asks for all of them.
    assert len(visible_rows(page)) == 500
    page.click(".cn-index-more")
    rows = visible_rows(page)
    assert len(rows) == 1000
    assert {row["status"] for row in rows} == {"failed"}
    starts = visible_column(page, "start")
    assert starts == sorted(starts)
    assert page.locator(".cn-index-more").is_hidden()
