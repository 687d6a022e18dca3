"""Reading and writing the four formats of a DataId list: YAML (compact), ECSV, JSON and CSV.

One module per format; ``header`` holds what they share (the metadata header, problems) and
``table`` the cell reading of ECSV and CSV.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path

from generator.dataids.formats.csvfile import read_csv, write_csv
from generator.dataids.formats.ecsv import read_ecsv, write_ecsv
from generator.dataids.formats.jsonfile import read_json, write_json
from generator.dataids.formats.yamlfile import read_yaml, write_yaml
from generator.errors import Problem
from generator.model.dataid_lists import DataIdList, Dimension, gc_paused
from generator.writing.newfiles import write_atomically

FORMATS = ("yaml", "ecsv", "json", "csv")
SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".ecsv": "ecsv", ".json": "json", ".csv": "csv"}


def format_of_path(path: Path) -> str:
    return SUFFIXES.get(path.suffix.lower(), "")


def detect_format(text: str) -> str:
    """Guess the format of text read from stdin."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("# %ECSV"):
        return "ecsv"
    if start.startswith(("{", "[")):
        return "json"
    if re.search(r"^groups:", text, re.MULTILINE) or start.startswith(
        ("kind:", "# yaml-language-server")
    ):
        return "yaml"
    return "csv"


# --- dispatch -------------------------------------------------------------------------------

READERS = {"yaml": read_yaml, "ecsv": read_ecsv, "json": read_json, "csv": read_csv}


def parse_text(
    text: str,
    format_name: str,
    display: str,
    universe: Mapping[str, Dimension],
    default_kind: str | None = None,
) -> tuple[DataIdList | None, list[Problem]]:
    """Parse a list from text in the named format (``detect_format`` guesses it for stdin)."""
    return READERS[format_name](text, display, universe, default_kind)


def write_text(dataids: DataIdList, format_name: str, *, with_reasons: bool = True) -> str:
    """The list as text in one format; reasons can be left out (a pure data-ID table)."""
    writers = {"yaml": write_yaml, "ecsv": write_ecsv, "json": write_json, "csv": write_csv}
    if format_name not in writers:
        raise ValueError(f"unknown format {format_name!r}")
    with gc_paused():
        return writers[format_name](dataids, with_reasons=with_reasons)


def iter_formats() -> Iterator[tuple[str, str]]:
    """(format, file suffix) for every format, in the order downloads are offered."""
    yield from (("yaml", ".yaml"), ("ecsv", ".ecsv"), ("json", ".json"), ("csv", ".csv"))


def write_list(
    dataids: DataIdList,
    path: Path | str,
    format_name: str | None = None,
    *,
    with_reasons: bool = True,
) -> None:
    """Write a list atomically; the format defaults to the file's suffix."""
    target = Path(path)
    text = write_text(dataids, format_name or format_of_path(target), with_reasons=with_reasons)
    write_atomically(target, text)
