"""`campaigns dataids where IN [--negate]`: a Butler expression, or a refusal saying what to use."""

from __future__ import annotations

import argparse
import sys

from generator.commands.dataids.inputs import load, universe
from generator.dataids import where_expression


def run(args: argparse.Namespace) -> int:
    dimensions, _ = universe(args)
    dataids, _ = load(args.input, dimensions)
    # WhereRefused is a UserError: the CLI reports it with its hint and exits 1
    sys.stdout.write(where_expression(dataids, negate=args.negate) + "\n")
    return 0
