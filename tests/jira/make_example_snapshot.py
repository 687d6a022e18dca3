"""Regenerate the committed example snapshot, ``jira-snapshot.json``, from invented issues.

    python -m tests.jira.make_example_snapshot           # rewrite it
    python -m tests.jira.make_example_snapshot --check   # exit 1 if it is out of date

It runs the real ``fetch`` against the fake Jira (Cloud mode) seeded with the issues below, so
the example shows what a real fetch writes: one ticket moved (DM-51260 → SP-1873), one missing
(DM-51310), one found only by the JQL query in notebook.yaml. The fetch time is fixed and the
server is set to notebook.yaml's ``jira.server`` so that links in the site look real.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.jira.client import Credentials, JiraConnection, Limits
from generator.jira.fetch import fetch_snapshot, named_keys
from generator.pipeline import validate
from tests.jira.fake_jira import make_issue, serve

ROOT = Path(__file__).resolve().parents[2]
FETCHED_AT = datetime(2026, 11, 24, 6, 0, tzinfo=UTC)
MOVED = {"DM-51260": "SP-1873"}
MISSING = ("DM-51310",)
DONE = {"status": "Done", "category": "done", "resolution": "Done"}


def example_issues() -> list[dict[str, Any]]:
    notebook = ["campaign-notebook"]
    return [
        # productions
        make_issue("DM-51000", "Data Release 1 processing", issue_type="Epic",
                   assignee="Ana Souza", labels=["dr1", *notebook], fix_versions=["DR1"],
                   created="2026-06-02T08:12:40.000+0000", updated="2026-11-23T09:10:02.000+0000"),
        make_issue("DM-52000", "Alert Production operations", issue_type="Epic",
                   assignee="Mei Chen", labels=["alert-production", *notebook],
                   created="2026-03-10T16:00:00.000+0000", updated="2026-11-23T18:20:00.000+0000"),
        make_issue("SITCOM-1400", "LSSTComCam commissioning", issue_type="Epic",
                   assignee="Sipho Dlamini", labels=notebook,
                   created="2026-08-01T12:00:00.000-0300", updated="2026-11-12T10:30:00.000-0300"),
        # dr1-psf-dev
        make_issue("DM-51010", "PSF model development run with piff 1.4", **DONE,
                   assignee="Ana Souza", parent="DM-51000", issue_type="Story",
                   created="2026-08-28T10:00:00.000+0000", updated="2026-09-12T15:45:00.000+0000"),
        # dr1-integration (failed)
        make_issue("DM-51100", "DR1 integration run with w_2026_37", status="Won't Fix",
                   category="done", resolution="Won't Do", assignee="Kwame Mensah",
                   parent="DM-51000", issue_type="Story",
                   links=[("Blocks", "inward", "DM-51102")],
                   created="2026-09-10T09:00:00.000+0000", updated="2026-09-17T08:30:00.000+0000"),
        make_issue("DM-51101", "Integration run: step1", **DONE, issue_type="Sub-task",
                   assignee="Kwame Mensah", parent="DM-51100",
                   created="2026-09-14T09:00:00.000+0000", updated="2026-09-15T15:40:00.000+0000"),
        make_issue("DM-51102", "Integration run: step2 fails on missing refcat shards (htm7 < 140000)",
                   **DONE, issue_type="Bug", priority="Critical", assignee="Kwame Mensah",
                   parent="DM-51100", fix_versions=["w_2026_40"],
                   links=[("Blocks", "outward", "DM-51100")],
                   created="2026-09-16T11:50:00.000+0000", updated="2026-10-01T13:05:00.000+0000"),
        # dr1-mini-drp (completed)
        make_issue("DM-51200", "DR1 mini-DRP with w_2026_40", **DONE, issue_type="Story",
                   assignee="Ana Souza", parent="DM-51000", labels=["dr1"],
                   created="2026-10-01T08:00:00.000+0000", updated="2026-10-09T17:40:00.000+0000"),
        make_issue("DM-51201", "Mini-DRP: step1", **DONE, issue_type="Sub-task",
                   assignee="Kwame Mensah", parent="DM-51200",
                   created="2026-10-05T09:00:00.000+0000", updated="2026-10-07T02:45:00.000+0000"),
        make_issue("DM-51202", "Mini-DRP: step2", **DONE, issue_type="Sub-task",
                   assignee="Lucía Ferreyra", parent="DM-51200",
                   created="2026-10-05T09:00:00.000+0000", updated="2026-10-07T21:30:00.000+0000"),
        # DM-51260, moved to the Science Pipelines project
        make_issue("SP-1873", "PSF ellipticity residuals near tract edges", **DONE,
                   issue_type="Bug", priority="Critical", assignee="Hiroshi Tanaka",
                   labels=["psf"], fix_versions=["w_2026_44"],
                   links=[("Blocks", "outward", "DM-51300")],
                   created="2026-10-09T17:20:00.000+0000", updated="2026-10-30T11:00:00.000+0900"),
        # dr1-mini-drp-rerun (running)
        make_issue("DM-51300", "DR1 mini-DRP rerun with the tract-edge PSF fix",
                   issue_type="Story", assignee="Ana Souza", parent="DM-51000", labels=["dr1"],
                   links=[("Blocks", "inward", "SP-1873"), ("Blocks", "outward", "DM-51400")],
                   created="2026-10-30T12:00:00.000+0000", updated="2026-11-23T09:05:00.000+0000"),
        make_issue("DM-51301", "Mini-DRP rerun: step1 group 1", **DONE, issue_type="Sub-task",
                   assignee="Kwame Mensah", parent="DM-51300",
                   created="2026-11-02T09:00:00.000+0000", updated="2026-11-03T22:50:00.000+0000"),
        make_issue("DM-51302", "Mini-DRP rerun: step1 group 2 runs out of memory on crowded fields",
                   **DONE, issue_type="Sub-task", priority="Critical", assignee="Lucía Ferreyra",
                   parent="DM-51300",
                   created="2026-11-02T09:00:00.000+0000", updated="2026-11-10T12:15:00.000+0000"),
        make_issue("DM-51303", "Mini-DRP rerun: step3", issue_type="Sub-task",
                   assignee="Kwame Mensah", parent="DM-51300",
                   created="2026-11-02T09:00:00.000+0000", updated="2026-11-23T09:05:00.000+0000"),
        # dr1-full-drp (defined)
        make_issue("DM-51400", "DR1 full DRP", status="To Do", category="new", assignee=None,
                   issue_type="Story", parent="DM-51000", labels=["dr1"], fix_versions=["DR1"],
                   links=[("Blocks", "inward", "DM-51300")],
                   created="2026-11-18T10:00:00.000+0000", updated="2026-11-20T16:00:00.000+0000"),
        # found only by the JQL query in notebook.yaml
        make_issue("DM-51500", "Campaign notebook: link tickets to campaign pages",
                   issue_type="Story", assignee="Ana Souza", labels=notebook,
                   created="2026-11-15T10:00:00.000+0000", updated="2026-11-22T18:00:00.000+0000"),
        # nightly (completed)
        make_issue("DM-52301", "Reprocess alerts for the night of 2026-11-22", **DONE,
                   issue_type="Story", assignee="Mei Chen", parent="DM-52000",
                   labels=["alert-production"],
                   created="2026-11-23T08:30:00.000+0000", updated="2026-11-23T18:30:00.000+0000"),
        # comcam-flat-test (paused)
        make_issue("SITCOM-1455", "Compare dome and sky flats for LSSTComCam", status="Blocked",
                   assignee="Sipho Dlamini", parent="SITCOM-1400", issue_type="Story",
                   created="2026-11-05T14:00:00.000-0300", updated="2026-11-12T10:30:00.000-0300"),
        make_issue("SITCOM-1456", "Process the dome flats", **DONE, issue_type="Sub-task",
                   assignee="Sipho Dlamini", parent="SITCOM-1455",
                   created="2026-11-05T14:05:00.000-0300", updated="2026-11-10T17:20:00.000-0300"),
    ]  # fmt: skip


def build(root: Path = ROOT) -> str:
    """The example snapshot's text, from a real fetch against the seeded fake Jira."""
    repository = validate(root).repository
    keys = list(named_keys(repository))
    with serve("cloud", example_issues(), moved=MOVED) as jira:
        credentials = Credentials.from_environment("", jira.environment())
        connection = JiraConnection(credentials, Limits(timeout=10))
        try:
            snapshot = fetch_snapshot(connection, keys, repository.config, now=FETCHED_AT)
        finally:
            connection.close()
    snapshot.server = repository.config.jira_server.rstrip("/")
    return snapshot.to_json()


def main(argv: list[str]) -> int:
    from generator.writing.newfiles import write_atomically

    path = ROOT / "jira-snapshot.json"
    text = build()
    if "--check" in argv:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path.name} is out of date: run python -m tests.jira.make_example_snapshot")
            return 1
        print(f"{path.name} is up to date")
        return 0
    write_atomically(path, text)
    print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
