"""Results: the machine line, the Markdown table, docs/benchmarks.md's results block, merged runs."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.measure import (
    PARTS,
    ROOT,
    TABLE_END,
    TABLE_START,
    Row,
    Run,
    Settings,
    fmt_seconds,
    spread,
)


def machine() -> dict[str, Any]:
    memory_kib = 0
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory_kib = int(line.split()[1])
    cpu = platform.processor()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            cpu = next(
                (
                    line.split(":", 1)[1].strip()
                    for line in cpuinfo
                    if line.startswith("model name")
                ),
                cpu,
            )
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return {
        "cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(memory_kib / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "system": f"{platform.system()} {platform.release()}",
        "commit": commit,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory_gib']} GiB memory, "
        f"Python {info['python']}, {info['system']}; commit {info['commit'] or 'unknown'}, {info['date']}."
    )


def markdown_table(rows: list[Row]) -> str:
    lines = [
        "| Part | What | Scale | Runs | Wall time: median (min – max) | CPU time (median) | Peak memory: median (min – max) | Other figures | What it means |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.runs:
            wall = spread(row.seconds(), fmt_seconds)
            if row.load is not None:
                wall += f" (load {row.load:.1f})"
            cpu = fmt_seconds(statistics.median(r.cpu_seconds for r in row.runs))
            memory = spread([r.peak_kib / 1024 for r in row.runs], lambda v: f"{v:.0f} MiB")
            cells = [
                row.part,
                row.what,
                row.scale,
                str(len(row.runs)),
                wall,
                cpu,
                memory,
                row.other,
                row.meaning,
            ]
        else:
            cells = [row.part, row.what, row.scale, "0", "—", "—", "—", row.status, row.detail]
        lines.append(
            "| " + " | ".join(cell.replace("|", "\\|").replace("\n", " ") for cell in cells) + " |"
        )
    return "\n".join(lines)


def results_block(table: str, info: dict[str, Any], settings: Settings) -> str:
    repeats = (
        f"Runs per figure: up to {settings.max_runs}, fewer once a figure has taken "
        f"{settings.figure_budget:.0f} s "
        "(so one at the largest scales; the Runs column says how many); check-jsonschema at "
        "most 3, and not above 1,000 campaigns (see its row)."
    )
    scales = ", ".join(f"{s:,}" for s in settings.scales)
    return "\n".join(
        [
            TABLE_START,
            "",
            machine_line(info),
            f"Scales: {scales} campaigns; DataId lists of {settings.list_rows:,} rows. {repeats}",
            "",
            table,
            "",
            TABLE_END,
        ]
    )


def replace_results(page: Path, block: str) -> None:
    """Put ``block`` between the page's markers, keeping the prose around them."""
    text = page.read_text(encoding="utf-8") if page.exists() else ""
    if TABLE_START in text and TABLE_END in text:
        head, rest = text.split(TABLE_START, 1)
        text = head + block + rest.split(TABLE_END, 1)[1]
    else:
        text = f"# Benchmarks\n\n{block}\n"
    page.write_text(text, encoding="utf-8")


def merged_results(files: Sequence[Path]) -> tuple[list[Row], dict[str, Any], list[int], int]:
    """Rows of several result files, in part order (then file order), with the first's machine."""
    results = [json.loads(path.read_text(encoding="utf-8")) for path in files]
    rows = [
        Row(**{**raw, "runs": [Run(**run) for run in raw["runs"]]})
        for result in results
        for raw in result["rows"]
    ]
    rows.sort(key=lambda row: (PARTS.index(row.part), row.campaigns))  # stable within a scale
    scales = sorted({scale for result in results for scale in result["scales"]})
    info = dict(results[0]["machine"])
    if len(results) > 1:  # say that the table joins runs, and which code they measured
        dates = sorted(result["machine"]["date"] for result in results)
        commits = dict.fromkeys(result["machine"]["commit"] for result in results)
        info["commit"] = ", ".join(commits)
        info["date"] = f"{len(results)} runs from {dates[0]} to {dates[-1]}"
    return rows, info, scales, results[0]["list_rows"]
