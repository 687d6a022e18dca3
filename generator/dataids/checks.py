"""Loading a DataId list from a file and checking it against the dimension universe.

Checks, the same for every format: dimension names (with did-you-mean), value types and ranges,
duplicate DataIds (both lines named), exclusion rows without a reason. ``check_repository_lists``
runs them for every list the campaigns name, plus the overlap warning between a campaign's
inclusion and exclusion lists.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, cast

from generator.dataids.formats import detect_format, format_of_path, parse_text
from generator.dataids.model import DataIdList, Dimension, Row, gc_paused, universe_from_config
from generator.errors import Problem
from generator.yamlsafe import PathPart, locate

if TYPE_CHECKING:
    from generator.dataids.setops import EffectiveSelection
    from generator.records import Campaign
    from generator.repository import Repository

MAX_REPORTED_PER_RULE = 20  # a million bad rows must not mean a million messages


def describe_row(dimensions: tuple[str, ...], row: Row) -> str:
    return ", ".join(f"{name}={value}" for name, value in zip(dimensions, row, strict=False))


class _Reporter:
    """Collects problems of one list, at most MAX_REPORTED_PER_RULE per rule, then a count."""

    def __init__(self, dataids: DataIdList, display: str) -> None:
        self.dataids = dataids
        self.display = display
        self.problems: list[Problem] = []
        self.counts: dict[str, int] = {}
        self.last_line: dict[str, int] = {}

    def row(
        self, index: int, message: str, hint: str | None, rule: str, severity: str = "error"
    ) -> None:
        self.at(self.dataids.line_of(index) or 1, message, hint, rule, severity)

    def at(
        self, line: int, message: str, hint: str | None, rule: str, severity: str = "error"
    ) -> None:
        count = self.counts[rule] = self.counts.get(rule, 0) + 1
        self.last_line[rule] = line
        if count <= MAX_REPORTED_PER_RULE:
            self.problems.append(Problem(self.display, line, 1, message, hint, severity, rule))  # type: ignore[arg-type]

    def finish(self) -> list[Problem]:
        for rule, count in self.counts.items():
            if count > MAX_REPORTED_PER_RULE:
                more = count - MAX_REPORTED_PER_RULE
                self.problems.append(
                    Problem(
                        self.display,
                        self.last_line[rule],
                        1,
                        f"... and {more:,} more problem(s) of the same kind ({rule})",
                        "fix the first ones and check again",
                        rule=rule,
                    )
                )
        return self.problems


def _suggest(name: str, universe: Mapping[str, Dimension]) -> str:
    close = difflib.get_close_matches(name, list(universe), n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]!r}?"
    return (
        f"known dimensions: {', '.join(universe)} (notebook.yaml can add more under 'dimensions')"
    )


def check_list(
    dataids: DataIdList, universe: Mapping[str, Dimension], display: str
) -> list[Problem]:
    """Every problem in the values of a parsed list."""
    report = _Reporter(dataids, display)
    dimensions = dataids.dimensions
    if not dimensions:
        report.at(
            1, "the list names no dimensions", "name at least one, e.g. exposure", "dimensions"
        )
    seen: set[str] = set()
    for name in dimensions:
        if name in seen:
            report.at(
                dataids.dimensions_line, f"dimension {name!r} is named twice", None, "dimensions"
            )
        seen.add(name)
        if name not in universe:
            report.at(
                dataids.dimensions_line,
                f"unknown dimension {name!r}",
                _suggest(name, universe),
                "dimensions",
            )
    type_errors = False
    for column, name in enumerate(dimensions):
        spec = universe.get(name)
        if spec is not None:
            type_errors |= _check_column(report, dataids, column, spec)
    if not type_errors:
        _check_duplicates(report, dataids)
    _check_reasons(report, dataids)
    return report.finish()


def _check_column(report: _Reporter, dataids: DataIdList, column: int, spec: Dimension) -> bool:
    values = list(map(itemgetter(column), dataids.rows))
    wanted = int if spec.type == "int" else str
    bad = (
        []
        if set(map(type, values)) <= {wanted}
        else [i for i, v in enumerate(values) if v.__class__ is not wanted]
    )
    for index in bad:
        value = values[index]
        hint: str | None
        if wanted is int:
            hint = (
                "write the number without quotes"
                if isinstance(value, str) and value.strip().lstrip("-").isdigit()
                else "a range is written low..high"
            )
            report.row(index, f"{spec.name} must be an integer, not {value!r}", hint, "type")
        else:
            hint = (
                "quote the value so it is read as text"
                if isinstance(value, int | float | bool)
                else None
            )
            report.row(index, f"{spec.name} must be text, not {value!r}", hint, "type")
    if bad or wanted is str or not values:
        return bool(bad)
    numbers = cast(list[int], values)
    low, high = min(numbers), max(numbers)
    if (spec.min is not None and low < spec.min) or (spec.max is not None and high > spec.max):
        bounds = f"{spec.min if spec.min is not None else '-∞'}..{spec.max if spec.max is not None else '∞'}"
        for index, number in enumerate(numbers):
            if (spec.min is not None and number < spec.min) or (
                spec.max is not None and number > spec.max
            ):
                report.row(
                    index,
                    f"{spec.name} {number} is outside the allowed range {bounds}",
                    "check the value, or the range under 'dimensions' in notebook.yaml",
                    "range",
                )
    return False


def _check_duplicates(report: _Reporter, dataids: DataIdList) -> None:
    rows = dataids.rows
    try:
        if len(set(rows)) == len(rows):
            return
    except (
        TypeError
    ):  # unhashable values (lists or mappings where a value belongs): reported as types
        return
    first: dict[Row, int] = {}
    for index, row in enumerate(rows):
        earlier = first.setdefault(row, index)
        if earlier != index:
            where = dataids.line_of(earlier)
            also = (
                f"line {where}"
                if where != dataids.line_of(index)
                else "the same line (overlapping ranges)"
            )
            report.row(
                index,
                f"duplicate DataId {describe_row(dataids.dimensions, row)} (also on {also})",
                "each DataId appears once; remove one of them",
                "duplicate",
            )


def _check_reasons(report: _Reporter, dataids: DataIdList) -> None:
    for position, reason in enumerate(dataids.reasons):
        if "\n" in reason or "\r" in reason:
            index = dataids.reason_index.index(position)
            report.row(
                index,
                "reason spans several lines",
                "keep a reason to one line; put details in the list's description",
                "reason",
            )
    if dataids.kind != "exclusion":
        return
    blank = {position for position, reason in enumerate(dataids.reasons) if not reason.strip()}
    if not blank:
        return
    for index, position in enumerate(dataids.reason_index):
        if position in blank:
            report.row(
                index,
                f"exclusion of {describe_row(dataids.dimensions, dataids.rows[index])} has no reason",
                "say why it is excluded (donuts, trailed, messy PSF...): the reason is the record",
                "reason",
            )


# --- loading --------------------------------------------------------------------------------


def load_text(
    text: str,
    display: str,
    *,
    format_name: str | None = None,
    universe: Mapping[str, Dimension] | None = None,
    default_kind: str | None = None,
) -> tuple[DataIdList | None, list[Problem]]:
    """Parse and check a list held in memory (``format_name`` guessed when None)."""
    universe = universe if universe is not None else universe_from_config({})
    format_name = format_name or detect_format(text)
    with gc_paused():
        dataids, problems = parse_text(text, format_name, display, universe, default_kind)
        if dataids is not None:
            problems = [*problems, *check_list(dataids, universe, display)]
    return dataids, problems


def read_list_text(path: Path, display: str) -> tuple[str | None, list[Problem]]:
    """A list file's text, or the problem that stops us reading it."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(display, 0, 0, f"cannot read file: {error.strerror}", rule="io")]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [
            Problem(
                display,
                line,
                1,
                "file is not valid UTF-8",
                "save the file as UTF-8",
                rule="encoding",
            )
        ]


def load_list(
    path: Path | str,
    *,
    display: str | None = None,
    universe: Mapping[str, Dimension] | None = None,
    default_kind: str | None = None,
) -> tuple[DataIdList | None, list[Problem]]:
    """Read, parse and check a list file. The format comes from the suffix."""
    path = Path(path)
    display = display or path.as_posix()
    format_name = format_of_path(path)
    if not format_name:
        return None, [
            Problem(
                display,
                0,
                0,
                f"unknown DataId list format {path.suffix!r}",
                "name the file .yaml, .ecsv, .json or .csv",
                rule="format",
            )
        ]
    text, problems = read_list_text(path, display)
    if text is None:
        return None, problems
    return load_text(
        text, display, format_name=format_name, universe=universe, default_kind=default_kind
    )


# --- the repository -------------------------------------------------------------------------


def list_references(campaign: Campaign) -> Iterator[tuple[str, str | None, list[PathPart]]]:
    """(list path, the kind its place implies, where in the record) for every list it names."""
    for side, kind in (("include", "inclusion"), ("exclude", "exclusion")):
        for index, path in enumerate(getattr(campaign.selection, side)):
            yield path, kind, ["selection", side, index]
    for workflow in campaign.workflows:
        if workflow.dataids:
            yield workflow.dataids, None, ["workflows", workflow.index, "dataids"]


class ListCache:
    """Each list file loaded once, and each include/exclude combination worked out once,
    however many campaigns name them. ``campaigns validate`` fills it and leaves it on the
    Repository, so the site generator reuses it instead of reading a million rows again."""

    def __init__(self, root: Path, universe: Mapping[str, Dimension]) -> None:
        self.root = root
        self.universe = universe
        self.loaded: dict[str, tuple[DataIdList | None, list[Problem]]] = {}
        self.selections: dict[tuple[tuple[str, ...], tuple[str, ...]], EffectiveSelection] = {}

    def selection_of(self, repository: Repository, campaign: Campaign) -> EffectiveSelection:
        from generator.dataids.setops import effective_selection

        key = (campaign.selection.include, campaign.selection.exclude)
        if key not in self.selections:
            self.selections[key] = effective_selection(repository, campaign, cache=self)
        return self.selections[key]

    def get(
        self, path: str, default_kind: str | None = None
    ) -> tuple[DataIdList | None, list[Problem]]:
        if path not in self.loaded:
            self.loaded[path] = load_list(
                self.root / path, display=path, universe=self.universe, default_kind=default_kind
            )
        return self.loaded[path]

    def exists(self, path: str) -> bool:
        return (self.root / path).is_file()


def check_repository_lists(repository: Repository) -> list[Problem]:
    """Problems in every list the campaigns name, kind mismatches, and include/exclude overlaps."""
    cache = ListCache(repository.root, universe_from_config(repository.config.dimensions))
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
    return problems
