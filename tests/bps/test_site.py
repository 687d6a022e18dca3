"""The notebook shows what `campaigns bps sync` heard; its Reproduce block is bps config's code."""

from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import subprocess
from datetime import datetime, timedelta

import pytest

from generator.model.records import parse_timestamp
from generator.site.build import build_notebook
from tests.bps.conftest import DEMO, NOW, PLUGIN, Notebook
from tests.bps.test_config import _bps_config, bps_group, parse_command, pipetask_group

pytestmark = pytest.mark.slow


def _now(offset_hours: float = 0) -> datetime:
    moment = parse_timestamp(NOW)
    assert moment is not None
    return moment + timedelta(hours=offset_hours)


@pytest.fixture
def synced(notebook: Notebook) -> Notebook:
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN)
    assert result.code == 0, result.err
    return notebook


def test_campaign_page_shows_live_progress(synced: Notebook) -> None:
    page = build_notebook(synced.root, _now(1)).pages[f"campaigns/{DEMO}.md"]
    live = page[page.index("## Live progress") : page.index("## Definition")]
    assert "Workflow status as of 2026-11-24 12:00 UTC." in live
    assert "may be out of date" not in live
    # step2-group1: jobs per state, the bar, failures per task label with exit codes
    row = next(line for line in live.splitlines() if line.startswith("| step2-group1 |"))
    assert '<progress class="cn-progress cn-progress--failed" value="213" max="280"' in row
    assert "✔ succeeded 210 · ✖ failed 3 · ▶ running 25 · ◷ pending 2 · … unready 40" in row
    assert "`calibrateImage` 3 failed (exit 137 ×2, 1)" in row
    # the run the record does not list yet, with its hostile text shown as text
    unlisted = live[live.index("### Runs not in the record yet") :]
    assert "`2001`" in unlisted and "`<img src=x onerror=alert(1)>`" in unlisted
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in unlisted
    assert "<script>" not in page and "<img src=x" not in page.replace("`<img src=x", "")
    # the workflow table's Live column
    table_row = next(line for line in page.splitlines() if line.startswith("| step2-group4 |"))
    assert "✔ succeeded" in table_row  # the record says running; the workflow system, succeeded


def test_stale_snapshot_is_flagged(synced: Notebook) -> None:
    page = build_notebook(synced.root, _now(30)).pages[f"campaigns/{DEMO}.md"]
    assert "Workflow status may be out of date" in page
    assert "30 hours old (more than 6)" in page


def test_home_running_now_and_json_export(synced: Notebook) -> None:
    notebook = build_notebook(synced.root, _now(1))
    home = notebook.pages["index.md"]
    running = home[home.index("## Running now") : home.index("## Latest campaigns")]
    row = next(line for line in running.splitlines() if DEMO in line)
    assert "‖ held</span> step2-group2" in row  # the live state, not the record's "running"
    assert "step2-group4" not in row  # succeeded by now
    assert "+ 1 run(s) not in the record" not in row  # 2001 is in state unknown: not active
    assert "<progress" in row
    export = json.loads(notebook.files["api/campaigns.json"])
    assert export["workflow_status"]["asked_at"] == "2026-11-24T12:00:00Z"
    listed = next(c for c in export["campaigns"] if c["id"] == DEMO)
    demo = json.loads(gzip.decompress(notebook.files[listed["record"]]))
    assert demo["id"] == DEMO
    runs = {run["run_id"]: run for run in demo["workflow_status"]}
    assert runs["1002"]["job_counts"]["failed"] == 3
    assert runs["2001"]["workflow"] == ""


# Each command of the Reproduce block prints its words (NUL after each) and a \x01: what the
# programs would get once a real shell has expanded the block's variables.
PRINTERS = "".join(
    f"{name}() {{ printf '%s\\0' {name} \"$@\"; printf '\\1'; }}\n"
    for name in ("campaigns", "bps", "pipetask")
)


def _reproduce_commands(page: str) -> list[list[str]]:
    """The commands of the Reproduce block, as bash runs them (quotes and ``${NAME}``
    references expanded), with DRP_PIPE_DIR set as in ``_bps_config``."""
    section = page[page.index("## Reproduce") :]
    blocks = re.findall(r"```text\n(.*?)\n```", section, re.DOTALL)
    result = subprocess.run(
        ["bash", "-c", PRINTERS + blocks[1]],
        env={**os.environ, "DRP_PIPE_DIR": "/software/drp_pipe"},
        capture_output=True,
        text=True,
        check=True,
    )
    return [command.split("\0")[:-1] for command in result.stdout.split("\1")[:-1]]


def test_reproduce_block_parses_and_agrees_with_the_submit_files(
    synced: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = build_notebook(synced.root, _now()).pages[f"campaigns/{DEMO}.md"]
    commands = _reproduce_commands(page)
    assert commands[0] == ["campaigns", "bps", "config", DEMO, "-o", f"submit/{DEMO}"]
    # Run the first command as a reader would, then parse the rest with the real parsers. Every
    # command runs from the repository root (no `cd`: a submit file's includeConfigs is relative
    # to it), so each file named is there, relative to the root.
    result = synced.campaigns(*commands[0][1:])
    assert result.code == 0, result.err
    monkeypatch.chdir(synced.root)
    submits = [c for c in commands if c[:2] == ["bps", "submit"]]
    assert len(submits) == 12
    for words in submits:
        name, params = parse_command(bps_group(), words)
        assert name == "submit" and (synced.root / params["config_file"]).is_file()
        assert params["config_file"].startswith(f"submit/{DEMO}/"), params["config_file"]
    pipetask = next(c for c in commands if c[0] == "pipetask")
    name, shown = parse_command(pipetask_group(), pipetask)
    assert name == "qgraph"
    # The same values bps takes from the submit file of that workflow (step1).
    config = _bps_config(synced.root / "submit" / DEMO / "step1.yaml", monkeypatch)
    _, command = config.search("createQuantumGraph", opt={"curvals": {"qgraphFile": "g.qg"}})
    _, from_file = parse_command(pipetask_group(), ["pipetask", *shlex.split(command)[1:]])
    for key in ("butler_config", "input", "output", "data_query", "config", "config_file"):
        assert shown[key] == from_file[key], key
    # The page writes ${DRP_PIPE_DIR}, which the shell expands as bps expands the file's.
    assert '"${DRP_PIPE_DIR}/pipelines/LSSTCam/DRP.yaml#step1"' in page
    assert shown["pipeline"] == "/software/drp_pipe/pipelines/LSSTCam/DRP.yaml#step1"
    assert from_file["pipeline"] == shown["pipeline"]
    assert [p.rsplit("/", 1)[-1] for p in shown["data_id_table"]] == [
        p.rsplit("/", 1)[-1] for p in from_file["data_id_table"]
    ]
