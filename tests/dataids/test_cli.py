"""`campaigns dataids ...` end to end, through the real entry point (stdin, files, exit codes)."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.dataids import load_list

from .conftest import CASES, REPOSITORY

EXCLUSIONS = str(REPOSITORY / "campaigns/dataids/lsstcam-exclusions.ecsv")
VISITS = str(REPOSITORY / "campaigns/dataids/dr1-mini-drp-visits.yaml")


@pytest.fixture(autouse=True)
def _in_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)


def test_validate_reports_like_campaigns_validate(capsys: pytest.CaptureFixture[str]) -> None:
    bad = str(CASES / "invalid/duplicate-ecsv/list.ecsv")
    assert main(["dataids", "validate", EXCLUSIONS, bad]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:10:1: error: duplicate DataId exposure=2026041800610 (also on line 8)" in out
    assert "2 files checked: 1 error(s), 0 warning(s)" in out
    assert main(["dataids", "validate", EXCLUSIONS, VISITS]) == 0


def test_validate_github_format(capsys: pytest.CaptureFixture[str]) -> None:
    bad = str(CASES / "invalid/unknown-dimension/list.yaml")
    assert main(["dataids", "validate", "--format", "github", bad]) == 1
    assert capsys.readouterr().out.startswith("::error file=")


def test_missing_file_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataids", "summary", "no-such-list.ecsv"]) == 2
    assert "error: no such file: no-such-list.ecsv" in capsys.readouterr().err


@pytest.mark.parametrize("target", ["yaml", "ecsv", "json", "csv"])
def test_convert_round_trips_through_files(tmp_path: Path, target: str) -> None:
    out = tmp_path / f"visits.{target}"
    assert main(["dataids", "convert", VISITS, "-o", str(out)]) == 0
    back, problems = load_list(out)
    original, _ = load_list(VISITS)
    assert problems == [] and back is not None and original is not None
    assert back.same_content(original)


def test_convert_reads_stdin_and_writes_stdout(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(Path(EXCLUSIONS).read_text(encoding="utf-8")))
    assert main(["dataids", "convert", "-", "--to", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["kind"] == "exclusion"
    assert document["dataIds"][0]["reason"]


def test_convert_refuses_an_invalid_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out.yaml"
    assert (
        main(["dataids", "convert", str(CASES / "invalid/type-errors/list.yaml"), "-o", str(out)])
        == 1
    )
    assert not out.exists()
    assert "band must be text" in capsys.readouterr().err


def test_convert_no_reason_writes_a_data_id_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataids", "convert", VISITS, "--to", "ecsv", "--no-reason"]) == 0
    out = capsys.readouterr().out
    assert "\ninstrument,exposure\n" in out and "reason" not in out.split("# schema")[1]


def test_summary_counts_per_reason_and_night(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataids", "summary", EXCLUSIONS, "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (
        summary["rows"] == sum(summary["by_reason"].values()) == sum(summary["by_day_obs"].values())
    )
    assert "donuts" in summary["by_reason"]
    assert main(["dataids", "summary", VISITS]) == 0
    assert "per reason (" in capsys.readouterr().out


def test_set_operations_and_diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    kept = tmp_path / "kept.yaml"
    assert main(["dataids", "subtract", VISITS, EXCLUSIONS, "-o", str(kept)]) == 0
    result, problems = load_list(kept)
    assert problems == [] and result is not None
    assert result.metadata.inputs == (VISITS, EXCLUSIONS)
    assert main(["dataids", "diff", VISITS, str(kept)]) == 0
    out = capsys.readouterr().out
    assert "added: 0" in out and "removed: 5" in out
    assert main(["dataids", "intersect", VISITS, EXCLUSIONS, "--to", "csv"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) > 5
    assert (
        main(
            [
                "dataids",
                "union",
                EXCLUSIONS,
                str(REPOSITORY / "campaigns/dataids/comcam-exclusions.ecsv"),
                "-o",
                str(tmp_path / "all.ecsv"),
            ]
        )
        == 0
    )


def test_union_of_lists_with_other_dimensions_is_a_user_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["dataids", "union", EXCLUSIONS, VISITS]) == 1
    assert "error:" in capsys.readouterr().err


def test_where_and_its_refusal(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["dataids", "where", EXCLUSIONS, "--negate"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("exposure NOT IN (") and err == ""
    assert main(["dataids", "where", VISITS]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("instrument = 'LSSTCam' AND exposure IN (2026040")
    big = tmp_path / "big.yaml"
    rows = "".join(f"      - [{2026040100001 + 2 * i}, {i % 7}]\n" for i in range(3000))
    big.write_text(
        f"dimensions: [exposure, detector]\ngroups:\n  - reason: x\n    rows:\n{rows}",
        encoding="utf-8",
    )
    assert main(["dataids", "where", str(big), "--negate"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "error: the Butler cannot run" in err and "TAGGED" in err


def test_effective(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dataids", "effective", "dr1-mini-drp-rerun-20261103-t5hw"]) == 0
    out = capsys.readouterr().out
    assert "overlap: 5 included DataIds are excluded" in out and "selected: " in out
    assert main(["dataids", "effective", "dr1-mini-drp-rerun-2026", "--json"]) == 1
    assert "did you mean" in capsys.readouterr().err


def test_campaigns_validate_checks_named_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(REPOSITORY / "notebook.yaml", tmp_path)
    shutil.copytree(REPOSITORY / "campaigns", tmp_path / "campaigns")
    assert main(["validate", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (
        "dr1-mini-drp-rerun-20261103-t5hw.yaml:54:12: warning: inclusion and exclusion lists overlap: 5 DataId(s)"
        in out
    )
    exclusions = tmp_path / "campaigns/dataids/lsstcam-exclusions.ecsv"
    exclusions.write_text(
        exclusions.read_text(encoding="utf-8") + '2026041800999 ""\n', encoding="utf-8"
    )
    assert main(["validate", "--root", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert (
        "campaigns/dataids/lsstcam-exclusions.ecsv:" in out
        and "exposure=2026041800999 has no reason" in out
    )
    assert out.count("has no reason") == 1  # one list named by three campaigns is reported once


def test_a_list_named_on_the_wrong_side_is_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(REPOSITORY / "notebook.yaml", tmp_path)
    shutil.copytree(REPOSITORY / "campaigns", tmp_path / "campaigns")
    record = tmp_path / "campaigns/dr1-mini-drp-rerun-20261103-t5hw.yaml"
    text = record.read_text(encoding="utf-8")
    record.write_text(
        text.replace(
            "include: [dataids/dr1-mini-drp-visits.yaml]",
            "include: [dataids/comcam-exclusions.ecsv]",
        ),
        encoding="utf-8",
    )
    assert main(["validate", "--root", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert (
        "dr1-mini-drp-rerun-20261103-t5hw.yaml:53:13: warning: campaigns/dataids/comcam-exclusions.ecsv"
        " is an exclusion list but is named under selection.include" in out
    )
