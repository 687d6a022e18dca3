"""The home page: what an operator checks first (running now, needs attention), then counts."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from generator.gitrepo import Commit
from generator.model.records import CAMPAIGN_STATUSES, Campaign
from generator.site import workflow_status
from generator.site.context import SiteContext
from generator.site.githistory import RecordEdit
from generator.site.markup import when
from generator.site.templating import render, safe

RECENT_COMMITS = 15
LATEST_CAMPAIGNS = 10
RECORDS_PER_COMMIT = 12
# Rows of "Running now" and "Needs attention", most recent activity first: at survey scale
# hundreds of campaigns run at once, and the whole list made the home page 460 KB of Markdown
# at 5,000 campaigns; the campaign index lists them all, filtered by status.
SECTION_ROWS = 50


@dataclass(frozen=True)
class RunningRow:
    campaign: Campaign
    production: str  # its name
    workflows: Markup  # active workflows with their live state (workflow_status.running_now)
    progress: Markup  # jobs per state, or empty
    operators: list[str]


@dataclass(frozen=True)
class AttentionRow:
    campaign: Campaign
    reasons: list[str]


@dataclass(frozen=True)
class Section:
    """Rows of a home-page list, the first ``SECTION_ROWS`` of ``total`` (most recent activity
    first)."""

    rows: list[Any]
    total: int
    query: str  # the campaign index's filter that lists them all

    @property
    def more(self) -> bool:
        return self.total > len(self.rows)


@dataclass(frozen=True)
class Counts:
    """Campaigns by kind (rows) and status (columns); a cell is (number, index filter)."""

    statuses: tuple[str, ...]
    rows: list[tuple[str, list[tuple[int, Markup]], tuple[int, Markup]]]  # kind, cells, total
    totals: list[tuple[int, Markup]]
    total: int


@dataclass(frozen=True)
class EditLine:
    """One record changed by a commit (githistory.RecordEdit), with its page when it has one."""

    record: str
    page: str  # from the site root, "" when the record has no page (notebook.yaml, removed)
    removed: bool
    phrases: list[str]


@dataclass(frozen=True)
class CommitRow:
    commit: Commit
    lines: list[EditLine]
    more: int  # records changed but not listed


def render_home(context: SiteContext) -> str:
    """Gather what the home page shows, then lay it out with ``home.md.j2``."""
    campaigns = list(context.campaigns.values())
    by_activity = _by_activity(campaigns)  # both sections list campaigns in this order
    snapshot = context.snapshot
    stale_limit = context.repository.config.jira_stale_after_hours
    jira_age = int(snapshot.age_hours(context.now)) if snapshot is not None else None
    return render(
        context.templates,
        "home.md.j2",
        title=context.repository.config.title,
        now=context.now,
        campaign_count=len(campaigns),
        running=_running_now(context, by_activity),
        status_notice=safe(workflow_status.status_notice(context)),
        attention=_needs_attention(context, by_activity),
        jira_stale_hours=jira_age if jira_age is not None and jira_age > stale_limit else None,
        jira_stale_limit=stale_limit,
        counts=_counts(context, campaigns),
        latest=sorted(campaigns, key=lambda c: (c.start or context.now, c.id), reverse=True)[
            :LATEST_CAMPAIGNS
        ],
        history_available=context.history is not None,
        recent=_recent_changes(context),
    )


def _counts(context: SiteContext, campaigns: list[Campaign]) -> Counts:
    counts = Counter((c.kind, c.status) for c in campaigns)
    kinds = list(
        dict.fromkeys([*context.repository.config.kinds, *sorted({c.kind for c in campaigns})])
    )
    kinds = [k for k in kinds if any(counts[k, s] for s in CAMPAIGN_STATUSES)]

    # The index page's script reads the filter from the query (README-contract.md); the kind is
    # percent-encoded and the statuses are the schema's words, so the query is safe as it is.
    def query(**terms: str) -> Markup:
        return safe("&".join(f"{key}={quote(value)}" for key, value in terms.items()))

    rows = [
        (
            kind,
            [(counts[kind, s], query(kind=kind, status=s)) for s in CAMPAIGN_STATUSES],
            (sum(counts[kind, s] for s in CAMPAIGN_STATUSES), query(kind=kind)),
        )
        for kind in kinds
    ]
    totals = [(sum(counts[k, s] for k in kinds), query(status=s)) for s in CAMPAIGN_STATUSES]
    return Counts(CAMPAIGN_STATUSES, rows, totals, len(campaigns))


def _by_activity(campaigns: list[Campaign]) -> list[Campaign]:
    """Most recent journal entry or workflow change first; never active last (then by id)."""

    def key(campaign: Campaign) -> tuple[bool, Any, str]:
        last = campaign.last_activity  # computed from every entry and workflow: once
        return (last is not None, last or 0, campaign.id)

    return sorted(campaigns, key=key, reverse=True)


def _running_now(context: SiteContext, by_activity: list[Campaign]) -> Section:
    rows = []
    for campaign in by_activity:
        # Running by the record or by the workflow system's live states (status snapshot).
        running, workflows, progress = workflow_status.running_now(context, campaign)
        if not running:
            continue
        active = [w for w in campaign.workflows if w.is_active]
        operators = dict.fromkeys(o for w in active for o in w.operators) or dict.fromkeys(
            o.name for o in campaign.operators
        )
        rows.append(
            RunningRow(
                campaign,
                context.production_name(campaign.production),
                safe(workflows),
                safe(progress),
                list(operators),
            )
        )
    return Section(rows[:SECTION_ROWS], len(rows), "status=running")


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


def _needs_attention(context: SiteContext, by_activity: list[Campaign]) -> Section:
    rows = [
        AttentionRow(campaign, reasons)
        for campaign in by_activity
        if (reasons := attention_reasons(context, campaign))
    ]
    return Section(rows[:SECTION_ROWS], len(rows), "status=failed")


def _record_pages(context: SiteContext) -> dict[str, str]:
    """Record file path -> its page, from the site root."""
    pages = {c.path: f"campaigns/{c.id}.md" for c in context.campaigns.values()}
    pages.update(
        {p.path: f"productions/{p.id}.md" for p in context.repository.productions.values()}
    )
    return pages


def _edit_line(edit: RecordEdit, pages: dict[str, str]) -> EditLine:
    """``id: status running → completed; workflow step3 added``."""
    if edit.change == "removed":
        return EditLine(edit.record, "", True, [])
    phrases = list(edit.details)
    if edit.change == "added":
        phrases.insert(0, f"added ({edit.new_status})" if edit.new_status else "added")
    return EditLine(edit.record, pages.get(edit.path, ""), False, phrases)


def _recent_changes(context: SiteContext) -> list[CommitRow]:
    """The newest record changes, per commit (githistory.record_edits)."""
    if context.history is None:
        return []
    pages = _record_pages(context)
    return [
        CommitRow(
            commit_edits.commit,
            [_edit_line(edit, pages) for edit in commit_edits.edits[:RECORDS_PER_COMMIT]],
            len(commit_edits.edits) - RECORDS_PER_COMMIT + commit_edits.not_compared,
        )
        for commit_edits in context.history.edits[:RECENT_COMMITS]
    ]
