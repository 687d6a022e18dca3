"""The committed example snapshot matches the example records and a real fetch's output."""

from __future__ import annotations

from generator.jira.fetch import named_keys
from generator.jira.snapshot import load_snapshot
from generator.pipeline import validate
from tests.jira import make_example_snapshot
from tests.jira.make_example_snapshot import ROOT


def test_example_snapshot_accounts_for_every_key_of_the_example_records() -> None:
    snapshot = load_snapshot(ROOT / "jira-snapshot.json")
    assert snapshot is not None, "run: python -m tests.jira.make_example_snapshot"
    keys = set(named_keys(validate(ROOT).repository))

    # every key named, each in exactly one state; a new key in the records needs a seeded issue
    assert set(snapshot.missing) == set(make_example_snapshot.MISSING)
    assert snapshot.moved == make_example_snapshot.MOVED
    assert keys == (set(snapshot.issues) | set(snapshot.moved) | set(snapshot.missing)) & keys
    assert all(snapshot.resolve(key)[0] != "unknown" for key in keys)
    assert snapshot.server == "https://rubinobs.atlassian.net"


def test_example_snapshot_is_up_to_date() -> None:
    committed = (ROOT / "jira-snapshot.json").read_text(encoding="utf-8")
    assert committed == make_example_snapshot.build(), (
        "jira-snapshot.json is out of date: run python -m tests.jira.make_example_snapshot"
    )
