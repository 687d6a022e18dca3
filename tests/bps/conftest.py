"""Fixtures for the workflow-system tests: a small notebook in git, the test WMS plugin's runs,
and `campaigns` run as a subprocess (the plugin is loaded by its class name, as bps does)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).parent
PROJECT = HERE.parent.parent
PLUGIN = "fakewms.FakeWmsService"
DEMO = "bps-demo-20261120-a1b2"
NOW = "2026-11-24T12:00:00Z"
SNAPSHOT = "status/workflow-status.json"


def demo_runs() -> list[dict[str, Any]]:
    """A run in every WmsStates state, for the records of tests/bps/repo."""

    def run(wms_id: str, state: str, payload: str, **more: Any) -> dict[str, Any]:
        return {
            "wms_id": wms_id,
            "campaign": DEMO,
            "project": "dr1",
            "payload": payload,
            "label": "step2",
            "operator": "kmensah",
            "run": f"u_kmensah_{payload}_20261121T080000Z",
            "path": f"/sdf/submit/u/kmensah/{payload}/20261121T080000Z",
            "state": state,
            "updated": "2026-11-24T11:00:00Z",
            "job_summary": {"isr": {"SUCCEEDED": 10}},
            **more,
        }

    return [
        run("1001", "SUCCEEDED", "step1", updated="2026-11-20T20:00:00Z", label="step1"),
        run(
            "1002",
            "RUNNING",
            "step2-group1",
            run="u_kmensah_step2_g1_20261121T080000Z",
            job_summary={
                "isr": {"SUCCEEDED": 120},
                "calibrateImage": {"SUCCEEDED": 90, "FAILED": 3, "RUNNING": 25, "PENDING": 2},
                "makeDirectWarp": {"UNREADY": 40},
            },
            exit_code_summary={"calibrateImage": [137, 137, 1]},
        ),
        run("1003", "HELD", "step2-group2"),
        run("1004", "PENDING", "step2-group3"),
        run("1005", "SUCCEEDED", "step2-group4"),
        run("1006", "READY", "step2-group5"),
        run("1007", "UNREADY", "step2-group6"),
        # Failed a month ago: the listing leaves it out, so it is asked for by id.
        run(
            "1008",
            "FAILED",
            "step2-group7",
            updated="2026-10-20T00:00:00Z",
            job_summary={"isr": {"SUCCEEDED": 5, "FAILED": 2}},
            exit_code_summary={"isr": [1, 1]},
        ),
        run("1009", "DELETED", "step2-group8"),
        run("1010", "PRUNED", "step2-group9"),
        run("1011", "MISFIT", "step2-group10"),
        # Submitted from the planned workflow step3's submit file (payloadName: step3).
        run("1013", "RUNNING", "step3", label="step3", run="u_kmensah_step3_20261124T093000Z"),
        # Not in the record at all; its text is hostile.
        run(
            "2001",
            "UNKNOWN",
            "adhoc-check",
            run="<img src=x onerror=alert(1)>",
            operator="<script>alert(2)</script>",
            job_summary={"<b>label</b>": {"FAILED": 1}},
            exit_code_summary={"<b>label</b>": [9]},
        ),
        # Another team's campaign: not the notebook's business.
        {**run("5555", "RUNNING", "theirs"), "campaign": "someone-else"},
        # The finished campaign's run: neither listed (old) nor asked.
        {
            **run("900", "SUCCEEDED", "step1", updated="2026-11-01T12:00:00Z"),
            "campaign": "bps-quiet-20261101-c3d4",
        },
    ]


@dataclass
class Result:
    code: int
    out: str
    err: str


@dataclass
class Notebook:
    root: Path
    runs_file: Path
    calls_file: Path
    env: dict[str, str]

    def set_runs(self, runs: list[dict[str, Any]], behaviour: str = "answer") -> None:
        self.runs_file.write_text(
            json.dumps({"now": NOW, "behaviour": behaviour, "runs": runs}), encoding="utf-8"
        )

    def calls(self) -> list[str]:
        if not self.calls_file.is_file():
            return []
        return self.calls_file.read_text(encoding="utf-8").splitlines()

    def campaigns(
        self, *args: str, timeout: float = 120, env: dict[str, str] | None = None
    ) -> Result:
        completed = subprocess.run(
            [sys.executable, "-m", "generator.cli", *args],
            cwd=self.root,
            env={**self.env, **(env or {})},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    def snapshot(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.root / SNAPSHOT).read_text(encoding="utf-8"))
        return data


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=Test", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def notebook(tmp_path: Path) -> Notebook:
    root = tmp_path / "notebook"
    shutil.copytree(HERE / "repo", root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "records")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("BPS_WMS_SERVICE_CLASS", "CAMPAIGNS_DEBUG")
    }
    env["PYTHONPATH"] = os.pathsep.join(
        [str(HERE), str(PROJECT), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    env["FAKE_WMS_RUNS"] = str(tmp_path / "runs.json")
    env["FAKE_WMS_CALLS"] = str(tmp_path / "calls.txt")
    env["CAMPAIGNS_NOW"] = NOW
    book = Notebook(root, tmp_path / "runs.json", tmp_path / "calls.txt", env)
    book.set_runs(demo_runs())
    return book


RunCli = Callable[..., Result]
