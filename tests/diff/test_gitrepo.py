"""The git queries the notebook makes: history per record file, the checked-out commit."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator import gitrepo
from generator.errors import UserError
from tests.diff.conftest import RecordsRepo

NIGHTLY = "campaigns/nightly-20261123-k9rm.yaml"
RERUN = "campaigns/dr1-mini-drp-rerun-20261103-t5hw.yaml"


def test_file_history_lists_the_commits_of_each_file_newest_first(
    records_repo: RecordsRepo,
) -> None:
    records_repo.replace(NIGHTLY, "status: completed", "status: failed")
    records_repo.commit("Night failed after all\n\nlonger explanation")
    records_repo.replace(RERUN, "\nstatus: running\n", "\nstatus: paused\n")
    records_repo.commit("Pause the rerun")
    history = gitrepo.file_history(
        records_repo.root, [NIGHTLY, RERUN, "notebook.yaml", "campaigns/missing.yaml"]
    )
    assert [c.message for c in history[NIGHTLY]] == ["Night failed after all", "Example records"]
    assert [c.message for c in history[RERUN]] == ["Pause the rerun", "Example records"]
    assert [c.message for c in history["notebook.yaml"]] == ["Example records"]
    assert history["campaigns/missing.yaml"] == []
    first = history[NIGHTLY][-1]
    assert first.author == "Ana Souza"
    assert first.date == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert len(first.sha) == 40


def test_head_commit(records_repo: RecordsRepo) -> None:
    records_repo.commit("Second")
    head = gitrepo.head_commit(records_repo.root)
    assert head is not None
    assert head.message == "Second"
    assert head.sha == records_repo.git("rev-parse", "HEAD").strip()


def test_a_repository_without_commits(tmp_path: Path) -> None:
    RecordsRepo(tmp_path).git("init", "--quiet")
    assert gitrepo.head_commit(tmp_path) is None
    assert gitrepo.file_history(tmp_path, ["notebook.yaml"]) == {"notebook.yaml": []}


def test_git_failures_are_user_errors(tmp_path: Path) -> None:
    assert not gitrepo.is_git_repository(tmp_path)
    with pytest.raises(UserError, match=r"^git log failed: fatal: not a git repository"):
        gitrepo.run_git(tmp_path, "log")
