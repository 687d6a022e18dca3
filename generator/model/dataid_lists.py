"""The DataId list model: the one in-memory form every list format reads into and writes from.

A list is a table: ordered ``dimensions``, ``rows`` (tuples of int/str values, one per DataId),
one reason per row, and list ``metadata``. Rows stay plain tuples and reasons small indexes into
``reasons`` so that a million-row list fits in a few hundred megabytes.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

Value = int | str
Row = tuple[Value, ...]
Kind = Literal["inclusion", "exclusion", "unspecified"]
KINDS: tuple[str, ...] = ("inclusion", "exclusion")  # what a file may declare
UNSPECIFIED: Kind = "unspecified"  # no kind declared: the list means what its use makes it
DimensionType = Literal["int", "str"]

# Provenance fields kept under ``generated_by`` in every format's header.
PROVENANCE_FIELDS = ("how", "query", "notebook", "commit", "inputs")


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or writing a large list, or while a
    repository is read and its pages made.

    Creating a million row tuples, or every record with the position of every value, triggers
    collection after collection, each scanning every object alive again; nothing here creates
    reference cycles, so this takes a third off a list's time and about half off loading records.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class Dimension:
    """One dimension of the universe: its value type and, for integers, an optional range."""

    name: str
    type: DimensionType
    min: int | None = None
    max: int | None = None


DEFAULT_UNIVERSE: dict[str, Dimension] = {
    name: Dimension(name, kind)  # type: ignore[arg-type]
    for name, kind in [
        ("instrument", "str"),
        ("band", "str"),
        ("physical_filter", "str"),
        ("skymap", "str"),
        ("exposure", "int"),
        ("visit", "int"),
        ("detector", "int"),
        ("day_obs", "int"),
        ("tract", "int"),
        ("patch", "int"),
    ]
}


def universe_from_config(dimensions: Mapping[str, Mapping[str, Any]]) -> dict[str, Dimension]:
    """The universe notebook.yaml defines (its ``dimensions``), or the default when it has none."""
    if not dimensions:
        return dict(DEFAULT_UNIVERSE)
    return {
        name: Dimension(name, spec["type"], spec.get("min"), spec.get("max"))
        for name, spec in dimensions.items()
    }


@dataclass(frozen=True)
class ListLimits:
    """What one repository's lists may add up to (notebook.yaml ``dataid_limits``).

    Ranges expand and a few small files can hold tens of millions of rows, so besides a size
    limit per file there is a budget of rows across every list the campaigns name. The defaults
    admit the benchmark's million-row list many times over.
    """

    max_file_bytes: int = 512 * 1024 * 1024  # ECSV, CSV, JSON
    max_yaml_bytes: int = 64 * 1024 * 1024  # YAML: parsed into a node tree, ranges expand
    total_rows: int = 50_000_000

    @classmethod
    def from_config(cls, limits: Mapping[str, Any]) -> ListLimits:
        defaults = cls()
        return cls(
            int(limits.get("max_file_mb", defaults.max_file_bytes // 1024**2)) * 1024**2,
            int(limits.get("max_yaml_mb", defaults.max_yaml_bytes // 1024**2)) * 1024**2,
            int(limits.get("total_rows", defaults.total_rows)),
        )


@dataclass(frozen=True)
class ListMetadata:
    """Who made a list, how, from what and when. Empty fields are left out when written."""

    kind: Kind = UNSPECIFIED
    description: str = ""
    author: str = ""
    created: str = ""  # ISO date or timestamp, as written
    how: str = ""  # free text: how the rows were chosen
    query: str = ""  # the database/butler query that produced them
    notebook: str = ""  # path or URL of the notebook that produced them
    commit: str = ""  # git commit of the code or notebook
    inputs: tuple[str, ...] = ()  # lists this one was computed from (set algebra)

    def as_header(self) -> dict[str, Any]:
        """The header mapping shared by all formats (YAML header, ECSV meta, JSON, CSV comments)."""
        header: dict[str, Any] = {} if self.kind == UNSPECIFIED else {"kind": self.kind}
        for name in ("description", "author", "created"):
            if getattr(self, name):
                header[name] = getattr(self, name)
        generated_by: dict[str, Any] = {}
        for name in PROVENANCE_FIELDS:
            value = getattr(self, name)
            if value:
                generated_by[name] = list(value) if isinstance(value, tuple) else value
        if generated_by:
            header["generated_by"] = generated_by
        return header

    def with_changes(self, **changes: Any) -> ListMetadata:
        return replace(self, **changes)


METADATA_FIELDS = tuple(f.name for f in fields(ListMetadata))


@dataclass(frozen=True)
class TableStyle:
    """How an ECSV list was written, kept so that rewriting it changes only the edited rows.

    The observatory's files name the reason column ``comment`` and write ``2025041800615,
    trailed`` (a space after the comma); astropy writes no space. ``datatypes`` keeps declared
    integer types such as ``uint64``. Lists from other formats get the defaults; a list read from
    YAML has its rows in the order of its reason groups, so tables written from it are sorted.
    """

    reason_column: str = "reason"
    separator: str = ", "
    datatypes: tuple[tuple[str, str], ...] = ()
    sort_rows: bool = False  # rows came grouped by reason (YAML): write tables sorted by value


DEFAULT_STYLE = TableStyle()


class DataIdList:
    """A list of DataIds with a reason per row and the list's metadata.

    ``reasons`` holds each distinct reason once, in order of first appearance ("" means none);
    ``reason_index[i]`` is row i's position in it. ``lines[i]`` is the 1-based line of row i in
    the file it was read from (0 when built in memory); ``dimensions_line`` is the line that
    names the dimensions (the header row of a table).
    """

    __slots__ = (
        "dimensions",
        "dimensions_line",
        "lines",
        "metadata",
        "reason_index",
        "reasons",
        "rows",
        "source",
        "style",
    )

    def __init__(
        self,
        dimensions: Sequence[str],
        rows: list[Row],
        reason_index: list[int],
        reasons: list[str],
        metadata: ListMetadata | None = None,
        *,
        lines: Sequence[int] | None = None,
        source: str = "",
        dimensions_line: int = 1,
        style: TableStyle = DEFAULT_STYLE,
    ) -> None:
        self.dimensions = tuple(dimensions)
        self.rows = rows
        self.reason_index = reason_index
        self.reasons = reasons
        self.metadata = metadata or ListMetadata()
        self.lines = lines
        self.source = source
        self.dimensions_line = dimensions_line  # where the file names the dimensions
        self.style = style

    @classmethod
    def from_items(
        cls,
        dimensions: Sequence[str],
        items: Iterable[tuple[Row, str]],
        metadata: ListMetadata | None = None,
        *,
        source: str = "",
        style: TableStyle = DEFAULT_STYLE,
    ) -> DataIdList:
        """Build from ``(row, reason)`` pairs."""
        rows: list[Row] = []
        reason_index: list[int] = []
        positions: dict[str, int] = {}
        for row, reason in items:
            rows.append(row)
            position = positions.get(reason)
            if position is None:
                position = positions[reason] = len(positions)
            reason_index.append(position)
        return cls(
            dimensions, rows, reason_index, list(positions), metadata, source=source, style=style
        )

    # --- reading -----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        return f"<DataIdList {self.kind} {list(self.dimensions)} rows={len(self.rows)} source={self.source!r}>"

    @property
    def kind(self) -> Kind:
        return self.metadata.kind

    def reason_of(self, index: int) -> str:
        return self.reasons[self.reason_index[index]]

    def line_of(self, index: int) -> int:
        return self.lines[index] if self.lines is not None and index < len(self.lines) else 0

    def items(self) -> Iterator[tuple[Row, str]]:
        """Every ``(row, reason)`` pair, in list order."""
        reasons = self.reasons
        for row, position in zip(self.rows, self.reason_index, strict=True):
            yield row, reasons[position]

    def head(self, count: int) -> list[tuple[Row, str]]:
        """The first ``count`` rows with their reasons (for previews)."""
        return [(self.rows[i], self.reason_of(i)) for i in range(min(count, len(self.rows)))]

    def as_dataid(self, row: Row) -> dict[str, Value]:
        return dict(zip(self.dimensions, row, strict=True))

    def counts_by_reason(self) -> dict[str, int]:
        """Rows per reason, reasons in order of first appearance ("" = rows without a reason)."""
        counts = Counter(self.reason_index)
        return {reason: counts[i] for i, reason in enumerate(self.reasons) if counts[i]}

    def distinct_counts(self) -> dict[str, int]:
        """How many different values each dimension takes."""
        return {
            name: len({row[column] for row in self.rows})
            for column, name in enumerate(self.dimensions)
        }

    def counts_by_dimension(self, name: str) -> dict[Value, int]:
        """Rows per value of one dimension, sorted by value (for example per day_obs)."""
        column = self.dimensions.index(name)
        counts = Counter(row[column] for row in self.rows)
        return dict(sorted(counts.items(), key=lambda item: (str(type(item[0])), item[0])))

    def sorted_items(self) -> list[tuple[Row, str]]:
        """Pairs sorted by row: the canonical order for comparing lists."""
        return sorted(self.items(), key=lambda item: row_sort_key(item[0]))

    def same_content(self, other: DataIdList) -> bool:
        """Same dimensions, metadata, and (row, reason) pairs, whatever the row order."""
        return (
            self.dimensions == other.dimensions
            and self.metadata == other.metadata
            and sorted(self.items(), key=_item_sort_key)
            == sorted(other.items(), key=_item_sort_key)
        )


def describe_row(dimensions: tuple[str, ...], row: Row) -> str:
    return ", ".join(f"{name}={value}" for name, value in zip(dimensions, row, strict=False))


def row_sort_key(row: Row) -> tuple[tuple[int, int, str], ...]:
    # ints and strs never compare directly: sort ints before strs in each column.
    return tuple((0, value, "") if isinstance(value, int) else (1, 0, value) for value in row)


def _item_sort_key(item: tuple[Row, str]) -> tuple[Any, ...]:
    return (row_sort_key(item[0]), item[1])


@dataclass
class ListStats:
    """What `summary` prints and the site shows about one list."""

    rows: int
    dimensions: tuple[str, ...]
    distinct: dict[str, int] = field(default_factory=dict)
    by_reason: dict[str, int] = field(default_factory=dict)
    by_day_obs: dict[Value, int] = field(default_factory=dict)
    by_band: dict[Value, int] = field(default_factory=dict)


def list_stats(dataids: DataIdList) -> ListStats:
    """Rows, distinct values per dimension, rows per reason, and per day_obs and band if present.

    Exposure and visit ids of LSSTCam carry their day_obs (``day_obs * 100000 + seq``), so a
    list without a day_obs column is counted per night from those ids when they look like it.
    """
    stats = ListStats(
        len(dataids), dataids.dimensions, dataids.distinct_counts(), dataids.counts_by_reason()
    )
    if "day_obs" in dataids.dimensions:
        stats.by_day_obs = dataids.counts_by_dimension("day_obs")
    else:
        for name in ("exposure", "visit"):
            if name in dataids.dimensions:
                column = dataids.dimensions.index(name)
                values = [row[column] for row in dataids.rows]
                if values and all(isinstance(v, int) and v >= 10**12 for v in values):
                    counts = Counter(int(v) // 100000 for v in values)
                    stats.by_day_obs = dict(sorted(counts.items()))
                break
    if "band" in dataids.dimensions:
        stats.by_band = dataids.counts_by_dimension("band")
    return stats
