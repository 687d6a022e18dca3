"""ECSV and CSV: tables of text cells, read the way astropy reads them.

astropy's ECSV reader (``astropy.io.ascii.ecsv``) strips each data line, splits it with the
``csv`` module (``"`` quotes, doubled to escape, whitespace after a delimiter skipped) and strips
spaces and tabs from every value, quoted or not; blank lines and lines starting with ``#`` are
skipped. ``read_cells`` does the same, column by column so that a million rows stay fast.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any

from generator.dataids.formats.header import REASON_COLUMNS, Problems, count_of, reason_indexes
from generator.errors import Problem
from generator.loading.yamlsafe import YamlList, YamlMap, parse_yaml_text
from generator.model.dataid_lists import DataIdList, Dimension, ListMetadata, Row, Value


def split_lines(text: str) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def comment_header(lines: list[str]) -> tuple[list[str], int]:
    """Leading ``#`` lines with the ``# `` removed, and how many there were."""
    header: list[str] = []
    for line in lines:
        if not line.startswith("#"):
            break
        header.append(line[2:] if line.startswith("# ") else line[1:])
    return header, len(header)


def _shift(problem: Problem, line_offset: int, col_offset: int) -> Problem:
    if problem.line == 0:
        return problem
    return replace(problem, line=problem.line + line_offset, col=problem.col + col_offset)


def parse_comment_yaml(header_lines: list[str], first_line: int, problems: Problems) -> Any:
    # astropy writes ordered mappings as ``!!omap`` (a list of one-key mappings); read it as plain.
    text = "\n".join(re.sub(r"!!omap\s*$", "", line) for line in header_lines)
    data, yaml_problems = parse_yaml_text(text, problems.display)
    problems.items.extend(_shift(p, first_line - 1, 2) for p in yaml_problems)
    return data


def omap_to_map(value: Any) -> Any:
    if isinstance(value, list) and all(isinstance(item, dict) and len(item) == 1 for item in value):
        merged = YamlMap(getattr(value, "position", (1, 1)))
        for index, item in enumerate(value):
            key = next(iter(item))
            merged[key] = item[key]
            position = value.item_positions[index] if isinstance(value, YamlList) else (1, 1)
            merged.key_positions[key] = position
            merged.value_positions[key] = position
        return merged
    return value


def _typed_column(values: Sequence[str], wanted: str) -> list[Value]:
    """Text cells → ints for int columns; cells that are not integers stay text (checks report them)."""
    if wanted != "int":
        return list(values)
    try:
        return list(map(int, values))
    except ValueError:
        typed: list[Value] = []
        for value in values:
            try:
                typed.append(int(value))
            except ValueError:
                typed.append(value)
        return typed


def read_table(
    names: list[str],
    data_lines: list[str],
    first_data_line: int,
    dialect: dict[str, Any],
    column_types: dict[str, str],
    universe: Mapping[str, Dimension],
    metadata: ListMetadata,
    problems: Problems,
    *,
    astropy_whitespace: bool = False,
) -> DataIdList | None:
    """Rows from data lines; ``astropy_whitespace`` strips lines and values as astropy does."""
    reason_column = next((i for i, name in enumerate(names) if name in REASON_COLUMNS), None)
    dimension_columns = [i for i in range(len(names)) if i != reason_column]
    dimensions = [names[i] for i in dimension_columns]
    width = len(names)
    numbers: Sequence[int] = range(first_data_line, first_data_line + len(data_lines))
    if astropy_whitespace:
        # Stripping every line costs a pass; only lines starting or ending with whitespace need
        # it (inside a line, the csv module skips spaces after a delimiter and values are
        # stripped below).
        firsts = "".join([line[:1] for line in data_lines])
        lasts = "".join([line[-1:] for line in data_lines])
        if any(c.isspace() for c in {*firsts, *lasts}):
            data_lines = list(map(str.strip, data_lines))
            firsts = "".join([line[:1] for line in data_lines])
        if len(firsts) < len(data_lines) or "#" in firsts:
            # astropy skips blank lines and comment lines between the rows
            numbers = [n for n, line in zip(numbers, data_lines, strict=True) if _is_row(line)]
            data_lines = [line for line in data_lines if _is_row(line)]
    parsed = list(csv.reader(data_lines, **dialect))  # as fast as str.split, and exact
    cells: list[list[str]] = parsed
    lines: Sequence[int] = numbers
    if len(set(map(len, parsed)) | {width}) > 1:  # blank lines or rows of the wrong width
        cells, kept = [], []
        for offset, fields in enumerate(parsed):
            line = numbers[offset] if offset < len(numbers) else first_data_line + offset
            if not fields or (len(fields) == 1 and not fields[0].strip() and width > 1):
                continue  # blank line
            if len(fields) != width:
                problems.add(
                    line,
                    1,
                    f"row has {count_of(len(fields), 'value')}, the header has {count_of(width, 'column')}",
                    "every row needs a value for each column; quote values that contain the delimiter",
                    rule="dimensions",
                )
                continue
            cells.append(fields)
            kept.append(line)
        lines = kept
    columns = [list(map(itemgetter(i), cells)) for i in range(width)]
    typed = []
    for i in dimension_columns:
        spec = universe.get(names[i])
        wanted = spec.type if spec else column_types.get(names[i], "str")
        if astropy_whitespace and wanted != "int":
            columns[i] = _stripped(columns[i])
        typed.append(_typed_column(columns[i], wanted))
    rows: list[Row] = list(zip(*typed, strict=True)) if typed and cells else [() for _ in cells]
    reasons = columns[reason_column] if reason_column is not None else [""] * len(cells)
    if astropy_whitespace:
        reasons = _stripped(reasons)
    reason_index, distinct = reason_indexes(reasons)
    return DataIdList(
        dimensions,
        rows,
        reason_index,
        distinct,
        metadata,
        lines=lines,
        source=problems.display,
        dimensions_line=first_data_line - 1,
    )


def _stripped(values: list[str]) -> list[str]:
    """Spaces and tabs stripped from each value (as astropy does), each distinct value once."""
    distinct = set(values)
    stripped = {value: value.strip(" \t") for value in distinct}
    if all(key == value for key, value in stripped.items()):
        return values
    return list(map(stripped.__getitem__, values))


def _is_row(line: str) -> bool:
    return bool(line) and not line.startswith("#")
