"""Set algebra on DataId lists (union, intersect, subtract, diff) and a campaign's effective selection.

Results keep each row's reason (the first list's reason wins when a row is in several) and
record their own provenance: which lists they came from and the operation, in ``generated_by``.
A list with fewer dimensions matches every row that agrees on them: subtracting an exclusion
list of exposures from an inclusion list of (exposure, detector) removes all those detectors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from generator.dataids.loading import load_list
from generator.errors import Problem, UserError
from generator.model.dataid_lists import (
    DataIdList,
    Dimension,
    ListLimits,
    ListMetadata,
    Row,
    describe_row,
    gc_paused,
    universe_from_config,
)
from generator.model.records import Campaign, NotebookConfig


class ListSource(Protocol):
    """What the list tools need of a loaded repository (``generator.loading.repository.Repository``)."""

    root: Path
    config: NotebookConfig
    campaigns: dict[str, Campaign]


MAX_EXAMPLES = 5


class DimensionMismatch(UserError):
    """Two lists cannot be combined: their dimensions do not line up."""

    def __init__(self, message: str) -> None:
        super().__init__(
            message, hint="lists combine when the second's dimensions are among the first's"
        )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _projector(source: Sequence[str], target: Sequence[str]) -> Callable[[Row], Row]:
    """A function taking a row with ``source`` dimensions to its values for ``target``."""
    missing = [name for name in target if name not in source]
    if missing:
        raise DimensionMismatch(
            f"dimensions {list(target)} are not all in {list(source)} (missing {', '.join(missing)})"
        )
    if tuple(source) == tuple(target):
        return lambda row: row
    columns = [list(source).index(name) for name in target]
    return lambda row: tuple(row[c] for c in columns)


def _provenance(operation: str, inputs: Sequence[DataIdList], first: DataIdList) -> ListMetadata:
    names = [dataids.source or "-" for dataids in inputs]
    return ListMetadata(
        kind=first.kind,
        description=f"{operation} of {', '.join(names)}",
        created=_now(),
        how=f"campaigns dataids {operation} {' '.join(names)}",
        inputs=tuple(names),
    )


@gc_paused()
def union(lists: Sequence[DataIdList]) -> DataIdList:
    """Every row of any list, each once; a row keeps the reason of the first list holding it."""
    first = lists[0]
    seen: set[Row] = set()
    items: list[tuple[Row, str]] = []
    for dataids in lists:
        if set(dataids.dimensions) != set(first.dimensions):
            raise DimensionMismatch(
                f"{dataids.source or 'a list'} has dimensions {list(dataids.dimensions)}, {first.source or 'the first'} has {list(first.dimensions)}"
            )
        project = _projector(dataids.dimensions, first.dimensions)
        for row, reason in dataids.items():
            key = project(row)
            if key not in seen:
                seen.add(key)
                items.append((key, reason))
    return DataIdList.from_items(
        first.dimensions, items, _provenance("union", lists, first), style=first.style
    )


def _keys(dataids: DataIdList, dimensions: Sequence[str]) -> set[Row]:
    project = _projector(dataids.dimensions, dimensions)
    return {project(row) for row in dataids.rows}


def _matching(first: DataIdList, other: DataIdList) -> tuple[Callable[[Row], Row], set[Row]]:
    """How to project rows of ``first`` onto ``other``'s dimensions, and other's rows so projected."""
    if not set(other.dimensions) <= set(first.dimensions):
        raise DimensionMismatch(
            f"{other.source or 'the second list'} has dimensions {list(other.dimensions)}, not all in {list(first.dimensions)}"
        )
    return _projector(first.dimensions, other.dimensions), _keys(other, other.dimensions)


@gc_paused()
def intersect(lists: Sequence[DataIdList]) -> DataIdList:
    """Rows of the first list that every other list also holds (with the first list's reasons)."""
    first = lists[0]
    matchers = [_matching(first, other) for other in lists[1:]]
    items = [
        (row, reason)
        for row, reason in first.items()
        if all(project(row) in keys for project, keys in matchers)
    ]
    return DataIdList.from_items(
        first.dimensions, items, _provenance("intersect", lists, first), style=first.style
    )


@gc_paused()
def subtract(first: DataIdList, second: DataIdList) -> DataIdList:
    """Rows of ``first`` that ``second`` does not hold."""
    project, keys = _matching(first, second)
    items = [(row, reason) for row, reason in first.items() if project(row) not in keys]
    return DataIdList.from_items(
        first.dimensions, items, _provenance("subtract", [first, second], first), style=first.style
    )


@dataclass
class ListDiff:
    """What changed from list A to list B."""

    dimensions: tuple[str, ...]
    added: list[tuple[Row, str]] = field(default_factory=list)
    removed: list[tuple[Row, str]] = field(default_factory=list)
    reason_changed: list[tuple[Row, str, str]] = field(default_factory=list)

    def counts(self, which: str) -> dict[str, int]:
        items: list[tuple[Row, str]] = getattr(self, which)
        return dict(Counter(reason for _, reason in items))

    @property
    def unchanged(self) -> bool:
        return not (self.added or self.removed or self.reason_changed)


@gc_paused()
def diff(old: DataIdList, new: DataIdList) -> ListDiff:
    if set(old.dimensions) != set(new.dimensions):
        raise DimensionMismatch(
            f"cannot compare lists with dimensions {list(old.dimensions)} and {list(new.dimensions)}"
        )
    project = _projector(new.dimensions, old.dimensions)
    old_reasons = dict(old.items())
    new_reasons = {project(row): reason for row, reason in new.items()}
    result = ListDiff(old.dimensions)
    for row, reason in new_reasons.items():
        before = old_reasons.get(row)
        if before is None:
            result.added.append((row, reason))
        elif before != reason:
            result.reason_changed.append((row, before, reason))
    result.removed = [
        (row, reason) for row, reason in old_reasons.items() if row not in new_reasons
    ]
    return result


# --- a campaign's effective selection -------------------------------------------------------


@dataclass
class EffectiveSelection:
    """What a campaign's inclusion and exclusion lists amount to.

    ``included`` is None when the campaign has no inclusion list (everything its query selects);
    ``selected`` is then None too. ``removed_by_reason`` counts, per exclusion reason, the
    included DataIds an exclusion removes (the overlap).
    """

    campaign: str
    include_paths: tuple[str, ...]
    exclude_paths: tuple[str, ...]
    dimensions: tuple[str, ...] = ()
    included: int | None = None
    excluded: int = 0
    selected: int | None = None
    included_by_reason: dict[str, int] = field(default_factory=dict)
    excluded_by_reason: dict[str, int] = field(default_factory=dict)
    removed_by_reason: dict[str, int] = field(default_factory=dict)
    overlap: int = 0
    overlap_examples: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _combined(
    paths: Sequence[str], cache: ListCache, kind: str, problems: list[Problem]
) -> DataIdList | None:
    loaded: list[DataIdList] = []
    for path in paths:
        if not cache.exists(path):
            problems.append(Problem(path, 0, 0, "DataId list does not exist", rule="reference"))
            continue
        dataids, list_problems = cache.get(path, kind)
        if dataids is None or any(p.is_error for p in list_problems):
            problems.append(
                Problem(
                    path,
                    0,
                    0,
                    "DataId list has errors; left out of the effective selection",
                    "run `campaigns dataids validate` on it",
                    "warning",
                    "dataids",
                )
            )
            continue
        loaded.append(dataids)
    if not loaded:
        return None
    if len(loaded) == 1:
        return loaded[0]
    try:
        return union(loaded)
    except DimensionMismatch as error:
        problems.append(
            Problem(
                loaded[0].source,
                0,
                0,
                f"the {kind} lists of one campaign must share dimensions: {error}",
                rule="dataids",
            )
        )
        return loaded[0]


@gc_paused()
def effective_selection(
    repository: ListSource, campaign: Campaign, *, cache: ListCache | None = None
) -> EffectiveSelection:
    """Counts per reason for the campaign's included and excluded DataIds, and their overlap."""
    cache = cache or ListCache.of(repository)
    result = EffectiveSelection(campaign.id, campaign.selection.include, campaign.selection.exclude)
    included = _combined(campaign.selection.include, cache, "inclusion", result.problems)
    excluded = _combined(campaign.selection.exclude, cache, "exclusion", result.problems)
    if excluded is not None:
        result.excluded = len(excluded)
        result.excluded_by_reason = excluded.counts_by_reason()
        result.dimensions = excluded.dimensions
    if included is None:
        return result
    result.dimensions = included.dimensions
    result.included = len(included)
    result.included_by_reason = included.counts_by_reason()
    result.selected = len(included)
    if excluded is None:
        return result
    common = [name for name in excluded.dimensions if name in included.dimensions]
    if not common:
        result.problems.append(
            Problem(
                campaign.path,
                0,
                0,
                "the inclusion and exclusion lists share no dimension; their overlap is unknown",
                rule="dataids",
                severity="warning",
            )
        )
        return result
    exclusion_reason: dict[Row, str] = {}
    project_excluded = _projector(excluded.dimensions, common)
    for row, reason in excluded.items():
        exclusion_reason.setdefault(project_excluded(row), reason)
    project_included = _projector(included.dimensions, common)
    removed: Counter[str] = Counter()
    for row in included.rows:
        why = exclusion_reason.get(project_included(row))
        if why is not None:
            removed[why] += 1
            if len(result.overlap_examples) < MAX_EXAMPLES:
                result.overlap_examples.append(f"{describe_row(included.dimensions, row)}: {why}")
    result.overlap = sum(removed.values())
    result.removed_by_reason = {
        reason: removed[reason] for reason in excluded.counts_by_reason() if removed[reason]
    }
    result.selected = len(included) - result.overlap
    return result


class ListCache:
    """Each list file loaded once, and each include/exclude combination worked out once,
    however many campaigns name them. ``campaigns validate`` fills it and leaves it on the
    Repository, so the site generator reuses it instead of reading a million rows again."""

    def __init__(
        self, root: Path, universe: Mapping[str, Dimension], limits: ListLimits | None = None
    ) -> None:
        self.root = root
        self.universe = universe
        self.limits = limits or ListLimits()
        self.loaded: dict[str, tuple[DataIdList | None, list[Problem]]] = {}
        self.rows_loaded = 0  # once past the budget, further lists are not read at all
        self.selections: dict[tuple[tuple[str, ...], tuple[str, ...]], EffectiveSelection] = {}
        # exclusion list path -> its negated `where` expression (or why it has none), made once
        # for every workflow of every campaign that names the list (generator.bps.submitconfig)
        self.negated_where: dict[str, str | Exception] = {}
        self.existing: dict[str, bool] = {}  # list path -> whether the file is there

    @classmethod
    def of(cls, repository: ListSource) -> ListCache:
        config = repository.config
        return cls(
            repository.root,
            universe_from_config(config.dimensions),
            ListLimits.from_config(config.dataid_limits),
        )

    def selection_of(self, repository: ListSource, campaign: Campaign) -> EffectiveSelection:
        key = (campaign.selection.include, campaign.selection.exclude)
        if key not in self.selections:
            self.selections[key] = effective_selection(repository, campaign, cache=self)
        return self.selections[key]

    def get(
        self, path: str, default_kind: str | None = None
    ) -> tuple[DataIdList | None, list[Problem]]:
        if path not in self.loaded:
            if self.rows_loaded > self.limits.total_rows:
                self.loaded[path] = (None, [self._over_budget(path)])
                return self.loaded[path]
            self.loaded[path] = load_list(
                self.root / path,
                display=path,
                universe=self.universe,
                default_kind=default_kind,
                limits=self.limits,
            )
            dataids = self.loaded[path][0]
            self.rows_loaded += len(dataids) if dataids is not None else 0
        return self.loaded[path]

    def _over_budget(self, path: str) -> Problem:
        return Problem(
            path,
            0,
            0,
            f"not read: the lists read before it already hold {self.rows_loaded:,} rows, over the "
            f"budget of {self.limits.total_rows:,}",
            "split the work across repositories, or raise dataid_limits.total_rows in notebook.yaml",
            rule="size",
        )

    def exists(self, path: str) -> bool:
        """Asked for every reference of every campaign: each file is looked at once."""
        if path not in self.existing:
            self.existing[path] = (self.root / path).is_file()
        return self.existing[path]
