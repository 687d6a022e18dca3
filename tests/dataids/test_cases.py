"""Each folder under cases/invalid holds one list and expected.txt, the messages it must produce.

Add a case by adding a folder; rewrite expected files with `pytest --update-golden`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.dataids import Dimension, load_list
from generator.reporting import format_text

from .conftest import CASES

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())


def _list_file(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.name.startswith("list.")]
    return found


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_list_reports_expected_messages(
    case: Path, universe: dict[str, Dimension], update_golden: bool
) -> None:
    path = _list_file(case)
    _, problems = load_list(path, display=path.name, universe=universe)
    got = "".join(format_text(p) + "\n" for p in sorted(problems))
    expected_file = case / "expected.txt"
    if update_golden:
        expected_file.write_text(got, encoding="utf-8")
    elif not expected_file.exists():
        pytest.fail(f"{expected_file} is missing; write it with `pytest --update-golden`")
    assert any(p.is_error for p in problems), "an invalid case must produce at least one error"
    assert got == expected_file.read_text(encoding="utf-8")
