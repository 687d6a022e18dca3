"""CSV: a header row naming the columns, optional ``# key: value`` metadata lines before it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from generator.dataids.formats.header import (
    Problems,
    check_single_line,
    column_types,
    commented,
    metadata_from_header,
    yaml_dump,
)
from generator.dataids.formats.table import (
    comment_header,
    parse_comment_yaml,
    read_table,
    split_lines,
)
from generator.errors import Problem
from generator.model.dataid_lists import UNSPECIFIED, DataIdList, Dimension, ListMetadata, Value


def read_csv(
    text: str, display: str, universe: Mapping[str, Dimension], default_kind: str | None = None
) -> tuple[DataIdList | None, list[Problem]]:
    problems = Problems(display)
    lines = split_lines(text)
    header_lines, count = comment_header(lines)
    metadata = ListMetadata(kind=default_kind or UNSPECIFIED)  # type: ignore[arg-type]
    if header_lines:
        header = parse_comment_yaml(header_lines, 1, problems)
        if isinstance(header, dict):
            metadata = metadata_from_header(
                header, problems, default_kind=default_kind, col_offset=2
            )
        elif header is not None:
            problems.add(
                1,
                1,
                "the '#' comment lines must hold a YAML mapping of list metadata",
                "for example '# kind: exclusion'",
                rule="csv",
            )
    if count >= len(lines):
        problems.add(
            count or 1,
            1,
            "CSV file has no header row with the column names",
            "the first line names the dimensions, e.g. exposure,reason",
            rule="csv",
        )
        return None, problems.items
    dialect: dict[str, Any] = {"delimiter": ",", "quotechar": '"', "strict": True}
    try:
        names = [name.strip() for name in next(csv.reader([lines[count]], **dialect))]
        dataids = read_table(
            names, lines[count + 1 :], count + 2, dialect, {}, universe, metadata, problems
        )
    except csv.Error as error:
        problems.add(count + 1, 1, f"malformed CSV: {error}", rule="csv")
        return None, problems.items
    if dataids is not None:
        _restore_cells(dataids)
    return dataids, problems.items


def _restore_cells(dataids: DataIdList) -> None:
    """Undo the writer's formula neutralisation (a leading ' before =, +, -, @, TAB, CR)."""
    dataids.reasons = [str(restore(reason)) for reason in dataids.reasons]
    if not dataids.rows:
        return
    first = dataids.rows[0]
    for column in range(len(first)):
        if not isinstance(first[column], str):
            continue  # an integer column (a text cell in it is a type error, reported anyway)
        values = {row[column] for row in dataids.rows}
        if any(isinstance(v, str) and v[:1] == "'" for v in values):
            dataids.rows = [
                (
                    *row[:column],
                    restore(row[column]),
                    *row[column + 1 :],
                )
                for row in dataids.rows
            ]


# A cell starting with one of these is a formula to a spreadsheet (CSV injection). CSV is the
# download people open in spreadsheets, so text cells get a leading ' there (the spreadsheet
# convention for "this is text"); YAML, ECSV and JSON keep the value exactly.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Value) -> Value:
    """``'=cmd()`` for ``=cmd()``: a text cell a spreadsheet shows as text; numbers unchanged.

    A text that already starts with ``'`` and then a formula character (or another ``'``) gets
    one more, so that ``restore`` undoes exactly what was added and CSV stays lossless too.
    """
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS) or (value[:1] == "'" and value[1:2] in _ESCAPED)
    ):
        return "'" + value
    return value


def restore(value: Value) -> Value:
    """The cell as it was before ``neutralise``."""
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in _ESCAPED:
        return value[1:]
    return value


_ESCAPED = {*FORMULA_STARTS, "'"}


def write_csv(dataids: DataIdList, *, with_reasons: bool = True) -> str:
    check_single_line(dataids)
    out = io.StringIO()
    header = dataids.metadata.as_header()
    if header:
        out.write(commented(yaml_dump(header)))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*dataids.dimensions, *(["reason"] if with_reasons else [])])
    types = column_types(dataids)
    rows: Iterable[tuple[Value, ...]] = dataids.rows
    if any(types[name] == "str" for name in dataids.dimensions):
        rows = (tuple(map(neutralise, row)) for row in rows)
    if with_reasons:
        reasons = [neutralise(reason) for reason in dataids.reasons]
        writer.writerows(
            (*row, reasons[position])
            for row, position in zip(rows, dataids.reason_index, strict=True)
        )
    else:
        writer.writerows(rows)
    return out.getvalue()
