"""A Butler query expression selecting the rows of a list, or every DataId but them (``negate``).

The Butler's query system rewrites every expression into conjunctive normal form (an AND of
ORs) before it runs it, so an OR of n ``(exposure = X AND detector = Y)`` groups becomes 2^n
clauses and never finishes. Every expression here is conjunctive already, with one clause per
group of rows that share their values:

    exposure IN (E1, E2, E3) AND (exposure NOT IN (E1, E2) OR detector IN (3..4))
        AND (exposure != E3 OR detector = 7)

selects (E1, 3), (E1, 4), (E2, 3), (E2, 4), (E3, 7); the complement drops the first term and
negates the detector sets: ``(exposure NOT IN (E1, E2) OR detector NOT IN (3..4)) AND ...``.
Consecutive integers collapse into ranges ``a..b``; a dimension with one value throughout is a
single ``=`` term.

What the Butler can run is bounded (measured with lsst-daf-butler and a SQLite registry, see
docs/reference/dataid-lists.md): SQLite refuses an expression tree deeper than 1,000, which an
``IN`` of about a thousand separate values or an AND of about a thousand clauses reaches, and the
query parser recurses once per clause. Beyond the limits below we
refuse (``WhereRefused``) instead of printing an expression that fails or hangs; so do lists
whose text values contain a ``'`` (the Butler's string literals have no escape).
"""

from __future__ import annotations

from collections.abc import Sequence

from generator.errors import UserError
from generator.model.dataid_lists import DEFAULT_UNIVERSE, DataIdList, Row, Value, row_sort_key

# Limits measured with lsst-daf-butler 30.2026.4300 and a SQLite registry (SQLite's maximum
# expression depth is 1,000). A term is one value or range of an IN list; a clause one AND-ed
# part. Selecting: the longest IN plus the clauses nest (999 values in one IN fail, 995 run),
# and the whole expression takes ~0.6 s per 1,000 terms (36,000 took 53 s). Negating: every
# NOT IN value nests (1,010 terms ran, 1,109 failed). tests/dataids/test_butler.py runs
# expressions at these sizes.
MAX_NESTED = 900  # selecting: clauses + the longest IN; negating: clauses + all terms
MAX_TERMS = 4000  # selecting: all terms (a few seconds in the Butler)


class WhereRefused(UserError):
    """No Butler-runnable expression selects these rows (too large, a quote in a text value...).

    A ``generator.errors.UserError``: the CLI prints it as ``path: error: message (hint: ...)``.
    """


def _literal(value: Value) -> str:
    if isinstance(value, int):
        return str(value)
    return "'" + value + "'"


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


class _Builder:
    """Collects clauses and counts what the query system will have to nest."""

    def __init__(self) -> None:
        self.clauses = 0
        self.terms = 0
        self.widest = 0

    def membership(self, name: str, values: Sequence[Value], *, negate: bool = False) -> str:
        terms = collapse_ranges(values)
        self.terms += len(terms)
        self.widest = max(self.widest, len(terms))
        if len(terms) == 1 and ".." not in terms[0]:
            return f"{name} {'!=' if negate else '='} {terms[0]}"
        return f"{name} {'NOT IN' if negate else 'IN'} ({', '.join(terms)})"

    def clause(self, alternatives: list[str]) -> str:
        self.clauses += 1
        return alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")"


def _conjunctive(
    dimensions: Sequence[str], rows: Sequence[Row], negate: bool, builder: _Builder
) -> list[str]:
    """The clauses (to be AND-ed) selecting ``rows`` (or, with ``negate``, all other DataIds).

    Every dimension here varies. With one dimension that is one IN; with several, the last
    one's values are grouped per combination of the others (the ``leading`` key), and keys with
    the same set of last values share a clause.
    """
    if len(dimensions) == 1:
        return [
            builder.clause([builder.membership(dimensions[0], [r[0] for r in rows], negate=negate)])
        ]
    leading, last = dimensions[:-1], dimensions[-1]
    groups: dict[Row, set[Value]] = {}
    for row in rows:
        groups.setdefault(row[:-1], set()).add(row[-1])
    clauses: list[str] = []
    if not negate:
        # the leading key must be one of the listed ones: the rows projected onto it, recursively
        clauses.extend(_conjunctive(leading, list(groups), False, builder))
    if len(leading) == 1:
        keys_of: dict[frozenset[Value], list[Value]] = {}
        for key, values in groups.items():
            keys_of.setdefault(frozenset(values), []).append(key[0])
        ordered = sorted(
            keys_of.items(), key=lambda item: row_sort_key((min(item[1], key=_one_key),))
        )
        for value_set, keys in ordered:
            clauses.append(
                builder.clause(
                    [
                        builder.membership(leading[0], keys, negate=True),
                        builder.membership(last, sorted(value_set, key=_one_key), negate=negate),
                    ]
                )
            )
        return clauses
    for key, values in sorted(groups.items(), key=lambda item: row_sort_key(item[0])):
        alternatives = [
            f"{name} != {_literal(value)}" for name, value in zip(leading, key, strict=True)
        ]
        builder.terms += len(key)
        alternatives.append(builder.membership(last, sorted(values, key=_one_key), negate=negate))
        clauses.append(builder.clause(alternatives))
    return clauses


def _one_key(value: Value) -> tuple[int, int, str]:
    return (0, value, "") if isinstance(value, int) else (1, 0, value)


def _refuse_quotes(dataids: DataIdList) -> None:
    for column, name in enumerate(dataids.dimensions):
        for row in dataids.rows:
            value = row[column]
            if isinstance(value, str) and "'" in value:
                raise WhereRefused(
                    f"{name} value {value!r} contains a quote ('), which a Butler expression cannot hold",
                    hint="the Butler's string literals have no escape; use a data-ID table (convert --to ecsv --no-reason) instead",
                    path=dataids.source,
                )


def _too_large(dataids: DataIdList, negate: bool, builder: _Builder) -> WhereRefused:
    size = (
        f"{builder.clauses:,} clauses, {builder.terms:,} values or ranges, "
        f"{builder.widest:,} in the longest IN"
    )
    if negate:
        hint = (
            "select what to keep instead: subtract this list from an inclusion list and pass the "
            "result as a data-ID table (campaigns dataids convert IN --to ecsv --no-reason -o "
            "table.ecsv; pipetask ... --data-id-table table.ecsv), or certify the DataIds to keep "
            "into a TAGGED collection"
        )
    else:
        hint = (
            "use a data-ID table instead (campaigns dataids convert IN --to ecsv --no-reason -o "
            "table.ecsv; pipetask ... --data-id-table table.ecsv), or a TAGGED collection of the "
            "datasets"
        )
    limits = (
        f"clauses plus values may nest {MAX_NESTED:,} deep"
        if negate
        else f"clauses plus the longest IN may nest {MAX_NESTED:,} deep, {MAX_TERMS:,} values in all"
    )
    return WhereRefused(
        f"the Butler cannot run {'the complement of ' if negate else 'an expression for '}"
        f"{len(dataids):,} rows ({size}; {limits})",
        hint=hint,
        path=dataids.source,
    )


def _empty(dataids: DataIdList, negate: bool) -> str:
    # The language has no TRUE or FALSE: a contradiction on the first dimension selects nothing.
    name = dataids.dimensions[0] if dataids.dimensions else "instrument"
    probe = "0" if _looks_int(dataids, 0) else "''"
    if negate:
        return f"({name} IN ({probe}) OR {name} NOT IN ({probe}))"
    return f"{name} IN ({probe}) AND {name} NOT IN ({probe})"


def _looks_int(dataids: DataIdList, column: int) -> bool:
    spec = DEFAULT_UNIVERSE.get(dataids.dimensions[column]) if dataids.dimensions else None
    return spec is None or spec.type == "int"


def where_expression(dataids: DataIdList, *, negate: bool = False) -> str:
    """A Butler ``where`` string selecting exactly the list's DataIds (``negate``: all others).

    The string runs as written in ``butler.query_data_ids(dimensions, where=...)`` and in a bps
    ``dataQuery``. Raises ``WhereRefused`` (a ``generator.errors.UserError``, with a message and
    a hint naming the alternatives) when no such string exists within the Butler's limits.
    """
    _refuse_quotes(dataids)
    if not dataids.rows:
        return _empty(dataids, negate)
    columns = list(zip(*dataids.rows, strict=True))
    fixed = [i for i, column in enumerate(columns) if len(set(column)) == 1]
    varying = [i for i in range(len(dataids.dimensions)) if i not in fixed]
    fixed_terms = [
        f"{dataids.dimensions[i]} {'!=' if negate else '='} {_literal(columns[i][0])}"
        for i in fixed
    ]
    builder = _Builder()
    clauses: list[str] = []
    if varying:
        rows = list(dict.fromkeys(tuple(row[i] for i in varying) for row in dataids.rows))
        names = [dataids.dimensions[i] for i in varying]
        clauses = _best_order(names, rows, negate, builder)
    nested = builder.clauses + (builder.terms if negate else builder.widest)
    if nested > MAX_NESTED or builder.terms > MAX_TERMS:
        raise _too_large(dataids, negate, builder)
    if not negate:
        return " AND ".join([*fixed_terms, *clauses])
    # NOT (fixed AND varying) = (any fixed value differs) OR (the varying part is not listed)
    if not fixed_terms:
        return " AND ".join(clauses)
    if not clauses:
        return "(" + " OR ".join(fixed_terms) + ")" if len(fixed_terms) > 1 else fixed_terms[0]
    varying_part = clauses[0] if len(clauses) == 1 else "(" + " AND ".join(clauses) + ")"
    return "(" + " OR ".join([*fixed_terms, varying_part]) + ")"


def _best_order(names: list[str], rows: list[Row], negate: bool, builder: _Builder) -> list[str]:
    """The shortest form over the choices of the grouped (last) dimension."""
    if len(names) == 1:
        return _conjunctive(names, rows, negate, builder)
    best: tuple[int, list[str], _Builder] | None = None
    for last in reversed(range(len(names))):  # the natural order first: it wins ties
        order = [i for i in range(len(names)) if i != last] + [last]
        trial = _Builder()
        clauses = _conjunctive(
            [names[i] for i in order], [tuple(row[i] for i in order) for row in rows], negate, trial
        )
        score = trial.clauses * 1000 + sum(map(len, clauses))
        if best is None or score < best[0]:
            best = (score, clauses, trial)
    assert best is not None
    builder.clauses, builder.terms, builder.widest = best[2].clauses, best[2].terms, best[2].widest
    return best[1]
