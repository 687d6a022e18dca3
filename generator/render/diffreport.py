"""Render a ``RecordDiff`` for a reviewer: Markdown (a PR comment, a job summary) or JSON.

Every value from the records is escaped: text goes through ``_text`` (HTML and Markdown
punctuation escaped, one line), values through ``_code`` (a code span long enough to hold any
backticks). A record can never inject links, HTML or table cells into the summary.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from generator.comparison import (
    CampaignChange,
    FieldChange,
    ListChange,
    RecordDiff,
    RecordSummary,
    WorkflowChange,
)
from generator.errors import Problem
from generator.escaping import gfm_text, table_code_span
from generator.render.markdown import table
from generator.reporting import problem_as_json

MAX_VALUE = 80  # characters of a value shown in Markdown (JSON has them all)
MAX_TEXT = 200  # characters of a journal entry shown in Markdown
_GROUPING_DIMENSIONS = {"instrument", "skymap"}  # constant within a list: not what is counted


def _text(value: str, limit: int = MAX_TEXT) -> str:
    """Record text as inert Markdown on one line."""
    return gfm_text(value, limit)


def _code(value: Any, limit: int = MAX_VALUE) -> str:
    """A value as a code span (``*(none)*`` when absent); safe inside a table cell."""
    if value is None:
        return "*(none)*"
    shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    shown = shown.replace("\r\n", "\n").replace("\n", "⏎")
    if len(shown) > limit:
        shown = shown[: limit - 1] + "…"
    return table_code_span(shown) or "*(empty)*"


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else plural or singular + 's'}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], max_rows: int) -> list[str]:
    lines = table(header, rows[:max_rows]).split("\n")
    if len(rows) > max_rows:
        lines += [
            "",
            f"… and {len(rows) - max_rows} more (`campaigns diff --format json` lists all)",
        ]
    return [*lines, ""]


# --- Markdown --------------------------------------------------------------------------------


def render_markdown(diff: RecordDiff, *, max_rows: int = 50) -> str:
    lines = [
        "## Campaign records: what this change does",
        "",
        f"Compared {_text(diff.base_label)} → {_text(diff.head_label)}.",
        "",
        f"**{headline(diff)}**",
        "",
    ]
    lines += _summaries("Campaigns added", diff.campaigns_added, max_rows, campaign=True)
    lines += _summaries("Campaigns removed", diff.campaigns_removed, max_rows, campaign=True)
    lines += _summaries(
        "Campaigns that no longer load",
        diff.campaigns_unreadable,
        max_rows,
        campaign=True,
        note="Their files are still there but fail the checks below; their changes cannot be shown.",
    )
    if diff.campaigns_changed:
        lines += ["### Campaigns changed", ""]
        for change in diff.campaigns_changed:
            lines += _campaign_change(change, max_rows)
    lines += _summaries("Productions added", diff.productions_added, max_rows)
    lines += _summaries("Productions removed", diff.productions_removed, max_rows)
    for production in diff.productions_changed:
        lines += [f"### Production {_code(production.id)} changed", ""]
        lines += _fields_table(production.fields, max_rows)
    if diff.config_changes:
        lines += ["### Site configuration (`notebook.yaml`) changed", ""]
        lines += _fields_table(diff.config_changes, max_rows)
    if diff.lists:
        lines += ["### DataId lists", ""]
        lines += [f"- {_list_line(change)}" for change in diff.lists] + [""]
    lines += _completed_uses(diff)
    lines += _validation(diff, max_rows)
    return "\n".join(lines).rstrip() + "\n"


def headline(diff: RecordDiff) -> str:
    """One sentence: how much changed, and whether the change breaks anything."""
    parts = []
    campaign_groups = (
        (diff.campaigns_added, "added"),
        (diff.campaigns_removed, "removed"),
        (diff.campaigns_changed, "changed"),
        (diff.campaigns_unreadable, "broken"),
    )
    counts = [f"{len(items)} {label}" for items, label in campaign_groups if items]
    if counts:
        total = sum(len(items) for items, _ in campaign_groups)
        parts.append(("campaign" if total == 1 else "campaigns") + ": " + ", ".join(counts))
    productions = (
        len(diff.productions_added) + len(diff.productions_removed) + len(diff.productions_changed)
    )
    if productions:
        parts.append(_plural(productions, "production") + " touched")
    if diff.config_changes:
        parts.append("site configuration changed")
    if diff.lists:
        parts.append(_plural(len(diff.lists), "DataId list") + " changed")
    if not parts:
        parts.append("no record changes")
    if diff.completed_uses:
        campaigns = len({use.campaign for use in diff.completed_uses})
        parts.append("⚠️ changes lists of " + _plural(campaigns, "completed campaign"))
    if diff.problems_introduced:
        parts.append("⚠️ " + _plural(len(diff.problems_introduced), "new validation problem"))
    return " · ".join(parts)


def _completed_uses(diff: RecordDiff) -> list[str]:
    """Warn: completed campaigns were processed with the old rows of these lists."""
    if not diff.completed_uses:
        return []
    lines = [
        "### ⚠️ Lists used by completed campaigns",
        "",
        "These campaigns are completed: their results were produced with the rows these lists "
        "had then, not with the rows this change gives them. If the change is meant for future "
        "campaigns only, consider a new list file instead.",
        "",
    ]
    for use in diff.completed_uses:
        where = f"{_code(use.list_path)} is used by completed campaign {_code(use.campaign)}"
        if use.commit:
            rows = _code(f"git show {use.commit[:10]}:{use.list_path}")
            where += (
                f"; as the campaign used it, the list is at commit {_code(use.commit[:10])} "
                f"({use.commit_date}, when the campaign became completed): {rows}"
            )
        lines.append(f"- {where}")
    return [*lines, ""]


def _summaries(
    title: str,
    records: list[RecordSummary],
    max_rows: int,
    *,
    campaign: bool = False,
    note: str = "",
) -> list[str]:
    """A heading, an optional sentence, and a table of the records (nothing if none)."""
    if not records:
        return []
    if campaign:
        header = ["Campaign", "Name", "Production", "Kind", "Status"]
        rows = [
            [_code(r.id), _text(r.name), _code(r.production), _code(r.kind), _code(r.status)]
            for r in records
        ]
    else:
        header = ["Production", "Name"]
        rows = [[_code(r.id), _text(r.name)] for r in records]
    return [f"### {title}", "", *([note, ""] if note else []), *_table(header, rows, max_rows)]


def _fields_table(fields: list[FieldChange], max_rows: int) -> list[str]:
    rows = [[_code(path), _code(old), _code(new)] for path, old, new in fields]
    return _table(["Field", "Before", "After"], rows, max_rows)


def _campaign_change(change: CampaignChange, max_rows: int) -> list[str]:
    lines = [f"#### {_code(change.id)} — {_text(change.name)}", ""]
    if change.old_path:
        lines += [f"Moved from {_code(change.old_path)} to {_code(change.path)}.", ""]
    if change.old_status:
        lines += [f"**Status:** {_code(change.old_status)} → {_code(change.new_status)}", ""]
    if change.fields:
        lines += _fields_table(change.fields, max_rows)
    if change.workflows:
        lines += ["**Workflows:**", ""]
        lines += [f"- {_workflow_line(w)}" for w in change.workflows[:max_rows]] + [""]
    if change.journal_added:
        lines += [
            f"**Journal:** {_plural(len(change.journal_added), 'entry', 'entries')} added",
            "",
        ]
        lines += [
            f"- {_text(note.date)}, {_text(note.author)}: {_text(note.text)}"
            for note in change.journal_added[:max_rows]
        ] + [""]
    if change.journal_removed:
        lines += [
            f"⚠️ **{_plural(len(change.journal_removed), 'journal entry', 'journal entries')} "
            "edited or removed** (the journal is meant to be append-only):",
            "",
        ]
        lines += [
            f"- {_text(note.date)}, {_text(note.author)}: {_text(note.text)}"
            for note in change.journal_removed[:max_rows]
        ] + [""]
    return lines


def _workflow_line(change: WorkflowChange) -> str:
    name = _code(change.name)
    if change.change == "added":
        return f"added {name} ({_code(change.new_status)})"
    if change.change == "removed":
        return f"removed {name} (was {_code(change.old_status)})"
    parts = []
    if change.old_status:
        parts.append(f"status {_code(change.old_status)} → {_code(change.new_status)}")
    parts += [f"{_code(path)} {_code(old)} → {_code(new)}" for path, old, new in change.fields]
    return f"{name}: " + "; ".join(parts)


def _row_noun(dimensions: Sequence[str], count: int) -> str:
    counted = [d for d in dimensions if d not in _GROUPING_DIMENSIONS]
    if len(counted) != 1:
        return "DataId" if count == 1 else "DataIds"
    name = counted[0]
    if count == 1:
        return name
    return name + ("es" if name.endswith(("ch", "sh", "s", "x")) else "s")


def _by_reason(counts: dict[str, int]) -> str:
    return ", ".join(
        f"{_text(reason) if reason else '*(no reason)*'} {n}" for reason, n in counts.items()
    )


def row_counts(change: ListChange) -> str:
    """``+12 excluded exposures: donuts 10, trailed 2; −1 excluded exposure: messy PSF 1``."""
    adjective = {"exclusion": "excluded ", "inclusion": "included "}.get(change.kind, "")
    parts = []
    for sign, counts in (("+", change.added_by_reason), ("−", change.removed_by_reason)):
        total = sum(counts.values())
        if total:
            noun = _row_noun(change.dimensions, total)
            parts.append(f"**{sign}{total} {adjective}{noun}**: {_by_reason(counts)}")
    if change.reason_changed:
        parts.append(
            f"{change.reason_changed} {_row_noun(change.dimensions, change.reason_changed)} with a new reason"
        )
    return "; ".join(parts) or "same rows, header or order changed"


def _list_line(change: ListChange) -> str:
    users = ", ".join(_code(u) for u in change.used_by[:10])
    if len(change.used_by) > 10:
        users += f" and {len(change.used_by) - 10} more"
    where = (
        f"{_code(change.path)} ({change.kind + ' list, ' if change.kind else ''}used by {users})"
    )
    if change.unreadable:
        return f"{where}: changed, but could not be read (see the validation problems)"
    prefix = {"added": "new list: ", "removed": "list removed: ", "changed": ""}[change.change]
    return f"{where}: {prefix}{row_counts(change)}"


def _problem_rows(problems: list[Problem]) -> list[list[str]]:
    return [
        [
            _code(f"{p.path}:{p.line}:{p.col}"),
            p.severity,
            _text(p.message) + (f" (hint: {_text(p.hint)})" if p.hint else ""),
        ]
        for p in problems
    ]


def _validation(diff: RecordDiff, max_rows: int) -> list[str]:
    lines = ["### Validation", ""]
    header = ["Where", "Severity", "Problem"]
    if diff.problems_introduced:
        count = _plural(len(diff.problems_introduced), "new problem")
        lines += [f"⚠️ This change introduces {count}:", ""]
        lines += _table(header, _problem_rows(diff.problems_introduced), max_rows)
    if not diff.problems_introduced and (diff.problems_remaining or diff.problems_fixed):
        lines += ["✅ No new problems.", ""]
    if diff.problems_fixed:
        lines += [f"✅ It fixes {_plural(len(diff.problems_fixed), 'problem')}.", ""]
    if diff.problems_remaining:
        lines += [
            "<details><summary>"
            f"{_plural(len(diff.problems_remaining), 'problem')} already on the base, still present"
            "</summary>",
            "",
            *_table(header, _problem_rows(diff.problems_remaining), max_rows),
            "</details>",
            "",
        ]
    if not (diff.problems_introduced or diff.problems_remaining):
        lines += ["✅ Every record is valid.", ""]
    return lines


# --- JSON ------------------------------------------------------------------------------------


def _fields_json(fields: list[FieldChange]) -> list[dict[str, Any]]:
    return [{"path": path, "old": old, "new": new} for path, old, new in fields]


def diff_as_json(diff: RecordDiff) -> dict[str, Any]:
    """The whole diff as JSON-ready data (full values, every row count, every problem)."""
    return {
        "base": diff.base_label,
        "head": diff.head_label,
        "summary": headline(diff),
        "campaigns": {
            "added": [asdict(r) for r in diff.campaigns_added],
            "removed": [asdict(r) for r in diff.campaigns_removed],
            "unreadable": [asdict(r) for r in diff.campaigns_unreadable],
            "changed": [
                {
                    **asdict(c),
                    "fields": _fields_json(c.fields),
                    "workflows": [
                        {**asdict(w), "fields": _fields_json(w.fields)} for w in c.workflows
                    ],
                }
                for c in diff.campaigns_changed
            ],
        },
        "productions": {
            "added": [asdict(r) for r in diff.productions_added],
            "removed": [asdict(r) for r in diff.productions_removed],
            "changed": [
                {**asdict(p), "fields": _fields_json(p.fields)} for p in diff.productions_changed
            ],
        },
        "config": _fields_json(diff.config_changes),
        "dataid_lists": [
            {**asdict(change), "added": change.added, "removed": change.removed}
            for change in diff.lists
        ],
        "completed_campaign_lists": [asdict(use) for use in diff.completed_uses],
        "problems": {
            "introduced": [problem_as_json(p) for p in diff.problems_introduced],
            "fixed": [problem_as_json(p) for p in diff.problems_fixed],
            "remaining": [problem_as_json(p) for p in diff.problems_remaining],
        },
    }
