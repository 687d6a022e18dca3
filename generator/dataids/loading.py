"""Reading a DataId list file: bytes -> text -> parsed list -> checked list, with limits.

A list file is refused before it is parsed when it is larger than the limit for its format
(``ListLimits``, from notebook.yaml's ``dataid_limits``): YAML is parsed into a node tree and its
ranges expand, so its limit is lower than the table formats'.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from generator.dataids.checks import check_list
from generator.dataids.formats import detect_format, format_of_path, parse_text
from generator.errors import Problem
from generator.loading.textfiles import read_limited_text
from generator.model.dataid_lists import (
    DataIdList,
    Dimension,
    ListLimits,
    gc_paused,
    universe_from_config,
)


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


def read_list_text(
    path: Path, display: str, limits: ListLimits | None = None
) -> tuple[str | None, list[Problem]]:
    """A list file's text, or the problem that stops us reading it (too large, not UTF-8...)."""
    limits = limits or ListLimits()
    format_name = format_of_path(path)
    limit = limits.max_yaml_bytes if format_name == "yaml" else limits.max_file_bytes
    return read_limited_text(
        path,
        display,
        limit,
        too_large=lambda size: (
            f"list file is {size / 1e6:,.1f} MB, over the {limit / 1e6:,.0f} MB limit "
            f"for {format_name.upper()} lists"
        ),
        hint="split the list, write it as ECSV, or raise dataid_limits in notebook.yaml",
        rule="size",
    )


def load_list(
    path: Path | str,
    *,
    display: str | None = None,
    universe: Mapping[str, Dimension] | None = None,
    default_kind: str | None = None,
    limits: ListLimits | None = None,
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
    text, problems = read_list_text(path, display, limits)
    if text is None:
        return None, problems
    return load_text(
        text, display, format_name=format_name, universe=universe, default_kind=default_kind
    )
