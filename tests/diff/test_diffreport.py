"""Rendering details of the reviewer's summary, on diffs built in memory."""

from __future__ import annotations

from generator.comparison import CampaignChange, ListChange, RecordDiff
from generator.errors import Problem
from generator.render.diffreport import render_markdown, row_counts


def test_values_become_code_spans_that_survive_any_text() -> None:
    diff = RecordDiff("main", "working tree")
    diff.campaigns_changed.append(
        CampaignChange(
            "c",
            "C",
            "campaigns/c.yaml",
            fields=[
                ("notes", "one `tick` and ``two``", "line 1\nline 2"),
                ("reason", "", "x" * 200),
                ("run_id", None, 12),
            ],
        )
    )
    out = render_markdown(diff)
    assert "| `notes` | ``` one `tick` and ``two`` ``` | `line 1⏎line 2` |" in out
    assert "| `reason` | *(empty)* | `" + "x" * 79 + "…` |" in out
    assert "| `run_id` | *(none)* | `12` |" in out


def test_long_tables_are_cut_and_say_where_the_rest_is() -> None:
    diff = RecordDiff("main", "working tree")
    diff.problems_introduced = [Problem(f"campaigns/c{i:02}.yaml", 1, 1, "bad") for i in range(5)]
    out = render_markdown(diff, max_rows=3)
    assert out.count("| error | bad |") == 3
    assert "… and 2 more (`campaigns diff --format json` lists all)" in out
    assert "**no record changes · ⚠️ 5 new validation problems**" in out


def test_row_counts_name_what_the_rows_are() -> None:
    change = ListChange(
        "l.ecsv",
        "changed",
        "inclusion",
        ("instrument", "patch"),
        added_by_reason={"": 2},
        removed_by_reason={"edge": 1},
    )
    assert (
        row_counts(change)
        == "**+2 included patches**: *(no reason)* 2; **−1 included patch**: edge 1"
    )
    change = ListChange(
        "l.yaml", "changed", "exclusion", ("exposure", "detector"), reason_changed=3
    )
    assert row_counts(change) == "3 DataIds with a new reason"
    assert (
        row_counts(ListChange("l.csv", "changed", "exclusion", ("visit",)))
        == "same rows, header or order changed"
    )
