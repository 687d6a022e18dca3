"""A production of 5,000 campaigns still gets a usable campaign timeline: past
``timeline.MAX_ROWS`` bars the chart is one row per kind with its count, small enough to ship.

No timing asserts (speed is the benchmark's): the chart's size and rows are what a reader gets.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from generator.site.context import load_context
from generator.site.production_pages import render_production_page
from generator.site.timeline import MAX_ROWS
from tests.compare.casefiles import copy_example_notebook

CAMPAIGNS = 5_000
KINDS = ("nightly", "mini-drp", "integration", "drp")
STATUSES = ("completed", "failed", "running")  # a different mix within each kind
STATE_WORDS = {"completed": "finished", "failed": "failed", "running": "running"}
NOW = datetime(2026, 12, 1, tzinfo=UTC)
# The aggregated chart: a few rows and an axis, whatever the number of campaigns.
MAX_CHART_BYTES = 8_000
TIMELINE = re.compile(r'<figure class="cn-timeline".*?</figure>', re.DOTALL)
ROW_LABEL = re.compile(r"<p>(?:<a [^>]*>|<span>)([^<]*)<")


def write_production(root: Path, count: int) -> None:
    """``count`` small campaigns of production dr1, four kinds, spread over a year."""
    copy_example_notebook(root)
    first = datetime(2026, 1, 1, tzinfo=UTC)
    for number in range(count):
        start = first + timedelta(hours=number * 1.7)
        status = STATUSES[number % len(STATUSES)]
        finished = (
            ""
            if status == "running"
            else f"finished: {start + timedelta(hours=20):%Y-%m-%dT%H:%MZ}\n"
        )
        campaign_id = f"synthetic-{number:05d}"
        (root / "campaigns" / f"{campaign_id}.yaml").write_text(
            f"id: {campaign_id}\nname: Synthetic campaign {number}\nproduction: dr1\n"
            f"kind: {KINDS[number % len(KINDS)]}\nstatus: {status}\npurpose: Scale test.\n"
            f"definer: Ana Souza\nstarted: {start:%Y-%m-%dT%H:%MZ}\n{finished}",
            encoding="utf-8",
        )


@pytest.mark.parametrize("count", [MAX_ROWS, pytest.param(CAMPAIGNS, marks=pytest.mark.slow)])
def test_a_production_of_many_campaigns_gets_a_usable_timeline(tmp_path: Path, count: int) -> None:
    write_production(tmp_path, count)
    context = load_context(tmp_path, NOW)
    page = render_production_page(context, context.repository.productions["dr1"])
    charts = TIMELINE.findall(page)
    assert len(charts) == 1
    chart = charts[0]
    labels = ROW_LABEL.findall(chart)
    bars = chart.count('" style="--l:')
    assert bars == len(labels)
    if count <= MAX_ROWS:
        # Every campaign its own row, linking to its page.
        assert bars == count
        assert "aggregated" not in chart
        # The table above is the chart's text alternative: no sentence per bar.
        assert "the table above gives each bar's state and times" in chart
        assert "cn-visually-hidden" not in chart
        return
    # A few rows per kind, one per state, each labelled with how many campaigns it holds.
    expected: Counter[str] = Counter(
        f"{KINDS[n % len(KINDS)]} · {STATE_WORDS[STATUSES[n % len(STATUSES)]]}"
        for n in range(count)
    )
    assert sorted(labels) == sorted(f"{label} ({number:,})" for label, number in expected.items())
    assert len(labels) == len(KINDS) * len(STATUSES)
    assert "aggregated: one row per group" in chart
    assert f"{count:,} bars" in chart
    assert len(chart.encode()) < MAX_CHART_BYTES
    # The dates of the axis and, for aggregated rows (spans no table row gives), a sentence per
    # row for screen readers are there.
    assert chart.count('class="cn-tl-tick"') >= 3
    assert chart.count('class="cn-visually-hidden"') == len(labels)
    # The table beside the chart still lists every campaign.
    assert page.count("synthetic-") >= count
