"""The synthetic repositories the benchmark measures: the promised shape, and valid records."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bench.synth import STEP_PLAN, Scale, SyntheticRepository, write_repository
from generator.cli import main


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> SyntheticRepository:
    return write_repository(tmp_path_factory.mktemp("synth") / "repo", Scale(8, list_rows=3000))


def data_rows(path: Path) -> list[str]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in lines if not line.startswith("#")][1:]  # after the column names


def test_campaigns_have_the_promised_shape(small: SyntheticRepository) -> None:
    assert len(small.campaign_files) == 8
    for path in small.campaign_files:
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert path.stem == record["id"]
        assert len(record["workflows"]) == 20 == len(STEP_PLAN)
        assert len(record["jira"]) == 3
        assert len(record["journal"]) == 10
    assert len(set(small.jira_keys)) == 24  # 3 distinct keys per campaign


def test_lists_have_the_promised_rows(small: SyntheticRepository) -> None:
    assert len(data_rows(small.inclusion_list)) == 3000
    assert len(small.exclusion_lists) == len(small.production_ids) == 3
    for exclusions in small.exclusion_lists:
        rows = data_rows(exclusions)
        assert len(rows) == 500
        exposures = [int(row.split()[0]) for row in rows]
        assert exposures == sorted(set(exposures))


def test_the_synthetic_repository_validates_without_a_single_problem(
    small: SyntheticRepository, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["validate", "--root", str(small.root)])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err
    # notebook + 3 productions + 8 campaigns + 4 DataId lists (3 exclusion lists, 1 inclusion list)
    assert captured.out == "16 files checked: all valid\n"
    assert captured.err == ""


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    first = write_repository(tmp_path / "a", Scale(3, list_rows=10))
    second = write_repository(tmp_path / "b", Scale(3, list_rows=10))
    for one, other in zip(first.campaign_files, second.campaign_files, strict=True):
        assert one.read_bytes() == other.read_bytes()
