"""Pieces every format shares: the problem collector, the metadata header, column helpers.

Every reader returns ``(DataIdList | None, problems)`` and never raises for bad input; values
are typed (int dimensions become ints) but not checked — ``generator.dataids.checks`` does that
the same way for every format. Readers keep each row's line so checks can point at it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from generator.errors import Problem
from generator.loading.yamlsafe import YamlMap, locate
from generator.model.dataid_lists import (
    DEFAULT_UNIVERSE,
    KINDS,
    PROVENANCE_FIELDS,
    UNSPECIFIED,
    DataIdList,
    ListMetadata,
)
from generator.writing.newfiles import dump_yaml

REASON_COLUMNS = ("reason", "comment")  # "comment" is the column name of the observatory's files
MAX_ROWS = 20_000_000  # ranges can expand without bound; refuse lists beyond this
RANGE = re.compile(r"^(-?\d+)\.\.(-?\d+)$")
SCHEMA_REFERENCE = "../../schemas/dataid-list.schema.json"  # from campaigns/dataids/
HEADER_KEYS = ("kind", "description", "author", "created", "generated_by")


class Problems:
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


def count_of(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def did_you_mean(word: str, choices: Sequence[str]) -> str | None:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def metadata_from_header(
    header: Mapping[str, Any],
    problems: Problems,
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

    known = [*HEADER_KEYS, *allowed_extra]
    for key in header:
        if key not in known:
            hint = did_you_mean(key, known) or f"allowed keys: {', '.join(known)}"
            problems.add(*where([key], key=True), f"unknown key {key!r}", hint, rule="schema")
    kind = header.get("kind", default_kind or UNSPECIFIED)
    if "kind" in header and kind not in KINDS:
        problems.add(
            *where(["kind"]),
            f"kind {kind!r} is not allowed",
            "expected one of: inclusion, exclusion",
            rule="schema",
        )
        kind = default_kind or UNSPECIFIED
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
                did_you_mean(key, PROVENANCE_FIELDS)
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


class LazyLines(Sequence[int]):
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


def reason_indexes(reasons: Sequence[str]) -> tuple[list[int], list[str]]:
    distinct = list(dict.fromkeys(reasons))
    positions = {reason: i for i, reason in enumerate(distinct)}
    return list(map(positions.__getitem__, reasons)), distinct


def yaml_dump(data: Any) -> str:
    return dump_yaml(data, width=1000)


def commented(text: str) -> str:
    return "".join(f"# {line}\n" if line else "#\n" for line in text.splitlines())


def check_single_line(dataids: DataIdList) -> None:
    for reason in dataids.reasons:
        if "\n" in reason or "\r" in reason:
            raise ValueError(f"reason {reason!r} spans lines; reasons are one line of text")


def text_columns(dataids: DataIdList, text_cell: Any) -> list[list[str]]:
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


def column_types(dataids: DataIdList) -> dict[str, str]:
    """ "int" or "str" per dimension: from the values, or for an empty list from the file it was
    read from or the default universe (an empty list of exposures is still a list of integers)."""
    declared = dict(dataids.style.datatypes)
    types = {}
    for column, name in enumerate(dataids.dimensions):
        if dataids.rows:
            values = set(map(type, map(itemgetter(column), dataids.rows)))
            types[name] = "int" if values == {int} else "str"
        elif name in declared:
            types[name] = "str" if declared[name] == "string" else "int"
        else:
            spec = DEFAULT_UNIVERSE.get(name)
            types[name] = spec.type if spec else "str"
    return types
