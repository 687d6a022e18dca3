"""Placeholder warnings are the same for a record read by the fast path (which looks for "TODO"
in the file's text first) and by the positioned parse."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.checks.placeholders import check_placeholders
from generator.loading.yamlfast import LazyYamlMap, load_record_file
from generator.loading.yamlsafe import load_yaml_file

EXAMPLE = Path(__file__).resolve().parents[2] / "campaigns" / "dr1-psf-dev-20260902-a7kq.yaml"


@pytest.mark.parametrize(
    ("old", "new", "warnings"),
    [
        ("", "", 0),
        ("purpose: |\n", "purpose: |\n  TODO: say why\n", 1),
        ("purpose: |\n", "# TODO only in a comment\npurpose: |\n", 0),
        ("purpose: |\n", "purpose: >\n  TO\n  DO\n", 0),  # folded: "TO DO"
        ("purpose: |\n", "purpose: |\n  TODOS and todo are words\n", 0),
        ("workflows:\n", "workflows:\n# TODO\n", 0),
    ],
)
def test_fast_and_positioned_records_warn_alike(
    tmp_path: Path, old: str, new: str, warnings: int
) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / EXAMPLE.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    fast, _ = load_record_file(path, path.name)
    slow, _ = load_yaml_file(path, path.name)
    assert isinstance(fast, LazyYamlMap)
    found = list(check_placeholders(fast, path.name))
    assert found == list(check_placeholders(slow, path.name))
    assert len(found) == warnings
