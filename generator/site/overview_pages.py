"""Pages about many campaigns: home dashboard, campaign index, productions, operators, compare."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import quote

from generator.linktemplates import campaign_links
from generator.model.records import CAMPAIGN_STATUSES, Campaign, Production
from generator.site import workflow_status
from generator.site.campaign_page import campaign_link
from generator.site.context import SiteContext
from generator.site.diagrams import Bar, bar_end, gantt
from generator.site.jira_pages import snapshot_notice, tickets_table
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    WORKFLOW_STATUS_ICONS,
    badge,
    code,
    day,
    encode_path,
    escape_html,
    front_matter,
    href,
    link,
    one_line,
    page_title,
    site_link,
    table,
    text,
    user_markdown,
    when,
)

RECENT_COMMITS = 15
LATEST_CAMPAIGNS = 10
RECORDS_PER_COMMIT = 12
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


def _production_name(context: SiteContext, production_id: str) -> str:
    production = context.repository.productions.get(production_id)
    return production.name if production else production_id


def render_home(context: SiteContext) -> str:
    config = context.repository.config
    campaigns = list(context.campaigns.values())
    parts = [
        front_matter({"title": "Home"}) + f"# {text(config.title)}",
        "An electronic lab notebook of data-processing campaigns: what each campaign is, why it was "
        "run, on which data, with which software and configuration, who runs it and how far it got. "
        "New here? Start with [what the notebook is](guide/index.md) and "
        "[how to read a campaign page](guide/reading-a-campaign.md).",
        f"[Browse all {len(campaigns)} campaigns](campaigns/index.md){{ .md-button }} "
        "[Compare two campaigns](compare.md){ .md-button }",
        "## Campaigns by status and kind",
        _status_kind_table(context, campaigns),
        "## Running now",
        _running_now(context, campaigns),
        "## Latest campaigns",
        _latest(campaigns, context.now),
        "## Stale campaigns",
        _stale(context, campaigns),
        "## Recently changed records",
        _recent_changes(context),
        "## Jira",
        snapshot_notice(context, "jira/index.md"),
    ]
    return "\n\n".join(parts) + "\n"


def _status_kind_table(context: SiteContext, campaigns: list[Campaign]) -> str:
    if not campaigns:
        return "No campaigns yet: see [how to define one](guide/defining-a-campaign.md)."
    counts = Counter((c.kind, c.status) for c in campaigns)
    kinds = list(
        dict.fromkeys([*context.repository.config.kinds, *sorted({c.kind for c in campaigns})])
    )
    kinds = [k for k in kinds if any(counts[k, s] for s in CAMPAIGN_STATUSES)]

    def filtered(number: int, query: str) -> str:
        # The index page's script reads the filter from the query (README-contract.md).
        return f"[{number}](campaigns/index.md?{query})" if number else ""

    rows = [
        [
            text(kind),
            *[
                filtered(counts[kind, s], f"kind={quote(kind)}&status={s}")
                for s in CAMPAIGN_STATUSES
            ],
            filtered(sum(counts[kind, s] for s in CAMPAIGN_STATUSES), f"kind={quote(kind)}"),
        ]
        for kind in kinds
    ]
    status_totals = [
        filtered(sum(counts[k, s] for k in kinds), f"status={s}") for s in CAMPAIGN_STATUSES
    ]
    rows.append(["**all**", *status_totals, f"**{len(campaigns)}**"])
    headers = ["Kind", *[badge(s, CAMPAIGN_STATUS_ICONS) for s in CAMPAIGN_STATUSES], "Total"]
    return table(headers, rows)


def _running_now(context: SiteContext, campaigns: list[Campaign]) -> str:
    rows = []
    for campaign in campaigns:
        running, workflows, progress = workflow_status.running_now(context, campaign)
        if not running:
            continue
        active = [w for w in campaign.workflows if w.is_active]
        operators = dict.fromkeys(o for w in active for o in w.operators) or dict.fromkeys(
            o.name for o in campaign.operators
        )
        rows.append(
            [
                campaign_link(campaign.id, "campaigns/"),
                text(campaign.name),
                text(_production_name(context, campaign.production)),
                workflows or "none active",
                progress,
                ", ".join(text(o) for o in operators),
            ]
        )
    if not rows:
        return "No campaign is running.\n\n" + workflow_status.status_notice(context)
    return (
        table(["Campaign", "Name", "Production", "Active workflows", "Jobs", "Operators"], rows)
        + "\n\nSee also [operators and shifts](operators.md).\n\n"
        + workflow_status.status_notice(context)
    )


def _latest(campaigns: list[Campaign], now: datetime) -> str:
    """The most recently started campaigns; those not started yet (just defined) come first."""
    latest = sorted(campaigns, key=lambda c: (c.start or now, c.id), reverse=True)[
        :LATEST_CAMPAIGNS
    ]
    rows = [
        [
            campaign_link(c.id, "campaigns/"),
            text(c.name),
            text(c.kind),
            badge(c.status, CAMPAIGN_STATUS_ICONS),
            day(c.start),
        ]
        for c in latest
    ]
    return (
        table(["Campaign", "Name", "Kind", "Status", "Start"], rows)
        if rows
        else "No campaigns yet."
    )


def is_stale(campaign: Campaign, now: datetime, days: int) -> bool:
    last = campaign.last_activity
    return campaign.status == "running" and (last is None or now - last > timedelta(days=days))


def _stale(context: SiteContext, campaigns: list[Campaign]) -> str:
    days = context.repository.config.stale_after_days
    stale = [c for c in campaigns if is_stale(c, context.now, days)]
    intro = f"Running campaigns with no journal entry and no workflow start or finish for more than {days} days (as of {when(context.now)} UTC)."
    if not stale:
        return intro + "\n\nNone."
    rows = [
        [campaign_link(c.id, "campaigns/"), text(c.name), when(c.last_activity) or "never"]
        for c in stale
    ]
    return intro + "\n\n" + table(["Campaign", "Name", "Last activity (UTC)"], rows)


def _record_pages(context: SiteContext) -> dict[str, str]:
    """Record file path -> Markdown link to its page, from the site root."""
    pages = {c.path: campaign_link(c.id, "campaigns/") for c in context.campaigns.values()}
    pages.update(
        {
            p.path: site_link(p.name, f"productions/{p.id}.md")
            for p in context.repository.productions.values()
        }
    )
    return pages


def _recent_changes(context: SiteContext) -> str:
    if context.history is None:
        return "No git history is available for this build."
    if not context.history.commits:
        return "No record has been committed yet."
    pages = _record_pages(context)
    rows = []
    for commit, paths in context.history.commits[:RECENT_COMMITS]:
        records = [pages.get(path, code(path)) for path in paths[:RECORDS_PER_COMMIT]]
        if len(paths) > RECORDS_PER_COMMIT:
            records.append(f"and {len(paths) - RECORDS_PER_COMMIT:,} more")
        rows.append(
            [when(commit.date), text(commit.author), text(commit.message), ", ".join(records)]
        )
    return table(["Date (UTC)", "Author", "Message", "Records"], rows)


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
        f'<a href="../productions/{e(encode_path(campaign.production))}/">{e(_production_name(context, campaign.production))}</a>'
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
        + '<table id="campaign-index" class="cn-index">\n'
        + f"<thead><tr>{header}</tr></thead>\n<tbody>\n{rows}\n</tbody>\n</table>\n"
    )


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
        user_markdown(production.description),
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
        by_kind: dict[str, list[Bar]] = {}
        for campaign in sorted(
            members, key=lambda c: (c.start is None, c.start or context.now, c.id)
        ):
            bar = _campaign_bar(context, campaign)
            if bar:
                by_kind.setdefault(campaign.kind, []).append(bar)
        timeline = gantt(list(by_kind.items()))
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


def render_operators(context: SiteContext) -> str:
    """Who works on which active workflow, who is on shift now and who is next."""
    now = context.now
    on_shift, upcoming, assigned = [], [], []
    for campaign in context.campaigns.values():
        link_to = campaign_link(campaign.id, "campaigns/")
        for operator in campaign.operators:
            for shift in operator.shifts:
                if shift.start <= now < shift.end:
                    on_shift.append(
                        (
                            operator.name,
                            [
                                text(operator.name),
                                link_to,
                                text(operator.role),
                                shift.start_day or when(shift.start),
                                shift.end_day or when(shift.end),
                            ],
                        )
                    )
            future = [s for s in operator.shifts if s.start > now]
            if future:
                nearest = min(future, key=lambda s: s.start)
                upcoming.append(
                    (
                        nearest.start,
                        operator.name,
                        [
                            text(operator.name),
                            link_to,
                            text(operator.role),
                            nearest.start_day or when(nearest.start),
                            nearest.end_day or when(nearest.end),
                        ],
                    )
                )
        for workflow in campaign.workflows:
            if workflow.is_active:
                for name in workflow.operators or tuple(o.name for o in campaign.operators):
                    assigned.append(
                        (
                            name,
                            [
                                text(name),
                                link_to,
                                text(workflow.name),
                                badge(workflow.status, WORKFLOW_STATUS_ICONS),
                                when(workflow.started),
                            ],
                        )
                    )
    shift_headers = ["Operator", "Campaign", "Role", "From (UTC)", "Until (UTC)"]
    parts = [
        front_matter({"title": "Operators"}) + "# Operators",
        f"As of {when(now)} UTC, when this page was built.",
        "## On shift now",
        table(shift_headers, [row for _, row in sorted(on_shift, key=lambda item: item[0])])
        if on_shift
        else "Nobody is on a recorded shift.",
        "## Next shifts",
        table(
            shift_headers,
            [row for _, _, row in sorted(upcoming, key=lambda item: (item[0], item[1]))],
        )
        if upcoming
        else "No upcoming shifts are recorded.",
        "## Assigned to active workflows",
        table(
            ["Operator", "Campaign", "Workflow", "Status", "Started (UTC)"],
            [row for _, row in sorted(assigned, key=lambda item: item[0])],
        )
        if assigned
        else "No workflow is active.",
    ]
    return "\n\n".join(parts) + "\n"


def render_compare() -> str:
    """``compare.md``: the browser script fills the div from the JSON export (README-contract.md)."""
    return (
        front_matter({"title": "Compare campaigns", "hide": ["navigation", "toc"]})
        + "# Compare campaigns\n\n"
        "Pick two campaigns to see only the fields in which their records differ.\n\n"
        '<div id="cn-compare" data-api="../api/campaigns.json"></div>\n\n'
        "<noscript>Comparing needs JavaScript.</noscript>\n\n"
        "Every record is also available as JSON for other tools: [api/campaigns.json](api/campaigns.json).\n"
    )


def render_tags() -> str:
    return (
        front_matter({"title": "Tags"})
        + "# Tags\n\nCampaigns by kind, status, production and tag.\n\n<!-- material/tags -->\n"
    )
