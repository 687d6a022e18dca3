"""`campaigns dataids`: check, convert, summarise, compare and combine DataId lists.

One module per verb (``check``, ``convert``, ``summary``, ``compare``, ``combine``, ``where``,
``effective``) and ``inputs`` for what they share. Verbs raise ``UserError`` for what stops them
and print problems only through ``generator.reporting``. Modules are imported when their verb
runs, so ``--help`` stays fast.
"""

from __future__ import annotations

import argparse
from typing import Any

HELP = """\
DataId inclusion and exclusion lists in YAML (compact, with ranges), ECSV, JSON or CSV.
Every FILE may be '-' for standard input; results go to standard output unless -o names a file.

exit status: 0 done (warnings allowed), 1 a list has errors, 2 usage error"""

FORMAT_CHOICES = ["yaml", "ecsv", "json", "csv"]
KIND_CHOICES = ["inclusion", "exclusion", "unspecified"]

# verb -> module under generator.commands.dataids that runs it
VERBS = {
    "validate": "check",
    "convert": "convert",
    "summary": "summary",
    "diff": "compare",
    "union": "combine",
    "intersect": "combine",
    "subtract": "combine",
    "where": "where",
    "effective": "effective",
}


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

    def add_output(sub: argparse.ArgumentParser, default_to: str) -> None:
        sub.add_argument(
            "-o",
            "--output",
            metavar="OUT",
            help="file to write (atomically); default standard output",
        )
        sub.add_argument(
            "--to", choices=FORMAT_CHOICES, help=f"output format (default: {default_to})"
        )
        sub.add_argument(
            "--kind",
            choices=KIND_CHOICES,
            help="set the list's kind in the result (default: keep it; a list without one is 'unspecified')",
        )

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
    add_output(convert, "from -o's suffix, else the input's")
    convert.add_argument(
        "--no-reason",
        action="store_true",
        help="leave the reason column out: an ECSV inclusion list becomes a pure data-ID table for pipetask --data-id-table (warns about columns the Butler ignores)",
    )

    summary = add(
        "summary", "rows, distinct values per dimension, counts per reason, per day_obs and band"
    )
    summary.add_argument("input", metavar="IN", help="list file or -")
    summary.add_argument("--json", action="store_true", help="print JSON instead of text")
    summary.add_argument(
        "--top", type=int, default=5, help="busiest nights and values to show (default 5)"
    )

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
        add_output(sub, "from -o's suffix, else the first input's")
        sub.add_argument(
            "--description",
            help="description for the result (default: the operation and its inputs)",
        )

    where = add(
        "where",
        "a Butler query expression selecting the rows (or all other DataIds with --negate); refused when the Butler could not run it",
    )
    where.add_argument("input", metavar="IN", help="list file or -")
    where.add_argument("--negate", action="store_true", help="select every DataId except the rows")
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
    # imported here, not at the top: `campaigns --help` must not load the list machinery
    from generator.commands.dataids import (
        check,
        combine,
        compare,
        convert,
        effective,
        summary,
        where,
    )

    modules = {
        "check": check,
        "convert": convert,
        "summary": summary,
        "compare": compare,
        "combine": combine,
        "where": where,
        "effective": effective,
    }
    code: int = modules[VERBS[args.action]].run(args)
    return code
