"""The workflows hold secrets and publish the site: every action pinned to a commit, no token
left in a checkout, and zizmor (a static analyser for GitHub Actions) finds nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

PROJECT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
ZIZMOR = Path(sys.executable).parent / "zizmor"
# `uses: owner/repo[/path]@<40 hex> # vX.Y.Z`: the SHA of the tag's commit in the action's repo
PINNED = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


def run_zizmor(folder: Path) -> subprocess.CompletedProcess[str]:
    # --offline: no GitHub API calls (CI has no network but package registries)
    return subprocess.run(
        [str(ZIZMOR), "--offline", "--no-progress", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(workflow: Path) -> None:
    lines = [line for line in workflow.read_text().splitlines() if "uses:" in line]
    assert lines
    for line in lines:
        assert PINNED.match(line), line


def _steps(workflow: Path) -> list[tuple[str, dict[str, Any]]]:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return [(name, step) for name, job in data["jobs"].items() for step in job.get("steps", [])]


PUSHING_WORKFLOWS = {"bps-sync.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_no_checkout_keeps_the_token(workflow: Path) -> None:
    checkouts = [
        s for _, s in _steps(workflow) if s.get("uses", "").startswith("actions/checkout@")
    ]
    assert checkouts
    # Only the status sync pushes (its snapshot and record updates), so only it keeps the token.
    keeps = workflow.name in PUSHING_WORKFLOWS
    for step in checkouts:
        assert step["with"]["persist-credentials"] is keeps


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_are_only_in_the_steps_that_need_them(workflow: Path) -> None:
    data = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    assert "secrets." not in str(data.get("env", "")) + str(
        [job.get("env", "") for job in data["jobs"].values()]
    )
    for _, step in _steps(workflow):
        if "secrets." in str(step):
            assert set(step) >= {"env", "run"} and "secrets." not in step["run"], step
            assert "campaigns jira" in step["run"]


def test_zizmor_finds_nothing() -> None:
    result = run_zizmor(PROJECT / ".github")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_zizmor_would_catch_an_unpinned_action_and_a_kept_token(tmp_path: Path) -> None:
    copy = tmp_path / ".github"
    shutil.copytree(PROJECT / ".github", copy)
    workflow = copy / "workflows" / "pull-request.yml"
    text = workflow.read_text(encoding="utf-8")
    text = re.sub(r"actions/checkout@[0-9a-f]{40} # v[\d.]+", "actions/checkout@v5", text)
    workflow.write_text(re.sub(r"\n *persist-credentials: false[^\n]*", "", text))

    result = run_zizmor(copy)

    assert result.returncode != 0
    assert "unpinned-uses" in result.stdout and "artipacked" in result.stdout
