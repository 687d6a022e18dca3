"""`campaigns dataids convert IN [--to FORMAT] [-o OUT] [--kind K] [--no-reason]`."""

from __future__ import annotations

import argparse

from generator.commands.dataids.inputs import emit, load, output_format, universe, warn, with_kind
from generator.dataids import write_text
from generator.dataids.tables import ignored_column_problems


def run(args: argparse.Namespace) -> int:
    dimensions, _ = universe(args)
    dataids, input_format = load(args.input, dimensions)
    with_kind(dataids, args.kind)
    format_name = output_format(args.to, args.output, input_format)
    if args.no_reason and format_name == "ecsv":
        warn(ignored_column_problems(dataids))
    emit(write_text(dataids, format_name, with_reasons=not args.no_reason), args.output)
    return 0
