"""`campaigns validate` behaviour beyond single cases: examples, limits, formats, exit codes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.loading.yamlsafe import parse_yaml_text

REPO = Path(__file__).resolve().parents[2]
BASE = Path(__file__).parent / "cases" / "base"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    return root


def test_every_example_record_validates(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["validate", "--root", str(REPO)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert " error: " not in out
    assert "files checked" in out


def test_oversized_file_is_refused_without_reading_it(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    big = repo / "campaigns" / "big.yaml"
    big.write_text("id: big\nname: " + "x" * (6 * 1024 * 1024) + "\n")
    assert main(["validate", "--root", str(repo)]) == 1
    out = capsys.readouterr().out
    assert "campaigns/big.yaml: error: file is 6,291,471 bytes, over the limit of 5,242,880" in out


def test_deep_nesting_is_refused() -> None:
    data, problems = parse_yaml_text("a: " + "[" * 200 + "]" * 200, "deep.yaml")
    assert data is None
    assert problems[0].message == "nesting deeper than 64 levels"


def test_dates_and_norway_stay_text() -> None:
    data, problems = parse_yaml_text(
        "d: 2026-10-01\nn: NO\no: off\nv: 1.10\nt: true\nm: <<\n", "x.yaml"
    )
    assert problems == []
    assert data == {"d": "2026-10-01", "n": "NO", "o": "off", "v": 1.1, "t": True, "m": "<<"}


def test_json_format_lists_every_problem(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "campaigns" / "dev-a.yaml").write_text(
        (repo / "campaigns" / "dev-a.yaml").read_text().replace("status: completed", "status: done")
    )
    assert main(["validate", "--root", str(repo), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert document["errors"] == 1
    [problem] = document["problems"]
    assert problem == {
        "path": "campaigns/dev-a.yaml",
        "line": 5,
        "col": 9,
        "severity": "error",
        "rule": "schema",
        "message": "status 'done' is not allowed",
        "hint": "did you mean 'completed'?",
    }


def test_paths_limit_the_report_to_those_files(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (repo / "campaigns" / "broken.yaml").write_text("id: broken\n")
    monkeypatch.chdir(repo)
    assert main(["validate", "campaigns/dev-a.yaml"]) == 0
    capsys.readouterr()
    assert main(["validate", "campaigns/broken.yaml"]) == 1
    assert "campaigns/broken.yaml" in capsys.readouterr().out


def test_missing_path_is_a_usage_error(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--root", str(repo), str(repo / "nope.yaml")]) == 2
    err = capsys.readouterr().err
    assert "error: no such file or folder" in err
    assert "Traceback" not in err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["validate", "--frmat", "json"])
    assert exit_info.value.code == 2
    assert "campaigns: error: unrecognized arguments: --frmat" in capsys.readouterr().err


def test_outside_a_repository_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["validate"]) == 1
    assert "error: no notebook.yaml or campaigns/ folder here" in capsys.readouterr().err
