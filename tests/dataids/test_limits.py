"""Size limits per list file and a budget of rows across a repository's lists (notebook.yaml)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.model.dataid_lists import ListLimits

from .conftest import REPOSITORY


def _repository(tmp_path: Path, limits: str) -> Path:
    shutil.copy(REPOSITORY / "notebook.yaml", tmp_path)
    shutil.copytree(REPOSITORY / "campaigns", tmp_path / "campaigns")
    config = tmp_path / "notebook.yaml"
    config.write_text(config.read_text(encoding="utf-8") + limits, encoding="utf-8")
    return tmp_path


def test_the_rows_of_all_lists_have_a_budget(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repository(tmp_path, "dataid_limits:\n  total_rows: 1000\n")
    assert main(["validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "error: the DataId lists hold 1,3" in out and "over the budget of 1,000" in out
    assert "dataids/dr1-mini-drp-visits.yaml 1,257" in out


def test_a_yaml_list_over_the_size_limit_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _repository(tmp_path, "dataid_limits:\n  max_yaml_mb: 1\n")
    visits = root / "campaigns/dataids/dr1-mini-drp-visits.yaml"
    visits.write_text(
        visits.read_text(encoding="utf-8") + "#" * (1024 * 1024) + "\n", encoding="utf-8"
    )
    assert main(["validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert "over the 1 MB limit for YAML lists" in out


def test_the_default_limits_admit_the_benchmark_list() -> None:
    limits = ListLimits()
    assert limits.total_rows >= 50 * 1_000_000
    assert limits.max_file_bytes > 100 * 1024 * 1024  # a million-row ECSV is about 20 MB


def test_a_list_that_is_not_utf8_is_pointed_at_like_a_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Lists and records are read by one function: the same located problem for a bad byte."""
    root = _repository(tmp_path, "")
    visits = root / "campaigns/dataids/dr1-mini-drp-visits.yaml"
    visits.write_bytes(b"kind: inclusion\ndescription: caf\xe9\n")
    assert main(["validate", "--root", str(root)]) == 1
    out = capsys.readouterr().out
    assert (
        "campaigns/dataids/dr1-mini-drp-visits.yaml:2:17: error: file is not valid UTF-8 (byte 0xe9)"
        in out
    )
