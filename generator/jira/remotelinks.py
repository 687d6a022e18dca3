"""Remote links from Jira tickets back to campaign pages: what should exist, and the plan.

Each (ticket, campaign) pair gets one remote link whose ``globalId`` is derived from the site URL
and the campaign id, so Jira upserts it on every run instead of adding duplicates. Links whose
``globalId`` starts with this site's prefix were made here; those no longer wanted are deleted.
Links anyone else made are never touched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from generator.errors import UserError
from generator.loading.repository import Repository
from generator.model.records import Campaign, NotebookConfig
from generator.model.snapshots import JiraSnapshot, key_order

GLOBAL_ID_LIMIT = 255  # Jira's column size
RESOLVED_STATUSES = ("completed", "failed")
Verb = Literal["create", "update", "delete"]


@dataclass(frozen=True)
class WantedLink:
    key: str
    global_id: str
    payload: dict[str, Any]

    @property
    def title(self) -> str:
        return str(self.payload["object"]["title"])

    @property
    def url(self) -> str:
        return str(self.payload["object"]["url"])


@dataclass(frozen=True)
class LinkAction:
    verb: Verb
    key: str
    global_id: str
    title: str
    url: str
    payload: dict[str, Any] | None = None  # create/update
    link_id: str = ""  # delete

    def describe(self) -> str:
        return f"{self.verb:<6} {self.key:<14} {self.title} → {self.url}"


def global_id_prefix(site_url: str) -> str:
    prefix = f"campaign-notebook:{site_url}"
    if len(prefix) > GLOBAL_ID_LIMIT - 100:  # leave room for "campaigns/<id>/"
        prefix = f"campaign-notebook:sha256:{hashlib.sha256(site_url.encode()).hexdigest()[:32]}:"
    return prefix


def global_id(site_url: str, campaign_id: str) -> str:
    prefix = global_id_prefix(site_url)
    suffix = f"campaigns/{campaign_id}/"
    if len(prefix) + len(suffix) > GLOBAL_ID_LIMIT:
        suffix = "sha256:" + hashlib.sha256(campaign_id.encode()).hexdigest()
    return prefix + suffix


def campaign_page_url(site_url: str, campaign_id: str) -> str:
    return f"{site_url}campaigns/{campaign_id}/"


def site_url_of(config: NotebookConfig) -> str:
    if not config.site_url:
        raise UserError(
            "notebook.yaml has no site_url, so there is no page to link to",
            hint="set site_url to where the notebook is published",
            path=config.path,
        )
    return config.site_url.rstrip("/") + "/"


def link_payload(campaign: Campaign, config: NotebookConfig, site_url: str) -> dict[str, Any]:
    """The whole remote link object: Jira nulls any field left out, so always send all of it."""
    url = campaign_page_url(site_url, campaign.id)
    icon = {"url16x16": f"{site_url}assets/images/favicon.png", "title": config.title}
    return {
        "globalId": global_id(site_url, campaign.id),
        "application": {"type": "org.campaign-notebook", "name": config.title},
        "relationship": "campaign",
        "object": {
            "url": url,
            "title": f"{campaign.name} ({campaign.id})",
            "summary": f"{campaign.kind} campaign, {campaign.status}",
            "icon": icon,
            "status": {
                "resolved": campaign.status in RESOLVED_STATUSES,
                "icon": {"url16x16": icon["url16x16"], "title": campaign.status, "link": url},
            },
        },
    }


def wanted_links(repository: Repository, snapshot: JiraSnapshot | None) -> list[WantedLink]:
    """One link per (ticket, campaign); a ticket known to have moved is linked by its new key."""
    site_url = site_url_of(repository.config)
    moved = snapshot.moved if snapshot else {}
    wanted: dict[tuple[str, str], WantedLink] = {}
    for campaign in repository.campaigns.values():
        payload = link_payload(campaign, repository.config, site_url)
        for key in campaign.all_jira_keys():
            current = moved.get(key, key)
            wanted[(current, payload["globalId"])] = WantedLink(
                current, payload["globalId"], payload
            )
    return [wanted[pair] for pair in sorted(wanted, key=lambda pair: (key_order(pair[0]), pair[1]))]


def linked_tickets_queries(repository: Repository) -> list[str]:
    """JQL for the tickets that carry a link to any campaign page now: a ticket the records
    stopped naming still carries its old link. Jira takes up to 100 globalIds per call."""
    site_url = site_url_of(repository.config)
    ids = [global_id(site_url, campaign_id) for campaign_id in repository.campaigns]
    queries = []
    for start in range(0, len(ids), 100):
        quoted = ", ".join(json.dumps(value) for value in ids[start : start + 100])
        queries.append(f"issue in issuesWithRemoteLinksByGlobalId({quoted})")
    return queries


def tickets_to_visit(
    wanted: list[WantedLink], linked: Iterable[str], snapshot: JiraSnapshot | None
) -> list[str]:
    """Tickets to be linked, tickets Jira says carry our links, and those in the snapshot (which
    remembers tickets of campaigns since deleted, until the next fetch)."""
    keys = {link.key for link in wanted} | set(linked)
    if snapshot:
        keys.update(snapshot.issues)
    return sorted(keys, key=key_order)


def plan_links(
    wanted: list[WantedLink],
    existing: dict[str, list[dict[str, Any]]],
    prefix: str,
) -> list[LinkAction]:
    """Create or update every wanted link; delete our own links that are no longer wanted.

    ``existing`` maps each visited ticket to its current remote links (raw Jira JSON).
    """
    # One issue can be visited under its old and its new key. Remote link ids are unique in a
    # Jira, so a link seen under two keys makes them one ticket, named by the first key seen.
    ticket: dict[str, str] = {}
    seen_under: dict[str, str] = {}
    for key in sorted(existing, key=key_order):
        for raw in existing[key]:
            first = seen_under.setdefault(str(raw.get("id")), key)
            ticket.setdefault(key, ticket.get(first, first))
    ours = {
        (ticket.get(key, key), str(raw.get("globalId", ""))): raw
        for key, links in existing.items()
        for raw in links
        if str(raw.get("globalId", "")).startswith(prefix)
    }
    wanted_pairs = {(ticket.get(link.key, link.key), link.global_id) for link in wanted}
    actions: list[LinkAction] = []
    for link in wanted:
        pair = (ticket.get(link.key, link.key), link.global_id)
        verb: Verb = "update" if pair in ours else "create"
        actions.append(
            LinkAction(verb, link.key, link.global_id, link.title, link.url, payload=link.payload)
        )
    for (key, gid), raw in sorted(
        ours.items(), key=lambda item: (key_order(item[0][0]), item[0][1])
    ):
        if (key, gid) not in wanted_pairs:
            target = raw.get("object") or {}
            actions.append(
                LinkAction(
                    "delete",
                    key,
                    gid,
                    str(target.get("title", "")),
                    str(target.get("url", "")),
                    link_id=str(raw.get("id", "")),
                )
            )
    return actions
