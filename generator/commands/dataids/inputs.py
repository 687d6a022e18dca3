"""What the `dataids` verbs share: the dimension universe, reading FILE arguments, writing results."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from generator.dataids import DataIdList, load_text, universe_from_config
from generator.dataids.formats import detect_format, format_of_path
from generator.dataids.loading import read_list_text
from generator.errors import ExitCode, Problem, UsageError, UserError
from generator.progress import Progress
from generator.recordio import write_atomically
from generator.records import NotebookConfig
from generator.reporting import report_problems
from generator.repository import find_root, load_config


def universe(args: argparse.Namespace) -> tuple[dict[str, Any], NotebookConfig]:
    """(dimension universe, notebook config) from the repository's notebook.yaml, if there is one."""
    try:
        root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    except UserError:
        return universe_from_config({}), NotebookConfig()
    problems: list[Problem] = []
    config = load_config(root, problems)
    return universe_from_config(config.dimensions), config


def read(name: str) -> tuple[str, str, str]:
    """(text, display name, format) of a FILE argument; '-' reads standard input."""
    if name == "-":
        text = sys.stdin.read()
        return text, "<stdin>", detect_format(text)
    path = Path(name)
    if not path.is_file():
        raise UserError(f"no such file: {name}", path=name, exit_code=ExitCode.USAGE)
    format_name = format_of_path(path)
    if not format_name:
        raise UserError(
            f"unknown DataId list format {path.suffix!r}",
            hint="name the file .yaml, .ecsv, .json or .csv",
            path=name,
            exit_code=ExitCode.USAGE,
        )
    text, problems = read_list_text(path, name)
    if text is None:
        raise UserError(
            problems[0].message, hint=problems[0].hint, path=name, line=problems[0].line
        )
    return text, name, format_name


def load(
    name: str, universe: dict[str, Any], *, quiet_warnings: bool = False
) -> tuple[DataIdList, str]:
    """(checked list, its format). Its problems are reported on stderr; errors stop the command."""
    text, display, format_name = read(name)
    with Progress(f"checking {display}", unit="MB") as progress:
        progress.enabled = progress.enabled and len(text) > 2_000_000  # only large lists
        progress.advance(0)  # show the label while the list is read and checked
        dataids, problems = load_text(text, display, format_name=format_name, universe=universe)
        progress.advance(len(text) // 1_000_000)
    del text
    errors = sum(p.is_error for p in problems)
    if errors or (problems and not quiet_warnings):
        report_problems(problems, stream=sys.stderr, files_checked=1)
    if errors or dataids is None:
        raise UserError(
            f"the list has {errors} error(s); nothing was done with it",
            hint=f"campaigns dataids validate {name}",
            path=display,
        )
    return dataids, format_name


def emit(text: str, output: str | None) -> None:
    if output and output != "-":
        write_atomically(Path(output), text)
    else:
        sys.stdout.write(text)


def output_format(requested: str | None, output: str | None, fallback: str) -> str:
    if requested:
        return requested
    if output and output != "-":
        found = format_of_path(Path(output))
        if not found:
            raise UsageError(
                f"cannot tell the format of {output!r} from its suffix",
                hint="add --to yaml|ecsv|json|csv",
            )
        return found
    return fallback


def with_kind(dataids: DataIdList, kind: str | None) -> DataIdList:
    """The list with ``--kind`` applied (unchanged when the option was not given)."""
    if kind:
        dataids.metadata = dataids.metadata.with_changes(kind=kind)
    return dataids


def warn(problems: list[Problem]) -> None:
    """Warnings about a result (not about an input file): reported on stderr."""
    if problems:
        report_problems(problems, stream=sys.stderr, files_checked=1)
