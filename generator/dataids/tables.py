"""Data-ID tables (`pipetask --data-id-table`): the columns the Butler ignores.

The Butler joins a table on its required dimensions only; columns for dimensions implied by
another column (``band`` next to ``exposure``, per lsst/daf/butler/configs/dimensions.yaml) are
ignored. A ``where`` over the same rows does constrain them, so the two select different data
for any row whose implied value is not the real one. Without a registry we cannot tell which
rows those are, but we can name every row where the difference is certain: rows that agree on
the required columns and differ only in an ignored one.
"""

from __future__ import annotations

from generator.errors import Problem
from generator.model.dataid_lists import DataIdList, Row

# dimension -> the dimensions it implies (transitively), from daf_butler's dimensions.yaml
IMPLIES: dict[str, frozenset[str]] = {
    "exposure": frozenset({"physical_filter", "band", "group", "day_obs"}),
    "visit": frozenset({"physical_filter", "band", "day_obs"}),
    "physical_filter": frozenset({"band"}),
}
MAX_NAMED_ROWS = 5


def ignored_columns(dimensions: tuple[str, ...]) -> dict[str, str]:
    """Column -> the column that implies it, for columns a data-ID table join ignores."""
    ignored: dict[str, str] = {}
    for name in dimensions:
        for implied in IMPLIES.get(name, ()):
            if implied in dimensions and implied not in ignored:
                ignored[implied] = name
    return ignored


def ignored_column_problems(dataids: DataIdList) -> list[Problem]:
    """Warnings for a list about to be written as a data-ID table."""
    ignored = ignored_columns(dataids.dimensions)
    if not ignored:
        return []
    kept = [i for i, name in enumerate(dataids.dimensions) if name not in ignored]
    first_of: dict[Row, int] = {}
    clashes: list[str] = []
    clash_count = 0
    for index, row in enumerate(dataids.rows):
        key = tuple(row[i] for i in kept)
        earlier = first_of.setdefault(key, index)
        if earlier != index:
            clash_count += 1
            if len(clashes) < MAX_NAMED_ROWS:
                clashes.append(
                    f"line {dataids.line_of(earlier) or earlier + 1} and {dataids.line_of(index) or index + 1}"
                )
    columns = ", ".join(f"{name} (implied by {by})" for name, by in ignored.items())
    message = (
        f"the Butler ignores {columns} in a data-ID table: the table selects by "
        f"{', '.join(dataids.dimensions[i] for i in kept)} alone, while a where over the same rows "
        f"also requires {', '.join(ignored)} to match, so the two differ on every row whose "
        f"{', '.join(ignored)} is not its {', '.join(sorted(set(ignored.values())))}'s own"
    )
    problems = [
        Problem(
            dataids.source or "<list>",
            dataids.dimensions_line,
            1,
            message,
            f"drop the {', '.join(ignored)} column, or check it against the registry first",
            "warning",
            "data-id-table",
        )
    ]
    if clash_count:
        problems.append(
            Problem(
                dataids.source or "<list>",
                dataids.dimensions_line,
                1,
                f"{clash_count:,} row(s) differ only in an ignored column, so the table and a where "
                f"certainly select different data: {'; '.join(clashes)}",
                "keep one row per DataId",
                "warning",
                "data-id-table",
            )
        )
    return problems
