"""Jira on the site, read from the snapshot only: ticket rows, the freshness notice, the ticket index.

The snapshot is written by ``campaigns jira fetch``; building the site never talks to Jira. A key
the snapshot lacks is shown as such (missing, moved to another key, or not fetched yet), never
silently dropped.
"""

from __future__ import annotations

from generator.model.snapshots import key_order
from generator.site.context import SiteContext
from generator.site.markup import (
    JIRA_CATEGORY_ICONS,
    badge,
    front_matter,
    link,
    site_link,
    stale_warning,
    table,
    text,
    when,
)

TICKET_HEADERS = ["Key", "Summary", "Status", "Type", "Assignee", "Updated"]
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
CLOSED_ICON = "⊘"


def status_class(category: str, status: str, resolution: str = "") -> tuple[str, str]:
    """(CSS class suffix, icon) of a Jira status: its category, except that a ticket closed
    without the work being done is "closed" (grey ⊘), never a green tick."""
    if category == "done" and (
        resolution.lower() in UNSUCCESSFUL or status.lower() in UNSUCCESSFUL
    ):
        return "closed", CLOSED_ICON
    category = category if category in JIRA_CATEGORY_ICONS else "unknown"
    return category, JIRA_CATEGORY_ICONS[category]


def key_link(context: SiteContext, key: str) -> str:
    url = context.jira_url(key)
    return link(key, url) if url else text(key)


def ticket_cells(context: SiteContext, key: str) -> list[str]:
    """Key, summary, status (icon and text), type, assignee, updated — or why there is no data."""
    snapshot = context.snapshot
    if snapshot is None:
        return [key_link(context, key), "*no Jira snapshot*", "", "", "", ""]
    state, issue = snapshot.resolve(key)
    if state == "missing":
        why = snapshot.missing.get(key, "")
        return [
            key_link(context, key),
            f"**missing** — {text(why)}",
            badge("missing", {"missing": "⚠"}),
            "",
            "",
            "",
        ]
    if state == "unknown":
        return [key_link(context, key), "*not in the snapshot yet*", "", "", "", ""]
    assert issue is not None or state == "moved"
    if issue is None:  # moved, and the new key was not fetched
        return [key_link(context, key), f"**moved** to {text(snapshot.moved[key])}", "", "", "", ""]
    summary = text(issue.summary)
    if state == "moved":
        summary = f"**moved** to {key_link(context, issue.key)}: {summary}"
    # The category names a CSS class: only the known ones (the snapshot is untrusted text).
    category, icon = status_class(issue.status_category, issue.status, issue.resolution)
    status = (
        f'<span class="cn-status cn-jira-{category}" title="{category}">'
        f"{icon} {text(issue.status)}</span>"
    )
    return [
        key_link(context, key),
        summary,
        status,
        text(issue.type),
        text(issue.assignee),
        text(issue.updated[:10]),
    ]


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
    notice = f"Jira data as of {when(snapshot.fetched_at)} UTC ([all tickets]({index_link}))."
    return notice + stale_warning(
        "Jira data",
        snapshot.age_hours(context.now),
        context.repository.config.jira_stale_after_hours,
        "statuses may have changed since.",
        "campaigns jira fetch",
    )


def tickets_table(context: SiteContext, keys: list[str]) -> str:
    return table(TICKET_HEADERS, (ticket_cells(context, key) for key in keys))


def render_ticket_index(context: SiteContext) -> str:
    """``jira/index.md``: every key any record names, with the campaigns and workflows naming it."""
    keys = set(context.jira_uses)
    if context.snapshot:
        keys.update(context.snapshot.moved)
        keys.update(context.snapshot.missing)
    rows = []
    for key in sorted(keys, key=key_order):
        # One entry per campaign, with the workflows that name the key in brackets.
        workflows_by_campaign: dict[str, list[str]] = {}
        for use in context.jira_uses.get(key, []):
            names = workflows_by_campaign.setdefault(use.campaign.id, [])
            if use.workflow and use.workflow.name not in names:
                names.append(use.workflow.name)
        named_by = [
            site_link(campaign_id, f"../campaigns/{campaign_id}.md")
            + (f" ({', '.join(text(n) for n in names)})" if names else "")
            for campaign_id, names in workflows_by_campaign.items()
        ]
        productions = [p for p in context.repository.productions.values() if key in p.jira]
        named_by.extend(site_link(p.name, f"../productions/{p.id}.md") for p in productions)
        rows.append([*ticket_cells(context, key), ", ".join(named_by)])
    parts = [
        front_matter({"title": "Jira tickets", "hide": ["navigation", "toc"]}) + "# Jira tickets",
        "Every Jira key named by a campaign, one of its workflows or journal entries, or a production.",
        snapshot_notice(context, "index.md", on_index=True),
        # The status filter (a small script of its own, loaded by this page only).
        '<div id="cn-jira-filter"></div>\n\n'
        '<script src="../assets/notebook/jira-filter.js" defer></script>',
        table([*TICKET_HEADERS, "Named by"], rows) if rows else "No record names a Jira key.",
    ]
    return "\n\n".join(parts) + "\n"
