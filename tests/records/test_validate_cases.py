"""`campaigns validate` on case folders: each overlays files on cases/base and names its expected output.

Adding a case means adding a folder: cases/{valid,invalid}/<name>/ with the files that differ from
the base repository and an ``expected.txt`` (the exact lines validate prints). Run
``pytest tests/records --update-golden`` to (re)write expected.txt, then review the diff.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main

CASES = Path(__file__).parent / "cases"
BASE = CASES / "base"


def _case_dirs(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def build_case_repo(case: Path, tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    for source in case.rglob("*"):
        if source.is_file() and source.name not in ("expected.txt", ".keep"):
            target = root / source.relative_to(case)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return root


def run_validate(
    root: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    """(exit code, the problem lines, the summary line): the summary is always the last line."""
    code = main(["validate", "--root", str(root), *extra])
    captured = capsys.readouterr()
    problems, summary = captured.out[:-1].rpartition("\n")[::2] if captured.out else ("", "")
    assert " checked: " in summary, captured.out
    return code, problems + "\n" if problems else "", summary + captured.err


@pytest.mark.parametrize("case", _case_dirs("invalid"), ids=lambda p: p.name)
def test_invalid_case_reports_expected_problems(
    case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], update_golden: bool
) -> None:
    root = build_case_repo(case, tmp_path)
    code, out, err = run_validate(root, capsys)
    expected_file = case / "expected.txt"
    if update_golden:
        expected_file.write_text(out, encoding="utf-8")
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert out == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", _case_dirs("valid"), ids=lambda p: p.name)
def test_valid_case_passes(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = build_case_repo(case, tmp_path)
    code, out, err = run_validate(root, capsys)
    assert (code, out) == (0, ""), out + err
    assert "all valid" in err
