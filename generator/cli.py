"""The ``campaigns`` command: parse arguments, dispatch, map errors to exit codes.

Each command lives in ``generator.commands.<name>`` with ``register(subparsers)`` (cheap: only
argparse at import time, so ``--help`` is instant) and ``run(args) -> int``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from generator.commands import bps, dataids, diff, generate, jira, new, validate
from generator.errors import ExitCode, InvalidRecords, UserError
from generator.reporting import report_one, report_problems

# In the order `campaigns --help` lists them.
COMMANDS = (validate, new, generate, dataids, jira, diff, bps)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage and exits 2; keep that, but in our error format.
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message} (hint: see '{self.prog} --help')\n")
        raise SystemExit(ExitCode.USAGE)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="campaigns",
        description=(
            "Campaign Notebook: validate campaign records, manage DataId lists, fetch Jira data "
            "and generate the notebook site."
        ),
        epilog="Run 'campaigns COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version="campaigns 0.1.0")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for command in COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        code: int = args.run(args)
        return code
    except InvalidRecords as invalid:  # every problem, as `campaigns validate` reports them
        report_problems(invalid.problems, files_checked=invalid.files_checked)
        report_one(invalid.as_problem())
        return invalid.exit_code
    except UserError as error:
        report_one(error.as_problem())
        return error.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("campaigns: interrupted\n")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        return ExitCode.OK
    except Exception as error:  # a bug: never show users a traceback (it may carry secrets)
        if os.environ.get("CAMPAIGNS_DEBUG"):
            raise
        sys.stderr.write(
            f"campaigns: internal error ({type(error).__name__}) "
            "(hint: this is a bug; rerun with CAMPAIGNS_DEBUG=1 to see where, and report it)\n"
        )
        return ExitCode.INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
