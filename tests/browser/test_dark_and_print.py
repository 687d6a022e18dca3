"""Dark mode (Material's palette toggle, under the CSP) and the print stylesheet render; the
screenshots and the PDF are written to $CN_SCREENSHOTS (default: the test's temporary folder)
for a person to look at."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

CAMPAIGN = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"


def output_folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("CN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_palette_toggle_switches_to_dark_and_is_remembered(
    page: Any, served_site: ServedSite, tmp_path: Path
) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(served_site.url(CAMPAIGN))
    body = page.locator("body")
    assert body.get_attribute("data-md-color-scheme") == "default"
    page.locator("form[data-md-component='palette'] label[title='Switch to dark mode']").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    background = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert background != "rgb(255, 255, 255)"
    page.screenshot(path=str(output_folder(tmp_path) / "campaign-dark.png"), full_page=True)
    # Remembered on the next page (material-palette.js, loaded as a file).
    page.goto(served_site.url("campaigns/"))
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"


def test_campaign_page_prints_whole_on_a4(
    page: Any, served_site: ServedSite, tmp_path: Path
) -> None:
    page.goto(served_site.url(CAMPAIGN))
    page.wait_for_load_state("networkidle")
    page.emulate_media(media="print")
    # Nothing but the content, and no table wider than the A4 text width.
    assert page.locator(".md-header").is_hidden()
    assert page.locator(".md-sidebar--primary").is_hidden()
    page.set_viewport_size({"width": 718, "height": 1000})  # A4 less 12 mm margins at 96 dpi
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('.md-typeset table')]
            .filter(t => t.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(t => Math.round(t.getBoundingClientRect().right) + " " + t.className + " " + t.rows[0].innerText.slice(0, 80))"""
    )
    assert overflowing == [], overflowing
    # The lineage graph (wider than the paper) shrinks to the text width, its text inside it.
    graph = page.evaluate(
        """() => { const svg = document.querySelector('svg.cn-lg').getBoundingClientRect();
                   return [svg.width, svg.right, document.documentElement.clientWidth]; }"""
    )
    assert graph[0] > 0 and graph[1] <= graph[2] + 1, graph
    folder = output_folder(tmp_path)
    page.screenshot(path=str(folder / "campaign-print.png"), full_page=True)
    pdf = folder / "campaign.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 10_000
