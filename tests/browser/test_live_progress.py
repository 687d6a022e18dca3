"""Live progress from the committed workflow status snapshot, as a reader's browser shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

RERUN_PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"


def test_campaign_page_shows_job_counts_bars_and_failures(
    page: Any, served_site: ServedSite
) -> None:
    page.goto(served_site.url(RERUN_PAGE))
    heading = page.get_by_role("heading", name="Live progress")
    assert heading.is_visible()
    bars = page.locator("progress.cn-progress")
    assert bars.count() >= 3  # the campaign total, the live table's rows, the workflow table's
    # the Live progress table's row (the workflow table names the run id only in its details)
    step3 = page.locator("tr:not(.cn-workflows tr)", has_text="51244").first
    bar = step3.locator("progress")
    assert bar.get_attribute("value") == "3000" and bar.get_attribute("max") == "6100"
    assert bar.is_visible()
    assert "✖ failed 12" in step3.inner_text()
    assert "makeDirectWarp 12 failed (exit 137 ×9, 1 ×3)" in step3.inner_text()
    unlisted = page.locator("tr", has_text="u_lferreyra_step3_tract5287").first
    assert "held" in unlisted.inner_text() and "lferreyra" in unlisted.inner_text()
    assert page.get_by_text("Workflow status as of 2026-11-24 06:00 UTC.").first.is_visible()


def test_home_page_running_now_shows_progress(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url(""))
    row = page.locator("tr", has_text="dr1-mini-drp-rerun-20261103-t5hw").first
    assert row.locator("progress.cn-progress").count() == 1
    assert "+ 1 run(s) not in the record" in row.inner_text()
