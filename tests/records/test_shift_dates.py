"""A shift written with dates only runs through its last day (and the site shows the dates)."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from generator.model.records import Shift
from generator.pipeline import validate
from generator.site.build import build_notebook

REPO = Path(__file__).resolve().parents[2]
NIGHTLY = "campaigns/nightly-20261123-k9rm.yaml"


def test_date_only_end_is_the_end_of_that_day() -> None:
    shift = Shift.from_raw("2025-11-25", "2025-11-27")
    assert shift is not None
    assert shift.end == datetime(2025, 11, 28, tzinfo=UTC)
    assert (shift.start_day, shift.end_day) == ("2025-11-25", "2025-11-27")
    timed = Shift.from_raw("2025-11-27T08:00Z", "2025-11-27")
    assert timed is not None and timed.end > timed.start and timed.start_day == ""


def test_site_shows_a_date_range_and_counts_the_last_day(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "notebook.yaml", root)
    shutil.copytree(REPO / "campaigns", root / "campaigns")
    record = root / NIGHTLY
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "{start: 2026-11-23T10:00Z, end: 2026-11-23T18:00Z}",
            "{start: 2026-11-23T10:00Z, end: 2026-11-23}\n      - {start: 2026-11-26, end: 2026-11-27}",
        ),
        encoding="utf-8",
    )
    repository = validate(root).repository
    assert not [p for p in repository.problems if p.is_error]
    late_evening = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)
    page = build_notebook(root, late_evening).pages["operators.md"]
    on_shift = page.split("## On shift now")[1].split("## Next shifts")[0]
    assert "2026-11-23 10:00 | 2026-11-23 |" in on_shift
    upcoming = page.split("## Next shifts")[1].split("##")[0]
    assert "| 2026-11-26 | 2026-11-27 |" in upcoming
