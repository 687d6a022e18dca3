"""The scheduled sync: a self-hosted runner, the one workflow that may push, actions pinned."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

PROJECT = Path(__file__).resolve().parents[2]
WORKFLOW = PROJECT / ".github" / "workflows" / "bps-sync.yml"
CRON = PROJECT / "scripts" / "bps-sync-cron.sh"


def _load() -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return data


def test_runs_at_the_data_facility_with_a_token_scoped_to_it() -> None:
    workflow = _load()
    assert workflow["permissions"] == {}  # nothing by default ...
    (job,) = workflow["jobs"].values()
    assert "self-hosted" in job["runs-on"]
    assert job["permissions"] == {  # ... and only what this job needs
        "contents": "write",
        "pull-requests": "write",
        "actions": "write",
    }
    assert "secrets." not in WORKFLOW.read_text(encoding="utf-8")
    runs = "\n".join(step.get("run", "") for step in job["steps"])
    assert "campaigns bps sync" in runs and "git push" in runs


def test_actions_are_pinned_to_commits() -> None:
    for step in _load()["jobs"]["sync"]["steps"]:
        if "uses" in step:
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", step["uses"]), step["uses"]
    text = WORKFLOW.read_text(encoding="utf-8")
    assert re.search(r"@[0-9a-f]{40} # v\d+\.\d+\.\d+", text)


def test_only_this_workflow_keeps_push_credentials() -> None:
    checkout = next(s for s in _load()["jobs"]["sync"]["steps"] if "uses" in s)
    assert checkout["with"]["persist-credentials"] is True
    for other in WORKFLOW.parent.glob("*.yml"):
        if other != WORKFLOW:
            assert "persist-credentials: true" not in other.read_text(encoding="utf-8")


def test_cron_example_is_a_valid_script_that_syncs_and_pushes() -> None:
    assert subprocess.run(["sh", "-n", str(CRON)], check=False).returncode == 0
    text = CRON.read_text(encoding="utf-8")
    assert ".venv/bin/campaigns bps sync" in text and "git push" in text
    assert "set -eu" in text  # a failed sync commits nothing
