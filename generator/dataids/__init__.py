"""DataId inclusion and exclusion lists: one model, four formats, checks and set tools.

The flow: ``loading`` (file -> text, with size limits) -> ``formats`` (one module per format;
text -> ``DataIdList``) -> ``checks`` (pure checks of a list) -> ``setops`` (set algebra, a
campaign's effective selection, the ``ListCache``) -> ``repository_lists`` (every list the
campaigns name, with the rows budget). ``where`` and ``tables`` turn a list into what the Butler
reads; ``summaries`` orders counts for people. The list model itself (``DataIdList``, ``Dimension``,
``ListMetadata``, ``ListLimits``) is ``generator.model.dataid_lists``: it imports nothing of ours.

Public API (stable; the site, the benchmark and the bps submission use it):

``load_list(path, *, display=None, universe=None, default_kind=None, limits=None) -> (DataIdList | None, list[Problem])``
    Read, parse and check a list file; the format comes from the suffix (.yaml, .ecsv, .json,
    .csv). ``load_text(text, display, format_name=None, ...)`` does the same for text (stdin).
    ``universe`` maps dimension names to ``Dimension`` (``universe_from_config(config.dimensions)``
    builds it from notebook.yaml; None means the default universe).

``DataIdList``
    ``.dimensions`` (tuple), ``.rows`` (list of tuples), ``.kind`` ("inclusion", "exclusion" or
    "unspecified" when the file declares none), ``.metadata`` (``ListMetadata``: kind,
    description, author, created, how, query, notebook, commit, inputs), ``.style`` (how an
    ECSV file was written, kept for rewriting it), ``.source``, ``len()``,
    ``.counts_by_reason()`` (ordered dict), ``.head(n)`` -> [(row, reason)], ``.items()``,
    ``.as_dataid(row)``, ``.line_of(i)``. ``list_stats(list)`` -> ``ListStats`` (rows, distinct
    values per dimension, per reason, per day_obs and per band).

``write_text(list, format_name, with_reasons=True) -> str``, ``write_list(list, path, format_name=None)``
    The list in one format (``write_list`` writes atomically, format from the suffix).

``write_all_formats(list, out_dir, stem) -> dict[format, Path]``
    Write ``<stem>.yaml/.ecsv/.json/.csv`` into ``out_dir`` (site downloads).

``where_expression(list, *, negate=False) -> str``
    A Butler ``where`` (bps ``dataQuery``) selecting exactly the rows, or every other DataId;
    raises ``generator.dataids.where.WhereRefused`` (a ``generator.errors.UserError``) when the
    Butler could not run one (too large, a ``'`` in a text value).

``effective_selection(repository, campaign) -> EffectiveSelection``
    included/excluded/selected counts, counts per reason for each side, the overlap count,
    counts of removed DataIds per exclusion reason, and a few overlap examples.

``union(lists)``, ``intersect(lists)``, ``subtract(a, b)``, ``diff(a, b)``.

``check_repository_lists(repository, cache) -> list[Problem]`` is what ``campaigns validate`` runs (through ``generator.pipeline``).
"""

from __future__ import annotations

from pathlib import Path

from generator.dataids.formats import FORMATS, iter_formats, write_list, write_text
from generator.dataids.loading import load_list, load_text
from generator.dataids.repository_lists import check_repository_lists
from generator.dataids.setops import (
    DimensionMismatch,
    EffectiveSelection,
    ListDiff,
    diff,
    effective_selection,
    intersect,
    subtract,
    union,
)
from generator.dataids.where import where_expression
from generator.model.dataid_lists import (
    DEFAULT_UNIVERSE,
    DataIdList,
    Dimension,
    ListMetadata,
    ListStats,
    list_stats,
    universe_from_config,
)


def write_all_formats(dataids: DataIdList, out_dir: Path, stem: str) -> dict[str, Path]:
    """The list in every format, as ``out_dir/<stem>.<suffix>``; returns the paths by format."""
    written: dict[str, Path] = {}
    for format_name, suffix in iter_formats():
        path = Path(out_dir) / f"{stem}{suffix}"
        write_list(dataids, path, format_name)
        written[format_name] = path
    return written


__all__ = [
    "DEFAULT_UNIVERSE",
    "FORMATS",
    "DataIdList",
    "Dimension",
    "DimensionMismatch",
    "EffectiveSelection",
    "ListDiff",
    "ListMetadata",
    "ListStats",
    "check_repository_lists",
    "diff",
    "effective_selection",
    "intersect",
    "list_stats",
    "load_list",
    "load_text",
    "subtract",
    "union",
    "universe_from_config",
    "where_expression",
    "write_all_formats",
    "write_list",
    "write_text",
]
