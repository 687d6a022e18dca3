"""From the records to a Jira snapshot: which keys, how they are asked for, what is kept.

Every key the records name is accounted for: found, moved (asked by its old key, answered with
a new one) or missing with Jira's reason. Keys are asked for in batches of about 50 per search;
a batch Jira rejects (Data Center fails a whole ``key in (...)`` search over one unknown key) is
split in halves until the bad keys stand alone, and whatever a search did not return is asked
for one by one. Network calls go through ``generator.jira.client``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from generator.errors import UserError
from generator.jira.client import JiraConnection, JiraRefusal
from generator.loading.repository import Repository
from generator.loading.yamlsafe import locate
from generator.model.records import NotebookConfig, parse_timestamp
from generator.model.snapshots import IssueLink, JiraIssue, JiraSnapshot, key_order

# Exactly what JiraIssue keeps: no e-mail addresses, avatars, descriptions or comments.
FIELDS = (
    "summary",
    "status",
    "issuetype",
    "assignee",
    "priority",
    "created",
    "updated",
    "resolution",
    "labels",
    "fixVersions",
    "parent",
    "issuelinks",
)
BATCH_SIZE = 50
STATUS_CATEGORIES = ("new", "indeterminate", "done")


def named_keys(repository: Repository) -> dict[str, list[str]]:
    """Every key named by productions, campaigns, workflows and journal entries (in key order),
    with the record files naming it."""
    sources: dict[str, list[str]] = {}
    for production in repository.productions.values():
        for key in production.jira:
            sources.setdefault(key, []).append(production.path)
    for campaign in repository.campaigns.values():
        for key in campaign.all_jira_keys():
            sources.setdefault(key, []).append(campaign.path)
    return {key: sources[key] for key in sorted(sources, key=key_order)}


def key_query(keys: Iterable[str]) -> str:
    quoted = ", ".join('"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"' for key in keys)
    return f"key in ({quoted})"


def fetch_snapshot(
    connection: JiraConnection,
    keys: list[str],
    config: NotebookConfig,
    *,
    now: datetime,
    batch_size: int = BATCH_SIZE,
    on_progress: Callable[[int], None] = lambda done: None,
) -> JiraSnapshot:
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), batch_size):
        batch = keys[start : start + batch_size]
        for raw in _search_keys(connection, batch):
            found[raw["key"]] = raw
        on_progress(len(batch))

    moved: dict[str, str] = {}
    missing: dict[str, str] = {}
    for key in keys:
        if key in found:
            continue
        # Not returned by the search: moved, deleted, hidden, or not yet indexed. Ask directly.
        try:
            raw = connection.issue(key, FIELDS)
        except JiraRefusal as refusal:
            missing[key] = f"{refusal.reason} (HTTP {refusal.status})"
            continue
        found[raw["key"]] = raw
        if raw["key"] != key:
            moved[key] = raw["key"]

    queries: dict[str, list[str]] = {}
    for index, (name, jql) in enumerate(config.jira_queries):
        try:
            results = connection.search(jql, FIELDS)
        except JiraRefusal as refusal:
            line, col = locate(config.raw, ["jira", "queries", index, "jql"])
            raise UserError(
                f"Jira rejected the query {name!r}: {refusal.summary}",
                hint="fix the JQL; try it in Jira's issue search first",
                path=config.path,
                line=line,
                col=col,
            ) from None
        for raw in results:
            found[raw["key"]] = raw
        queries[name] = [raw["key"] for raw in results]

    return JiraSnapshot(
        fetched_at=now.astimezone(UTC).replace(microsecond=0),
        server=connection.server,
        deployment=connection.deployment,
        issues={key: issue_from_jira(raw) for key, raw in found.items()},
        moved=moved,
        missing=missing,
        queries=queries,
    )


def _search_keys(connection: JiraConnection, keys: list[str]) -> list[dict[str, Any]]:
    """Search a batch; if Jira rejects it, leave out the keys it names, or else split the batch
    in halves, so one bad key cannot sink the others."""
    try:
        return connection.search(key_query(keys), FIELDS)
    except JiraRefusal as refusal:
        # Jira names the keys it does not know ("An issue with key 'DM-9' does not exist...")
        named = [key for key in keys if f"'{key}'" in refusal.message]
        if named and len(named) < len(keys):
            return _search_keys(connection, [key for key in keys if key not in named])
        if len(keys) == 1:
            return []  # asked for individually afterwards, which tells why it is missing
        middle = len(keys) // 2
        return _search_keys(connection, keys[:middle]) + _search_keys(connection, keys[middle:])


def issue_from_jira(raw: dict[str, Any]) -> JiraIssue:
    """Jira's issue JSON → the few fields the site shows (names only, times in UTC)."""
    fields: dict[str, Any] = raw.get("fields") or {}
    status = fields.get("status") or {}
    category = str((status.get("statusCategory") or {}).get("key", ""))
    return JiraIssue(
        key=str(raw["key"]),
        summary=_text(fields.get("summary")),
        status=_text(status.get("name")),
        status_category=category if category in STATUS_CATEGORIES else "unknown",
        type=_name(fields.get("issuetype")),
        assignee=_text((fields.get("assignee") or {}).get("displayName")),
        priority=_name(fields.get("priority")),
        created=_utc(fields.get("created")),
        updated=_utc(fields.get("updated")),
        resolution=_name(fields.get("resolution")),
        labels=tuple(sorted(_text(label) for label in fields.get("labels") or ())),
        fix_versions=tuple(sorted(_name(version) for version in fields.get("fixVersions") or ())),
        parent=_text((fields.get("parent") or {}).get("key")),
        links=tuple(sorted(_issue_links(fields.get("issuelinks") or ()), key=_link_order)),
    )


def _issue_links(raw_links: Iterable[dict[str, Any]]) -> Iterable[IssueLink]:
    for link in raw_links:
        kind = link.get("type") or {}
        if "outwardIssue" in link:
            yield IssueLink(_text(kind.get("outward")), _text(link["outwardIssue"].get("key")))
        elif "inwardIssue" in link:
            yield IssueLink(_text(kind.get("inward")), _text(link["inwardIssue"].get("key")))


def _link_order(link: IssueLink) -> tuple[str, tuple[str, int]]:
    return link.type, key_order(link.key)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _name(value: Any) -> str:
    return _text(value.get("name")) if isinstance(value, dict) else ""


def _utc(value: Any) -> str:
    moment = parse_timestamp(value) if isinstance(value, str) else None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else ""
