"""`campaigns dataids`: check, convert, summarise, compare and combine DataId lists."""

from __future__ import annotations

import argparse
from typing import Any

HELP = """\
DataId inclusion and exclusion lists in YAML (compact, with ranges), ECSV, JSON or CSV.
Every FILE may be '-' for standard input; results go to standard output unless -o names a file.

exit status: 0 done (warnings allowed), 1 a list has errors, 2 usage error"""

FORMAT_CHOICES = ["yaml", "ecsv", "json", "csv"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dataids",
        help="check, convert, compare and combine DataId lists",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=_usage(parser))
    commands = parser.add_subparsers(
        dest="dataids_command", metavar="SUBCOMMAND", parser_class=type(parser)
    )

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name, help=help_text, description=help_text
        )
        sub.add_argument(
            "--root",
            help="repository root, for notebook.yaml's dimensions (default: found from the current folder)",
        )
        sub.set_defaults(run=run, action=name)
        return sub

    validate = add(
        "validate", "check lists: dimensions, value types and ranges, duplicates, reasons"
    )
    validate.add_argument(
        "files", nargs="+", metavar="FILE", help="list files, or - for standard input"
    )
    validate.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        dest="output_format",
        help="how to print problems",
    )

    convert = add("convert", "convert a list to another format")
    convert.add_argument(
        "input", metavar="IN", help="list file (.yaml, .ecsv, .json, .csv) or - for standard input"
    )
    convert.add_argument(
        "--to", choices=FORMAT_CHOICES, help="output format (default: from -o's suffix)"
    )
    convert.add_argument(
        "-o", "--output", metavar="OUT", help="file to write (atomically); default standard output"
    )
    convert.add_argument(
        "--no-reason",
        action="store_true",
        help="leave the reason column out: an ECSV inclusion list becomes a pure data-ID table for pipetask --data-id-table",
    )

    summary = add(
        "summary", "rows, distinct values per dimension, counts per reason, per day_obs and band"
    )
    summary.add_argument("input", metavar="IN", help="list file or -")
    summary.add_argument("--json", action="store_true", help="print JSON instead of text")

    diff = add("diff", "rows added and removed from A to B, with their reasons")
    diff.add_argument("old", metavar="A", help="the list before")
    diff.add_argument("new", metavar="B", help="the list after")
    diff.add_argument(
        "--limit",
        type=int,
        default=50,
        help="rows to show per section (default 50; counts are always complete)",
    )

    for name, text, many in (
        ("union", "rows in any list (the first list's reason wins)", True),
        ("intersect", "rows of the first list that every other list holds", True),
        ("subtract", "rows of A that B does not hold", False),
    ):
        sub = add(name, text)
        sub.add_argument("inputs", nargs="+" if many else 2, metavar="FILE")
        sub.add_argument(
            "-o",
            "--output",
            metavar="OUT",
            help="file to write (atomically); default standard output",
        )
        sub.add_argument(
            "--to",
            choices=FORMAT_CHOICES,
            help="output format (default: from -o's suffix, else the first input's)",
        )
        sub.add_argument(
            "--description",
            help="description for the result (default: the operation and its inputs)",
        )

    where = add(
        "where", "a Butler query expression selecting the rows (or excluding them with --negate)"
    )
    where.add_argument("input", metavar="IN", help="list file or -")
    where.add_argument("--negate", action="store_true", help="exclude the rows: NOT (...)")
    where.add_argument(
        "--max-length",
        type=int,
        help="warn above this many characters (default: where_max_length in notebook.yaml, 10000)",
    )

    effective = add("effective", "what a campaign's inclusion and exclusion lists amount to")
    effective.add_argument("campaign", metavar="CAMPAIGN", help="campaign id or file")
    effective.add_argument("--json", action="store_true", help="print JSON instead of text")


def _usage(parser: argparse.ArgumentParser) -> Any:
    def show(args: argparse.Namespace) -> int:
        parser.print_help()
        return 2

    return show


def run(args: argparse.Namespace) -> int:
    code: int = ACTIONS[args.action](args)
    return code


# --- shared: inputs, outputs, the universe --------------------------------------------------


def _universe(args: argparse.Namespace) -> tuple[dict[str, Any], Any]:
    """(dimension universe, notebook config) from the repository's notebook.yaml, if there is one."""
    from pathlib import Path

    from generator.dataids import universe_from_config
    from generator.errors import UserError
    from generator.records import NotebookConfig
    from generator.repository import find_root, load_config

    try:
        root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    except UserError:
        return universe_from_config({}), NotebookConfig()
    problems: list[Any] = []
    config = load_config(root, problems)
    return universe_from_config(config.dimensions), config


def _read(name: str) -> tuple[str, str, str]:
    """(text, display name, format) of a FILE argument; '-' reads standard input."""
    import sys
    from pathlib import Path

    from generator.dataids.checks import read_list_text
    from generator.dataids.formats import detect_format, format_of_path
    from generator.errors import ExitCode, UserError

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


class _Invalid(Exception):
    """A list has errors; they were reported."""


def _load(name: str, universe: dict[str, Any], *, quiet_warnings: bool = False) -> tuple[Any, str]:
    """(checked list, its format), or _Invalid after printing its problems on stderr."""
    import sys

    from generator.dataids import load_text
    from generator.progress import Progress
    from generator.reporting import report_problems

    text, display, format_name = _read(name)
    with Progress(f"checking {display}", unit="MB") as progress:
        progress.enabled = progress.enabled and len(text) > 2_000_000  # only large lists
        progress.advance(0)  # show the label while the list is read and checked
        dataids, problems = load_text(text, display, format_name=format_name, universe=universe)
        progress.advance(len(text) // 1_000_000)
    del text
    errors = any(p.is_error for p in problems)
    if errors or (problems and not quiet_warnings):
        report_problems(problems, stream=sys.stderr, files_checked=1)
    if errors or dataids is None:
        raise _Invalid
    return dataids, format_name


def _emit(text: str, output: str | None) -> None:
    import sys
    from pathlib import Path

    from generator.recordio import write_atomically

    if output and output != "-":
        write_atomically(Path(output), text)
    else:
        sys.stdout.write(text)


def _output_format(requested: str | None, output: str | None, fallback: str) -> str:
    from pathlib import Path

    from generator.dataids.formats import format_of_path
    from generator.errors import UsageError

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


def _guarded(action: Any) -> Any:
    def wrapped(args: argparse.Namespace) -> int:
        from generator.dataids import DimensionMismatch
        from generator.errors import UserError

        try:
            code: int = action(args)
            return code
        except _Invalid:
            return 1
        except DimensionMismatch as error:
            raise UserError(
                str(error), hint="lists combine when the second's dimensions are among the first's"
            ) from None

    return wrapped


# --- the subcommands ------------------------------------------------------------------------


def _run_validate(args: argparse.Namespace) -> int:
    import sys

    from generator.dataids import load_text
    from generator.reporting import report_problems

    universe, _ = _universe(args)
    problems = []
    for name in args.files:
        text, display, format_name = _read(name)
        _, found = load_text(text, display, format_name=format_name, universe=universe)
        problems.extend(found)
    report_problems(
        problems, output_format=args.output_format, files_checked=len(args.files), stream=sys.stdout
    )
    return 1 if any(p.is_error for p in problems) else 0


def _run_convert(args: argparse.Namespace) -> int:
    from generator.dataids import write_text

    universe, _ = _universe(args)
    dataids, input_format = _load(args.input, universe)
    format_name = _output_format(args.to, args.output, input_format)
    _emit(write_text(dataids, format_name, with_reasons=not args.no_reason), args.output)
    return 0


def _run_summary(args: argparse.Namespace) -> int:
    import json
    import sys

    from generator.dataids import list_stats

    universe, _ = _universe(args)
    dataids, _ = _load(args.input, universe)
    stats = list_stats(dataids)
    if args.json:
        document = {
            "source": dataids.source,
            "metadata": dataids.metadata.as_header(),
            "rows": stats.rows,
            "dimensions": list(stats.dimensions),
            "distinct": stats.distinct,
            "by_reason": stats.by_reason,
            "by_day_obs": {str(k): v for k, v in stats.by_day_obs.items()},
            "by_band": {str(k): v for k, v in stats.by_band.items()},
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0
    out = [
        f"{dataids.source}: {dataids.kind} list, {stats.rows:,} rows, dimensions {', '.join(stats.dimensions)}"
    ]
    metadata = dataids.metadata
    for label, value in (
        ("description", metadata.description),
        ("author", metadata.author),
        ("created", metadata.created),
        ("how", metadata.how),
        ("query", metadata.query),
        ("notebook", metadata.notebook),
        ("commit", metadata.commit),
        ("inputs", ", ".join(metadata.inputs)),
    ):
        if value:
            out.append(f"  {label}: {value}")
    out.append("distinct values:")
    out.extend(f"  {name}: {count:,}" for name, count in stats.distinct.items())
    for title, counts in (
        ("per reason:", stats.by_reason),
        ("per day_obs:", stats.by_day_obs),
        ("per band:", stats.by_band),
    ):
        if counts:
            out.append(title)
            out.extend(
                f"  {count:>9,}  {key if key != '' else '(no reason)'}"
                for key, count in counts.items()
            )
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _run_diff(args: argparse.Namespace) -> int:
    import sys

    from generator.dataids import diff
    from generator.dataids.checks import describe_row

    universe, _ = _universe(args)
    old, _ = _load(args.old, universe)
    new, _ = _load(args.new, universe)
    result = diff(old, new)
    out = [f"--- {old.source} ({len(old):,} rows)", f"+++ {new.source} ({len(new):,} rows)"]
    for sign, title, items in (("+", "added", result.added), ("-", "removed", result.removed)):
        out.append(f"{title}: {len(items):,}")
        for reason, count in result.counts(title).items():
            out.append(f"  {count:>9,}  {reason or '(no reason)'}")
        for row, reason in items[: args.limit]:
            out.append(f"{sign} {describe_row(result.dimensions, row)}  # {reason}")
        if len(items) > args.limit:
            out.append(f"  ... {len(items) - args.limit:,} more")
    out.append(f"reason changed: {len(result.reason_changed):,}")
    for row, before, after in result.reason_changed[: args.limit]:
        out.append(f"~ {describe_row(result.dimensions, row)}  # {before} -> {after}")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _run_setop(args: argparse.Namespace) -> int:
    from generator.dataids import intersect, subtract, union, write_text

    universe, _ = _universe(args)
    loaded = [_load(name, universe, quiet_warnings=True) for name in args.inputs]
    lists = [dataids for dataids, _ in loaded]
    if args.action == "union":
        result = union(lists)
    elif args.action == "intersect":
        result = intersect(lists)
    else:
        result = subtract(lists[0], lists[1])
    if args.description:
        result.metadata = result.metadata.with_changes(description=args.description)
    _emit(write_text(result, _output_format(args.to, args.output, loaded[0][1])), args.output)
    return 0


def _run_where(args: argparse.Namespace) -> int:
    import sys

    from generator.dataids import where_expression
    from generator.errors import Problem
    from generator.reporting import format_text

    universe, config = _universe(args)
    dataids, _ = _load(args.input, universe)
    expression = where_expression(dataids, negate=args.negate)
    limit = args.max_length or config.where_max_length
    if len(expression) > limit:
        problem = Problem(
            dataids.source,
            0,
            0,
            f"the expression is {len(expression):,} characters, over {limit:,}",
            "long expressions hit query-size limits; use a data-ID table instead: campaigns dataids convert IN --to ecsv --no-reason -o table.ecsv, then pipetask run --data-id-table table.ecsv"
            if dataids.kind == "inclusion"
            else "long NOT IN lists hit query-size limits; select what to keep instead (subtract this list from an inclusion list and use it as a data-ID table)",
            "warning",
            "where-length",
        )
        sys.stderr.write(format_text(problem) + "\n")
    sys.stdout.write(expression + "\n")
    return 0


def _run_effective(args: argparse.Namespace) -> int:
    import json
    import sys
    from dataclasses import asdict
    from pathlib import Path

    from generator.dataids import effective_selection
    from generator.errors import UserError
    from generator.repository import find_root, load_repository

    root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    repository = load_repository(root, with_rules=False)
    campaign = repository.campaigns.get(args.campaign)
    if campaign is None:
        wanted = Path(args.campaign).resolve()
        campaign = next(
            (c for c in repository.campaigns.values() if (root / c.path).resolve() == wanted), None
        )
    if campaign is None:
        import difflib

        close = difflib.get_close_matches(args.campaign, list(repository.campaigns), n=1)
        raise UserError(
            f"no campaign {args.campaign!r}",
            hint=f"did you mean {close[0]!r}?" if close else "give a campaign id or file",
        )
    selection = effective_selection(repository, campaign)
    if args.json:
        document = asdict(selection)
        document["problems"] = [p.message for p in selection.problems]
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0
    out = [f"{campaign.id}: {campaign.name}"]
    out.append(f"query: {' AND '.join(campaign.selection.query) or '(none)'}")
    if selection.included is None:
        out.append("included: everything the query selects (no inclusion list)")
    else:
        out.append(
            f"included: {selection.included:,} DataIds from {', '.join(selection.include_paths)}"
        )
        out.extend(
            f"  {count:>9,}  {reason or '(no reason)'}"
            for reason, count in selection.included_by_reason.items()
        )
    if selection.exclude_paths:
        out.append(
            f"excluded: {selection.excluded:,} DataIds from {', '.join(selection.exclude_paths)}"
        )
        out.extend(
            f"  {count:>9,}  {reason or '(no reason)'}"
            for reason, count in selection.excluded_by_reason.items()
        )
    else:
        out.append("excluded: nothing (no exclusion list)")
    if selection.included is not None and selection.exclude_paths:
        out.append(f"overlap: {selection.overlap:,} included DataIds are excluded")
        out.extend(
            f"  {count:>9,}  {reason}" for reason, count in selection.removed_by_reason.items()
        )
        out.extend(f"  e.g. {example}" for example in selection.overlap_examples)
    if selection.selected is not None:
        out.append(f"selected: {selection.selected:,} DataIds")
    sys.stdout.write("\n".join(out) + "\n")
    for problem in selection.problems:
        sys.stderr.write(f"{problem.path}: {problem.severity}: {problem.message}\n")
    return 1 if any(p.is_error for p in selection.problems) else 0


ACTIONS = {
    "validate": _run_validate,
    "convert": _guarded(_run_convert),
    "summary": _guarded(_run_summary),
    "diff": _guarded(_run_diff),
    "union": _guarded(_run_setop),
    "intersect": _guarded(_run_setop),
    "subtract": _guarded(_run_setop),
    "where": _guarded(_run_where),
    "effective": _guarded(_run_effective),
}
