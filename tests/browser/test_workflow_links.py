"""Workflow links built in the browser (assets/workflow-links.js) are the links Python makes.

The shared cases of ``tests/linktemplates/cases/`` run through the script in Chromium, on the
templates as the generator writes them for the site; then every workflow row of the example
campaigns gets exactly the links ``linktemplates.workflow_links`` gives (titles, hrefs, order), as
many as its summary says.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from generator.escaping import href
from generator.linktemplates import workflow_links
from generator.loading.repository import load_repository
from tests.browser.conftest import NetworkLog, new_guarded_context
from tests.linktemplates.casefiles import browser_data, load_cases

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"
SCREENSHOTS = REPO_ROOT / "build" / "screenshots"

RUN_CASES = """cases => cases.map(c => {
  const url = window.cnWorkflowLinks.expand(c.template, c.values);
  return url === null ? null : window.cnWorkflowLinks.href(url);
})"""

# Per row with a placeholder: its summary and the links of the line the placeholder is on.
ROWS = """() => Array.from(document.querySelectorAll('table.cn-workflows span.cn-wl')).map(span => {
  const line = [];
  for (let node = span.parentNode.firstChild; node; node = node.nextSibling) {
    if (node.nodeName === 'BR') { if (line.includes(span)) break; line.length = 0; }
    else line.push(node);
  }
  const links = line.flatMap(n => n.nodeName === 'A' ? [n] : n.nodeType === 1 ? Array.from(n.querySelectorAll('a')) : []);
  return {
    id: span.closest('tr').previousElementSibling.id,
    summary: span.closest('details').querySelector('summary').textContent,
    links: links.map(a => [a.textContent, a.getAttribute('href')]),
  };
})"""


def test_the_browser_expands_the_shared_cases_like_python(
    page: Any, served_site: ServedSite
) -> None:
    page.goto(served_site.url(PAGE))
    page.wait_for_function("() => window.cnWorkflowLinks !== undefined")
    cases = browser_data(load_cases())
    results = page.evaluate(RUN_CASES, cases)
    mismatches = [
        (case["name"], result, case["href"])
        for case, result in zip(cases, results, strict=True)
        if result != case["href"]
    ]
    assert not mismatches


def test_every_workflow_row_gets_the_links_python_makes(page: Any, served_site: ServedSite) -> None:
    repository = load_repository(REPO_ROOT)
    templates = repository.config.workflow_links
    checked = 0
    for campaign in repository.campaigns.values():
        page_path = served_site.site.root / "campaigns" / campaign.id / "index.html"
        if 'class="cn-wl"' not in page_path.read_text(encoding="utf-8"):
            continue
        page.goto(served_site.url(f"campaigns/{campaign.id}/"))
        page.wait_for_selector("table.cn-workflows[data-cn-links-done]", state="attached")
        rows = {row["id"]: row for row in page.evaluate(ROWS)}
        for workflow in campaign.workflows:
            expected = [
                [link.title, html.unescape(href(link.url) or "")]
                for link in (*workflow.links, *workflow_links(templates, campaign, workflow))
            ]
            row = rows.get(f"wf-{workflow.index + 1}")
            if row is None:  # no link built in the browser: plain HTML, as the golden pages show
                continue
            assert row["links"] == expected, (campaign.id, workflow.name)
            count = len(expected)
            assert f"{count} link{'s' * (count != 1)}" in row["summary"]
            checked += 1
    assert checked >= 5, "the example notebook should have workflows with template links"


def test_open_details_show_the_links(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url(PAGE))
    details = page.locator("table.cn-workflows details:has(span.cn-wl)").first
    details.locator("summary").click()
    links = details.locator("span.cn-wl a")
    assert links.count() >= 2
    assert links.first.is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("table.cn-workflows").screenshot(
        path=str(SCREENSHOTS / "campaign-workflow-links.png")
    )


@pytest.fixture
def page_without_javascript(
    browser: Any, served_site: ServedSite, network_log: NetworkLog
) -> Iterator[Any]:
    """The campaign page opened in a browser context with JavaScript off."""
    context = new_guarded_context(browser, network_log, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site.url(PAGE))
        yield page
    finally:
        context.close()


def test_without_javascript_the_page_names_the_templates(page_without_javascript: Any) -> None:
    page = page_without_javascript
    note = page.locator("noscript").first.inner_text()
    for template in load_repository(REPO_ROOT).config.workflow_links:
        assert template.title in note and template.url in note
    assert page.locator("span.cn-wl a").count() == 0
    summary = page.locator("table.cn-workflows details:has(span.cn-wl) summary").first
    assert re.search(r"\b[1-9]\d* links?\b", summary.inner_text())


def test_without_javascript_no_blank_line_stands_for_the_links(
    page_without_javascript: Any,
) -> None:
    page = page_without_javascript
    details = page.locator("table.cn-workflows details:has(span.cn-wl)").first
    details.locator("summary").click()
    lines = details.locator("p").inner_text().split("\n")
    assert lines and all(line.strip() for line in lines), lines
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("table.cn-workflows").screenshot(
        path=str(SCREENSHOTS / "campaign-workflow-links-noscript.png")
    )
