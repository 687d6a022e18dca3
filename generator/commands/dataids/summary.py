"""`campaigns dataids summary IN [--json] [--top N]`: what a list holds, at a glance."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from generator.commands.dataids.inputs import load, universe
from generator.dataids import list_stats
from generator.dataids.summaries import by_count, night_ranges
from generator.model.dataid_lists import Value


def run(args: argparse.Namespace) -> int:
    dimensions, _ = universe(args)
    dataids, _ = load(args.input, dimensions)
    stats = list_stats(dataids)
    if args.json:
        document = {
            "source": dataids.source,
            "kind": dataids.kind,
            "metadata": dataids.metadata.as_header(),
            "rows": stats.rows,
            "dimensions": list(stats.dimensions),
            "distinct": stats.distinct,
            "by_reason": by_count(stats.by_reason),
            "by_day_obs": {str(k): v for k, v in stats.by_day_obs.items()},
            "by_band": {str(k): v for k, v in by_count(stats.by_band).items()},
        }
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0
    out = [
        f"{dataids.source}: {dataids.kind} list, {stats.rows:,} rows, dimensions {', '.join(stats.dimensions)}"
    ]
    metadata = dataids.metadata
    for label, value in (
        ("description", metadata.description),
        ("author", metadata.author),
        ("created", metadata.created),
        ("how", metadata.how),
        ("query", metadata.query),
        ("notebook", metadata.notebook),
        ("commit", metadata.commit),
        ("inputs", ", ".join(metadata.inputs)),
    ):
        if value:
            out.append(f"  {label}: {value}")
    out.append("distinct values:")
    out.extend(f"  {name}: {count:,}" for name, count in stats.distinct.items())
    if stats.by_reason:
        out.append(f"per reason ({len(stats.by_reason):,} reasons, {stats.rows:,} rows):")
        out.extend(_counted(by_count(stats.by_reason)))
    if stats.by_day_obs:
        out.extend(_nights(stats.by_day_obs, args.top))
    if stats.by_band:
        out.append(f"per band ({len(stats.by_band)} bands):")
        out.extend(_counted(by_count(stats.by_band)))
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def _counted(counts: Mapping[Value, int] | Mapping[str, int]) -> list[str]:
    return [
        f"  {count:>9,}  {key if key != '' else '(no reason)'}" for key, count in counts.items()
    ]


def _nights(by_day_obs: dict[Value, int], top: int) -> list[str]:
    """Nights as ranges of consecutive nights, then the busiest ``top``."""
    ranges = night_ranges(by_day_obs)
    lines = [f"per day_obs ({len(by_day_obs):,} nights in {len(ranges):,} runs):"]
    shown = ranges if len(ranges) <= 8 else [*ranges[:3], None, *ranges[-3:]]
    for span in shown:
        if span is None:
            lines.append(f"  ... {len(ranges) - 6:,} more runs")
        else:
            low, high, count = span
            label = str(low) if low == high else f"{low}..{high}"
            lines.append(f"  {count:>9,}  {label}")
    if len(by_day_obs) > top:
        busiest = by_count(by_day_obs)
        lines.append(f"busiest {top} nights:")
        lines.extend(_counted(dict(list(busiest.items())[:top])))
    return lines
