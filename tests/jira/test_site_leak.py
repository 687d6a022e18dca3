"""Pages built from a fetched snapshot carry Jira data but never the token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.jira.conftest import SENTINEL_TOKEN
from tests.jira.fake_jira import FakeJira


def test_pages_from_a_fetched_snapshot_leak_no_token(jira: FakeJira, cli: Any, repo: Path) -> None:
    assert cli("jira", "fetch").code == 0
    out = repo / "build" / "docs"

    result = cli("generate", "--out", str(out), "--now", "2026-11-24T12:00Z")

    assert result.code == 0, result.err
    pages = [p for p in out.rglob("*") if p.is_file()]
    texts = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in pages)
    assert "Run the DR1 mini-DRP" in texts  # Jira data made it into the pages
    assert SENTINEL_TOKEN not in texts + result.out + result.err
    assert "<img src=x onerror" not in texts  # a summary with HTML is shown as text
