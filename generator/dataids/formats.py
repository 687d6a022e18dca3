"""Reading and writing the four formats of a DataId list: YAML (compact), ECSV, JSON and CSV.

Every reader returns ``(DataIdList | None, problems)`` and never raises for bad input; values
are typed (int dimensions become ints) but not checked — ``generator.dataids.checks`` does that
the same way for every format. Readers keep each row's line so checks can point at it.

Large lists take fast paths: ECSV/CSV go through the ``csv`` module column by column, JSON
through ``json.loads``, and the YAML form is read line by line when it has the layout our writer
produces (anything else is parsed in full by ``generator.yamlsafe``, with the same result).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import re
from bisect import bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from itertools import repeat
from operator import contains, itemgetter
from pathlib import Path
from typing import Any

from generator.dataids.model import (
    KINDS,
    PROVENANCE_FIELDS,
    DataIdList,
    Dimension,
    ListMetadata,
    Row,
    Value,
    gc_paused,
)
from generator.errors import Problem
from generator.recordio import dump_yaml
from generator.yamlsafe import YamlList, YamlMap, locate, parse_yaml_text

FORMATS = ("yaml", "ecsv", "json", "csv")
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".ecsv": "ecsv", ".json": "json", ".csv": "csv"}
REASON_COLUMNS = ("reason", "comment")  # "comment" is the column name of older exclusion files
MAX_ROWS = 20_000_000  # ranges can expand without bound; refuse lists beyond this
RANGE = re.compile(r"^(-?\d+)\.\.(-?\d+)$")
SCHEMA_REFERENCE = "../../schemas/dataid-list.schema.json"  # from campaigns/dataids/
_HEADER_KEYS = ("kind", "description", "author", "created", "generated_by")


def format_of_path(path: Path) -> str:
    return SUFFIXES.get(path.suffix.lower(), "")


def detect_format(text: str) -> str:
    """Guess the format of text read from stdin."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("# %ECSV"):
        return "ecsv"
    if start.startswith(("{", "[")):
        return "json"
    if re.search(r"^groups:", text, re.MULTILINE) or start.startswith(
        ("kind:", "# yaml-language-server")
    ):
        return "yaml"
    return "csv"


# --- shared pieces --------------------------------------------------------------------------


class _Problems:
    """Problems of one file, with positions shifted when the YAML came from a comment header."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.items: list[Problem] = []

    def add(
        self, line: int, col: int, message: str, hint: str | None = None, rule: str = "dataids"
    ) -> None:
        self.items.append(Problem(self.display, line, col, message, hint, rule=rule))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.items)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def metadata_from_header(
    header: Mapping[str, Any],
    problems: _Problems,
    *,
    allowed_extra: Sequence[str] = (),
    default_kind: str | None = None,
    line_offset: int = 0,
    col_offset: int = 0,
) -> ListMetadata:
    """The list metadata in a header mapping (YAML header, ECSV meta, JSON top level, CSV comments)."""

    def where(path: list[str | int], *, key: bool = False) -> tuple[int, int]:
        line, col = locate(header, path, key=key) if isinstance(header, YamlMap) else (1, 1)
        return line + line_offset, col + col_offset

    def text(value: Any, path: list[str | int]) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            problems.add(*where(path), f"{path[-1]} must be text", "quote the value", rule="schema")
            return str(value)
        return value

    known = [*_HEADER_KEYS, *allowed_extra]
    for key in header:
        if key not in known:
            hint = _did_you_mean(key, known) or f"allowed keys: {', '.join(known)}"
            problems.add(*where([key], key=True), f"unknown key {key!r}", hint, rule="schema")
    kind = header.get("kind", default_kind or "inclusion")
    if kind not in KINDS:
        problems.add(
            *where(["kind"]),
            f"kind {kind!r} is not allowed",
            "expected one of: inclusion, exclusion",
            rule="schema",
        )
        kind = default_kind or "inclusion"
    fields: dict[str, Any] = {"kind": kind}
    for name in ("description", "author", "created"):
        fields[name] = text(header.get(name), [name])
    generated_by = header.get("generated_by") or {}
    if not isinstance(generated_by, Mapping):
        problems.add(
            *where(["generated_by"]),
            "generated_by must be a mapping",
            f"keys: {', '.join(PROVENANCE_FIELDS)}",
            rule="schema",
        )
        generated_by = {}
    for key in generated_by:
        if key not in PROVENANCE_FIELDS:
            hint = (
                _did_you_mean(key, PROVENANCE_FIELDS)
                or f"allowed keys: {', '.join(PROVENANCE_FIELDS)}"
            )
            problems.add(
                *where(["generated_by", key], key=True), f"unknown key {key!r}", hint, rule="schema"
            )
    for name in PROVENANCE_FIELDS[:-1]:
        fields[name] = text(generated_by.get(name), ["generated_by", name])
    inputs = generated_by.get("inputs") or []
    if not isinstance(inputs, list) or not all(isinstance(i, str) for i in inputs):
        problems.add(
            *where(["generated_by", "inputs"]), "inputs must be a list of text", rule="schema"
        )
        inputs = []
    fields["inputs"] = tuple(inputs)
    return ListMetadata(**fields)


class _LazyLines(Sequence[int]):
    """Row lines computed only when a problem needs one (finding them costs a pass over the text)."""

    def __init__(self, compute: Any) -> None:
        self._compute = compute
        self._lines: list[int] | None = None

    def _get(self) -> list[int]:
        if self._lines is None:
            self._lines = self._compute()
        return self._lines

    def __getitem__(self, index: Any) -> Any:
        return self._get()[index]

    def __len__(self) -> int:
        return len(self._get())


def _reason_indexes(reasons: Sequence[str]) -> tuple[list[int], list[str]]:
    distinct = list(dict.fromkeys(reasons))
    positions = {reason: i for i, reason in enumerate(distinct)}
    return list(map(positions.__getitem__, reasons)), distinct


# --- ECSV and CSV ---------------------------------------------------------------------------

_INT_DATATYPES = {f"{sign}int{bits}" for sign in ("", "u") for bits in (8, 16, 32, 64)}


def _split_lines(text: str) -> list[str]:
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _comment_header(lines: list[str]) -> tuple[list[str], int]:
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


def _parse_comment_yaml(header_lines: list[str], first_line: int, problems: _Problems) -> Any:
    # astropy writes ordered mappings as ``!!omap`` (a list of one-key mappings); read it as plain.
    text = "\n".join(re.sub(r"!!omap\s*$", "", line) for line in header_lines)
    data, yaml_problems = parse_yaml_text(text, problems.display)
    problems.items.extend(_shift(p, first_line - 1, 2) for p in yaml_problems)
    return data


def _omap_to_map(value: Any) -> Any:
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


def _read_table(
    names: list[str],
    data_lines: list[str],
    first_data_line: int,
    dialect: dict[str, Any],
    column_types: dict[str, str],
    universe: Mapping[str, Dimension],
    metadata: ListMetadata,
    problems: _Problems,
) -> DataIdList | None:
    reason_column = next((i for i, name in enumerate(names) if name in REASON_COLUMNS), None)
    dimension_columns = [i for i in range(len(names)) if i != reason_column]
    dimensions = [names[i] for i in dimension_columns]
    width = len(names)
    parsed = list(csv.reader(data_lines, **dialect))  # as fast as str.split, and exact
    cells: list[list[str]] = parsed
    lines: Sequence[int] = range(first_data_line, first_data_line + len(parsed))
    if len(set(map(len, parsed)) | {width}) > 1:  # blank lines or rows of the wrong width
        cells, kept = [], []
        for offset, fields in enumerate(parsed):
            line = first_data_line + offset
            if not fields or (len(fields) == 1 and not fields[0].strip() and width > 1):
                continue  # blank line
            if len(fields) != width:
                problems.add(
                    line,
                    1,
                    f"row has {_count(len(fields), 'value')}, the header has {_count(width, 'column')}",
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
        typed.append(_typed_column(columns[i], wanted))
    rows: list[Row] = list(zip(*typed, strict=True)) if typed and cells else [() for _ in cells]
    reasons = columns[reason_column] if reason_column is not None else [""] * len(cells)
    reason_index, distinct = _reason_indexes(reasons)
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


def read_ecsv(
    text: str, display: str, universe: Mapping[str, Dimension], default_kind: str | None = None
) -> tuple[DataIdList | None, list[Problem]]:
    problems = _Problems(display)
    lines = _split_lines(text)
    header_lines, count = _comment_header(lines)
    if not header_lines or not header_lines[0].startswith("%ECSV"):
        problems.add(
            1,
            1,
            "not an ECSV file: the first line must be '# %ECSV 1.0'",
            "write ECSV with astropy or `campaigns dataids convert --to ecsv`",
            rule="ecsv",
        )
        return None, problems.items
    try:
        body_start = header_lines.index("---") + 1
    except ValueError:
        problems.add(1, 1, "ECSV header has no '# ---' line", rule="ecsv")
        return None, problems.items
    header = _parse_comment_yaml(header_lines[body_start:], body_start + 1, problems)
    if not isinstance(header, dict) or not isinstance(header.get("datatype"), list):
        if not problems.has_errors:
            problems.add(body_start + 1, 1, "ECSV header has no 'datatype' list", rule="ecsv")
        return None, problems.items
    column_types: dict[str, str] = {}
    declared: list[str] = []
    for index, column in enumerate(header["datatype"]):
        line, col = locate(header, ["datatype", index])
        line += body_start
        if not isinstance(column, dict) or "name" not in column or "datatype" not in column:
            problems.add(
                line, col + 2, "each datatype entry needs a name and a datatype", rule="ecsv"
            )
            continue
        name, datatype = str(column["name"]), str(column["datatype"])
        declared.append(name)
        if datatype in _INT_DATATYPES:
            column_types[name] = "int"
        elif datatype == "string":
            column_types[name] = "str"
        else:
            problems.add(
                line,
                col + 2,
                f"column {name!r} has datatype {datatype}",
                "DataId values are integers (int64, uint64...) or text (string)",
                rule="ecsv",
            )
    meta = _omap_to_map(header.get("meta") or YamlMap())
    if not isinstance(meta, dict):
        problems.add(body_start + 1, 3, "ECSV meta must be a mapping", rule="ecsv")
        meta = YamlMap()
    metadata = metadata_from_header(
        meta, problems, default_kind=default_kind, line_offset=body_start, col_offset=2
    )
    delimiter = header.get("delimiter", " ")
    if delimiter not in (" ", ","):
        problems.add(
            body_start + 1,
            1,
            f"ECSV delimiter {delimiter!r} is not supported",
            "use a space or a comma",
            rule="ecsv",
        )
        return None, problems.items
    if count >= len(lines):
        problems.add(count, 1, "ECSV file has no header row with the column names", rule="ecsv")
        return None, problems.items
    dialect: dict[str, Any] = {
        "delimiter": delimiter,
        "quotechar": '"',
        "skipinitialspace": delimiter == " ",
        "strict": True,
    }
    try:
        names = next(csv.reader([lines[count]], **dialect))
    except csv.Error as error:
        problems.add(count + 1, 1, f"cannot read the column names: {error}", rule="ecsv")
        return None, problems.items
    if names != declared:
        problems.add(
            count + 1,
            1,
            f"column names {names} do not match the header's datatype names {declared}",
            rule="ecsv",
        )
        return None, problems.items
    if problems.has_errors:
        return None, problems.items
    try:
        dataids = _read_table(
            names,
            lines[count + 1 :],
            count + 2,
            dialect,
            column_types,
            universe,
            metadata,
            problems,
        )
    except csv.Error as error:
        problems.add(count + 2, 1, f"malformed row: {error}", rule="ecsv")
        return None, problems.items
    return dataids, problems.items


def read_csv(
    text: str, display: str, universe: Mapping[str, Dimension], default_kind: str | None = None
) -> tuple[DataIdList | None, list[Problem]]:
    problems = _Problems(display)
    lines = _split_lines(text)
    header_lines, count = _comment_header(lines)
    metadata = ListMetadata(kind=default_kind or "inclusion")  # type: ignore[arg-type]
    if header_lines:
        header = _parse_comment_yaml(header_lines, 1, problems)
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
        dataids = _read_table(
            names, lines[count + 1 :], count + 2, dialect, {}, universe, metadata, problems
        )
    except csv.Error as error:
        problems.add(count + 1, 1, f"malformed CSV: {error}", rule="csv")
        return None, problems.items
    return dataids, problems.items


def _yaml_dump(data: Any) -> str:
    return dump_yaml(data, width=1000)


def _commented(text: str) -> str:
    return "".join(f"# {line}\n" if line else "#\n" for line in text.splitlines())


def _check_single_line(dataids: DataIdList) -> None:
    for reason in dataids.reasons:
        if "\n" in reason or "\r" in reason:
            raise ValueError(f"reason {reason!r} spans lines; reasons are one line of text")


def _ecsv_field(value: Value) -> str:
    if isinstance(value, int):
        return str(value)
    if value == "" or any(c.isspace() or c in "\"#'," for c in value):
        return '"' + value.replace('"', '""') + '"'
    return value


def write_ecsv(dataids: DataIdList, *, with_reasons: bool = True) -> str:
    _check_single_line(dataids)
    types = _column_types(dataids)
    out = io.StringIO()
    out.write("# %ECSV 1.0\n# ---\n# datatype:\n")
    for name in dataids.dimensions:
        out.write(
            f"# - {{name: {name}, datatype: {'int64' if types[name] == 'int' else 'string'}}}\n"
        )
    if with_reasons:
        out.write("# - {name: reason, datatype: string}\n")
    out.write(_commented(_yaml_dump({"meta": dataids.metadata.as_header()})))
    out.write("# schema: astropy-2.0\n")
    out.write(" ".join([*dataids.dimensions, *(["reason"] if with_reasons else [])]) + "\n")
    columns = _text_columns(dataids, _ecsv_field)
    if with_reasons:
        reasons = [_ecsv_field(r) for r in dataids.reasons]
        columns.append(list(map(reasons.__getitem__, dataids.reason_index)))
    if dataids.rows:
        out.write("\n".join(map(" ".join, zip(*columns, strict=True))) + "\n")
    return out.getvalue()


def write_csv(dataids: DataIdList, *, with_reasons: bool = True) -> str:
    _check_single_line(dataids)
    out = io.StringIO()
    out.write(_commented(_yaml_dump(dataids.metadata.as_header())))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*dataids.dimensions, *(["reason"] if with_reasons else [])])
    if with_reasons:
        reasons = dataids.reasons
        writer.writerows(
            (*row, reasons[position])
            for row, position in zip(dataids.rows, dataids.reason_index, strict=True)
        )
    else:
        writer.writerows(dataids.rows)
    return out.getvalue()


def _text_columns(dataids: DataIdList, text_cell: Any) -> list[list[str]]:
    """Each dimension's values as text, column by column (much faster than cell by cell)."""
    columns = []
    for column in range(len(dataids.dimensions)):
        values = list(map(itemgetter(column), dataids.rows))
        if set(map(type, values)) <= {int}:
            columns.append(list(map(str, values)))
            continue
        distinct = set(values)
        if len(distinct) * 2 < len(
            values
        ):  # few distinct values (instrument, band): format each once
            texts = {value: text_cell(value) for value in distinct}
            columns.append(list(map(texts.__getitem__, values)))
        else:
            columns.append(list(map(text_cell, values)))
    return columns


def _column_types(dataids: DataIdList) -> dict[str, str]:
    types = {}
    for column, name in enumerate(dataids.dimensions):
        is_int = bool(dataids.rows) and set(map(type, map(itemgetter(column), dataids.rows))) == {
            int
        }
        types[name] = "int" if is_int else "str"
    return types


# --- JSON -----------------------------------------------------------------------------------


def read_json(
    text: str, display: str, universe: Mapping[str, Dimension], default_kind: str | None = None
) -> tuple[DataIdList | None, list[Problem]]:
    # JSON values carry their own types: the universe is not needed to read them.
    problems = _Problems(display)
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
    lines = _LazyLines(lambda: _json_row_lines(text, count))
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
        fast_index, fast_distinct = _reason_indexes(fast_reasons)
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
    reason_index, distinct = _reason_indexes(reasons)
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
    columns = _text_columns(dataids, lambda value: json.dumps(value, ensure_ascii=False))
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


# --- YAML (compact form) --------------------------------------------------------------------
#
#   kind: inclusion
#   dimensions: [instrument, exposure]
#   groups:
#     - reason: good seeing
#       rows:
#         - [LSSTCam, 2026041800610..2026041800615]   # a range: six consecutive exposures
#
# A row is a flow list with one value per dimension (or a bare value when there is one
# dimension). An integer cell may be a range ``a..b``; a row with ranges stands for every
# combination of their values.

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
    _check_single_line(dataids)
    types = _column_types(dataids)
    int_columns = [i for i, name in enumerate(dataids.dimensions) if types[name] == "int"]
    header = dataids.metadata.as_header()
    out = io.StringIO()
    out.write(f"# yaml-language-server: $schema={schema}\n")
    out.write(_yaml_dump(header))
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
    groups: Any, problems: _Problems
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
                    _did_you_mean(key, ["reason", "rows"]) or "a group has 'reason' and 'rows'",
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
    problems = _Problems(display)
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
    problems: _Problems,
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
                    f"row has {_count(len(cells), 'value')}, the list has {_count(width, 'dimension')} ({', '.join(dimensions)})",
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


def _range_of(cell: Value, line: int, col: int, problems: _Problems) -> range | None:
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


# --- dispatch -------------------------------------------------------------------------------

READERS = {"yaml": read_yaml, "ecsv": read_ecsv, "json": read_json, "csv": read_csv}


def parse_text(
    text: str,
    format_name: str,
    display: str,
    universe: Mapping[str, Dimension],
    default_kind: str | None = None,
) -> tuple[DataIdList | None, list[Problem]]:
    """Parse a list from text in the named format (``detect_format`` guesses it for stdin)."""
    return READERS[format_name](text, display, universe, default_kind)


def write_text(dataids: DataIdList, format_name: str, *, with_reasons: bool = True) -> str:
    """The list as text in one format; reasons can be left out (a pure data-ID table)."""
    writers = {"yaml": write_yaml, "ecsv": write_ecsv, "json": write_json, "csv": write_csv}
    if format_name not in writers:
        raise ValueError(f"unknown format {format_name!r}")
    with gc_paused():
        return writers[format_name](dataids, with_reasons=with_reasons)


def iter_formats() -> Iterator[tuple[str, str]]:
    """(format, file suffix) for every format, in the order downloads are offered."""
    yield from (("yaml", ".yaml"), ("ecsv", ".ecsv"), ("json", ".json"), ("csv", ".csv"))
