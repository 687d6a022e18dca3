"""``campaigns/index.md``: every campaign in one sortable, filterable table."""

from __future__ import annotations

from generator.linktemplates import campaign_links
from generator.model.records import Campaign
from generator.site.context import SiteContext
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    badge,
    day,
    encode_path,
    escape_html,
    front_matter,
    href,
    one_line,
)

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


def _index_row(context: SiteContext, campaign: Campaign) -> str:
    config = context.repository.config

    anchors = [
        f'<a href="{url}" rel="noopener">{escape_html(item.title)}</a>'
        for item in (*campaign.links, *campaign_links(config.campaign_links, campaign))
        if (url := href(item.url)) is not None
    ]

    def e(value: str) -> str:  # one line: the table is one raw HTML block of the page
        return escape_html(one_line(value))

    cells = [
        f'<a href="{e(encode_path(campaign.id))}/">{e(campaign.id)}</a>',
        e(campaign.name),
        f'<a href="../productions/{e(encode_path(campaign.production))}/">{e(context.production_name(campaign.production))}</a>'
        if campaign.production in context.repository.productions
        else e(campaign.production),
        e(campaign.kind),
        badge(campaign.status, CAMPAIGN_STATUS_ICONS),
        e(campaign.definer),
        e(", ".join(o.name for o in campaign.operators)),
        day(campaign.start),
        day(campaign.end),
        e(", ".join(campaign.jira)),
        " ".join(anchors),
    ]
    attributes = f'data-status="{e(campaign.status)}" data-kind="{e(campaign.kind)}" data-production="{e(campaign.production)}"'
    return f"<tr {attributes}>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>"


def render_campaign_index(context: SiteContext) -> str:
    """``campaigns/index.md``: one raw HTML table (see README-contract.md), fast for 5,000 rows."""
    header = "".join(
        f'<th data-key="{key}" data-type="{kind}">{title}</th>'
        for key, title, kind in INDEX_COLUMNS
    )
    rows = "\n".join(_index_row(context, c) for c in context.campaigns.values())
    return (
        front_matter({"title": "Campaigns", "hide": ["navigation", "toc"]})
        + "# Campaigns\n\n"
        + f"{len(context.campaigns)} campaigns. Filter by text, status, kind or production; click a column "
        "heading to sort. The filter is kept in the address, so a filtered view can be shared.\n\n"
        + '<div id="campaign-index-controls"></div>\n\n'
        + '<script src="../assets/notebook/campaign-index.js" defer></script>\n\n'
        + '<table id="campaign-index" class="cn-index">\n'
        + f"<thead><tr>{header}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
    )
