"""The home page: what an operator checks first (running now, needs attention), then counts."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import quote

from generator.model.records import CAMPAIGN_STATUSES, Campaign
from generator.site import workflow_status
from generator.site.context import SiteContext
from generator.site.githistory import RecordEdit
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    badge,
    campaign_link,
    code,
    day,
    site_link,
    table,
    text,
    when,
)
from generator.site.templating import render, safe

RECENT_COMMITS = 15
LATEST_CAMPAIGNS = 10
RECORDS_PER_COMMIT = 12
# Rows of "Running now" and "Needs attention", most recent activity first: at survey scale
# hundreds of campaigns run at once, and the whole list made the home page 460 KB of Markdown
# at 5,000 campaigns; the campaign index lists them all, filtered by status.
SECTION_ROWS = 50


def render_home(context: SiteContext) -> str:
    """Gather the home page's sections, then lay them out with ``home.md.j2``."""
    campaigns = list(context.campaigns.values())
    return render(
        context.templates,
        "home.md.j2",
        title=context.repository.config.title,
        now=context.now,
        campaign_count=len(campaigns),
        running=safe(_running_now(context, campaigns)),
        attention=safe(_needs_attention(context, campaigns)),
        counts=safe(_status_kind_table(context, campaigns)),
        latest=safe(_latest(campaigns, context.now)),
        recent=safe(_recent_changes(context)),
    )


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


def _by_activity(campaigns: list[Campaign]) -> list[Campaign]:
    """Most recent journal entry or workflow change first; never active last (then by id)."""
    return sorted(
        campaigns,
        key=lambda c: (c.last_activity is not None, c.last_activity or 0, c.id),
        reverse=True,
    )


def _more(shown: int, total: int, what: str, query: str) -> str:
    if total <= shown:
        return ""
    return (
        f"\n\nThe {shown} with the most recent activity of {total:,} {what}; the "
        f"[campaign index](campaigns/index.md?{query}) lists them all."
    )


def _running_now(context: SiteContext, campaigns: list[Campaign]) -> str:
    rows = []
    for campaign in _by_activity(campaigns):
        # Running by the record or by the workflow system's live states (status snapshot).
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
                text(context.production_name(campaign.production)),
                workflows or "none active",
                progress,
                ", ".join(text(o) for o in operators),
            ]
        )
    if not rows:
        return "No campaign is running.\n\n" + workflow_status.status_notice(context)
    return (
        table(
            ["Campaign", "Name", "Production", "Active workflows", "Jobs", "Operators"],
            rows[:SECTION_ROWS],
        )
        + _more(SECTION_ROWS, len(rows), "running campaigns", "status=running")
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


def attention_reasons(context: SiteContext, campaign: Campaign) -> list[str]:
    """Why an operator should look at this campaign today (empty: nothing to do)."""
    reasons = []
    if campaign.status == "failed":
        reasons.append("the campaign failed")
    elif campaign.status == "paused":
        reasons.append("the campaign is paused")
    days = context.repository.config.stale_after_days
    if is_stale(campaign, context.now, days):
        last = when(campaign.last_activity) or "never"
        reasons.append(
            f"stale: no journal entry or workflow change for more than {days} days (last {last})"
        )
    if campaign.status == "running":
        rescued = {w.rescue_of for w in campaign.workflows if w.rescue_of}
        failed = [
            w.name for w in campaign.workflows if w.status == "failed" and w.name not in rescued
        ]
        held = [w.name for w in campaign.workflows if w.status == "held"]
        if failed:
            reasons.append("failed workflows without a rescue: " + ", ".join(failed))
        if held:
            reasons.append("held workflows: " + ", ".join(held))
    return reasons


def _needs_attention(context: SiteContext, campaigns: list[Campaign]) -> str:
    rows = []
    for campaign in _by_activity(campaigns):
        reasons = attention_reasons(context, campaign)
        if reasons:
            rows.append(
                [
                    campaign_link(campaign.id, "campaigns/"),
                    text(campaign.name),
                    badge(campaign.status, CAMPAIGN_STATUS_ICONS),
                    "<br>".join(text(reason) for reason in reasons),
                ]
            )
    parts = []
    snapshot = context.snapshot
    limit = context.repository.config.jira_stale_after_hours
    if snapshot is not None and snapshot.age_hours(context.now) > limit:
        parts.append(
            f"- **Jira data is stale:** the snapshot is {int(snapshot.age_hours(context.now))} hours old "
            f"(more than {limit}); statuses may have changed. See [Jira tickets](jira/index.md)."
        )
    if rows:
        parts.append(
            table(["Campaign", "Name", "Status", "Why"], rows[:SECTION_ROWS])
            + _more(SECTION_ROWS, len(rows), "campaigns that need attention", "status=failed")
        )
    return (
        "\n\n".join(parts)
        or "Nothing: no failed, paused or stale campaign, no failed workflow left without a rescue."
    )


def _record_pages(context: SiteContext) -> dict[str, str]:
    """Record file path -> Markdown link to its page, from the site root."""
    pages = {c.path: campaign_link(c.id, "campaigns/") for c in context.campaigns.values()}
    pages.update(
        {
            p.path: site_link(p.id, f"productions/{p.id}.md")
            for p in context.repository.productions.values()
        }
    )
    return pages


def _edit_line(edit: RecordEdit, pages: dict[str, str]) -> str:
    """``[id](page): status running → completed; workflow step3 added`` (escaped)."""
    record = pages.get(edit.path, code(edit.record))
    if edit.change == "removed":
        return f"{record}: removed"
    phrases = list(edit.details)
    if edit.change == "added":
        phrases.insert(0, f"added ({edit.new_status})" if edit.new_status else "added")
    return f"{record}: " + "; ".join(text(p) for p in phrases) if phrases else record


def _recent_changes(context: SiteContext) -> str:
    """The newest record changes, per commit (githistory.record_edits)."""
    if context.history is None:
        return "No git history is available for this build."
    if not context.history.edits:
        return "No record has been changed in a commit yet."
    pages = _record_pages(context)
    rows = []
    for commit_edits in context.history.edits[:RECENT_COMMITS]:
        lines = [_edit_line(edit, pages) for edit in commit_edits.edits[:RECORDS_PER_COMMIT]]
        more = len(commit_edits.edits) - RECORDS_PER_COMMIT + commit_edits.not_compared
        if more > 0:
            lines.append(f"and {more:,} more records")
        commit = commit_edits.commit
        rows.append(
            [
                when(commit.date),
                text(commit.author),
                "<br>".join(lines),
                text(commit.message),
            ]
        )
    return table(["Date (UTC)", "Author", "Changes", "Commit message"], rows)
