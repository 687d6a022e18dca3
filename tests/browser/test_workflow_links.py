"""Workflow links built in the browser (assets/workflow-links.js) are the links Python makes.

The shared cases of ``tests/linktemplates/cases/`` run through the script in Chromium, on the
templates as the generator writes them for the site; then every workflow row of the example
campaigns gets exactly the links ``linktemplates.workflow_links`` gives (titles, hrefs, order), as
many as its summary says; and so does every row of a campaign made to test what the table says
once for all rows (generator/site/shared_values.py): rows without a value, a value equal to the
shared prefix, hostile values.
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from generator.escaping import href
from generator.linktemplates import workflow_links
from generator.loading.repository import Repository, load_repository
from generator.site.operators_page import LINK_TEMPLATES_ANCHOR
from tests.browser.conftest import NetworkLog, new_guarded_context, serve_folder
from tests.linktemplates.casefiles import browser_data, load_cases
from tests.site.conftest import copy_example_notebook

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


def check_rows(page: Any, repository: Repository, campaign_id: str) -> int:
    """The open page's rows have the links Python makes for their workflows; how many rows."""
    campaign = repository.campaigns[campaign_id]
    templates = repository.config.workflow_links
    page.wait_for_selector("table.cn-workflows[data-cn-links-done]", state="attached")
    rows = {row["id"]: row for row in page.evaluate(ROWS)}
    checked = 0
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
    return checked


def test_every_workflow_row_gets_the_links_python_makes(page: Any, served_site: ServedSite) -> None:
    repository = load_repository(REPO_ROOT)
    checked = 0
    for campaign in repository.campaigns.values():
        page_path = served_site.site.root / "campaigns" / campaign.id / "index.html"
        if 'class="cn-wl"' not in page_path.read_text(encoding="utf-8"):
            continue
        page.goto(served_site.url(f"campaigns/{campaign.id}/"))
        checked += check_rows(page, repository, campaign.id)
    assert checked >= 5, "the example notebook should have workflows with template links"


CRAFTED = "dr1-mini-drp-rerun-20261103-t5hw"
OUTPUT = "LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300/"
HOSTILE = "q\"uo'te&amp;<b>é—ü %2F"
RUN = "LSSTCam_<i>\"&amp;'é_"  # the run names' shared prefix: hostile too
# (run_name, output, system): what the rows share and what they do not.
CRAFTED_ROWS = [
    (RUN + "step1_g1", OUTPUT + "20261103T080000Z", "panda"),
    (RUN + "step1_g2", OUTPUT + "20261104T070000Z", "panda"),
    (RUN + HOSTILE, OUTPUT + "v.1-x_y", "panda"),  # collections have a strict form
    (RUN, OUTPUT, "panda"),  # each value is the shared prefix itself
    ("", "", "panda"),  # no run name, no output: they must not become the prefixes
    (RUN + "step2", "", ""),  # no system: the PanDA links must not appear
    (RUN + "step3", OUTPUT + "x", "panda"),
]


@pytest.fixture(scope="module")
def crafted_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Repository]]:
    """The campaign page's workflow table (with its scripts) as `campaigns generate` writes it,
    for a campaign whose workflows are CRAFTED_ROWS, served with the generated assets."""
    root = copy_example_notebook(tmp_path_factory.mktemp("crafted") / "notebook")
    record = root / "campaigns" / f"{CRAFTED}.yaml"
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    template = data["workflows"][0]
    data["workflows"] = []
    for number, (run_name, output, system) in enumerate(CRAFTED_ROWS):
        workflow = {**template, "name": f"w{number}", "run_id": str(51000 + number)}
        workflow.pop("rescue_of", None)
        workflow.update(run_name=run_name, output=output, system=system)
        data["workflows"].append({k: v for k, v in workflow.items() if v != ""})
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = root / "build" / "docs"
    command = [sys.executable, "-m", "generator.cli", "generate", "--root", str(root)]
    result = subprocess.run(
        [*command, "--out", str(out), "--now", "2026-11-24T12:00Z"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    markdown = (out / "campaigns" / f"{CRAFTED}.md").read_text(encoding="utf-8")
    start = markdown.index('<div class="cn-scroll">')
    end = markdown.index("</script>", markdown.index("workflow-links.js")) + len("</script>")
    folder = out / "campaigns" / CRAFTED
    folder.mkdir()
    (folder / "index.html").write_text(
        f'<!doctype html><html lang="en"><meta charset="utf-8"><title>t</title>'
        f"{markdown[start:end]}</html>",
        encoding="utf-8",
    )
    with serve_folder(out, "crafted-page") as base_url:
        yield f"{base_url}campaigns/{CRAFTED}/", load_repository(root)


def test_rows_sharing_values_get_the_links_python_makes(
    page: Any, crafted_page: tuple[str, Repository]
) -> None:
    url, repository = crafted_page
    page.goto(url)
    table = page.locator("table.cn-workflows")
    # The split happened: the test is about joining, not about rows carrying everything.
    assert table.get_attribute("data-cn-prefix-workflow_output") == OUTPUT
    assert table.get_attribute("data-cn-prefix-run_name") == RUN
    assert check_rows(page, repository, CRAFTED) == len(CRAFTED_ROWS)


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
    network_log.assert_clean()


def test_without_javascript_the_page_points_to_the_templates(page_without_javascript: Any) -> None:
    page = page_without_javascript
    note = page.locator("noscript p")
    assert "JavaScript" in note.inner_text()
    assert page.locator("span.cn-wl a").count() == 0
    summary = page.locator("table.cn-workflows details:has(span.cn-wl) summary").first
    assert re.search(r"\b[1-9]\d* links?\b", summary.inner_text())
    # The one list of the site: the operators page, at the anchor the note links to.
    note.locator("a").click()
    assert page.url.endswith(f"/operators/#{LINK_TEMPLATES_ANCHOR}")
    section = page.locator(f"h2#{LINK_TEMPLATES_ANCHOR} + p + ul").inner_text()
    for template in load_repository(REPO_ROOT).config.workflow_links:
        assert f"{template.title}: {template.url}" in section


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
