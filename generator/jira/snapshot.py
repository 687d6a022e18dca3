"""The Jira snapshot: what the site shows of each ticket, fetched once, read offline.

Written by ``campaigns jira fetch`` (atomically), read by the site generator. Only rendered
fields are kept, sorted, timestamps in UTC; no e-mail addresses, avatars or credentials.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from generator.errors import UserError
from generator.urls import mask_userinfo, url_problem

SNAPSHOT_FORMAT = 1
# As schemas/common.schema.json "jiraKey": keys go into browse links and page names.
JIRA_KEY = re.compile(r"^[A-Z][A-Z0-9_]+-[1-9][0-9]*$")
StatusCategory = Literal["new", "indeterminate", "done", "unknown"]


@dataclass(frozen=True)
class IssueLink:
    type: str  # the relation as read from this issue, e.g. "blocks", "is blocked by"
    key: str


@dataclass(frozen=True)
class JiraIssue:
    key: str
    summary: str
    status: str
    status_category: str  # new | indeterminate | done | unknown
    type: str = ""
    assignee: str = ""  # display name only
    priority: str = ""
    created: str = ""  # ISO 8601 UTC, "2026-11-03T08:00:00Z"
    updated: str = ""
    resolution: str = ""
    labels: tuple[str, ...] = ()
    fix_versions: tuple[str, ...] = ()
    parent: str = ""
    links: tuple[IssueLink, ...] = ()

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> JiraIssue:
        return cls(
            key=raw["key"],
            summary=raw.get("summary", ""),
            status=raw.get("status", ""),
            status_category=raw.get("status_category", "unknown"),
            type=raw.get("type", ""),
            assignee=raw.get("assignee", ""),
            priority=raw.get("priority", ""),
            created=raw.get("created", ""),
            updated=raw.get("updated", ""),
            resolution=raw.get("resolution", ""),
            labels=tuple(raw.get("labels", ())),
            fix_versions=tuple(raw.get("fix_versions", ())),
            parent=raw.get("parent", ""),
            links=tuple(IssueLink(link["type"], link["key"]) for link in raw.get("links", ())),
        )


@dataclass
class Snapshot:
    fetched_at: datetime
    server: str  # base URL, no credentials
    deployment: str = ""  # "Cloud" or "Server" (Data Center)
    issues: dict[str, JiraIssue] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)  # old key -> new key
    missing: dict[str, str] = field(default_factory=dict)  # key -> why it is missing
    queries: dict[str, list[str]] = field(default_factory=dict)  # query name -> keys found

    def browse_url(self, key: str) -> str:
        return f"{self.server.rstrip('/')}/browse/{key}"

    def resolve(self, key: str) -> tuple[str, JiraIssue | None]:
        """(state, issue): state is found, moved, missing or unknown (not in the snapshot)."""
        if key in self.issues:
            return "found", self.issues[key]
        if key in self.moved:
            return "moved", self.issues.get(self.moved[key])
        if key in self.missing:
            return "missing", None
        return "unknown", None

    def age_hours(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.fetched_at).total_seconds() / 3600

    def to_json(self) -> str:
        document = {
            "format": SNAPSHOT_FORMAT,
            "fetched_at": self.fetched_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "server": self.server,
            "deployment": self.deployment,
            "issues": {
                key: _issue_json(self.issues[key]) for key in sorted(self.issues, key=key_order)
            },
            "moved": dict(sorted(self.moved.items(), key=lambda item: key_order(item[0]))),
            "missing": dict(sorted(self.missing.items(), key=lambda item: key_order(item[0]))),
            "queries": {
                name: sorted(keys, key=key_order) for name, keys in sorted(self.queries.items())
            },
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def key_order(key: str) -> tuple[str, int]:
    """DM-9 before DM-10: project, then number."""
    project, _, number = key.rpartition("-")
    return (project, int(number) if number.isdigit() else 0)


def _issue_json(issue: JiraIssue) -> dict[str, Any]:
    raw = asdict(issue)
    raw["labels"] = list(issue.labels)
    raw["fix_versions"] = list(issue.fix_versions)
    raw["links"] = [{"type": link.type, "key": link.key} for link in issue.links]
    return raw


def parse_snapshot(text: str, display_path: str) -> Snapshot:
    try:
        raw = json.loads(text)
        if raw.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"unsupported snapshot format {raw.get('format')!r}")
        fetched = datetime.fromisoformat(raw["fetched_at"].replace("Z", "+00:00")).astimezone(UTC)
        snapshot = Snapshot(
            fetched_at=fetched,
            server=raw["server"],
            deployment=raw.get("deployment", ""),
            issues={
                key: JiraIssue.from_json(value) for key, value in raw.get("issues", {}).items()
            },
            moved=dict(raw.get("moved", {})),
            missing=dict(raw.get("missing", {})),
            queries={name: list(keys) for name, keys in raw.get("queries", {}).items()},
        )
        _check_values(snapshot)
        return snapshot
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise UserError(
            f"Jira snapshot is unreadable: {mask_userinfo(str(error))}",
            path=display_path,
            hint="run 'campaigns jira fetch' again, or delete the file to build without Jira data",
        ) from None


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


def load_snapshot(path: Path, display_path: str | None = None) -> Snapshot | None:
    """The snapshot at ``path``, or None when there is none (the site then says so)."""
    if not path.is_file():
        return None
    return parse_snapshot(path.read_text(encoding="utf-8"), display_path or path.as_posix())


def _check_values(snapshot: Snapshot) -> None:
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
