"""A Butler query expression selecting (or excluding) the rows of a list.

Consecutive integers collapse into ranges (``exposure IN (2026041800610..2026041800615)``); a
dimension with one value throughout becomes a single ``=`` term. Lists with several varying
dimensions become an OR of AND groups, one per combination of the leading dimensions.
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.dataids.model import DataIdList, Value, row_sort_key


def _literal(value: Value) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value.replace("'", "''") + "'"


def collapse_ranges(values: Sequence[Value]) -> list[str]:
    """Sorted distinct values as literals, runs of consecutive integers as ``low..high``."""
    ints = sorted({v for v in values if isinstance(v, int)})
    texts = sorted({v for v in values if isinstance(v, str)})
    terms: list[str] = []
    index = 0
    while index < len(ints):
        end = index
        while end + 1 < len(ints) and ints[end + 1] == ints[end] + 1:
            end += 1
        terms.append(str(ints[index]) if end == index else f"{ints[index]}..{ints[end]}")
        index = end + 1
    terms.extend(_literal(t) for t in texts)
    return terms


def _membership(name: str, values: Sequence[Value]) -> str:
    terms = collapse_ranges(values)
    if len(terms) == 1 and ".." not in terms[0]:
        return f"{name} = {terms[0]}"
    return f"{name} IN ({', '.join(terms)})"


def where_expression(dataids: DataIdList, *, negate: bool = False) -> str:
    """The expression; ``negate`` wraps it in NOT (...) to exclude the rows instead."""
    if not dataids.rows:
        expression = "FALSE"
        return "TRUE" if negate else expression
    columns = list(zip(*dataids.rows, strict=True))
    fixed = [i for i, column in enumerate(columns) if len(set(column)) == 1]
    varying = [i for i in range(len(dataids.dimensions)) if i not in fixed]
    terms = [f"{dataids.dimensions[i]} = {_literal(columns[i][0])}" for i in fixed]
    if len(varying) == 1:
        column = varying[0]
        terms.append(_membership(dataids.dimensions[column], columns[column]))
    elif varying:
        *leading, last = varying
        groups: dict[tuple[Value, ...], list[Value]] = {}
        for row in dataids.rows:
            groups.setdefault(tuple(row[i] for i in leading), []).append(row[last])
        alternatives = []
        for key, values in sorted(groups.items(), key=lambda item: row_sort_key(item[0])):
            parts = [
                f"{dataids.dimensions[i]} = {_literal(v)}"
                for i, v in zip(leading, key, strict=True)
            ]
            parts.append(_membership(dataids.dimensions[last], values))
            alternatives.append("(" + " AND ".join(parts) + ")")
        terms.append(
            alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"
        )
    expression = " AND ".join(terms)
    return f"NOT ({expression})" if negate else expression
