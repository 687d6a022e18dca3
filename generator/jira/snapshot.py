"""The Jira snapshot file: where it may live, and reading it (refusing unsafe values).

Written by ``campaigns jira fetch`` (atomically), read by the site generator. Only rendered
fields are kept, sorted, timestamps in UTC; no e-mail addresses, avatars or credentials. The
values themselves are ``generator.model.snapshots.JiraSnapshot``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from generator.errors import Problem, UserError
from generator.loading.repository import Repository
from generator.loading.snapshots import parse_snapshot_json, read_snapshot_file
from generator.loading.yamlsafe import locate
from generator.model.snapshots import JIRA_KEY, JiraSnapshot
from generator.urls import mask_userinfo, url_problem


def parse_snapshot(text: str, display_path: str) -> JiraSnapshot:
    return parse_snapshot_json(
        text,
        display_path,
        expected_format=JiraSnapshot.FORMAT,
        build=lambda raw: _checked(JiraSnapshot.from_document(raw)),
        what="Jira snapshot",
        hint="run 'campaigns jira fetch' again, or delete the file to build without Jira data",
    )


def snapshot_location(root: Path, configured: str) -> tuple[Path, str | None]:
    """Where ``jira.snapshot`` points, and why it may not be used (None: it may).

    The setting comes from a pull request, and ``jira fetch`` runs with the Jira secrets: it
    must not be able to write (or the build read) anywhere but inside the repository, also not
    through a symbolic link.
    """
    path = root / configured
    if Path(configured).is_absolute() or not configured.strip():
        return path, f"jira.snapshot {configured!r} is not a path relative to the repository"
    real_root = Path(os.path.realpath(root))
    try:
        Path(os.path.realpath(path)).relative_to(real_root)
    except ValueError:
        return path, f"jira.snapshot {configured!r} is outside the repository"
    if path.is_dir():
        return path, f"jira.snapshot {configured!r} is a folder"
    return path, None


def load_snapshot(path: Path, display_path: str | None = None) -> JiraSnapshot | None:
    """The snapshot at ``path``, or None when there is none (the site then says so)."""
    return read_snapshot_file(path, display_path, parse_snapshot)


def _checked(snapshot: JiraSnapshot) -> JiraSnapshot:
    _check_values(snapshot)
    return snapshot


def _check_values(snapshot: JiraSnapshot) -> None:
    """Refuse a snapshot whose values could not be used safely in a link (raises ValueError).

    The snapshot is a file in the repository, so anyone with a pull request can edit it: its
    server must be a safe http(s) URL (see generator.urls) and every key a Jira key.
    """
    problem = url_problem(snapshot.server)
    if problem:
        raise ValueError(f"server {mask_userinfo(snapshot.server)!r} {problem}")
    if "@" in snapshot.server.split("/")[2]:
        raise ValueError("server URL contains credentials")
    keys = [
        *snapshot.issues,
        *snapshot.moved,
        *snapshot.moved.values(),
        *snapshot.missing,
        *(key for keys in snapshot.queries.values() for key in keys),
    ]
    for issue in snapshot.issues.values():
        keys.append(issue.key)
        keys.extend(link.key for link in issue.links)
        if issue.parent:
            keys.append(issue.parent)
    for key in keys:
        if not isinstance(key, str) or not JIRA_KEY.match(key):
            raise ValueError(f"{key!r} is not a Jira issue key")


SNAPSHOT_CONTENT_RULE = "jira-snapshot"  # `jira fetch` goes on despite it: it replaces the file


def snapshot_path(repository: Repository) -> Path:
    """Where ``jira.snapshot`` lives, for records that passed ``pipeline.validate_or_stop``
    (validation refuses a place outside the repository: ``snapshot_problems``)."""
    return snapshot_location(repository.root, repository.config.jira_snapshot)[0]


def snapshot_problems(repository: Repository) -> Iterator[Problem]:
    """The snapshot path stays inside the repository, and the snapshot reads as the build will
    read it (its server and keys go into links): validate and the build agree.
    (``generator.pipeline.validate`` reports them with the checks' problems.)"""
    config = repository.config
    path, problem = snapshot_location(repository.root, config.jira_snapshot)
    if problem:
        line, col = locate(config.raw, ["jira", "snapshot"]) if config.raw else (0, 0)
        hint = "name a file inside the repository, e.g. jira-snapshot.json"
        yield Problem(config.path, line, col, problem, hint, rule="jira")
        return
    try:
        load_snapshot(path, config.jira_snapshot)
    except UserError as error:
        yield Problem(
            config.jira_snapshot, 0, 0, error.message, error.hint, rule=SNAPSHOT_CONTENT_RULE
        )
