"""What a commit changed in the records, as the home page, the feeds and "What's new" list it:
read from git for the newest commits and compared by generator.comparison."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.site.githistory import load_history
from tests.testing import GIT_ENV, git

LATER = {
    **GIT_ENV,
    "GIT_AUTHOR_DATE": "2026-11-24T08:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-24T08:00:00+00:00",
}


def test_a_commit_lists_each_record_change(notebook_root: Path) -> None:
    path = notebook_root / "campaigns" / "dr1-mini-drp-rerun-20261103-t5hw.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("\nstatus: running\n", "\nstatus: paused\n", 1)
    text = text.replace(
        "  - date: 2026-11-03T07:45Z\n",
        "  - date: 2026-11-24T07:45Z\n    author: Mei Chen\n    text: Paused for the weekend.\n  - date: 2026-11-03T07:45Z\n",
        1,
    )
    path.write_text(text, encoding="utf-8")
    (notebook_root / "campaigns" / "nightly-20261123-k9rm.yaml").unlink()
    git(notebook_root, "add", "-A", "--", "campaigns", env=LATER)
    git(notebook_root, "commit", "--quiet", "--message", "Pause; drop the nightly", env=LATER)
    paths = [
        "campaigns/dr1-mini-drp-rerun-20261103-t5hw.yaml",
        "campaigns/dr1-psf-dev-20260902-a7kq.yaml",
    ]
    history = load_history(notebook_root, paths)
    assert history is not None
    newest, first = history.edits
    assert newest.commit.message == "Pause; drop the nightly"
    # Only the records asked about (those that exist now); the deleted one is not among them.
    (edit,) = newest.edits
    assert (edit.record, edit.kind, edit.change) == (
        "dr1-mini-drp-rerun-20261103-t5hw",
        "campaign",
        "changed",
    )
    assert (edit.old_status, edit.new_status) == ("running", "paused")
    assert edit.details == ("status running → paused", "journal entry added")
    assert [(e.record, e.change, e.new_status) for e in first.edits] == [
        ("dr1-mini-drp-rerun-20261103-t5hw", "added", "running"),
        ("dr1-psf-dev-20260902-a7kq", "added", "completed"),
    ]


def test_home_sections_show_the_most_recent_and_link_to_the_rest(
    notebook_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At survey scale hundreds of campaigns run at once: the home page shows the most recently
    active ones and links to the campaign index for the rest."""
    from generator.site import home_page
    from generator.site.build import build_notebook
    from tests.site.conftest import fixed_now

    monkeypatch.setattr(home_page, "SECTION_ROWS", 1)
    home = build_notebook(notebook_root, fixed_now()).pages["index.md"]
    attention = home[home.index("## Needs attention") : home.index("## Campaigns by status")]
    assert "The 1 with the most recent activity of" in attention
    assert "(campaigns/index.md?status=failed)" in attention
    rows = [line for line in attention.splitlines() if line.startswith("| [")]
    assert len(rows) == 1
