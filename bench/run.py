"""The benchmark runner: `make bench` (full) and `make bench QUICK=1` (under a minute).

Every figure comes from running the real command in a fresh child process, exactly as a person
or CI would, next to the tool people would use instead (check-jsonschema, plain ``mkdocs
build``) in the same run, so ratios hold on a noisy machine:

- wall time: ``time.perf_counter`` around the child, from start to exit;
- peak memory: the child's maximum resident set size as the kernel reports it when the child is
  reaped (``os.wait4`` → ``ru_maxrss``; for a process that spawned helpers this is the largest of
  them). Exact, no polling, no psutil; it counts the interpreter itself (about 10-20 MB). The
  child is started by bench/child.py, a small fresh process, not by this runner: see there why.

Each measurement is one function; a measurement whose piece is not in the tree yet reports a
"not available yet" row instead of failing. A measured command that fails makes the run fail.
Results go to bench/results/latest.json and a Markdown table on standard output; the full run
also rewrites the table in docs/benchmarks.md (between its markers, keeping the prose).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import os
import platform
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

if __package__ in (None, ""):  # run as a script: make the repository importable (bench, tests)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.synth import Scale, SyntheticRepository, list_metadata, write_ecsv, write_repository

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
CHILD = ROOT / "bench" / "child.py"  # measures one command from a small fresh process
DOCS_PAGE = ROOT / "docs" / "benchmarks.md"
TABLE_START = "<!-- bench:results:start -->"
TABLE_END = "<!-- bench:results:end -->"
NOW = "2026-11-24T12:00Z"  # the site is built "as of" a fixed time: same input, same output
PARTS = ("startup", "validate", "site", "lists", "jira", "bps")
LIST_FORMATS = ("ecsv", "csv", "json", "yaml")
JIRA_KEYS = 1000
BPS_CAMPAIGNS = 500  # `campaigns bps sync` against the test WMS plugin: the issue's scale
MAX_RUNS = 5
PEER_MAX_CAMPAIGNS = 1000  # check-jsonschema needs ~0.2 s of CPU per campaign file
FIGURE_BUDGET = 60.0  # seconds: keeps the full run near 40 minutes on 2 cores
PYTHON = sys.executable


@dataclass
class Run:
    seconds: float  # wall time
    cpu_seconds: float  # user + system time of the child (and the helpers it waited for)
    peak_kib: int


@dataclass
class Row:
    """One line of the table."""

    part: str
    what: str
    scale: str
    runs: list[Run] = field(default_factory=list)
    other: str = ""
    meaning: str = ""
    status: str = "ok"  # ok | unavailable | skipped | failed
    detail: str = ""

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
        if code != 0:
            text = output.read_text(encoding="utf-8", errors="replace")
            raise CommandFailed(command, code, text[-3000:])
        return Run(**json.loads(report.read_text(encoding="utf-8")))


def measure(
    command: Sequence[str],
    cwd: Path,
    repeats: int,
    env: dict[str, str] | None = None,
    before: Callable[[], None] | None = None,
) -> list[Run]:
    """Up to ``repeats`` runs, fewer once FIGURE_BUDGET seconds are spent (big scales: one run)."""
    runs: list[Run] = []
    while len(runs) < repeats and sum(r.seconds for r in runs) < FIGURE_BUDGET:
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
        self.rows.append(row)
        say(
            f"  {row.what} [{row.scale}]: "
            + (spread(row.seconds(), fmt_seconds) if row.runs else row.status + " " + row.detail)
        )
        return row

    def unavailable(self, part: str, what: str, scale: str, why: str) -> None:
        self.add(Row(part, what, scale, status="unavailable", detail=f"not available yet: {why}"))

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
            runs = measure(command, cwd, repeats, env, before)
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

    # startup ----------------------------------------------------------------------------

    def startup(self) -> None:
        row = self.timed(
            "startup",
            "campaigns --version",
            "—",
            campaigns_command("--version"),
            ROOT,
            self.settings.repeats(),
        )
        if row:
            row.meaning = "Starting Python and the CLI (every command module's argument parser): part of every `campaigns` figure below."

    # validate ---------------------------------------------------------------------------

    def validate(self) -> None:
        why = cli_offers(["validate"], "--root")
        for campaigns in self.settings.scales:
            label = campaigns_label(campaigns)
            if why:
                self.unavailable("validate", "campaigns validate", label, why)
                continue
            repository = self.repository(campaigns)
            ours = self.timed(
                "validate",
                "campaigns validate",
                label,
                campaigns_command("validate", "--root", str(repository.root)),
                repository.root,
                self.settings.repeats(),
            )
            if ours:
                ours.other = f"{fmt_seconds(ours.median_cpu() / campaigns)} CPU per campaign"
                ours.meaning = (
                    f"Reads, schema-checks and cross-checks all {campaigns:,} campaigns and the "
                    f"DataId lists they name (the {self.settings.list_rows:,}-row inclusion list too)."
                )
            peer = self.check_jsonschema(repository, campaigns, label)
            if ours and peer:
                ratio = peer.median_cpu() / ours.median_cpu()
                ours.meaning += (
                    f" {ratio:.1f}× {'less' if ratio >= 1 else 'more'} CPU time than "
                    "check-jsonschema, which checks the schema only."
                )

    def check_jsonschema(
        self, repository: SyntheticRepository, campaigns: int, label: str
    ) -> Row | None:
        what = "check-jsonschema (schema only)"
        if importlib.util.find_spec("check_jsonschema") is None:
            self.unavailable("validate", what, label, "check-jsonschema is not installed")
            return None
        measured = [r for r in self.rows if r.what == what and r.runs]
        if campaigns > PEER_MAX_CAMPAIGNS and not self.settings.quick:
            estimate = ""
            if measured:
                rate = measured[-1].median_cpu() / measured[-1].campaigns
                estimate = (
                    f": about {fmt_seconds(rate * campaigns)} of CPU at the rate measured above"
                )
            detail = f"not run above {PEER_MAX_CAMPAIGNS:,} campaigns (its cost grows with the files, and the full run must stay affordable){estimate}"
            self.add(Row("validate", what, label, status="skipped", detail=detail))
            return None
        schema = str(repository.root / "schemas" / "campaign.schema.json")
        files = [str(p.relative_to(repository.root)) for p in repository.campaign_files]
        peer = self.timed(
            "validate",
            what,
            label,
            [PYTHON, "-m", "check_jsonschema", "--schemafile", schema, *files],
            repository.root,
            min(3, self.settings.repeats()),
        )
        if peer:
            peer.other = f"{fmt_seconds(peer.median_cpu() / campaigns)} CPU per campaign"
            peer.meaning = (
                "The tool people would otherwise use, on the same files with the same schema: "
                "the schema only (no line numbers, no rules across files, no DataId lists)."
            )
        return peer

    # site -------------------------------------------------------------------------------

    def site(self) -> None:
        why = cli_offers(["generate"], "--out")
        if not why and "campaign-notebook" not in {
            e.name for e in importlib.metadata.entry_points(group="mkdocs.plugins")
        }:
            why = "the campaign-notebook MkDocs plugin is not installed (pip install -e .)"
        if not why and "campaign-notebook" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8"):
            why = "mkdocs.yml does not use the campaign-notebook plugin"
        for campaigns in self.settings.scales:
            label = campaigns_label(campaigns)
            if why:
                for what in (
                    "campaigns generate (Markdown)",
                    "mkdocs build with the plugin (full site)",
                    "mkdocs build alone on the generated Markdown",
                ):
                    self.unavailable("site", what, label, why)
                continue
            self.site_at(campaigns, label)

    def site_at(self, campaigns: int, label: str) -> None:
        repository = self.repository(campaigns)
        root = repository.root
        repeats = self.settings.repeats()
        generated = self.settings.work / f"generated-{campaigns}"
        built = self.settings.work / f"site-{campaigns}"
        plain = self.settings.work / f"site-plain-{campaigns}"
        remove(generated)
        gen = self.timed(
            "site",
            "campaigns generate (Markdown)",
            label,
            campaigns_command("generate", "--root", str(root), "--out", str(generated)),
            root,
            repeats,
        )
        full = self.timed(
            "site",
            "mkdocs build with the plugin (full site)",
            label,
            [
                PYTHON,
                "-m",
                "mkdocs",
                "build",
                "-q",
                "-f",
                str(root / "mkdocs.yml"),
                "-d",
                str(built),
            ],
            root,
            repeats,
            before=lambda: remove(built),
        )
        alone = None
        if gen:
            config = write_plain_mkdocs_config(
                root, generated, self.settings.work / f"mkdocs-plain-{campaigns}.yml"
            )
            alone = self.timed(
                "site",
                "mkdocs build alone on the generated Markdown",
                label,
                [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(plain)],
                root,
                repeats,
                before=lambda: remove(plain),
            )
        if gen:
            size, files = folder_bytes(generated)
            gen.other = f"{fmt_bytes(size)} in {files:,} files; {fmt_seconds(gen.median_cpu() / campaigns)} CPU, {fmt_bytes(size / campaigns)} per campaign"
            gen.meaning = f"Turns {campaigns:,} records into Markdown pages, list downloads and the JSON export: the generator's own work, no HTML yet."
        if full:
            size, files = folder_bytes(built)
            full.other = f"site {fmt_bytes(size)} in {files:,} files; {fmt_seconds(full.median_cpu() / campaigns)} CPU, {fmt_bytes(size / campaigns)} per campaign"
            full.meaning = "What `make site` costs: the plugin generates the pages in memory and MkDocs (Material) renders them to HTML."
            if alone:
                share = max(0.0, 1 - alone.median_cpu() / full.median_cpu())
                full.meaning += f" The generator's share is about {share:.0%} of its CPU time."
        if alone:
            size, files = folder_bytes(plain)
            alone.other = f"site {fmt_bytes(size)} in {files:,} files; {fmt_seconds(alone.median_cpu() / campaigns)} CPU per campaign"
            alone.meaning = "MkDocs and Material alone rendering the same pages (same theme and extensions, no plugin): the floor any generator on this engine pays."
        for folder in (generated, built, plain):
            remove(folder)

    # lists ------------------------------------------------------------------------------

    def lists(self) -> None:
        rows = self.settings.list_rows
        label = f"{rows:,} rows"
        checks = {
            "validate": cli_offers(["dataids", "validate"], "--root"),
            "convert": cli_offers(["dataids", "convert"], "--to"),
            "subtract": cli_offers(["dataids", "subtract"], "--to"),
        }
        if any(checks.values()):
            for operation, why in checks.items():
                for fmt in LIST_FORMATS:
                    self.unavailable(
                        "lists",
                        f"dataids {operation} ({fmt.upper()})",
                        label,
                        why or "needs convert to make its input",
                    )
            return
        folder = self.settings.work / "lists"
        remove(folder)
        folder.mkdir(parents=True)
        source, exclusions = write_list_inputs(folder, rows)
        (folder / "notebook.yaml").write_text(
            (ROOT / "notebook.yaml").read_text(encoding="utf-8"), encoding="utf-8"
        )
        repeats = min(3, self.settings.repeats())
        for fmt in LIST_FORMATS:
            target = folder / f"included.{fmt}"
            excluded = folder / f"excluded.{fmt}"
            convert = self.timed(
                "lists",
                f"dataids convert (ECSV → {fmt.upper()})",
                label,
                campaigns_command(
                    "dataids", "convert", "--root", str(folder), str(source), "-o", str(target)
                ),
                folder,
                repeats,
            )
            if convert is None:
                continue
            run_once(
                campaigns_command(
                    "dataids",
                    "convert",
                    "--root",
                    str(folder),
                    str(exclusions),
                    "-o",
                    str(excluded),
                ),
                folder,
            )
            size = target.stat().st_size
            convert.other = f"{fmt.upper()} file {fmt_bytes(size)}"
            convert.meaning = f"Reads the ECSV list, checks it and writes it as {fmt.upper()}."
            if fmt == "yaml":
                convert.meaning += (
                    " The YAML form writes runs of consecutive values as ranges, so this very"
                    " regular list (every detector of consecutive exposures) becomes tiny."
                )
            check = self.timed(
                "lists",
                f"dataids validate ({fmt.upper()})",
                label,
                campaigns_command("dataids", "validate", "--root", str(folder), str(target)),
                folder,
                repeats,
            )
            if check:
                check.other = f"{fmt.upper()} file {fmt_bytes(size)}"
                check.meaning = f"Loads the {fmt.upper()} list and checks every row: dimensions, types and ranges, duplicates."
            result = folder / f"result.{fmt}"
            subtract = self.timed(
                "lists",
                f"dataids subtract ({fmt.upper()})",
                label,
                campaigns_command(
                    "dataids",
                    "subtract",
                    "--root",
                    str(folder),
                    str(target),
                    str(excluded),
                    "-o",
                    str(result),
                ),
                folder,
                repeats,
            )
            if subtract:
                subtract.other = f"{fmt_bytes(result.stat().st_size)} written"
                subtract.meaning = f"Inclusion list minus an exclusion list of 500 exposures (all their detectors go), both {fmt.upper()}, result written as {fmt.upper()}."
        remove(folder)

    # jira -------------------------------------------------------------------------------

    def jira(self) -> None:
        keys = JIRA_KEYS if not self.settings.quick else 60
        campaigns = keys // 3
        label = f"{campaigns * 3 + Scale(campaigns).productions:,} keys"
        why = cli_offers(["jira", "fetch"], "--output")
        if not why and not (ROOT / "tests" / "jira" / "fake_jira.py").is_file():
            why = "the fake Jira server (tests/jira/fake_jira.py) is not there"
        if why:
            for mode in ("dc", "cloud"):
                self.unavailable("jira", f"campaigns jira fetch ({mode})", label, why)
            return
        from tests.jira.fake_jira import make_issue, serve  # the test server: only needed here

        root = self.settings.work / "jira-repo"
        remove(root)
        repository = write_repository(root, Scale(campaigns, list_rows=10))
        named = [
            *repository.jira_keys,
            *(f"DM-{40001 + n}" for n in range(len(repository.production_ids))),
        ]
        issues = [make_issue(key, f"Synthetic issue {key}") for key in named]
        repeats = min(3, self.settings.repeats())
        for mode in ("dc", "cloud"):
            with serve(mode, issues) as fake:  # type: ignore[arg-type]
                env = environment(fake.environment())
                snapshot = root / f"snapshot-{mode}.json"
                before = fake.request_count
                row = self.timed(
                    "jira",
                    f"campaigns jira fetch ({mode})",
                    label,
                    campaigns_command(
                        "jira",
                        "fetch",
                        "--root",
                        str(root),
                        "--output",
                        str(snapshot),
                        "--timeout",
                        "30",
                    ),
                    root,
                    repeats,
                    env,
                )
                if row:
                    requests = (fake.request_count - before) / len(row.runs)
                    row.other = f"{requests:.0f} requests per fetch; snapshot {fmt_bytes(snapshot.stat().st_size)}"
                    server = (
                        "Data Center (offset paging, strict key validation)"
                        if mode == "dc"
                        else "Cloud (/search/jql, cursor paging)"
                    )
                    row.meaning = f"Fetches every key the records name from a local fake Jira {server}, in batches of 50, and writes the snapshot; the server runs in the benchmark process on the same cores."
        remove(root)

    # bps ---------------------------------------------------------------------------------

    def bps(self) -> None:
        """`campaigns bps sync` (and --write-records) against the test WMS plugin, which ctrl_bps
        loads by class name in the sync's child process, as it would PanDA's."""
        campaigns = BPS_CAMPAIGNS if not self.settings.quick else 20
        label = campaigns_label(campaigns)
        why = cli_offers(["bps", "sync"], "--write-records")
        if not why and importlib.util.find_spec("lsst.ctrl.bps") is None:
            why = "ctrl_bps is not installed (pip install -e '.[bps]')"
        if why:
            for what in ("campaigns bps sync", "campaigns bps sync --write-records"):
                self.unavailable("bps", what, label, why)
            return
        root = self.settings.work / "bps-repo"
        remove(root)
        repository = write_repository(root, Scale(campaigns, list_rows=10))
        pristine = self.settings.work / "bps-records"
        remove(pristine)
        shutil.copytree(root / "campaigns", pristine)
        runs_file = self.settings.work / "bps-runs.json"
        calls_file = self.settings.work / "bps-calls.txt"
        counts = write_wms_runs(repository, runs_file)
        env = environment(
            {
                "PYTHONPATH": str(ROOT / "tests" / "bps"),
                "FAKE_WMS_RUNS": str(runs_file),
                "FAKE_WMS_CALLS": str(calls_file),
            }
        )
        snapshot = root / "workflow-status.json"

        def fresh() -> None:  # every run starts from the same records, without a snapshot
            remove(snapshot)
            remove(calls_file)
            remove(root / "campaigns")
            shutil.copytree(pristine, root / "campaigns")

        sync = [*campaigns_command("bps", "sync", "--root", str(root)), "--wms-service-class"]
        sync.append("fakewms.FakeWmsService")
        repeats = min(3, self.settings.repeats())
        scale = f"{label}, {counts['workflows']:,} workflows"
        row = self.timed("bps", "campaigns bps sync", scale, sync, root, repeats, env, fresh)
        if row:
            calls = len(calls_file.read_text(encoding="utf-8").splitlines())
            row.other = (
                f"{calls} plugin call(s) per sync; snapshot {fmt_bytes(snapshot.stat().st_size)}"
            )
            row.meaning = (
                f"Asks the test WMS plugin (through ctrl_bps, in a child process) about the "
                f"{counts['unfinished']:,} unfinished runs of the records and lists the "
                f"{counts['runs']:,} runs of the last 7 days, matches them to the workflows and "
                "writes the status snapshot: one listing call, plus one call per unfinished run "
                "the listing missed (none here). Includes ctrl_bps's import (about 2 s)."
            )
        edit = self.timed(
            "bps",
            "campaigns bps sync --write-records",
            scale,
            [*sync, "--write-records"],
            root,
            repeats,
            env,
            fresh,
        )
        if edit:
            edited = sum(
                1
                for path in (root / "campaigns").rglob("*.yaml")
                if path.read_bytes()
                != (pristine / path.relative_to(root / "campaigns")).read_bytes()
            )
            edit.other = f"{edited:,} records edited"
            edit.meaning = (
                f"The same sync, then every record brought in line through the round-trip "
                f"editor: {counts['changed']:,} workflow statuses changed and one run per "
                "campaign the record does not list added as a new workflow."
            )
        remove(root)
        remove(pristine)


def write_wms_runs(repository: SyntheticRepository, target: Path) -> dict[str, int]:
    """The test plugin's runs for a synthetic repository: every submitted workflow's run (those
    the records call running have finished), plus one run per campaign the records lack."""
    counts = {"workflows": 0, "runs": 0, "unfinished": 0, "changed": 0}
    runs: list[dict[str, Any]] = []
    summary = {"isr": {"SUCCEEDED": 180, "FAILED": 2}, "calibrateImage": {"SUCCEEDED": 178}}
    for path in repository.campaign_files:
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for workflow in record.get("workflows", []):
            counts["workflows"] += 1
            if "run_id" not in workflow:
                continue
            state = "FAILED" if workflow["status"] == "failed" else "SUCCEEDED"
            if workflow["status"] not in ("succeeded", "failed"):
                counts["unfinished"] += 1
                counts["changed"] += 1
            runs.append(
                {
                    "wms_id": str(workflow["run_id"]),
                    "campaign": record["id"],
                    "payload": workflow["name"],
                    "label": workflow.get("step", ""),
                    "run": workflow.get("run_name", ""),
                    "path": workflow.get("submit_dir", ""),
                    "operator": "operator",
                    "state": state,
                    "updated": "2026-11-24T11:00:00Z",
                    "job_summary": summary,
                    "exit_code_summary": {"isr": [137, 1]},
                }
            )
        runs.append(
            {
                "wms_id": f"9{len(runs):07d}",
                "campaign": record["id"],
                "payload": "extra-check",
                "label": "step1",
                "run": f"u_operator_extra_check_{len(runs)}_20261124T100000Z",
                "path": "/sdf/submit/u/operator/extra_check/20261124T100000Z",
                "operator": "operator",
                "state": "RUNNING",
                "updated": "2026-11-24T11:00:00Z",
                "job_summary": {"isr": {"SUCCEEDED": 10, "RUNNING": 90}},
            }
        )
    counts["runs"] = len(runs)
    target.write_text(json.dumps({"now": "2026-11-24T12:00:00Z", "runs": runs}), encoding="utf-8")
    return counts


def write_list_inputs(folder: Path, rows: int) -> tuple[Path, Path]:
    """The ECSV inclusion list (``rows`` rows) and an exclusion list of 500 exposures inside it."""
    from bench.synth import inclusion_rows

    source = folder / "included-source.ecsv"
    write_ecsv(
        source,
        [("exposure", "uint64"), ("detector", "int16")],
        inclusion_rows(rows),
        list_metadata("inclusion", "Benchmark inclusion list.", "bench/run.py"),
    )
    exposures = sorted({row[0] for row in inclusion_rows(rows)})
    excluded = [(e, "trailed") for e in exposures[::10][:500]]
    exclusions = folder / "excluded-source.ecsv"
    write_ecsv(
        exclusions,
        [("exposure", "uint64"), ("reason", "string")],
        excluded,
        list_metadata("exclusion", "Benchmark exclusion list.", "bench/run.py"),
    )
    return source, exclusions


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its ``!!python/name:`` tags (they are kept as None)."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def write_plain_mkdocs_config(root: Path, docs_dir: Path, target: Path) -> Path:
    """A config that inherits everything from the repository's mkdocs.yml except the plugin."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    plugins = [
        plugin
        for plugin in config.get("plugins", [])
        if (plugin if isinstance(plugin, str) else next(iter(plugin))) != "campaign-notebook"
    ]
    # JSON is YAML: MkDocs reads this file, and INHERIT merges it over the repository's config.
    settings: dict[str, Any] = {
        "INHERIT": str(root / "mkdocs.yml"),
        "docs_dir": str(docs_dir),
        "plugins": plugins,
    }
    # MkDocs reads a relative custom_dir against this file's folder: name the repository's.
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        settings["theme"] = {"custom_dir": str(root / theme["custom_dir"])}
    target.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    return target


# --- machine, report, docs ----------------------------------------------------------------


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
        f"Runs per figure: up to {MAX_RUNS}, fewer once a figure has taken {FIGURE_BUDGET:.0f} s "
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


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


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
    settings = Settings(args.quick, scales, parts, list_rows, work, profile_dir, args.runs)
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
            getattr(bench, part)()
            save()
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    say(f"total {fmt_seconds(time.perf_counter() - started)}; results in {path.relative_to(ROOT)}")
    return report(bench.rows, info, settings, write)


if __name__ == "__main__":
    raise SystemExit(main())
