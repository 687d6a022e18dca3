"""Row values said once: what every workflow row's link values share goes on the table.

A campaign page carries, for the links the browser builds (``assets/workflow-links.js``), each
workflow's own values on its ``<span class="cn-wl" data-<field>="...">`` placeholder. Most rows
repeat the same system, the same output folder, the same run-name stem; so, per field:

- **every**: when every row with a placeholder has the same non-empty value, the table carries it
  once as ``data-cn-all-<field>`` and no row carries it;
- **prefix**: otherwise, the longest common prefix of the rows' non-empty values, cut back to just
  after its last non-alphanumeric character but a carriage return (``LSSTCam/runs/DRP/`` +
  ``20250131T030000Z``: a row stays readable), goes on the table as ``data-cn-prefix-<field>``;
  a row with a value carries the rest (``data-<field>=""`` when the value is the prefix itself)
  and a row without one carries nothing, so it stays empty: the prefix is added only to a value
  the row has.

Each is used only when it saves bytes. Joining (``join`` here, ``tableValues``/``fill`` in the
script): a row's value of a field is its own attribute, after the table's prefix for that field if
there is one; else the table's ``data-cn-all-`` value; else empty. The ``cn-`` names cannot meet
a campaign field's ``data-<field>`` on the table: field names are fixed identifiers
(``linktemplates.WORKFLOW_FIELDS``), none with a hyphen, and the script reads attribute names as
written (not the camel-cased ``dataset``).
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

EVERY = "cn-all-"
PREFIX = "cn-prefix-"
_ATTRIBUTE = len(' data-=""')  # what an attribute costs besides its name and value


@dataclass(frozen=True)
class SharedValues:
    every: dict[str, str]  # field -> the value of every row (rows omit it)
    prefixes: dict[str, str]  # field -> what every non-empty value starts with (rows give the rest)

    def table_attributes(self) -> list[tuple[str, str]]:
        """(name after ``data-``, value) for the table."""
        return [(EVERY + name, value) for name, value in self.every.items()] + [
            (PREFIX + name, value) for name, value in self.prefixes.items()
        ]

    def row_attributes(self, values: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """A row's own (field, value) pairs, non-empty values only, as its placeholder carries
        them: shared values left out, prefixes cut off."""
        attributes = []
        for name, value in values:
            if name in self.every:
                continue
            prefix = self.prefixes.get(name)
            attributes.append((name, value[len(prefix) :] if prefix else value))
        return attributes


def readable_prefix(values: Sequence[str]) -> str:
    """The longest prefix of every one of ``values`` that ends just after a non-alphanumeric
    character other than a carriage return ("" when none does).

    Never after a "\r": an HTML parser turns "\r\n" and a lone "\r" into "\n" in each attribute
    on its own, so a prefix "a\r" and a rest "\nb" would join as "a\n\nb" where the whole value
    "a\r\nb" reads "a\nb"."""
    common = posixpath.commonprefix([min(values), max(values)])  # the first and last in order
    for end in range(len(common), 0, -1):
        if not common[end - 1].isalnum() and common[end - 1] != "\r":
            return common[:end]
    return ""


def share(rows: Sequence[Mapping[str, str]], fields: Iterable[str]) -> SharedValues:
    """What the rows (each one's field -> value; a missing or empty value is empty) share, per
    field of ``fields``, where saying it once on the table saves bytes."""
    every: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for name in fields:
        present = [v for row in rows if (v := row.get(name, ""))]
        if not present:
            continue
        first = present[0]
        row_cost = _ATTRIBUTE + len(name)
        same = len(present) == len(rows) and all(v == first for v in present)
        if same and len(present) * (row_cost + len(first)) > row_cost + len(EVERY) + len(first):
            every[name] = first
            continue
        prefix = readable_prefix(present)
        if len(present) * len(prefix) > row_cost + len(PREFIX) + len(prefix):
            prefixes[name] = prefix
    return SharedValues(every, prefixes)


def join(table: Mapping[str, str], row: Mapping[str, str]) -> dict[str, str]:
    """A row's full values from the table's ``cn-`` attributes and the row's own (names after
    ``data-``): what workflow-links.js does, for the tests. Empty values are left out."""
    values = {name[len(EVERY) :]: v for name, v in table.items() if name.startswith(EVERY)}
    prefixes = {name[len(PREFIX) :]: v for name, v in table.items() if name.startswith(PREFIX)}
    for name, value in row.items():
        values[name] = prefixes.get(name, "") + value
    return {name: value for name, value in values.items() if value}
