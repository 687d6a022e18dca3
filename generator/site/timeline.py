"""Timelines drawn at build time as HTML in the page (no client-side chart library).

One row per workflow (or campaign), grouped by step (or kind), each bar placed by percentages of
the time span, a legend and a time axis of a few dated ticks. The table beside the chart (the
workflows, the production's campaigns) is its text alternative: the caption points to it, and
only aggregated rows, whose spans no table row gives, carry a visually hidden sentence. Labels
are ordinary text in the page's DOM, at the page's font size. Past ``MAX_ROWS`` bars a chart is
aggregated: rows per group, spanning its first start to its last end for each state, with the
count (the table next to it lists every item): a production of 5,000 campaigns gets a chart of
a few rows per kind. The layout is ``templates/timeline.html.j2``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from generator.site.markup import day, when
from generator.site.templating import Templates, render

MAX_ROWS = 150
TICKS = 5
_HOUR = timedelta(hours=1)
STATE_WORDS = {
    "done": "finished",
    "active": "running",
    "failed": "failed",
    "other": "other",
}


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class Bar:
    label: str
    state: str  # done | active | failed | other
    start: datetime
    end: datetime


def bar_end(start: datetime, end: datetime | None, still_going: bool, now: datetime) -> datetime:
    """Where a bar ends: its finish; for work still going, now; at least an hour after the start."""
    if end is None:
        end = now if still_going and now > start else start
    return max(end, start + _HOUR)


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class TimelineRow:
    label: str
    state: str  # done | active | failed | other (a CSS class: known words only)
    left: float  # percent of the span
    width: float
    start: datetime
    end: datetime
    target: str = ""  # where the bar links (an in-page anchor or a page URL), "" for none
    count: int = 1  # items aggregated into this row


@dataclass
class TimelineGroup:
    name: str
    rows: list[TimelineRow] = field(default_factory=list)


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class Tick:
    left: float
    label: str


@dataclass(frozen=True)
class Timeline:
    title: str
    groups: list[TimelineGroup]
    ticks: list[Tick]
    start: datetime
    end: datetime
    aggregated: bool
    items: int


def _ticks(start: datetime, end: datetime) -> list[Tick]:
    span = end - start
    show_time = span <= timedelta(days=2)
    ticks = []
    for number in range(TICKS):
        moment = start + span * number / (TICKS - 1)
        label = when(moment)[-11:] if show_time else day(moment)  # MM-DD HH:MM
        ticks.append(Tick(100 * number / (TICKS - 1), label))
    return ticks


def _state(bar: Bar) -> str:
    return bar.state if bar.state in STATE_WORDS else "other"


def build_timeline(
    title: str, sections: list[tuple[str, list[tuple[Bar, str]]]]
) -> Timeline | None:
    """``sections``: (group name, [(bar, link target)]) in display order; None without bars."""
    bars = [bar for _, items in sections for bar, _ in items]
    if not bars:
        return None
    start = min(bar.start for bar in bars)
    end = max(bar.end for bar in bars)
    span = max((end - start).total_seconds(), 3600.0)

    def place(moment: datetime) -> float:
        return round(100 * (moment - start).total_seconds() / span, 1)  # 0.1 %: under a pixel

    aggregated = len(bars) > MAX_ROWS
    groups = []
    for name, items in sections:
        if not items:
            continue
        group = TimelineGroup(name)
        if aggregated:
            # One row per state within the group, so that "how many failed" survives the
            # aggregation: nightly · failed (12) spans the first to the last failed one.
            for state in STATE_WORDS:
                members = [bar for bar, _ in items if _state(bar) == state]
                if not members:
                    continue
                first = min(bar.start for bar in members)
                last = max(bar.end for bar in members)
                left = place(first)
                group.rows.append(
                    TimelineRow(
                        f"{name} · {STATE_WORDS[state]} ({len(members):,})",
                        state,
                        left,
                        round(max(place(last) - left, 0.5), 1),
                        first,
                        last,
                        "",
                        len(members),
                    )
                )
        else:
            for bar, target in items:
                left = place(bar.start)
                width = round(max(place(bar.end) - left, 0.5), 1)
                group.rows.append(
                    TimelineRow(bar.label, bar.state, left, width, bar.start, bar.end, target)
                )
        groups.append(group)
    return Timeline(title, groups, _ticks(start, end), start, end, aggregated, len(bars))


def render_timeline(env: Templates, timeline: Timeline | None) -> str:
    if timeline is None:
        return ""
    return render(env, "timeline.html.j2", timeline=timeline, state_words=STATE_WORDS)
