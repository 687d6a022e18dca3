"""Search (Pagefind, in the header's dialog) finds a campaign by its id, a Jira key, a collection
and a word in parentheses, from the keyboard, under the site's Content-Security-Policy, with no
request leaving the site (the `page` fixture fails the test on any of those)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

RERUN_PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"
RESULT_LINKS = "#cn-search .pagefind-ui__result-link"
# Pages, not the sections under them (sub-results).
PAGE_LINKS = "#cn-search .pagefind-ui__result-inner > .pagefind-ui__result-title a"


def result_urls(page: Any, query: str) -> list[str]:
    # The UI searches as one types: wait for the results of the whole query.
    message = page.locator("#cn-search .pagefind-ui__message")
    message.filter(has_text=query).wait_for()
    page.locator(RESULT_LINKS).first.wait_for()
    urls: list[str] = page.eval_on_selector_all(PAGE_LINKS, "links => links.map(a => a.href)")
    return urls


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("dr1-mini-drp-rerun-20261103-t5hw", RERUN_PAGE),  # an id
        ("DM-51302", RERUN_PAGE),  # a Jira key
        ("LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300", RERUN_PAGE),  # an output collection
        ("trefoil", "dataids/"),  # a word in parentheses: "out of focus (trefoil)"
        ("step1-group2-rescue2", RERUN_PAGE),  # a workflow name (the workflow table's first cell)
        ("51102", RERUN_PAGE),  # that workflow's bps run id (in its details)
    ],
)
def test_search_from_the_keyboard(
    page: Any, served_site: ServedSite, query: str, expected: str
) -> None:
    page.goto(served_site.url())
    page.keyboard.press("/")  # opens the dialog, focus in the search field
    dialog = page.get_by_role("dialog", name="Search the notebook")
    dialog.wait_for()
    page.locator("#cn-search input").wait_for()
    page.keyboard.type(query)
    found = result_urls(page, query)
    assert any(expected in url for url in found[:3]), found
    # Snippets are readable text: no diagram source, no run-together table cells.
    excerpts = page.locator("#cn-search .pagefind-ui__result-excerpt").all_inner_texts()
    assert excerpts, "results come with snippets"
    for excerpt in excerpts:
        assert "gantt" not in excerpt and "dateFormat" not in excerpt, excerpt
    # Tab to the first result and follow it with Enter.
    first = page.locator(RESULT_LINKS).first
    first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(served_site.url()) + ".+"))
    assert page.url != served_site.url()


def test_a_shared_search_link_opens_with_results(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url() + "?q=" + quote("DM-51302"))
    found = result_urls(page, "DM-51302")
    assert any(RERUN_PAGE in url for url in found), found
    page.keyboard.press("Escape")
    assert not page.locator("#cn-search-dialog").is_visible()


def test_a_campaign_id_does_not_find_the_long_list_pages(
    page: Any, served_site: ServedSite
) -> None:
    """The Jira page's "Named by" and the Operators page's campaign cells are not indexed: a
    search for an id lists the campaign and its relatives, not the pages that list every
    campaign (each shown result's fragment is fetched; theirs grow with the notebook). The
    Jira page is still found by a key."""
    page.goto(served_site.url() + "?q=" + quote("dr1-psf-dev-20260902-a7kq"))
    found = result_urls(page, "dr1-psf-dev-20260902-a7kq")
    assert any("campaigns/dr1-psf-dev-20260902-a7kq/" in url for url in found), found
    assert not any(url.endswith(("/jira/", "/operators/")) for url in found), found
    page.goto(served_site.url() + "?q=" + quote("DM-51302"))
    assert any(url.endswith("/jira/") for url in result_urls(page, "DM-51302"))


def test_search_fetches_little(page: Any, served_site: ServedSite) -> None:
    """The index is fetched in chunks: one query costs kilobytes, not the whole index."""
    sizes: list[int] = []
    page.on("response", lambda response: sizes.append(len(response.body() or b"")))
    page.goto(served_site.url() + "?q=" + quote("trefoil"))
    result_urls(page, "trefoil")
    assert sum(sizes) < 2_000_000, sum(sizes)


def test_noisy_parts_are_left_out_of_the_index(page: Any, served_site: ServedSite) -> None:
    """A word found only in a campaign's live-progress table (the workflow system's user name in
    a run name and submit directory; the table is marked data-pagefind-ignore, like the other
    tables of counts and link lists) finds nothing."""
    page.goto(served_site.url() + "?q=lferreyra")
    message = page.locator("#cn-search .pagefind-ui__message")
    # Not "Searching for lferreyra..." (shown while the index loads): the answer itself.
    message.filter(has_text=re.compile(r"results? for .*lferreyra", re.IGNORECASE)).wait_for()
    urls = page.eval_on_selector_all(PAGE_LINKS, "links => links.map(a => a.href)")
    assert "No results" in message.inner_text(), urls


def test_workflow_table_noise_is_left_out_of_the_index(page: Any, served_site: ServedSite) -> None:
    """The workflow table is indexed for its names and run ids only: a start time of one of its
    rows (a cell left out by searchindex.EXCLUDED_SELECTORS) finds nothing, and a result for a run
    id shows no times or badges in its snippet."""
    html = (served_site.site.root / RERUN_PAGE / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr id="wf-\d+">.*?step1-group2-rescue2</td>(.*?)</tr>', html)
    assert row, "the workflow's row is on the page"
    started = re.findall(r"<td>(\d{4}-\d\d-\d\d \d\d:\d\d)</td>", row.group(1))[0]
    page.goto(served_site.url() + "?q=" + quote(f'"{started}"'))
    message = page.locator("#cn-search .pagefind-ui__message")
    message.filter(has_text=re.compile(r"results? for", re.IGNORECASE)).wait_for()
    urls = page.eval_on_selector_all(PAGE_LINKS, "links => links.map(a => a.href)")
    assert not any(RERUN_PAGE in url for url in urls), urls
    page.goto(served_site.url() + "?q=51102")
    result_urls(page, "51102")
    excerpts = " ".join(page.locator("#cn-search .pagefind-ui__result-excerpt").all_inner_texts())
    assert "51102" in excerpts and "succeeded" not in excerpts, excerpts
