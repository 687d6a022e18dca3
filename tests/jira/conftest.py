"""Fixtures for the Jira tests: a copy of a small notebook, a seeded fake Jira, the CLI."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from tests.jira.fake_jira import FakeJira, make_issue, serve

HERE = Path(__file__).parent
# Planted as the token: it must never show up in output, logs, snapshots or pages.
SENTINEL_TOKEN = "SENTINEL-tok-7f3a9c51e2"
MOVED = {"DM-310": "PSF-7"}
# Named by tests/jira/repo: DM-100 DM-200 DM-201 DM-202 DM-299 DM-300 DM-310 (DM-299 is missing).
NAMED_KEYS = ["DM-100", "DM-200", "DM-201", "DM-202", "DM-299", "DM-300", "DM-310"]


def seed_issues() -> list[dict[str, Any]]:
    return [
        make_issue("DM-100", "DR1 production", issue_type="Epic", category="indeterminate"),
        make_issue(
            "DM-200",
            "Run the DR1 mini-DRP",
            status="Done",
            category="done",
            resolution="Done",
            labels=["dr1", "campaign-notebook"],
            fix_versions=["w_2026_40"],
            links=[("Blocks", "outward", "DM-300"), ("Relates", "inward", "DM-100")],
        ),
        make_issue("DM-201", "step1 submission", parent="DM-200", issue_type="Sub-task"),
        make_issue(
            "DM-202",
            '<img src=x onerror=alert(1)> step2 <a href="javascript:alert(1)">fails</a>',
            status="Blocked",
            assignee=None,
            priority="Blocker",
        ),
        make_issue("DM-300", "PSF model", status="To Do", category="new", assignee="Kwame Mensah"),
        make_issue(
            "PSF-7", "PSF ticket, moved from DM-310", created="2026-09-02T23:30:00.000-0700"
        ),
        make_issue("DM-400", "Only found by the label query", labels=["campaign-notebook"]),
    ]


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    target = tmp_path / "notebook"
    shutil.copytree(HERE / "repo", target)
    return target


@pytest.fixture(params=["dc", "cloud"])
def jira(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    """A seeded fake Jira in each mode, with the environment pointing at it."""
    with serve(request.param, seed_issues(), moved=MOVED, token=SENTINEL_TOKEN) as server:
        for name in ("JIRA_SERVER", "JIRA_TOKEN", "JIRA_USER"):
            monkeypatch.delenv(name, raising=False)
        for name, value in server.environment().items():
            monkeypatch.setenv(name, value)
        yield server


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], repo: Path) -> Any:
    """Run ``campaigns ARGS... --root <repo>`` in-process; returns code, stdout, stderr."""

    def run(*args: str) -> CliResult:
        code = main([*args, "--root", str(repo)])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
