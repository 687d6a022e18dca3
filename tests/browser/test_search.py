"""Material's client-side search finds a campaign by one of its Jira ticket keys."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

RERUN_PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"


CAMPAIGN_PAGE = re.compile(r"/campaigns/[^/]+/(\?|$)")


@pytest.mark.parametrize("query", ["DM-51302", "dr1-mini-drp-rerun-20261103-t5hw"])
def test_search_finds_the_campaign(page: Any, served_site: ServedSite, query: str) -> None:
    # Material opens its search with ?q= filled in, as a shared search link would; typing would
    # race the intermediate results of every keystroke.
    page.goto(served_site.url() + "?q=" + quote(query))
    # With search.highlight the result links carry ?h=<terms>.
    result = page.locator(f".md-search-result__item a[href*='{RERUN_PAGE}']").first
    result.wait_for()
    found = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item > a", "links => links.map(a => a.href)"
    )
    campaign_pages = [url for url in found if CAMPAIGN_PAGE.search(url)]
    assert campaign_pages[0].startswith(served_site.url(RERUN_PAGE)), found  # and it ranks first

    result.click()
    page.wait_for_url(served_site.url(RERUN_PAGE) + "**")
