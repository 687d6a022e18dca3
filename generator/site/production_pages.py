"""The production index and one page per production (its campaigns and their timeline)."""

from __future__ import annotations

from collections import Counter

from generator.model.records import CAMPAIGN_STATUSES, Campaign, Production
from generator.site.context import SiteContext
from generator.site.diagrams import Bar, bar_end
from generator.site.jira_pages import snapshot_notice, tickets_table
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    badge,
    campaign_link,
    code,
    day,
    encode_path,
    front_matter,
    link,
    page_title,
    site_link,
    table,
    text,
    user_markdown,
)
from generator.site.timeline import build_timeline, render_timeline


def render_production_index(context: SiteContext) -> str:
    rows = []
    for production in context.repository.productions.values():
        members = context.repository.campaigns_of(production.id)
        statuses = Counter(c.status for c in members)
        summary = ", ".join(f"{statuses[s]} {s}" for s in CAMPAIGN_STATUSES if statuses[s])
        rows.append(
            [
                site_link(production.name, f"{production.id}.md"),
                code(production.id),
                str(len(members)),
                summary,
            ]
        )
    body = (
        table(["Production", "Id", "Campaigns", "By status"], rows)
        if rows
        else "No productions yet."
    )
    return front_matter({"title": "Productions"}) + "# Productions\n\n" + body + "\n"


def _campaign_bar(context: SiteContext, campaign: Campaign) -> Bar | None:
    start = campaign.start
    if start is None:
        return None
    state = {"completed": "done", "running": "active", "failed": "failed"}.get(
        campaign.status, "other"
    )
    end = bar_end(start, campaign.end, campaign.status in ("running", "paused"), context.now)
    return Bar(campaign.name, state, start, end)


def render_production_page(context: SiteContext, production: Production) -> str:
    members = context.repository.campaigns_of(production.id)
    parts = [
        f"# {text(production.name)}",
        f"{code(production.id)} · {len(members)} campaigns",
        user_markdown(production.description, context.jira_browse),
    ]
    if production.links:
        parts.append(" · ".join(link(item.title, item.url) for item in production.links))
    parts.append("## Campaigns")
    if members:
        rows = [
            [
                campaign_link(c.id, "../campaigns/"),
                text(c.name),
                text(c.kind),
                badge(c.status, CAMPAIGN_STATUS_ICONS),
                day(c.start),
                day(c.end),
            ]
            for c in members
        ]
        parts.append(table(["Campaign", "Name", "Kind", "Status", "Start", "End"], rows))
        by_kind: dict[str, list[tuple[Bar, str]]] = {}
        for campaign in sorted(
            members, key=lambda c: (c.start is None, c.start or context.now, c.id)
        ):
            bar = _campaign_bar(context, campaign)
            if bar:
                target = f"../../campaigns/{encode_path(campaign.id)}/"
                by_kind.setdefault(campaign.kind, []).append((bar, target))
        timeline = render_timeline(
            context.templates, build_timeline("Campaign timeline", list(by_kind.items()))
        )
        if timeline:
            parts += ["## Timeline", timeline]
    else:
        parts.append("No campaigns yet.")
    if production.jira:
        parts += [
            "## Jira issues",
            snapshot_notice(context, "../jira/index.md"),
            tickets_table(context, list(production.jira)),
        ]
    tags = list(dict.fromkeys([production.id, *production.tags]))
    return (
        front_matter({"title": page_title(production.name), "tags": tags})
        + "\n\n".join(parts)
        + "\n"
    )
