"""Jira on the site, read from the snapshot only: ticket rows, the freshness notice, the ticket index.

The snapshot is written by ``campaigns jira fetch``; building the site never talks to Jira. A key
the snapshot lacks is shown as such (missing, moved to another key, or not fetched yet), never
silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.model.snapshots import key_order
from generator.site.context import SiteContext
from generator.site.markup import JIRA_CATEGORY_ICONS, front_matter, stale_warning, when
from generator.site.templating import render, safe

# Resolutions (and statuses) that close a ticket without doing the work: Jira files them under
# the "done" category, but a green tick would tell a reader the work was done.
UNSUCCESSFUL = frozenset(
    {
        "won't fix",
        "won't do",
        "duplicate",
        "cannot reproduce",
        "invalid",
        "incomplete",
        "declined",
        "obsolete",
        "rejected",
    }
)


def status_class(category: str, status: str, resolution: str = "") -> tuple[str, str]:
    """(CSS class suffix, icon) of a Jira status: its category, except that a ticket closed
    without the work being done is "closed" (grey ⊘), never a green tick."""
    if category == "done" and (
        resolution.lower() in UNSUCCESSFUL or status.lower() in UNSUCCESSFUL
    ):
        return "closed", JIRA_CATEGORY_ICONS["closed"]
    category = category if category in JIRA_CATEGORY_ICONS else "unknown"
    return category, JIRA_CATEGORY_ICONS[category]


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class TicketRow:
    """What a ticket table shows of one key (laid out by the ``tickets`` macro of _macros.md.j2).

    ``state``: "found" (``moved_to`` set when it was moved and the new key fetched), "moved" (the
    new key not fetched), "missing" (``why``), "unknown" (not fetched yet) or "no-snapshot"."""

    key: str
    url: str
    state: str
    summary: str = ""
    why: str = ""
    moved_to: str = ""
    moved_url: str = ""
    status: str = ""
    category: str = "unknown"  # a CSS class: known words only (the snapshot is untrusted text)
    type: str = ""
    assignee: str = ""
    updated: str = ""


def ticket_row(context: SiteContext, key: str) -> TicketRow:
    url = context.jira_url(key)
    snapshot = context.snapshot
    if snapshot is None:
        return TicketRow(key, url, "no-snapshot")
    state, issue = snapshot.resolve(key)
    if state == "missing":
        return TicketRow(key, url, "missing", why=snapshot.missing.get(key, ""))
    if state == "unknown":
        return TicketRow(key, url, "unknown")
    if issue is None:  # moved, and the new key was not fetched
        return TicketRow(key, url, "moved", moved_to=snapshot.moved[key])
    category, _ = status_class(issue.status_category, issue.status, issue.resolution)
    moved = state == "moved"
    return TicketRow(
        key,
        url,
        "found",
        summary=issue.summary,
        moved_to=issue.key if moved else "",
        moved_url=context.jira_url(issue.key) if moved else "",
        status=issue.status,
        category=category,
        type=issue.type,
        assignee=issue.assignee,
        updated=issue.updated[:10],
    )


def snapshot_notice(context: SiteContext, index_link: str, on_index: bool = False) -> str:
    """ "Jira data as of ...", with a warning when the snapshot is older than configured. Without
    a snapshot, only the Jira page (``on_index``) says so: one notice, not one per page."""
    snapshot = context.snapshot
    if snapshot is None:
        if not on_index:
            return ""
        return (
            '!!! info "No Jira data"\n    No Jira snapshot was found, so only the keys are shown. '
            "Run `campaigns jira fetch` to add summaries and statuses."
        )
    # On the Jira page itself, a link to "all tickets" would lead back to the same page.
    where = "" if on_index else f" ([all tickets]({index_link}))"
    notice = f"Jira data as of {when(snapshot.fetched_at)} UTC{where}."
    return notice + stale_warning(
        "Jira data",
        snapshot.age_hours(context.now),
        context.repository.config.jira_stale_after_hours,
        "statuses may have changed since.",
        "campaigns jira fetch",
    )


@dataclass(frozen=True)
class NamedBy:
    """A record naming a key: its page, and the workflows (of a campaign) naming it."""

    title: str
    page: str
    workflows: list[str] = field(default_factory=list)


def render_ticket_index(context: SiteContext) -> str:
    """``jira/index.md``: every key any record names, with the campaigns and workflows naming it."""
    keys = set(context.jira_uses)
    if context.snapshot:
        keys.update(context.snapshot.moved)
        keys.update(context.snapshot.missing)
    tickets = []
    for key in sorted(keys, key=key_order):
        # One entry per campaign, with the workflows that name the key in brackets.
        named_by: dict[str, NamedBy] = {}
        for use in context.jira_uses.get(key, []):
            campaign_id = use.campaign.id
            entry = named_by.setdefault(
                campaign_id, NamedBy(campaign_id, f"../campaigns/{campaign_id}.md")
            )
            if use.workflow and use.workflow.name not in entry.workflows:
                entry.workflows.append(use.workflow.name)
        users = list(named_by.values()) + [
            NamedBy(p.name, f"../productions/{p.id}.md")
            for p in context.repository.productions.values()
            if key in p.jira
        ]
        tickets.append((ticket_row(context, key), users))
    return render(
        context.templates,
        "jira.md.j2",
        front_matter=safe(front_matter({"title": "Jira tickets", "hide": ["navigation", "toc"]})),
        notice=safe(snapshot_notice(context, "index.md", on_index=True)),
        tickets=tickets,
    )
