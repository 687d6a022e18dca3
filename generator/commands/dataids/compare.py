"""`campaigns dataids diff A B [--limit N]`: rows added, removed, and with a changed reason."""

from __future__ import annotations

import argparse
import sys

from generator.commands.dataids.inputs import load, universe
from generator.dataids import diff
from generator.model.dataid_lists import describe_row


def run(args: argparse.Namespace) -> int:
    dimensions, _ = universe(args)
    old, _ = load(args.old, dimensions)
    new, _ = load(args.new, dimensions)
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
