"""`campaigns dataids where IN [--negate]`: a Butler expression, or a refusal saying what to use."""

from __future__ import annotations

import argparse
import sys

from generator.commands.dataids.inputs import load, universe, warn
from generator.dataids import where_expression
from generator.errors import Problem


def run(args: argparse.Namespace) -> int:
    dimensions, config = universe(args)
    dataids, _ = load(args.input, dimensions)
    # WhereRefused is a UserError: the CLI reports it with its hint and exits 1
    expression = where_expression(dataids, negate=args.negate)
    limit = args.max_length or config.where_max_length
    if len(expression) > limit:
        warn(
            [
                Problem(
                    dataids.source,
                    0,
                    0,
                    f"the expression is {len(expression):,} characters, over {limit:,}",
                    "it runs, but a data-ID table is easier to read and review: campaigns dataids convert IN --to ecsv --no-reason -o table.ecsv, then pipetask ... --data-id-table table.ecsv",
                    "warning",
                    "where-length",
                )
            ]
        )
    sys.stdout.write(expression + "\n")
    return 0
