"""Records written by the tools read back unchanged through the strict loader."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.loading.yamlsafe import parse_yaml_text
from generator.writing.newfiles import dump_yaml

SURPRISES = [
    "0o17",
    "0x1F",
    "NO",
    "off",
    "2026-10-01",
    "1.10",
    "~",
    "",
    "x: y",
    "- a",
    "#c",
    "a\nb",
]


def test_yaml_1_1_lookalikes_stay_text() -> None:
    record = {f"k{i}": value for i, value in enumerate(SURPRISES)}
    assert parse_yaml_text(dump_yaml(record), "x.yaml") == (record, [])


@given(st.dictionaries(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), st.text(max_size=30)))
def test_any_text_round_trips(record: dict[str, str]) -> None:
    data, problems = parse_yaml_text(dump_yaml(record), "x.yaml")
    assert problems == []
    assert (data or {}) == record
