"""JSON: ``{"kind": ..., "dimensions": [...], "dataIds": [{"dataId": {...}, "reason": ...}]}``."""

from __future__ import annotations

import io
import itertools
import json
import re
from bisect import bisect_right
from collections.abc import Mapping
from itertools import repeat
from operator import contains, itemgetter
from typing import Any

from generator.dataids.formats.header import (
    LazyLines,
    Problems,
    metadata_from_header,
    reason_indexes,
    text_columns,
)
from generator.errors import Problem
from generator.model.dataid_lists import DataIdList, Dimension, Row


def read_json(
    text: str, display: str, universe: Mapping[str, Dimension], default_kind: str | None = None
) -> tuple[DataIdList | None, list[Problem]]:
    # JSON values carry their own types: the universe is not needed to read them.
    problems = Problems(display)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        problems.add(error.lineno, error.colno, f"JSON syntax error: {error.msg}", rule="json")
        return None, problems.items
    except RecursionError:
        problems.add(1, 1, "JSON is nested too deeply", rule="json")
        return None, problems.items
    if isinstance(document, list):
        document = {"dataIds": document}
    if not isinstance(document, dict) or not isinstance(document.get("dataIds"), list):
        problems.add(
            1,
            1,
            "a JSON DataId list is an object with a 'dataIds' list",
            'for example {"kind": "exclusion", "dataIds": [{"dataId": {"exposure": 2026041800615}, "reason": "donuts"}]}',
            rule="json",
        )
        return None, problems.items
    header = {k: v for k, v in document.items() if k not in ("dimensions", "dataIds")}
    metadata = metadata_from_header(header, problems, default_kind=default_kind)
    entries = document["dataIds"]
    count = len(entries)  # the closure keeps the text (for lines on demand), not the parsed rows
    lines = LazyLines(lambda: _json_row_lines(text, count))
    declared = document.get("dimensions")
    if declared is not None and not (
        isinstance(declared, list) and all(isinstance(d, str) for d in declared)
    ):
        problems.add(1, 1, "dimensions must be a list of dimension names", rule="json")
        declared = None
    dimensions: tuple[str, ...] | None = tuple(declared) if declared is not None else None
    fast = _json_rows_fast(entries, dimensions)
    if fast is not None:
        dimensions, fast_rows, fast_reasons = fast
        del document, entries  # free a million dicts before the checks run
        fast_index, fast_distinct = reason_indexes(fast_reasons)
        fast_list = DataIdList(
            dimensions, fast_rows, fast_index, fast_distinct, metadata, lines=lines, source=display
        )
        return fast_list, problems.items
    rows: list[Row] = []
    reasons: list[str] = []
    for index, entry in enumerate(entries):
        data_id = entry.get("dataId") if isinstance(entry, dict) else None
        if not isinstance(data_id, dict):
            problems.add(
                lines[index] if index < len(lines) else 1,
                1,
                'each entry must be {"dataId": {...}, "reason": "..."}',
                rule="json",
            )
            continue
        extra = [k for k in entry if k not in ("dataId", "reason")]
        if extra:
            problems.add(
                lines[index],
                1,
                f"unknown key {extra[0]!r} next to the dataId",
                "only 'dataId' and 'reason' are allowed",
                rule="json",
            )
        keys = tuple(data_id)
        if dimensions is None:
            dimensions = keys
        if keys == dimensions:
            rows.append(tuple(data_id.values()))
        elif sorted(keys) == sorted(dimensions):
            rows.append(tuple(data_id[name] for name in dimensions))
        else:
            problems.add(
                lines[index],
                1,
                f"dataId has dimensions {list(keys)}, expected {list(dimensions)}",
                "every DataId of a list has the same dimensions",
                rule="dimensions",
            )
            continue
        reason = entry.get("reason", "")
        if not isinstance(reason, str):
            problems.add(lines[index], 1, "reason must be text", rule="json")
            reason = str(reason)
        reasons.append(reason)
    if problems.has_errors:
        return None, problems.items
    reason_index, distinct = reason_indexes(reasons)
    return DataIdList(
        dimensions or (), rows, reason_index, distinct, metadata, lines=lines, source=display
    ), problems.items


def _json_rows_fast(
    entries: list[Any], dimensions: tuple[str, ...] | None
) -> tuple[tuple[str, ...], list[Row], list[str]] | None:
    """Dimensions, rows and reasons when every entry is well formed with the same dimensions.

    Works with C-level map() calls, no Python loop per row; None means "use the careful loop".
    """
    count = len(entries)
    if not entries or set(map(type, entries)) != {dict} or not set(map(len, entries)) <= {1, 2}:
        return None
    with_reason = sum(map(len, entries)) - count
    if sum(map(contains, entries, repeat("dataId"))) != count:
        return None
    if sum(map(contains, entries, repeat("reason"))) != with_reason:
        return None  # a second key that is not "reason"
    data_ids = list(map(itemgetter("dataId"), entries))
    if set(map(type, data_ids)) != {dict}:
        return None
    dimensions = dimensions or tuple(data_ids[0])
    if not dimensions or set(map(len, data_ids)) != {len(dimensions)}:
        return None
    try:
        if len(dimensions) == 1:
            rows: list[Row] = list(zip(map(itemgetter(dimensions[0]), data_ids)))
        else:
            rows = list(map(itemgetter(*dimensions), data_ids))
    except KeyError:
        return None
    reasons = list(map(dict.get, entries, repeat("reason"), repeat("")))
    if set(map(type, reasons)) != {str}:
        return None
    return dimensions, rows, reasons


def _json_row_lines(text: str, count: int) -> list[int]:
    """Line of each ``"dataId"`` key, in order: the line of each row in a JSON list."""
    newlines = [match.start() for match in re.finditer("\n", text)]
    found = [
        bisect_right(newlines, m.start()) + 1 for m in re.finditer(r'(?<!\\)"dataId"\s*:', text)
    ]
    return found if len(found) == count else [1] * count


def write_json(dataids: DataIdList, *, with_reasons: bool = True) -> str:
    header = dataids.metadata.as_header()
    out = io.StringIO()
    out.write("{\n")
    for key, value in header.items():
        out.write(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)},\n")
    out.write(f'  "dimensions": {json.dumps(list(dataids.dimensions))},\n  "dataIds": [')
    keys = ", ".join(
        json.dumps(name).replace("{", "{{").replace("}", "}}") + ": {}"
        for name in dataids.dimensions
    )
    template = '{{"dataId": {{' + keys + "}}" + (', "reason": {}}}' if with_reasons else "}}")
    columns = text_columns(dataids, lambda value: json.dumps(value, ensure_ascii=False))
    if with_reasons:
        reasons = [json.dumps(r, ensure_ascii=False) for r in dataids.reasons]
        columns.append(list(map(reasons.__getitem__, dataids.reason_index)))
    if dataids.rows:
        out.write(
            "\n    "
            + ",\n    ".join(itertools.starmap(template.format, zip(*columns, strict=True)))
        )
    out.write("\n  ]\n}\n" if dataids.rows else "]\n}\n")
    return out.getvalue()
