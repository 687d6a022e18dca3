"""The GitHub Actions workflows: valid for GitHub, and running only documented commands."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import build_parser

PROJECT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((PROJECT / ".github" / "workflows").glob("*.yml"))
README = (PROJECT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def load(name: str) -> dict[Any, Any]:
    data: dict[Any, Any] = yaml.safe_load(
        (PROJECT / ".github" / "workflows" / name).read_text(encoding="utf-8")
    )
    return data


def steps(workflow: dict[Any, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def commands(script: str) -> list[list[str]]:
    """The ``campaigns`` and ``make`` command lines of a ``run:`` script, as argument lists."""
    found = []
    for line in script.splitlines():
        words = shlex.split(line, comments=True)
        if words and words[0] in ("campaigns", "make"):
            found.append(words[: words.index(">>")] if ">>" in words else words)
    return found


def test_there_are_three_workflows() -> None:
    assert [w.name for w in WORKFLOWS] == ["bps-sync.yml", "publish.yml", "pull-request.yml"]


def test_workflows_pass_githubs_schema() -> None:
    result = subprocess.run(
        [
            str(BIN / "check-jsonschema"),
            "--builtin-schema",
            "vendor.github-workflows",
            *map(str, WORKFLOWS),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


def test_the_schema_check_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  build:\n    steps:\n      - run: make site\n", encoding="utf-8"
    )
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", str(broken)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "'runs-on' is a required property" in result.stdout


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_command_is_documented_and_parses(workflow: Path) -> None:
    lines = [
        words for step in steps(load(workflow.name)) for words in commands(step.get("run", ""))
    ]
    assert lines
    makefile = (PROJECT / "Makefile").read_text(encoding="utf-8")
    for words in lines:
        if words[0] == "make":
            assert re.search(rf"^{words[1]}:", makefile, re.MULTILINE), f"no make target {words[1]}"
            assert f"make {words[1]}" in README
            continue
        subcommand = " ".join(w for w in words[:3] if not w.startswith("-"))
        assert subcommand in README, f"README does not document {subcommand!r}"
        build_parser().parse_args(words[1:])  # exits (SystemExit) on an unknown option


def test_pull_requests_build_without_secrets_from_the_committed_snapshot() -> None:
    text = (PROJECT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "secrets." not in text and "jira fetch" not in text
    workflow = load("pull-request.yml")
    assert list(workflow[True]) == ["pull_request"]  # PyYAML reads the key `on` as True
    runs = [step.get("run", "") for step in steps(workflow)]
    order = [
        next(i for i, run in enumerate(runs) if needle in run)
        for needle in (
            "pip install",
            "campaigns validate --format github",
            "campaigns diff",
            "make site",
        )
    ]
    assert order == sorted(order)
    summary = next(step for step in steps(workflow) if "campaigns diff" in step.get("run", ""))
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary["run"]
    assert summary["if"] == "${{ !cancelled() }}"
    upload = next(
        step
        for step in steps(workflow)
        if step.get("uses", "").startswith("actions/upload-artifact@")
    )
    assert upload["with"]["path"] == "site/"


def test_publishing_survives_a_jira_failure_and_says_so() -> None:
    workflow = load("publish.yml")
    assert workflow[True]["push"] == {"branches": ["main"]}
    assert "schedule" in workflow[True]
    build = workflow["jobs"]["build"]["steps"]
    fetch = next(step for step in build if step.get("run") == "campaigns jira fetch")
    assert fetch["continue-on-error"] is True
    assert set(fetch["env"]) == {"JIRA_SERVER", "JIRA_USER", "JIRA_TOKEN"}
    warn = next(
        step for step in build if step.get("if") == "${{ steps.jira.outcome == 'failure' }}"
    )
    assert "previous Jira snapshot" in warn["run"] and "$GITHUB_STEP_SUMMARY" in warn["run"]
    uses = [step.get("uses", "").split("@")[0] for step in steps(workflow)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert build.index(fetch) < next(
        i for i, step in enumerate(build) if step.get("run") == "make site"
    )
    assert workflow["jobs"]["deploy"]["needs"] == "build"
    assert workflow["jobs"]["link"]["needs"] == "deploy"
    link = workflow["jobs"]["link"]["steps"][-1]
    assert "campaigns jira link" in link["run"]


def test_secrets_reach_only_the_jira_steps() -> None:
    workflow = load("publish.yml")
    assert "env" not in workflow
    for job in workflow["jobs"].values():
        assert "env" not in job
        for step in job.get("steps", []):
            if "secrets." in str(step):
                assert "campaigns jira" in step["run"], step
