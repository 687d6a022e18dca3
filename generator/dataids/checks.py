"""Checking a parsed DataId list against the dimension universe: a pure function of the list.

Checks, the same for every format: dimension names (with did-you-mean), value types and ranges,
duplicate DataIds (both lines named), exclusion rows without a reason, reasons a spreadsheet would
run as a formula. ``generator.dataids.loading`` runs them on every list it reads;
``generator.dataids.repository_lists`` on every list the campaigns name.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from operator import itemgetter
from typing import cast

from generator.dataids.formats.csvfile import FORMULA_STARTS
from generator.errors import Problem
from generator.model.dataid_lists import DataIdList, Dimension, Row, describe_row

MAX_REPORTED_PER_RULE = 20  # a million bad rows must not mean a million messages


class _Reporter:
    """Collects problems of one list, at most MAX_REPORTED_PER_RULE per rule, then a count."""

    def __init__(self, dataids: DataIdList, display: str) -> None:
        self.dataids = dataids
        self.display = display
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.last_line: dict[str, int] = {}

    def row(
        self, index: int, message: str, hint: str | None, rule: str, severity: str = "error"
    ) -> None:
        self.at(self.dataids.line_of(index) or 1, message, hint, rule, severity)

    def at(
        self, line: int, message: str, hint: str | None, rule: str, severity: str = "error"
    ) -> None:
        count = self.counts[rule] = self.counts.get(rule, 0) + 1
        self.last_line[rule] = line
        if count <= MAX_REPORTED_PER_RULE:
            self.problems.append(Problem(self.display, line, 1, message, hint, severity, rule))  # type: ignore[arg-type]

    def finish(self) -> list[Problem]:
        for rule, count in self.counts.items():
            if count > MAX_REPORTED_PER_RULE:
                more = count - MAX_REPORTED_PER_RULE
                self.problems.append(
                    Problem(
                        self.display,
                        self.last_line[rule],
                        1,
                        f"... and {more:,} more problem(s) of the same kind ({rule})",
                        "fix the first ones and check again",
                        rule=rule,
                    )
                )
        return self.problems


def _suggest(name: str, universe: Mapping[str, Dimension]) -> str:
    close = difflib.get_close_matches(name, list(universe), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return (
        f"known dimensions: {', '.join(universe)} (notebook.yaml can add more under 'dimensions')"
    )


def check_list(
    dataids: DataIdList, universe: Mapping[str, Dimension], display: str
) -> list[Problem]:
    """Every problem in the values of a parsed list."""
    report = _Reporter(dataids, display)
    dimensions = dataids.dimensions
    if not dimensions:
        report.at(
            1, "the list names no dimensions", "name at least one, e.g. exposure", "dimensions"
        )
    seen: set[str] = set()
    for name in dimensions:
        if name in seen:
            report.at(
                dataids.dimensions_line, f"dimension {name!r} is named twice", None, "dimensions"
            )
        seen.add(name)
        if name not in universe:
            report.at(
                dataids.dimensions_line,
                f"unknown dimension {name!r}",
                _suggest(name, universe),
                "dimensions",
            )
    type_errors = False
    for column, name in enumerate(dimensions):
        spec = universe.get(name)
        if spec is not None:
            type_errors |= _check_column(report, dataids, column, spec)
    if not type_errors:
        _check_duplicates(report, dataids)
    _check_reasons(report, dataids)
    return report.finish()


def _check_column(report: _Reporter, dataids: DataIdList, column: int, spec: Dimension) -> bool:
    values = list(map(itemgetter(column), dataids.rows))
    wanted = int if spec.type == "int" else str
    bad = (
        []
        if set(map(type, values)) <= {wanted}
        else [i for i, v in enumerate(values) if v.__class__ is not wanted]
    )
    for index in bad:
        value = values[index]
        hint: str | None
        if wanted is int:
            hint = (
                "write the number without quotes"
                if isinstance(value, str) and value.strip().lstrip("-").isdigit()
                else "a range is written low..high"
            )
            report.row(index, f"{spec.name} must be an integer, not {value!r}", hint, "type")
        else:
            hint = (
                "quote the value so it is read as text"
                if isinstance(value, int | float | bool)
                else None
            )
            report.row(index, f"{spec.name} must be text, not {value!r}", hint, "type")
    if bad or wanted is str or not values:
        return bool(bad)
    numbers = cast(list[int], values)
    low, high = min(numbers), max(numbers)
    if (spec.min is not None and low < spec.min) or (spec.max is not None and high > spec.max):
        bounds = f"{spec.min if spec.min is not None else '-∞'}..{spec.max if spec.max is not None else '∞'}"
        for index, number in enumerate(numbers):
            if (spec.min is not None and number < spec.min) or (
                spec.max is not None and number > spec.max
            ):
                report.row(
                    index,
                    f"{spec.name} {number} is outside the allowed range {bounds}",
                    "check the value, or the range under 'dimensions' in notebook.yaml",
                    "range",
                )
    return False


def _check_duplicates(report: _Reporter, dataids: DataIdList) -> None:
    rows = dataids.rows
    try:
        if len(set(rows)) == len(rows):
            return
    except (
        TypeError
    ):  # unhashable values (lists or mappings where a value belongs): reported as types
        return
    first: dict[Row, int] = {}
    for index, row in enumerate(rows):
        earlier = first.setdefault(row, index)
        if earlier != index:
            where = dataids.line_of(earlier)
            also = (
                f"line {where}"
                if where != dataids.line_of(index)
                else "the same line (overlapping ranges)"
            )
            report.row(
                index,
                f"duplicate DataId {describe_row(dataids.dimensions, row)} (also on {also})",
                "each DataId appears once; remove one of them",
                "duplicate",
            )


def _first_rows(dataids: DataIdList, positions: set[int]) -> dict[int, int]:
    """The first row of each of these reasons, in one pass (not one search per reason)."""
    first: dict[int, int] = {}
    if positions:
        for index, position in enumerate(dataids.reason_index):
            if position in positions and position not in first:
                first[position] = index
                if len(first) == len(positions):
                    break
    return first


def _check_reasons(report: _Reporter, dataids: DataIdList) -> None:
    multi_line = {i for i, reason in enumerate(dataids.reasons) if "\n" in reason or "\r" in reason}
    formula = {i for i, reason in enumerate(dataids.reasons) if reason.startswith(FORMULA_STARTS)}
    first = _first_rows(dataids, multi_line | formula)
    for position in sorted(multi_line):
        report.row(
            first[position],
            "reason spans several lines",
            "keep a reason to one line; put details in the list's description",
            "reason",
        )
    for position in sorted(formula):
        reason = dataids.reasons[position]
        report.row(
            first[position],
            f"reason {reason[:20]!r} starts with {reason[0]!r}, which a spreadsheet runs as a formula",
            "the CSV download prefixes it with ' (YAML, ECSV and JSON keep it as written); start it with a word if you can",
            "reason-formula",
            "warning",
        )
    if dataids.kind != "exclusion":
        return
    blank = {position for position, reason in enumerate(dataids.reasons) if not reason.strip()}
    if not blank:
        return
    for index, position in enumerate(dataids.reason_index):
        if position in blank:
            report.row(
                index,
                f"exclusion of {describe_row(dataids.dimensions, dataids.rows[index])} has no reason",
                "say why it is excluded (donuts, trailed, messy PSF...): the reason is the record",
                "reason",
            )
