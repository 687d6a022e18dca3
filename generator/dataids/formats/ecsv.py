"""ECSV (astropy's enhanced CSV): read exactly as astropy reads it, written comma-delimited."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from generator.dataids.formats.header import (
    REASON_COLUMNS,
    Problems,
    check_single_line,
    column_types,
    commented,
    metadata_from_header,
    text_columns,
    yaml_dump,
)
from generator.dataids.formats.table import (
    comment_header,
    omap_to_map,
    parse_comment_yaml,
    read_table,
    split_lines,
)
from generator.errors import Problem, UserError
from generator.loading.yamlsafe import YamlMap, locate
from generator.model.dataid_lists import DataIdList, Dimension, TableStyle, Value

INT_DATATYPES = {f"{sign}int{bits}" for sign in ("", "u") for bits in (8, 16, 32, 64)}


def read_ecsv(
    text: str, display: str, universe: Mapping[str, Dimension], default_kind: str | None = None
) -> tuple[DataIdList | None, list[Problem]]:
    problems = Problems(display)
    lines = split_lines(text)
    header_lines, count = comment_header(lines)
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
    header = parse_comment_yaml(header_lines[body_start:], body_start + 1, problems)
    if not isinstance(header, dict) or not isinstance(header.get("datatype"), list):
        if not problems.has_errors:
            problems.add(body_start + 1, 1, "ECSV header has no 'datatype' list", rule="ecsv")
        return None, problems.items
    column_types: dict[str, str] = {}
    declared: list[str] = []
    declared_types: dict[str, str] = {}
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
        declared_types[name] = datatype
        if datatype in INT_DATATYPES:
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
    meta = omap_to_map(header.get("meta") or YamlMap())
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
    # astropy's DefaultSplitter: quotes doubled to escape, whitespace after a delimiter skipped
    dialect: dict[str, Any] = {"delimiter": delimiter, "quotechar": '"', "skipinitialspace": True}
    try:
        names = next(csv.reader([lines[count].strip()], **dialect))
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
        dataids = read_table(
            names,
            lines[count + 1 :],
            count + 2,
            dialect,
            column_types,
            universe,
            metadata,
            problems,
            astropy_whitespace=True,
        )
    except csv.Error as error:
        problems.add(count + 2, 1, f"malformed row: {error}", rule="ecsv")
        return None, problems.items
    if dataids is not None:
        dataids.style = TableStyle(
            reason_column=next((n for n in names if n in REASON_COLUMNS), "reason"),
            separator=_separator(lines[count + 1 : count + 6], delimiter),
            datatypes=tuple(declared_types.items()),
        )
    return dataids, problems.items


def _separator(first_rows: list[str], delimiter: str) -> str:
    """``", "`` when the rows put a space after each comma (the observatory's style), else ``","``."""
    if delimiter == " ":
        return ", "  # rewritten comma-delimited; the default style
    rows = [row for row in first_rows if row.strip() and not row.lstrip().startswith("#")]
    return ", " if rows and all(", " in row for row in rows) else ","


def _ecsv_field(value: Value) -> str:
    """A cell astropy reads back as ``value``: quoted when it holds a comma, a quote, a space at
    either end, or could be taken for a comment or a missing value."""
    if isinstance(value, int):
        return str(value)
    if (
        value == ""
        or value != value.strip()
        or any(c in '",\n\r' for c in value)
        or value[0] == "#"
    ):
        return '"' + value.replace('"', '""') + '"'
    return value


def _check_no_surrounding_space(dataids: DataIdList, types: dict[str, str]) -> None:
    """astropy (and so pipetask) strips spaces around every ECSV value, quoted or not."""
    texts = set(dataids.reasons)
    for column, name in enumerate(dataids.dimensions):
        if types[name] == "str":
            texts.update(v for v in {row[column] for row in dataids.rows} if isinstance(v, str))
    for text in texts:
        if text != text.strip():
            raise UserError(
                f"{text!r} has spaces at an end, which ECSV readers (astropy, pipetask) drop",
                hint="strip the value, or keep the list as YAML or JSON",
                path=dataids.source,
            )


def write_ecsv(dataids: DataIdList, *, with_reasons: bool = True) -> str:
    """Comma-delimited ECSV in the list's style (reason column name, ``", "`` or ``","``)."""
    check_single_line(dataids)
    types = column_types(dataids)
    _check_no_surrounding_space(dataids, types)
    style = dataids.style
    if style.sort_rows:
        dataids = DataIdList.from_items(
            dataids.dimensions, dataids.sorted_items(), dataids.metadata, style=style
        )
    declared = dict(style.datatypes)
    out = io.StringIO()
    out.write("# %ECSV 1.0\n# ---\n# datatype:\n")
    for name in dataids.dimensions:
        datatype = declared.get(name) or ("int64" if types[name] == "int" else "string")
        if (datatype == "string") != (types[name] == "str"):
            datatype = "int64" if types[name] == "int" else "string"
        out.write(f"# - {{name: {name}, datatype: {datatype}}}\n")
    if with_reasons:
        out.write(f"# - {{name: {style.reason_column}, datatype: string}}\n")
    out.write("# delimiter: ','\n")
    header = dataids.metadata.as_header()
    if header:
        out.write(commented(yaml_dump({"meta": header})))
    out.write("# schema: astropy-2.0\n")
    out.write(",".join([*dataids.dimensions, *([style.reason_column] if with_reasons else [])]))
    out.write("\n")
    columns = text_columns(dataids, _ecsv_field)
    if with_reasons:
        reasons = [_ecsv_field(r) for r in dataids.reasons]
        columns.append(list(map(reasons.__getitem__, dataids.reason_index)))
    if dataids.rows:
        out.write("\n".join(map(style.separator.join, zip(*columns, strict=True))) + "\n")
    return out.getvalue()
