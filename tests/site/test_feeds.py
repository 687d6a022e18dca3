"""The Atom feeds, read back by a real feed parser (feedparser): well-formed (bozo 0), and each
entry's id, updated time, link and title match the records, also for hostile record text."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import yaml

from generator.site.build import build_notebook
from tests.site.conftest import commit_all, fixed_now
from tests.testing import GIT_IDENTITY, git

SITE = "https://example.github.io/campaign-notebook/"


def parse(notebook_root: Path, path: str) -> Any:
    notebook = build_notebook(notebook_root, fixed_now())
    feed = feedparser.parse(notebook.files[path])
    assert feed.bozo == 0, feed.get("bozo_exception")
    return feed


def records(root: Path) -> list[dict[str, Any]]:
    return [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in sorted((root / "campaigns").glob("*.yaml"))
    ]


def moment(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def expected_journal(root: Path, production: str | None = None) -> dict[str, tuple[str, str, str]]:
    """id -> (updated, link, title) for every journal entry, straight from the YAML."""
    expected = {}
    for record in records(root):
        if production and record["production"] != production:
            continue
        for number, entry in enumerate(record.get("journal") or [], start=1):
            entry_id = f"tag:campaign-notebook,2026:{record['id']}/journal-{number}"
            updated = moment(entry["date"]).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            link = f"{SITE}campaigns/{record['id']}/#journal"
            title = f"{record['name']}: {entry['text'].strip().splitlines()[0]}"
            expected[entry_id] = (updated, link, title)
    return expected


def entries_by_id(feed: Any) -> dict[str, tuple[str, str, str]]:
    return {e.id: (e.updated, e.link, e.title) for e in feed.entries}


def test_site_feed_entries_match_the_journal(notebook_root: Path) -> None:
    feed = parse(notebook_root, "feeds/all.atom.xml")
    found = entries_by_id(feed)
    expected = expected_journal(notebook_root)
    assert expected, "the example records have journal entries"
    assert {k: v for k, v in found.items() if "/journal-" in k} == expected
    # newest first, and status changes are there too
    updated = [e.updated for e in feed.entries]
    assert updated == sorted(updated, reverse=True)
    assert any(e.title.endswith(" started") for e in feed.entries)
    assert feed.feed.updated == updated[0]


def test_production_feed_has_only_its_campaigns(notebook_root: Path) -> None:
    feed = parse(notebook_root, "feeds/productions/dr1.atom.xml")
    found = {k: v for k, v in entries_by_id(feed).items() if "/journal-" in k}
    assert found == expected_journal(notebook_root, "dr1")
    assert found


def test_feed_escapes_record_text(notebook_root: Path) -> None:
    path = notebook_root / "campaigns" / "nightly-20261123-k9rm.yaml"
    text = path.read_text(encoding="utf-8")
    hostile = "</title><script>alert(1)</script> ]]> & \\u0001 <![CDATA[x]]>"
    text = text.replace(
        "    text: All 212 exposures processed; alerts sent to the broker backfill stream.",
        f'    text: "{hostile}"',
    )
    path.write_text(text, encoding="utf-8")
    commit_all(notebook_root, "hostile journal entry")
    notebook = build_notebook(notebook_root, fixed_now())
    raw = notebook.files["feeds/all.atom.xml"]
    assert b"<script>" not in raw and b"\x01" not in raw
    feed = feedparser.parse(raw)
    assert feed.bozo == 0, feed.get("bozo_exception")
    titles = [e.title for e in feed.entries if e.id.endswith("nightly-20261123-k9rm/journal-1")]
    assert titles == [
        "Alert reprocessing, night 2026-11-22: </title><script>alert(1)</script> ]]> & <![CDATA[x]]>"
    ]
    # The entry's HTML went through the sanitizer: no script element survives.
    content = [e.content[0].value for e in feed.entries if e.id.endswith("/journal-1")]
    assert all("<script" not in c for c in content)


def test_whats_new_lists_the_same_events(notebook_root: Path) -> None:
    notebook = build_notebook(notebook_root, fixed_now())
    page = notebook.pages["whats-new.md"]
    feed = feedparser.parse(notebook.files["feeds/all.atom.xml"])
    assert "(feeds/all.atom.xml)" in page
    first = feed.entries[0]
    assert first.title.split(": ", 1)[1] in page


def commit_at(root: Path, message: str, author: str, date: str) -> str:
    """Commit the records as ``author`` at ``date``; the new commit's id."""
    identity = {
        **GIT_IDENTITY,
        "GIT_AUTHOR_NAME": author,
        "GIT_AUTHOR_DATE": date,
        "GIT_COMMITTER_DATE": date,
    }
    git(root, "add", "--", "notebook.yaml", "campaigns", env=identity)
    git(root, "commit", "--quiet", "--message", message, env=identity)
    return git(root, "rev-parse", "HEAD").strip()


def test_status_changes_are_feed_entries_at_their_commit(notebook_root: Path) -> None:
    """A campaign's status change is an entry dated by its commit; the record change (status,
    workflow, journal) is listed on the home page and on "What's new"."""
    first = git(notebook_root, "rev-parse", "HEAD").strip()
    added = {  # the first commit added every campaign, with the status it had then
        f"tag:campaign-notebook,2026:{r['id']}/status-{first}": (
            "2026-11-20T10:00:00Z",
            f"{SITE}campaigns/{r['id']}/#record-history",
            f"{r['name']}: added ({r['status']})",
        )
        for r in records(notebook_root)
    }
    path = notebook_root / "campaigns" / "dr1-mini-drp-rerun-20261103-t5hw.yaml"
    text = path.read_text(encoding="utf-8")
    assert "\nstatus: running\n" in text
    path.write_text(text.replace("\nstatus: running\n", "\nstatus: paused\n"), encoding="utf-8")
    sha = commit_at(notebook_root, "Pause the rerun", "Kwame Mensah", "2026-11-23T08:30:00+00:00")
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    paused = {
        f"tag:campaign-notebook,2026:{record['id']}/status-{sha}": (
            "2026-11-23T08:30:00Z",
            f"{SITE}campaigns/{record['id']}/#record-history",
            f"{record['name']}: status running → paused",
        )
    }

    feed = parse(notebook_root, "feeds/all.atom.xml")
    assert {k: v for k, v in entries_by_id(feed).items() if "/status-" in k} == added | paused
    entry = next(e for e in feed.entries if e.id.endswith(sha))
    assert entry.author == "Kwame Mensah"
    dr1 = parse(notebook_root, "feeds/productions/dr1.atom.xml")
    in_dr1 = {r["id"] for r in records(notebook_root) if r["production"] == "dr1"}
    assert {k: v for k, v in entries_by_id(dr1).items() if "/status-" in k} == paused | {
        k: v for k, v in added.items() if k.split(":")[-1].split("/")[0] in in_dr1
    }

    notebook = build_notebook(notebook_root, fixed_now())
    home = notebook.pages["index.md"]
    assert (
        f"| 2026-11-23 08:30 | Kwame Mensah | [{record['id']}](campaigns/{record['id']}.md): "
        "status running → paused | Pause the rerun |"
    ) in home
    assert f"{record['name']}: status running → paused" not in home  # one line per record
    assert "status running → paused — Kwame Mensah" in notebook.pages["whats-new.md"]
