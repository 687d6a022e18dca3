"""The production index and one page per production (its campaigns and their timeline)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from generator.model.records import CAMPAIGN_STATUSES, Campaign, Production
from generator.site.context import SiteContext
from generator.site.jira_pages import snapshot_notice, ticket_row
from generator.site.markup import encode_path, front_matter, page_title
from generator.site.templating import render, safe
from generator.site.timeline import Bar, bar_end, build_timeline, render_timeline


@dataclass(frozen=True)
class ProductionSummary:
    name: str
    id: str
    page: str
    campaigns: int
    by_status: list[tuple[str, int]]


def render_production_index(context: SiteContext) -> str:
    productions = []
    for production in context.repository.productions.values():
        members = context.repository.campaigns_of(production.id)
        statuses = Counter(c.status for c in members)
        productions.append(
            ProductionSummary(
                production.name,
                production.id,
                f"{production.id}.md",
                len(members),
                [(s, statuses[s]) for s in CAMPAIGN_STATUSES if statuses[s]],
            )
        )
    return render(
        context.templates,
        "productions_index.md.j2",
        front_matter=safe(front_matter({"title": "Productions"})),
        productions=productions,
    )


def _campaign_bar(context: SiteContext, campaign: Campaign) -> Bar | None:
    start = campaign.start
    if start is None:
        return None
    state = {"completed": "done", "running": "active", "failed": "failed"}.get(
        campaign.status, "other"
    )
    end = bar_end(start, campaign.end, campaign.status in ("running", "paused"), context.now)
    return Bar(campaign.name, state, start, end)


def _timeline(context: SiteContext, members: list[Campaign]) -> str:
    """One row per campaign, grouped by kind; each bar links to the campaign's page."""
    by_kind: dict[str, list[tuple[Bar, str]]] = {}
    for campaign in sorted(members, key=lambda c: (c.start is None, c.start or context.now, c.id)):
        bar = _campaign_bar(context, campaign)
        if bar:
            target = f"../../campaigns/{encode_path(campaign.id)}/"
            by_kind.setdefault(campaign.kind, []).append((bar, target))
    return render_timeline(
        context.templates, build_timeline("Campaign timeline", list(by_kind.items()))
    )


def render_production_page(context: SiteContext, production: Production) -> str:
    members = list(context.repository.campaigns_of(production.id))
    tags = list(dict.fromkeys([production.id, *production.tags]))
    return render(
        context.templates,
        "production.md.j2",
        # The navigation hidden (as on campaign pages): the timeline gets the width it needs.
        front_matter=safe(
            front_matter(
                {"title": page_title(production.name), "tags": tags, "hide": ["navigation"]}
            )
        ),
        production=production,
        campaigns=members,
        timeline=safe(_timeline(context, members) if members else ""),
        tickets=[ticket_row(context, key) for key in production.jira],
        jira_notice=safe(snapshot_notice(context, "../jira/index.md")),
        jira_browse=context.jira_browse,
    )
