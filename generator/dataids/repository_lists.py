"""The DataId lists of a whole repository: each list every campaign names, checked once.

Besides each list's own problems: a list named under ``selection.include`` that declares itself an
exclusion list (or the reverse), inclusion and exclusion lists of one campaign that overlap, and
the rows of all lists together against the repository's budget (``dataid_limits.total_rows``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from generator.dataids.setops import ListCache, ListSource
from generator.errors import Problem
from generator.records import Campaign
from generator.yamlsafe import PathPart, locate


class ListRepository(ListSource, Protocol):
    """A repository the checks may leave their list cache on, for the site to reuse."""

    list_cache: ListCache | None


def list_references(campaign: Campaign) -> Iterator[tuple[str, str | None, list[PathPart]]]:
    """(list path, the kind its place implies, where in the record) for every list it names."""
    for side, kind in (("include", "inclusion"), ("exclude", "exclusion")):
        for index, path in enumerate(getattr(campaign.selection, side)):
            yield path, kind, ["selection", side, index]
    for workflow in campaign.workflows:
        if workflow.dataids:
            yield workflow.dataids, None, ["workflows", workflow.index, "dataids"]


def check_repository_lists(repository: ListRepository) -> list[Problem]:
    """Problems in every list the campaigns name, kind mismatches, and include/exclude overlaps."""
    cache = ListCache.of(repository)
    repository.list_cache = cache
    problems: list[Problem] = []
    for campaign in repository.campaigns.values():
        for path, kind, where in list_references(campaign):
            if not cache.exists(path):
                continue  # rules.py reports missing lists
            dataids, _ = cache.get(path, kind)
            if dataids is not None and kind is not None and dataids.kind != kind:
                line, col = locate(campaign.raw, where)
                side = "selection.include" if kind == "inclusion" else "selection.exclude"
                problems.append(
                    Problem(
                        campaign.path,
                        line,
                        col,
                        f"{path} is an {dataids.kind} list but is named under {side}",
                        "set 'kind' in the list, or move it",
                        "warning",
                        "dataids",
                    )
                )
        if campaign.selection.include and campaign.selection.exclude:
            selection = cache.selection_of(repository, campaign)
            if selection.overlap:
                line, col = locate(campaign.raw, ["selection", "exclude"])
                examples = "; ".join(selection.overlap_examples[:3])
                problems.append(
                    Problem(
                        campaign.path,
                        line,
                        col,
                        f"inclusion and exclusion lists overlap: {selection.overlap:,} DataId(s) are in both (e.g. {examples})",
                        "exclusion wins; remove them from the inclusion list if that is intended",
                        "warning",
                        "dataids-overlap",
                    )
                )
    for _, list_problems in cache.loaded.values():
        problems.extend(list_problems)
    problems.extend(_rows_budget(cache))
    return problems


def _rows_budget(cache: ListCache) -> list[Problem]:
    """One error when the lists together hold more rows than the repository's budget."""
    sizes = {path: len(dataids) for path, (dataids, _) in cache.loaded.items() if dataids}
    total = sum(sizes.values())
    if total <= cache.limits.total_rows:
        return []
    largest = sorted(sizes.items(), key=lambda item: -item[1])[:3]
    return [
        Problem(
            largest[0][0],
            0,
            0,
            f"the DataId lists hold {total:,} rows together, over the budget of {cache.limits.total_rows:,} "
            f"(largest: {', '.join(f'{path} {rows:,}' for path, rows in largest)})",
            "split the work across repositories, or raise dataid_limits.total_rows in notebook.yaml",
            rule="size",
        )
    ]
