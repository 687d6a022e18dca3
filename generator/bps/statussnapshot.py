"""The workflow status snapshot file: where it lives, and reading it.

Written by ``campaigns bps sync`` (atomically, only when the workflow system answered), read by
the site like the Jira snapshot. Per run: ids, run name, submit path, operator, state, job
counts per state and per task label, exit codes per label, when it was asked, and which
campaign workflow it belongs to (or that the record does not list it yet). Every text field
came from the workflow system and is untrusted: pages escape it like record text. The values
themselves are ``generator.model.snapshots.StatusSnapshot`` and ``RunStatus``.
"""

from __future__ import annotations

from pathlib import Path

from generator.errors import UserError
from generator.loading.repository import Repository, is_inside
from generator.loading.snapshots import parse_snapshot_json, read_snapshot_file
from generator.model.snapshots import StatusSnapshot


def parse_snapshot(text: str, display_path: str) -> StatusSnapshot:
    return parse_snapshot_json(
        text,
        display_path,
        expected_format=StatusSnapshot.FORMAT,
        build=StatusSnapshot.from_document,
        what="workflow status snapshot",
        hint="run 'campaigns bps sync' again, or delete the file to build without it",
    )


def load_snapshot(path: Path, display_path: str | None = None) -> StatusSnapshot | None:
    """The snapshot at ``path``, or None when there is none (pages then say so)."""
    return read_snapshot_file(path, display_path, parse_snapshot)


def snapshot_path(repository: Repository) -> Path:
    """Where the snapshot lives: ``bps.status_snapshot`` of notebook.yaml, inside the repository."""
    configured = repository.config.bps_status_snapshot
    path = (repository.root / configured).resolve()
    if not is_inside(path, repository.root):
        raise UserError(
            f"bps.status_snapshot {configured!r} is outside the repository",
            path=repository.config.path,
            hint="give a path relative to the repository root, e.g. workflow-status.json",
        )
    return path


def load_repository_snapshot(repository: Repository) -> StatusSnapshot | None:
    """The repository's snapshot (None when there is none yet)."""
    return load_snapshot(snapshot_path(repository), repository.config.bps_status_snapshot)
