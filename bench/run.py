"""The benchmark runner: `make bench` (full) and `make bench QUICK=1` (under a minute).

Every figure comes from running the real command in a fresh child process, exactly as a person
or CI would, next to the tool people would use instead (check-jsonschema, plain ``mkdocs
build``) in the same run, so ratios hold on a noisy machine:

- wall time: ``time.perf_counter`` around the child, from start to exit;
- peak memory: the child's maximum resident set size as the kernel reports it when the child is
  reaped (``os.wait4`` → ``ru_maxrss``; for a process that spawned helpers this is the largest of
  them). Exact, no polling, no psutil; it counts the interpreter itself (about 10-20 MB). The
  child is started by bench/child.py, a small fresh process, not by this runner: see there why.

Each measurement is one function. A measured command (or option, or peer tool) that is missing,
or that fails, makes a "failed" row and the run fail: a regression never hides as a quiet row.
Results go to bench/results/latest.json and a Markdown table on standard output; the full run
also rewrites the table in docs/benchmarks.md (between its markers, keeping the prose).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the repository importable (bench, tests)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import (
    DOCS_PAGE,
    FIGURE_BUDGET,
    MAX_RUNS,
    PARTS,
    RESULTS_DIR,
    ROOT,
    Row,
    Settings,
    fmt_seconds,
    say,
)
from bench.parts import Bench, run_part
from bench.results import (
    machine,
    machine_line,
    markdown_table,
    merged_results,
    replace_results,
    results_block,
)


def parse_arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Measure the notebook's commands at survey scale, next to the peer tools."
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small version in under a minute (20 campaigns, 10,000-row lists, one run each)",
    )
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts to run: {', '.join(PARTS)}"
    )
    parser.add_argument(
        "--scales", help="comma-separated campaign counts (default: 100,1000,5000; quick: 20)"
    )
    parser.add_argument(
        "--list-rows", type=int, help="rows of the DataId lists (default: 1,000,000; quick: 10,000)"
    )
    parser.add_argument(
        "--write-docs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="rewrite the table in docs/benchmarks.md (default: on for the full run)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="also profile each Python command once with cProfile into DIR",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="where to write the synthetic repositories (default: a temporary folder, removed)",
    )
    parser.add_argument(
        "--runs", type=int, default=MAX_RUNS, help=f"most runs per figure (default: {MAX_RUNS})"
    )
    parser.add_argument(
        "--figure-budget",
        type=float,
        default=FIGURE_BUDGET,
        metavar="SECONDS",
        help="stop repeating a figure once its runs took this long (default: "
        f"{FIGURE_BUDGET:.0f}); raise it with --runs for a steadier figure at large scales, e.g."
        " the generator's share of five full builds at 1,000 campaigns",
    )
    parser.add_argument(
        "--from-results",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="measure nothing: make the table from earlier results (e.g. parts run separately)",
    )
    args = parser.parse_args(argv)
    unknown = set(args.only.split(",")) - set(PARTS)
    if unknown:
        parser.error(
            f"unknown part(s) {', '.join(sorted(unknown))}; choose from {', '.join(PARTS)}"
        )
    return args


def results_name(args: argparse.Namespace, settings: Settings) -> str:
    if args.quick:
        return "quick.json"
    if not args.scales and args.only == ",".join(PARTS):
        return "latest.json"
    return f"{'-'.join(settings.parts)}-{'-'.join(map(str, settings.scales))}.json"


def report(rows: list[Row], info: dict[str, Any], settings: Settings, write: bool) -> int:
    table = markdown_table(rows)
    print(machine_line(info) + "\n\n" + table)
    if write:
        replace_results(DOCS_PAGE, results_block(table, info, settings))
        say(f"updated {DOCS_PAGE.relative_to(ROOT)}")
    failed = [r for r in rows if r.status == "failed"]
    for row in failed:
        say(f"FAILED: {row.what} [{row.scale}]: {row.detail}")
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_arguments(argv)
    scales = (
        [int(s.replace("_", "")) for s in args.scales.split(",")]
        if args.scales
        else ([20] if args.quick else [100, 1000, 5000])
    )
    list_rows = args.list_rows or (10_000 if args.quick else 1_000_000)
    parts = [p for p in PARTS if p in args.only.split(",")]
    write = (
        args.write_docs
        if args.write_docs is not None
        else not args.quick and not args.scales and args.only == ",".join(PARTS)
    )
    if args.from_results:
        rows, info, scales, list_rows = merged_results(args.from_results)
        settings = Settings(False, scales, parts, list_rows, Path())
        return report(rows, info, settings, bool(args.write_docs))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="campaign-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    profile_dir = args.profile.resolve() if args.profile else None  # commands run elsewhere
    settings = Settings(
        args.quick, scales, parts, list_rows, work, profile_dir, args.runs, args.figure_budget
    )
    bench = Bench(settings)
    started = time.perf_counter()
    info = machine()
    path = RESULTS_DIR / results_name(args, settings)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)

    def save() -> None:  # after every part: a long run stopped midway keeps what it measured
        result = {
            "machine": info,
            "quick": args.quick,
            "scales": scales,
            "list_rows": list_rows,
            "total_seconds": time.perf_counter() - started,
            "rows": [asdict(r) for r in bench.rows],
        }
        path.write_text(json.dumps(result, indent=2), encoding="utf-8")

    try:
        for part in settings.parts:
            say(f"{part}:")
            run_part(bench, part)
            save()
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    say(f"total {fmt_seconds(time.perf_counter() - started)}; results in {path.relative_to(ROOT)}")
    return report(bench.rows, info, settings, write)


if __name__ == "__main__":
    raise SystemExit(main())
