"""The benchmark's measuring harness: the synthetic repositories, and one row per figure.

The parts themselves live beside it, one module per theme (bench/parts/validate.py: startup and
validation; site.py: the site build next to plain MkDocs, and the browser figures; lists.py;
jira.py; bps.py). ``run_part`` runs one by name.
"""

from __future__ import annotations

import os
import pstats
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.measure import (
    PYTHON,
    CommandFailed,
    Row,
    Settings,
    fmt_seconds,
    measure,
    remove,
    run_once,
    say,
    spread,
)
from bench.synth import Scale, SyntheticRepository, write_repository


class Bench:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.rows: list[Row] = []
        self.repositories: dict[int, SyntheticRepository] = {}

    def repository(self, campaigns: int) -> SyntheticRepository:
        if campaigns not in self.repositories:
            root = self.settings.work / f"repo-{campaigns}"
            remove(root)
            started = time.perf_counter()
            scale = Scale(campaigns, list_rows=self.settings.list_rows)
            self.repositories[campaigns] = write_repository(root, scale)
            say(
                f"  wrote the {campaigns:,}-campaign repository in {time.perf_counter() - started:.1f} s"
            )
        return self.repositories[campaigns]

    def drop_repository(self, campaigns: int) -> None:
        repository = self.repositories.pop(campaigns, None)
        if repository:
            remove(repository.root)

    def add(self, row: Row) -> Row:
        # The machine may be shared: wall times mean little without the load they ran under.
        row.load = os.getloadavg()[0] if row.runs else None
        self.rows.append(row)
        say(
            f"  {row.what} [{row.scale}]: "
            + (spread(row.seconds(), fmt_seconds) if row.runs else row.status + " " + row.detail)
        )
        return row

    def missing(self, part: str, what: str, scale: str, why: str) -> None:
        """A command or tool the benchmark measures is not there: that fails the run."""
        self.add(Row(part, what, scale, status="failed", detail=f"missing: {why}"))

    def timed(
        self,
        part: str,
        what: str,
        scale: str,
        command: Sequence[str],
        cwd: Path,
        repeats: int,
        env: dict[str, str] | None = None,
        before: Callable[[], None] | None = None,
    ) -> Row | None:
        """Measure one command into a row; a failure becomes a failed row (the run then fails)."""
        try:
            runs = measure(command, cwd, repeats, env, before, self.settings.figure_budget)
        except CommandFailed as failure:
            self.add(
                Row(
                    part,
                    what,
                    scale,
                    status="failed",
                    detail=f"exit {failure.code}: {failure.output.strip()[-600:]}",
                )
            )
            return None
        self.profile(what, scale, command, cwd, env)
        return self.add(Row(part, what, scale, runs))

    def profile(
        self, what: str, scale: str, command: Sequence[str], cwd: Path, env: dict[str, str] | None
    ) -> None:
        """With --profile: one more run under cProfile (Python commands only), kept as DIR/NAME.prof
        and summarised in DIR/NAME.txt (the 30 costliest functions, cumulative and own time)."""
        target = self.settings.profile_dir
        if target is None or list(command[:2]) != [PYTHON, "-m"]:
            return
        target.mkdir(parents=True, exist_ok=True)
        stem = "-".join("".join(c if c.isalnum() else " " for c in f"{what} {scale}").split())
        data = target / f"{stem}.prof"
        try:
            run_once([PYTHON, "-m", "cProfile", "-o", str(data), *command[1:]], cwd, env)
        except CommandFailed:
            say(f"  (profile of {what} failed)")
            return
        with (target / f"{stem}.txt").open("w", encoding="utf-8") as summary:
            stats = pstats.Stats(str(data), stream=summary).strip_dirs()
            stats.sort_stats("cumulative").print_stats(30)
            stats.sort_stats("tottime").print_stats(30)
