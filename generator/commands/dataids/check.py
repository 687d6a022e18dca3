"""`campaigns dataids validate FILE...`: every problem of every list, in one run."""

from __future__ import annotations

import argparse
import sys

from generator.commands.dataids.inputs import read, universe
from generator.dataids import load_text
from generator.errors import Problem
from generator.reporting import report_problems


def run(args: argparse.Namespace) -> int:
    dimensions, _ = universe(args)
    problems: list[Problem] = []
    for name in args.files:
        text, display, format_name = read(name)
        _, found = load_text(text, display, format_name=format_name, universe=dimensions)
        problems.extend(found)
    report_problems(
        problems, output_format=args.output_format, files_checked=len(args.files), stream=sys.stdout
    )
    return 1 if any(p.is_error for p in problems) else 0
