"""``campaigns/index.md``: every campaign in one sortable, filterable table."""

from __future__ import annotations

from dataclasses import dataclass

from generator.linktemplates import campaign_links
from generator.model.records import Campaign
from generator.site.campaign_facts import LinkFact
from generator.site.context import SiteContext
from generator.site.markup import front_matter, href
from generator.site.templating import render, safe

INDEX_COLUMNS = [
    ("id", "Id", "text"),
    ("name", "Name", "text"),
    ("production", "Production", "text"),
    ("kind", "Kind", "text"),
    ("status", "Status", "text"),
    ("definer", "Definer", "text"),
    ("operators", "Operators", "text"),
    ("start", "Start", "date"),
    ("end", "End", "date"),
    ("jira", "Jira", "text"),
    ("links", "Links", "text"),
]


@dataclass(frozen=True)
class IndexRow:
    campaign: Campaign
    production_name: str  # "" when the production has no record (shown as the id, unlinked)
    operators: str
    links: list[LinkFact]  # only those with a safe URL: the cell holds nothing else


def _index_row(context: SiteContext, campaign: Campaign) -> IndexRow:
    config = context.repository.config
    links = [
        LinkFact(item.title, item.url)
        for item in (*campaign.links, *campaign_links(config.campaign_links, campaign))
        if href(item.url) is not None
    ]
    production = (
        context.production_name(campaign.production)
        if campaign.production in context.repository.productions
        else ""
    )
    return IndexRow(campaign, production, ", ".join(o.name for o in campaign.operators), links)


def render_campaign_index(context: SiteContext) -> str:
    """``campaigns/index.md``: one raw HTML table (see README-contract.md), fast for 5,000 rows."""
    return render(
        context.templates,
        "campaign_index.md.j2",
        front_matter=safe(front_matter({"title": "Campaigns", "hide": ["navigation", "toc"]})),
        columns=INDEX_COLUMNS,
        rows=[_index_row(context, c) for c in context.campaigns.values()],
    )
