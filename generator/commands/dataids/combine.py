"""`campaigns dataids union|intersect|subtract FILE... [-o OUT] [--to F] [--kind K]`."""

from __future__ import annotations

import argparse

from generator.commands.dataids.inputs import emit, load, output_format, universe, with_kind
from generator.dataids import intersect, subtract, union, write_text


def run(args: argparse.Namespace) -> int:
    dimensions, _ = universe(args)
    loaded = [load(name, dimensions, quiet_warnings=True) for name in args.inputs]
    lists = [dataids for dataids, _ in loaded]
    if args.action == "union":
        result = union(lists)
    elif args.action == "intersect":
        result = intersect(lists)
    else:
        result = subtract(lists[0], lists[1])
    if args.description:
        result.metadata = result.metadata.with_changes(description=args.description)
    with_kind(result, args.kind)
    emit(write_text(result, output_format(args.to, args.output, loaded[0][1])), args.output)
    return 0
