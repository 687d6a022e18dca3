"""The parts of the benchmark (startup, validate, site, lists, jira, bps): one method each."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import pstats
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.inputs import (
    write_list_inputs,
    write_plain_mkdocs_config,
    write_wms_runs,
)
from bench.measure import (
    BPS_CAMPAIGNS,
    JIRA_KEYS,
    LIST_FORMATS,
    PEER_MAX_CAMPAIGNS,
    PYTHON,
    ROOT,
    CommandFailed,
    Row,
    Run,
    Settings,
    campaigns_command,
    campaigns_label,
    cli_offers,
    environment,
    fmt_bytes,
    fmt_seconds,
    folder_bytes,
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
                self.missing("validate", "campaigns validate", label, why)
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
            self.missing("validate", what, label, "check-jsonschema is not installed")
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
                    self.missing("site", what, label, why)
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

    # browser ----------------------------------------------------------------------------

    def browser(self) -> None:
        """Search, page weight and site size as a reader meets them, in headless Chromium."""
        from bench.browser import CHROMIUM, measure_site

        why = ""
        if self.settings.quick:
            why = "not run by the quick benchmark (a full build and a browser per scale)"
        elif importlib.util.find_spec("playwright") is None or not Path(CHROMIUM).exists():
            why = "Playwright or Chromium is not installed"
        for campaigns in self.settings.scales:
            label = campaigns_label(campaigns)
            if why:
                self.add(Row("browser", "search in Chromium", label, status="skipped", detail=why))
                continue
            repository = self.repository(campaigns)
            built = self.settings.work / f"site-browser-{campaigns}"
            remove(built)
            build = self.timed(
                "browser",
                "mkdocs build with the plugin (for the browser)",
                label,
                [
                    PYTHON,
                    "-m",
                    "mkdocs",
                    "build",
                    "-q",
                    "-f",
                    str(repository.root / "mkdocs.yml"),
                    "-d",
                    str(built),
                ],
                repository.root,
                1,
            )
            if not build:
                continue
            size, _ = folder_bytes(built)
            # The DataId list downloads are data the benchmark sizes on purpose (a million rows):
            # the pages' own weight is the rest.
            downloads = sum(
                p.stat().st_size
                for p in (built / "dataids").rglob("*")
                if p.is_file() and p.suffix != ".html"
            )
            figures = measure_site(built, repository.campaign_files[-1].stem)
            row = Row(
                "browser",
                "search in Chromium (home page → first result)",
                label,
                [Run(figures.search_seconds, figures.search_seconds, 0)],
            )
            row.other = (
                f"{fmt_bytes(figures.search_bytes)} fetched; JS on a page without diagrams "
                f"{fmt_bytes(figures.js_bytes)}; site {fmt_bytes(size / campaigns)} per campaign "
                f"({fmt_bytes((size - downloads) / campaigns)} without the DataId list downloads); "
                f"{figures.requests_outside} requests outside"
            )
            row.meaning = (
                "Seconds from the last key typed to the first result, in headless Chromium on "
                "127.0.0.1; bytes fetched from opening the home page to that result."
            )
            self.add(row)
            remove(built)

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
                    self.missing(
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
                self.missing("jira", f"campaigns jira fetch ({mode})", label, why)
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
                self.missing("bps", what, label, why)
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
