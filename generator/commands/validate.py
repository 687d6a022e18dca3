"""`campaigns validate [PATH...]`: check records and report every problem in one run."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

HELP = """\
Check every record (notebook.yaml, productions, campaigns and the DataId lists they name):
YAML syntax and safety, the JSON Schemas, and the rules across files. With PATHs, only problems
in those files or folders are reported (the rest of the repository is still read for context).

With --strict, warnings count as errors (placeholder text such as TODO, overlapping lists).

exit status: 0 valid (warnings allowed unless --strict), 1 problems found, 2 usage error"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="check records and report every problem",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files or folders to report on (default: the whole repository)",
    )
    parser.add_argument(
        "--root", type=Path, help="repository root (default: found from the current folder)"
    )
    parser.add_argument(
        "--format",
        choices=["text", "github", "json"],
        default="text",
        dest="output_format",
        help="text (path:line:col: error: message), github (workflow annotations) or json",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="treat warnings as errors (pull requests run this on the files they change)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from generator.errors import ExitCode, UserError
    from generator.loading.repository import filter_problems, find_root
    from generator.pipeline import validate
    from generator.reporting import report_problems

    for path in args.paths:
        if not path.exists():
            raise UserError(
                f"no such file or folder: {path}", path=str(path), exit_code=ExitCode.USAGE
            )
    start = args.root or (args.paths[0] if args.paths else Path.cwd())
    root = (
        args.root.resolve() if args.root else find_root(start if start.is_dir() else start.parent)
    )
    validated = validate(root)
    problems = validated.problems
    files = validated.files_checked
    if args.paths:
        problems = filter_problems(problems, args.paths, root)
    if args.strict:
        problems = [replace(p, severity="error") for p in problems]
    report_problems(problems, output_format=args.output_format, files_checked=files)
    return ExitCode.INVALID_INPUT if any(p.is_error for p in problems) else ExitCode.OK
