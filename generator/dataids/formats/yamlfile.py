"""YAML, the compact form people edit: groups of rows sharing a reason, ranges ``a..b``.


  kind: inclusion
  dimensions: [instrument, exposure]
  groups:
    - reason: good seeing
      rows:
        - [LSSTCam, 2026041800610..2026041800615]   # a range: six consecutive exposures

A row is a flow list with one value per dimension (or a bare value when there is one
dimension). An integer cell may be a range ``a..b``; a row with ranges stands for every
combination of their values.


The fast reader handles the layout our writer produces line by line; anything else is parsed in
full by ``generator.loading.yamlsafe``, with the same result.
"""

from __future__ import annotations

import io
import itertools
import json
import re
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from generator.dataids.formats.header import (
    MAX_ROWS,
    RANGE,
    SCHEMA_REFERENCE,
    Problems,
    check_single_line,
    column_types,
    count_of,
    did_you_mean,
    metadata_from_header,
    yaml_dump,
)
from generator.errors import Problem
from generator.loading.yamlsafe import YamlList, YamlMap, locate, parse_yaml_text
from generator.model.dataid_lists import DataIdList, Dimension, ListMetadata, Row, TableStyle, Value

_PLAIN_FLOW = re.compile(r"^[A-Za-z_][A-Za-z0-9_ ().;/+=<>~%@-]*$")
_PLAIN_BLOCK = re.compile(r"^[A-Za-z_(][A-Za-z0-9_ ().,;/+=<>~%@&*!?-]*$")
_NOT_TEXT = re.compile(r"^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL)$")
_YAML_NONPRINTABLE = re.compile(
    "[^\x09\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_FAST_INT = re.compile(r"^-?[0-9]+$")
_FLOW_SPECIAL = re.compile("[][{}#\"'&*!|>]")


def _yaml_scalar(value: str, plain: re.Pattern[str]) -> str:
    if plain.match(value) and not value.endswith(" ") and not _NOT_TEXT.match(value):
        return value
    quoted = json.dumps(value, ensure_ascii=False)
    return _YAML_NONPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _collapse(rows: list[Row], int_columns: list[int]) -> list[tuple[Any, ...]]:
    """Merge runs of consecutive integers into (low, high) ranges, column by column from the last.

    Merging the last column first turns "exposure E, detectors 0..188" into one row per exposure;
    the next pass then merges consecutive exposures that share that detector range.
    """
    width = len(rows[0]) if rows else 0
    cells: list[tuple[Any, ...]] = list(rows)
    for column in reversed(int_columns):
        others = [i for i in range(width) if i != column]
        others_of: Any = itemgetter(*others) if others else (lambda row: ())
        ordered = _sorted_rows(cells, itemgetter(*others, column))
        merged: list[tuple[Any, ...]] = []
        first: tuple[Any, ...] | None = None
        first_others: Any = None
        low = high = 0
        for row in ordered:
            row_others, value = others_of(row), row[column]
            if (
                first is not None
                and value.__class__ is int
                and value == high + 1
                and row_others == first_others
            ):
                high = value
                continue
            if first is not None:
                merged.append((*first[:column], (low, high), *first[column + 1 :]))
            first, first_others, low, high = row, row_others, value, value
        if first is not None:
            merged.append((*first[:column], (low, high), *first[column + 1 :]))
        cells = merged
    if int_columns == [width - 1]:
        return cells  # the only pass left them in order
    return _sorted_rows(cells)


def _sorted_rows(cells: list[tuple[Any, ...]], key: Any = None) -> list[tuple[Any, ...]]:
    try:
        return sorted(cells, key=key)
    except TypeError:  # a column mixing ints and text (an invalid list being converted anyway)
        return sorted(cells, key=lambda row: _cell_key(_as_tuple(key(row) if key else row)))


def _as_tuple(value: Any) -> tuple[Any, ...]:
    return value if isinstance(value, tuple) else (value,)


def _cell_key(cells: tuple[Any, ...]) -> tuple[Any, ...]:
    def one(cell: Any) -> tuple[Any, ...]:
        if isinstance(cell, tuple):
            return (0, cell[0], cell[1], "")
        if isinstance(cell, int):
            return (0, cell, cell, "")
        return (1, 0, 0, str(cell))

    return tuple(one(c) for c in cells)


def _yaml_column(cells: list[Any]) -> list[str]:
    """One column of collapsed rows as YAML text: ranges as low..high, text quoted when needed."""
    texts: dict[Any, str] = {}
    for cell in set(cells):
        if isinstance(cell, tuple):
            low, high = cell
            texts[cell] = str(low) if low == high else f"{low}..{high}"
        else:
            texts[cell] = _yaml_scalar(cell, _PLAIN_FLOW)
    return list(map(texts.__getitem__, cells))


def write_yaml(
    dataids: DataIdList, *, with_reasons: bool = True, schema: str = SCHEMA_REFERENCE
) -> str:
    check_single_line(dataids)
    types = column_types(dataids)
    int_columns = [i for i, name in enumerate(dataids.dimensions) if types[name] == "int"]
    header = dataids.metadata.as_header()
    out = io.StringIO()
    out.write(f"# yaml-language-server: $schema={schema}\n")
    if header:
        out.write(yaml_dump(header))
    out.write(f"dimensions: [{', '.join(dataids.dimensions)}]\n")
    groups: dict[int, list[Row]] = {}
    for row, position in zip(dataids.rows, dataids.reason_index, strict=True):
        groups.setdefault(position if with_reasons else 0, []).append(row)
    if not groups:
        out.write("groups: []\n")
        return out.getvalue()
    out.write("groups:\n")
    width = len(dataids.dimensions)
    single = width == 1
    for position, rows in groups.items():
        reason = dataids.reasons[position] if with_reasons else ""
        out.write(f"  - reason: {_yaml_scalar(reason, _PLAIN_BLOCK)}\n    rows:\n")
        collapsed = _collapse(rows, int_columns)
        columns = [_yaml_column(list(map(itemgetter(i), collapsed))) for i in range(width)]
        template = "      - {}\n" if single else "      - [{}]\n"
        out.writelines(map(template.format, map(", ".join, zip(*columns, strict=True))))
    return out.getvalue()


class _NotFast(Exception):
    """The YAML is not in the layout the fast reader knows; parse it in full instead."""


def _fast_scalar(token: str, plain: re.Pattern[str]) -> Value:
    if _FAST_INT.match(token):
        return int(token)
    if token.startswith('"') and token.endswith('"') and len(token) >= 2:
        if "\\u" in token.lower() and re.search(r"\\u[dD][89a-fA-F]", token):
            raise _NotFast  # surrogate escapes: YAML and JSON read them differently
        try:
            value = json.loads(token)
        except ValueError:
            raise _NotFast from None
        if not isinstance(value, str):
            raise _NotFast
        return value
    if RANGE.match(token) or (
        plain.match(token) and not token.endswith(" ") and not _NOT_TEXT.match(token)
    ):
        return token
    raise _NotFast


def _fast_groups(
    lines: list[str], start: int
) -> list[tuple[str, int, list[tuple[list[Value], int, int]]]]:
    """Groups as (reason, line, [(cells, line, col)]) from the lines after ``groups:``."""
    groups: list[tuple[str, int, list[tuple[list[Value], int, int]]]] = []
    rows: list[tuple[list[Value], int, int]] = []
    expect_rows = False
    known: dict[str, Value] = {}  # tokens repeat (instrument, band, detector): read each once

    def cell(token: str) -> Value:
        if token.isascii() and token.isdigit():
            return int(token)
        value = known.get(token)
        if value is None:
            value = known[token] = _fast_scalar(token, _PLAIN_FLOW)
        return value

    for number in range(start, len(lines)):
        raw = lines[number]
        line = raw.strip()
        if not line:
            continue
        if line.startswith("- reason:"):
            if not raw.startswith("  - reason:") or expect_rows:
                raise _NotFast
            rows = []
            reason = _fast_scalar(line[9:].strip() or '""', _PLAIN_BLOCK)
            if not isinstance(reason, str):
                raise _NotFast
            groups.append((reason, number + 1, rows))
            expect_rows = True
        elif line == "rows:" and expect_rows and raw.startswith("    rows:"):
            expect_rows = False
        elif line.startswith("- ") and groups and not expect_rows and raw.startswith("      - "):
            body = line[2:]
            col = raw.index("-") + 3
            if body.startswith("["):
                if not body.endswith("]") or _FLOW_SPECIAL.search(body, 1, len(body) - 1):
                    raise _NotFast
                inner = body[1:-1].strip()
                cells = list(map(cell, map(str.strip, inner.split(",")))) if inner else []
            else:
                if _FLOW_SPECIAL.search(body) or "," in body or ": " in body:
                    raise _NotFast
                cells = [cell(body)]
            rows.append((cells, number + 1, col))
        else:
            raise _NotFast
    if expect_rows:
        raise _NotFast
    return groups


def _full_groups(
    groups: Any, problems: Problems
) -> list[tuple[str, int, list[tuple[list[Value], int, int]]]] | None:
    result: list[tuple[str, int, list[tuple[list[Value], int, int]]]] = []
    if not isinstance(groups, YamlList):
        problems.add(1, 1, "groups must be a list of {reason, rows}", rule="schema")
        return None
    for index, group in enumerate(groups):
        line, col = groups.item_positions[index]
        if not isinstance(group, YamlMap) or not isinstance(group.get("rows"), YamlList):
            problems.add(
                line,
                col,
                "each group needs 'rows' (a list) and a 'reason'",
                rule="schema",
            )
            continue
        for key in group:
            if key not in ("reason", "rows"):
                k_line, k_col = group.key_positions[key]
                problems.add(
                    k_line,
                    k_col,
                    f"unknown key {key!r}",
                    did_you_mean(key, ["reason", "rows"]) or "a group has 'reason' and 'rows'",
                    rule="schema",
                )
        reason = group.get("reason", "")
        if reason is None:
            reason = ""
        if not isinstance(reason, str):
            r_line, r_col = group.value_positions["reason"]
            problems.add(r_line, r_col, "reason must be text", "quote it", rule="schema")
            reason = str(reason)
        rows: list[tuple[list[Value], int, int]] = []
        for row_index, row in enumerate(group["rows"]):
            r_line, r_col = group["rows"].item_positions[row_index]
            cells = list(row) if isinstance(row, list) else [row]
            rows.append((cells, r_line, r_col))
        result.append((reason, line, rows))
    return result


def read_yaml(
    text: str, display: str, universe: Mapping[str, Dimension], default_kind: str | None = None
) -> tuple[DataIdList | None, list[Problem]]:
    problems = Problems(display)
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    split = next((i for i, line in enumerate(lines) if line.rstrip() == "groups:"), None)
    groups: list[tuple[str, int, list[tuple[list[Value], int, int]]]] | None = None
    if split is not None:
        header_text = "\n".join(lines[:split])
        header, yaml_problems = parse_yaml_text(header_text, display)
        problems.items.extend(yaml_problems)
        try:
            if isinstance(header, YamlMap) and not yaml_problems and "dimensions" in header:
                groups = _fast_groups(lines, split + 1)
        except _NotFast:
            groups = None
    if groups is None:
        problems.items.clear()
        document, yaml_problems = parse_yaml_text(text, display, max_nodes=MAX_ROWS)
        problems.items.extend(yaml_problems)
        if problems.has_errors:
            return None, problems.items
        if not isinstance(document, YamlMap) or "groups" not in document:
            problems.add(
                1,
                1,
                "a YAML DataId list is a mapping with 'dimensions' and 'groups'",
                "see docs/reference/dataid-lists.md",
                rule="schema",
            )
            return None, problems.items
        header = document
        groups = _full_groups(document["groups"], problems)
        if groups is None:
            return None, problems.items
    assert isinstance(header, YamlMap)
    metadata = metadata_from_header(
        _without(header, ("dimensions", "groups")), problems, default_kind=default_kind
    )
    dimensions = header.get("dimensions")
    if (
        not isinstance(dimensions, list)
        or not dimensions
        or not all(isinstance(d, str) for d in dimensions)
    ):
        line, col = locate(header, ["dimensions"])
        problems.add(
            line,
            col,
            "dimensions must be a non-empty list of dimension names",
            "for example dimensions: [instrument, exposure]",
            rule="schema",
        )
        return None, problems.items
    int_columns = {
        i
        for i, name in enumerate(dimensions)
        if (spec := universe.get(name)) is not None and spec.type == "int"
    }
    dataids, found = _expand_groups(dimensions, groups, int_columns, metadata, problems)
    if dataids is not None:
        dataids.dimensions_line = locate(header, ["dimensions"])[0]
        dataids.style = TableStyle(sort_rows=True)
    return dataids, found


def _without(mapping: YamlMap, keys: Sequence[str]) -> YamlMap:
    copy = YamlMap(mapping.position)
    for key, value in mapping.items():
        if key not in keys:
            copy[key] = value
            copy.key_positions[key] = mapping.key_positions[key]
            copy.value_positions[key] = mapping.value_positions[key]
    return copy


def _expand_groups(
    dimensions: list[str],
    groups: list[tuple[str, int, list[tuple[list[Value], int, int]]]],
    int_columns: set[int],
    metadata: ListMetadata,
    problems: Problems,
) -> tuple[DataIdList | None, list[Problem]]:
    width = len(dimensions)
    rows: list[Row] = []
    reason_index: list[int] = []
    lines: list[int] = []
    reasons: list[str] = []
    positions: dict[str, int] = {}
    for reason, _group_line, group_rows in groups:
        position = positions.get(reason)
        if position is None:
            position = positions[reason] = len(reasons)
            reasons.append(reason)
        for cells, line, col in group_rows:
            if len(cells) != width:
                problems.add(
                    line,
                    col,
                    f"row has {count_of(len(cells), 'value')}, the list has {count_of(width, 'dimension')} ({', '.join(dimensions)})",
                    "every row has one value per dimension, in the order of 'dimensions'",
                    rule="dimensions",
                )
                continue
            if not any(isinstance(cells[i], str) for i in int_columns):
                rows.append(tuple(cells))
                reason_index.append(position)
                lines.append(line)
                continue
            ranges = [
                _range_of(cell, line, col, problems) if i in int_columns else None
                for i, cell in enumerate(cells)
            ]
            if any(r is not None for r in ranges):
                choices = [
                    r if r is not None else (cell,) for r, cell in zip(ranges, cells, strict=True)
                ]
                size = 1
                for choice in choices:
                    size *= len(choice)
                if len(rows) + size > MAX_ROWS:
                    problems.add(
                        line,
                        col,
                        f"the ranges expand the list beyond {MAX_ROWS:,} rows",
                        "split the list, or check the range bounds",
                        rule="range",
                    )
                    return None, problems.items
                expanded = list(itertools.product(*choices))
                rows.extend(expanded)
                reason_index.extend([position] * len(expanded))
                lines.extend([line] * len(expanded))
            else:
                rows.append(tuple(cells))
                reason_index.append(position)
                lines.append(line)
    if problems.has_errors:
        return None, problems.items
    return DataIdList(
        dimensions, rows, reason_index, reasons, metadata, lines=lines, source=problems.display
    ), problems.items


def _range_of(cell: Value, line: int, col: int, problems: Problems) -> range | None:
    if not isinstance(cell, str):
        return None
    match = RANGE.match(cell)
    if not match:
        return None
    low, high = int(match.group(1)), int(match.group(2))
    if high < low:
        problems.add(
            line,
            col,
            f"range {cell} is empty (its end is before its start)",
            "write low..high",
            rule="range",
        )
        return range(0)
    return range(low, high + 1)
