"""`campaigns diff [--base REF]`: what a change does to the records, written for a reviewer."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

HELP = """\
Compare the records of the working tree (or --head REF) with a base commit, record by record:
campaigns added and removed; per campaign the fields changed (old → new), status transitions,
workflows added, changed or removed, journal entries added; rows added and removed per DataId
list with counts per reason; validation problems the change introduces or fixes.

The default base is the merge base of HEAD with 'main' (or 'origin/main'). Markdown output is
meant for a pull-request comment or a CI job summary: campaigns diff >> "$GITHUB_STEP_SUMMARY"

exit status: 0 compared (whatever the differences), 1 a git or input error, 2 usage error"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "diff",
        help="summarise what a change does to the records (for reviewers)",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--base", metavar="REF", help="commit to compare with (default: merge base with main)"
    )
    parser.add_argument(
        "--head", metavar="REF", help="commit to compare (default: the working tree)"
    )
    parser.add_argument(
        "--root", type=Path, help="repository root (default: found from the current folder)"
    )
    parser.add_argument(
        "--format",
        choices=["markdown", "json"],
        default="markdown",
        dest="output_format",
        help="markdown (for people) or json",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import json
    import sys

    from generator import gitrepo
    from generator.errors import ExitCode, UserError
    from generator.loading.repository import find_root
    from generator.render.diffreport import diff_as_json, render_markdown
    from generator.revisions import diff_revisions

    root = args.root.resolve() if args.root else find_root(Path.cwd())
    if not gitrepo.is_git_repository(root):
        raise UserError(
            f"{root} is not inside a git repository",
            hint="campaigns diff compares git commits",
            exit_code=ExitCode.USAGE,
        )
    base = args.base or gitrepo.default_base(root)
    diff = diff_revisions(root, base, args.head)
    if not args.base:
        diff.base_label = f"merge base with main ({base[:10]})"
    if args.output_format == "json":
        sys.stdout.write(json.dumps(diff_as_json(diff), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(render_markdown(diff))
    return ExitCode.OK
