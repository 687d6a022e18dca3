"""`campaigns bps sync` (and --write-records) against the test WMS plugin."""

from __future__ import annotations

import importlib.util
import shutil

from bench.inputs import write_wms_runs
from bench.measure import (
    BPS_CAMPAIGNS,
    ROOT,
    campaigns_command,
    campaigns_label,
    cli_offers,
    environment,
    fmt_bytes,
    remove,
)
from bench.parts.core import Bench
from bench.synth import Scale, write_repository


def bps(bench: Bench) -> None:
    """`campaigns bps sync` (and --write-records) against the test WMS plugin, which ctrl_bps
    loads by class name in the sync's child process, as it would PanDA's."""
    campaigns = BPS_CAMPAIGNS if not bench.settings.quick else 20
    label = campaigns_label(campaigns)
    why = cli_offers(["bps", "sync"], "--write-records")
    if not why and importlib.util.find_spec("lsst.ctrl.bps") is None:
        why = "ctrl_bps is not installed (pip install -e '.[bps]')"
    if why:
        for what in ("campaigns bps sync", "campaigns bps sync --write-records"):
            bench.missing("bps", what, label, why)
        return
    root = bench.settings.work / "bps-repo"
    remove(root)
    repository = write_repository(root, Scale(campaigns, list_rows=10))
    pristine = bench.settings.work / "bps-records"
    remove(pristine)
    shutil.copytree(root / "campaigns", pristine)
    runs_file = bench.settings.work / "bps-runs.json"
    calls_file = bench.settings.work / "bps-calls.txt"
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
    repeats = min(3, bench.settings.repeats())
    scale = f"{label}, {counts['workflows']:,} workflows"
    row = bench.timed("bps", "campaigns bps sync", scale, sync, root, repeats, env, fresh)
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
    edit = bench.timed(
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
            if path.read_bytes() != (pristine / path.relative_to(root / "campaigns")).read_bytes()
        )
        edit.other = f"{edited:,} records edited"
        edit.meaning = (
            f"The same sync, then every record brought in line through the round-trip "
            f"editor: {counts['changed']:,} workflow statuses changed and one run per "
            "campaign the record does not list added as a new workflow."
        )
    remove(root)
    remove(pristine)
