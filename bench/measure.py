"""Measuring one command: settings, rows, a fresh child per run, and the figures' formats."""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
CHILD = ROOT / "bench" / "child.py"  # measures one command from a small fresh process
DOCS_PAGE = ROOT / "docs" / "benchmarks.md"
TABLE_START = "<!-- bench:results:start -->"
TABLE_END = "<!-- bench:results:end -->"
NOW = "2026-11-24T12:00Z"  # the site is built "as of" a fixed time: same input, same output
PARTS = ("startup", "validate", "site", "browser", "lists", "jira", "bps")
LIST_FORMATS = ("ecsv", "csv", "json", "yaml")
JIRA_KEYS = 1000
BPS_CAMPAIGNS = 500  # `campaigns bps sync` against the test WMS plugin: the scale
MAX_RUNS = 5
PEER_MAX_CAMPAIGNS = 1000  # check-jsonschema needs ~0.2 s of CPU per campaign file
FIGURE_BUDGET = 60.0  # seconds: keeps the full run near 40 minutes on 2 cores
PYTHON = sys.executable


@dataclass
class Run:
    seconds: float  # wall time
    cpu_seconds: float  # user + system time of the child (and the helpers it waited for)
    peak_kib: int
    # What the command said it spent, e.g. the plugin's "… generated in 9.8 s of CPU" log lines
    reported_cpu: dict[str, float] = field(default_factory=dict)


# "Campaign Notebook: 1,006 pages generated in 9.8 s of CPU" -> {"pages generated": 9.8}
_REPORTED_CPU = re.compile(r"Campaign Notebook: (?:[\d,]+ )?([a-z ]+?) in ([\d.]+) s of CPU")


@dataclass
class Row:
    """One line of the table."""

    part: str
    what: str
    scale: str
    runs: list[Run] = field(default_factory=list)
    other: str = ""
    meaning: str = ""
    status: str = "ok"  # ok | skipped | failed
    detail: str = ""
    load: float | None = None  # the 1-minute load average when the figure was taken

    @property
    def campaigns(self) -> int:
        """The scale as a number of campaigns (0 when the row is not about campaigns)."""
        number, _, unit = self.scale.partition(" ")
        return int(number.replace(",", "")) if unit == "campaigns" else 0

    def seconds(self) -> list[float]:
        return [r.seconds for r in self.runs]

    def median_cpu(self) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs)


class CommandFailed(Exception):
    def __init__(self, command: Sequence[str], code: int, output: str) -> None:
        super().__init__(f"{' '.join(command[:6])} ... exited with {code}")
        self.command = command
        self.code = code
        self.output = output


@dataclass
class Settings:
    quick: bool
    scales: list[int]
    parts: list[str]
    list_rows: int
    work: Path
    profile_dir: Path | None = None
    max_runs: int = MAX_RUNS
    figure_budget: float = FIGURE_BUDGET  # seconds of wall time one figure may take

    def repeats(self) -> int:
        """The most runs per figure (``measure`` stops earlier once a figure took its budget)."""
        return 1 if self.quick else self.max_runs


# --- running one command ------------------------------------------------------------------


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("JIRA_")}
    env.update(NO_MKDOCS_2_WARNING="1", CAMPAIGNS_NOW=NOW, PYTHONDONTWRITEBYTECODE="1")
    env.update(extra or {})
    return env


def run_once(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` in a fresh child; its wall time and peak memory. Raises on failure."""
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "run.json"
        output = Path(scratch) / "output.txt"
        with output.open("wb") as sink:
            code = subprocess.call(
                [PYTHON, "-I", "-S", str(CHILD), str(report), *command],
                cwd=cwd,
                env=env or environment(),
                stdout=sink,
                stderr=sink,
            )
        text = output.read_text(encoding="utf-8", errors="replace")
        if code != 0:
            raise CommandFailed(command, code, text[-3000:])
        run = Run(**json.loads(report.read_text(encoding="utf-8")))
        run.reported_cpu = {m[1]: float(m[2]) for m in _REPORTED_CPU.finditer(text)}
        return run


def measure(
    command: Sequence[str],
    cwd: Path,
    repeats: int,
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
    budget: float = FIGURE_BUDGET,
) -> list[Run]:
    """Up to ``repeats`` runs, fewer once ``budget`` seconds are spent (big scales: one run)."""
    runs: list[Run] = []
    while len(runs) < repeats and sum(r.seconds for r in runs) < budget:
        if before:
            before()
        runs.append(run_once(command, cwd, env))
    return runs


def campaigns_command(*args: str) -> list[str]:
    return [PYTHON, "-m", "generator.cli", *args]


def cli_offers(args: Sequence[str], needle: str) -> str | None:
    """None if ``campaigns ARGS --help`` documents ``needle``; else why the piece is missing."""
    result = subprocess.run(
        campaigns_command(*args, "--help"), capture_output=True, text=True, env=environment()
    )
    if result.returncode == 0 and needle in result.stdout:
        return None
    return f"`campaigns {' '.join(args)}` has no `{needle}` yet"


def folder_bytes(folder: Path) -> tuple[int, int]:
    """(total size in bytes, number of files) under ``folder``."""
    size = files = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            size += os.path.getsize(os.path.join(dirpath, name))
            files += 1
    return size, files


def remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


# --- formatting ---------------------------------------------------------------------------


def fmt_seconds(value: float) -> str:
    if value < 1:
        return f"{value * 1000:.0f} ms"
    if value < 100:
        return f"{value:.2f} s" if value < 10 else f"{value:.1f} s"
    return f"{value:.0f} s"


def fmt_bytes(value: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"  # pragma: no cover - the loop always returns


def spread(values: list[float], fmt: Callable[[float], str]) -> str:
    middle = fmt(statistics.median(values))
    if len(values) == 1:
        return middle
    return f"{middle} ({fmt(min(values))} – {fmt(max(values))})"


def campaigns_label(count: int) -> str:
    return f"{count:,} campaigns"


# --- the measurements ---------------------------------------------------------------------


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
