"""Orderings for summaries: counts sorted largest first, nights grouped into runs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TypeVar

from generator.model.dataid_lists import Value

Key = TypeVar("Key")


def by_count(counts: Mapping[Key, int]) -> dict[Key, int]:
    """Largest count first; ties keep their order (first appearance, or value order)."""
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _next_night(day_obs: int) -> int | None:
    try:
        night = date(day_obs // 10000, day_obs // 100 % 100, day_obs % 100)
    except ValueError:
        return None
    following = night + timedelta(days=1)
    return following.year * 10000 + following.month * 100 + following.day


def night_ranges(by_day_obs: Mapping[Value, int]) -> list[tuple[Value, Value, int]]:
    """(first night, last night, rows) for each run of consecutive nights, in night order."""
    runs: list[tuple[Value, Value, int]] = []
    for night, count in sorted(by_day_obs.items(), key=lambda item: str(item[0]).zfill(20)):
        if runs and isinstance(night, int) and isinstance(runs[-1][1], int):
            low, high, total = runs[-1]
            if isinstance(high, int) and _next_night(high) == night:
                runs[-1] = (low, night, total + count)
                continue
        runs.append((night, night, count))
    return runs
