"""Mermaid diagrams as fenced code: timelines (Gantt) and lineage (flowchart).

Mermaid reads labels as its own syntax, so every label passes through ``mermaid_label`` (letters,
digits and a few punctuation marks only). The fence is rendered by ``pymdownx.superfences`` into
``<pre class="mermaid">`` with the source HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from generator.site.markup import code_block, mermaid_label

_GANTT_TIME = "%Y-%m-%d %H:%M"
# Mermaid Gantt task tags: 'done' grey, 'active' highlighted, 'crit' red.
_STATE_TAGS = {"done": "done, ", "active": "active, ", "failed": "crit, ", "other": ""}


@dataclass(frozen=True)
class Bar:
    label: str
    state: str  # done | active | failed | other
    start: datetime
    end: datetime


def bar_end(start: datetime, end: datetime | None, still_going: bool, now: datetime) -> datetime:
    """Where a bar ends: its finish; for work still going, now; at least an hour after the start."""
    if end is None:
        end = now if still_going and now > start else start
    return max(end, start + timedelta(hours=1))


def gantt(sections: list[tuple[str, list[Bar]]]) -> str:
    """A Gantt chart; empty text when there is nothing with a start time to draw."""
    if not any(bars for _, bars in sections):
        return ""
    lines = ["gantt", "    dateFormat YYYY-MM-DD HH:mm", "    axisFormat %Y-%m-%d"]
    number = 0
    for title, bars in sections:
        if not bars:
            continue
        lines.append(f"    section {mermaid_label(title)}")
        for bar in bars:
            number += 1
            tag = _STATE_TAGS.get(bar.state, "")
            lines.append(
                f"    {mermaid_label(bar.label)} :{tag}t{number}, "
                f"{bar.start.strftime(_GANTT_TIME)}, {bar.end.strftime(_GANTT_TIME)}"
            )
    return code_block("\n".join(lines), "mermaid")


def flowchart(
    nodes: list[tuple[str, str]], edges: list[tuple[str, str, str, bool]], focus: str
) -> str:
    """A left-to-right graph: nodes (id, label), edges (from, to, label, dashed); ``focus`` bold."""
    lines = ["flowchart LR"]
    for node_id, label in nodes:
        lines.append(f'    {node_id}["{mermaid_label(label)}"]')
    for source, target, label, dashed in edges:
        arrow = "-.->" if dashed else "-->"
        caption = f"|{mermaid_label(label)}|" if label else ""
        lines.append(f"    {source} {arrow}{caption} {target}")
    lines.append(f"    style {focus} stroke-width:3px")
    return code_block("\n".join(lines), "mermaid")
