"""A snapshot is a file anyone can edit in a pull request: its values are checked when loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.jira.snapshot import load_snapshot, parse_snapshot

EXAMPLE = Path(__file__).resolve().parents[2] / "jira-snapshot.json"


def edited(change: dict[str, object]) -> str:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    document.update(change)
    return json.dumps(document)


def test_the_example_snapshot_loads() -> None:
    assert load_snapshot(EXAMPLE) is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"server": "https://jira.example.org|x"}, "contains '|'"),
        ({"server": "https://jira.example.org/\n| forged | row |"}, "contains U+000A"),
        ({"server": "javascript:alert(1)//"}, "is not an absolute http:// or https:// URL"),
        ({"server": 'https://j.org/"><script>'}, "contains '\"'"),
        ({"server": "HTTP://ana:pw@jira.example.org"}, "'HTTP://***@jira.example.org'"),
        ({"server": "https://ana:pw@jira.example.org"}, "server URL contains credentials"),
        ({"moved": {"DM-1": "DM-2<svg>"}}, "'DM-2<svg>' is not a Jira issue key"),
        ({"missing": {"x) onclick": "gone"}}, "is not a Jira issue key"),
        ({"queries": {"q": ["DM-1", "DM-2/../../x"]}}, "is not a Jira issue key"),
    ],
)
def test_unsafe_values_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_snapshot(edited(change), "jira-snapshot.json")
    assert raised.value.message.startswith("Jira snapshot is unreadable: ")
    assert message in raised.value.message
    assert ":pw@" not in raised.value.message


def test_an_issue_key_inside_an_issue_is_checked_too() -> None:
    document = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    first = next(iter(document["issues"].values()))
    first["links"] = [{"type": "blocks", "key": "DM-1 onmouseover=x"}]
    with pytest.raises(UserError, match="is not a Jira issue key"):
        parse_snapshot(json.dumps(document), "jira-snapshot.json")
