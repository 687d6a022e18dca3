"""Live progress on the pages, from the workflow status snapshot (``campaigns bps sync``).

Campaign pages get a "Live progress" section (jobs per state, a bar, failures per task label
with exit codes, runs the record does not list yet) and a progress column in the workflow
table; the home page's "Running now" uses the workflows' live states; the JSON export carries
the runs. Every text here came from the workflow system: it goes through ``markup`` (``text``,
``code``, ``escape_html``) like record text. Bars are ``<progress>`` elements: no inline style
or script, so the Content-Security-Policy stays strict.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.model.records import ACTIVE_WORKFLOW_STATUSES, Campaign, Workflow
from generator.model.snapshots import RunStatus, StatusSnapshot
from generator.site.context import SiteContext
from generator.site.markup import (
    WORKFLOW_STATUS_ICONS,
    badge,
    code,
    escape_html,
    stale_warning,
    text,
    when,
)

_FINISHED_JOB_STATES = ("succeeded", "failed", "pruned", "deleted")


def snapshot_of(context: SiteContext) -> StatusSnapshot | None:
    return context.workflow_status


def status_notice(context: SiteContext) -> str:
    """ "Workflow status as of ...", with a warning when the snapshot is older than configured."""
    snapshot = snapshot_of(context)
    if snapshot is None:
        return (
            "No workflow status snapshot yet: the states below are the records'. "
            "Run `campaigns bps sync` where the workflow system is reachable."
        )
    notice = f"Workflow status as of {when(snapshot.asked_at)} UTC."
    return notice + stale_warning(
        "Workflow status",
        snapshot.age_hours(context.now),
        context.repository.config.bps_stale_after_hours,
        "runs may have moved on since.",
        "campaigns bps sync",
    )


def _bar(run_or_counts: RunStatus | dict[str, int], total: int) -> str:
    counts = run_or_counts.job_counts if isinstance(run_or_counts, RunStatus) else run_or_counts
    finished = sum(counts.get(s, 0) for s in _FINISHED_JOB_STATES)
    failed = counts.get("failed", 0)
    label = f"{finished:,} of {total:,} jobs finished" + (f", {failed:,} failed" if failed else "")
    classes = "cn-progress cn-progress--failed" if failed else "cn-progress"
    return (
        f'<progress class="{classes}" value="{finished}" max="{max(total, 1)}" '
        f'title="{escape_html(label)}">{escape_html(label)}</progress>'
    )


def _state_counts(counts: dict[str, int]) -> str:
    """Jobs per state as icon, word and number (never colour alone)."""
    return " · ".join(
        f"{WORKFLOW_STATUS_ICONS.get(state, '?')} {text(state)} {number:,}"
        for state, number in counts.items()
    )


def _total(run: RunStatus) -> int:
    return run.total_jobs or sum(run.job_counts.values())


def _failures(run: RunStatus) -> str:
    rows = run.failures_by_label()
    if not rows:
        return ""
    parts = []
    for label, failed, codes in rows:
        by_code: dict[int, int] = {}
        for exit_code in codes:
            by_code[exit_code] = by_code.get(exit_code, 0) + 1
        shown = ", ".join(
            f"{exit_code} ×{n}" if n > 1 else str(exit_code) for exit_code, n in by_code.items()
        )
        parts.append(f"{code(label)} {failed:,} failed" + (f" (exit {shown})" if shown else ""))
    return "<br>".join(parts)


def _live_state(run: RunStatus) -> str:
    return badge(run.state, WORKFLOW_STATUS_ICONS)


def workflow_progress_cell(context: SiteContext, campaign: Campaign, workflow: Workflow) -> str:
    """The workflow table's "Live" cell: state, bar and counts, or "" without a snapshot entry."""
    snapshot = snapshot_of(context)
    run = snapshot.of_workflow(campaign.id, workflow.name) if snapshot else None
    if run is None:
        return ""
    total = _total(run)
    cell = _live_state(run) if run.state != workflow.status else ""
    if total:
        cell += ("<br>" if cell else "") + _bar(run, total)
    return cell


def campaign_summary(context: SiteContext, campaign: Campaign) -> str:
    """The header's "Live" line: one bar and the jobs per state over the listed runs ("" when
    the snapshot has none); the "Live progress" section below has the details."""
    snapshot = snapshot_of(context)
    listed = [run for run in snapshot.of_campaign(campaign.id) if run.listed] if snapshot else []
    if not listed:
        return ""
    totals: dict[str, int] = {}
    for run in listed:
        for state, number in run.job_counts.items():
            totals[state] = totals.get(state, 0) + number
    grand_total = sum(_total(run) for run in listed)
    return (
        f"{_bar(totals, grand_total)} {_state_counts(totals)} "
        '(<a href="#live-progress">live progress</a>)'
    )


@dataclass(frozen=True)
class LiveRun:
    """A run as the "Live progress" tables show it: the snapshot's values, and the bar, job
    counts and failures already made safe (HTML and Markdown built from escaped parts)."""

    run: RunStatus
    bar: Markup
    counts: Markup
    failures: Markup


@dataclass(frozen=True)
class LiveProgress:
    notice: Markup  # "Workflow status as of …" (with the stale warning), or how to get one
    reported: bool  # a snapshot exists
    summary: Markup  # one bar and the jobs per state over the listed runs
    listed: list[LiveRun]
    unlisted: list[LiveRun]


def _live_run(run: RunStatus) -> LiveRun:
    total = _total(run)
    return LiveRun(
        run,
        Markup(_bar(run, total) if total else ""),
        Markup(_state_counts(run.job_counts)),
        Markup(_failures(run)),
    )


def campaign_progress(context: SiteContext, campaign: Campaign) -> LiveProgress | None:
    """What the campaign page's "Live progress" section shows (None when the campaign has no
    runs yet); laid out by ``campaign_live.md.j2``."""
    snapshot = snapshot_of(context)
    has_runs = any(w.run_id for w in campaign.workflows)
    runs = snapshot.of_campaign(campaign.id) if snapshot else []
    if not runs and not has_runs:
        return None
    listed = sorted((run for run in runs if run.listed), key=_workflow_order(campaign))
    totals: dict[str, int] = {}
    for run in listed:
        for state, number in run.job_counts.items():
            totals[state] = totals.get(state, 0) + number
    grand_total = sum(_total(run) for run in listed)
    return LiveProgress(
        notice=Markup(status_notice(context)),
        reported=snapshot is not None,
        summary=Markup(f"{_bar(totals, grand_total)} {_state_counts(totals)}" if listed else ""),
        listed=[_live_run(run) for run in listed],
        unlisted=[_live_run(run) for run in (snapshot.unlisted(campaign.id) if snapshot else [])],
    )


def _workflow_order(campaign: Campaign) -> Any:
    positions = {w.name: w.index for w in campaign.workflows}
    return lambda run: (positions.get(run.workflow, len(positions)), run.run_id)


def live_status(context: SiteContext, campaign: Campaign, workflow: Workflow) -> str:
    """A workflow's state as the workflow system last said it, else as the record says."""
    snapshot = snapshot_of(context)
    run = snapshot.of_workflow(campaign.id, workflow.name) if snapshot else None
    return run.state if run else workflow.status


def running_now(context: SiteContext, campaign: Campaign) -> tuple[bool, str, str]:
    """For the home page: (running?, active workflows cell, progress cell).

    A campaign is running when its record says so or when the workflow system has active runs
    for it; workflows are shown with their live state."""
    snapshot = snapshot_of(context)
    active = [
        (workflow, live_status(context, campaign, workflow))
        for workflow in campaign.workflows
        if live_status(context, campaign, workflow) in ACTIVE_WORKFLOW_STATUSES
    ]
    unlisted = [
        run
        for run in (snapshot.unlisted(campaign.id) if snapshot else [])
        if run.state in ACTIVE_WORKFLOW_STATUSES
    ]
    cell = "<br>".join(
        f"{badge(state, WORKFLOW_STATUS_ICONS)} {text(workflow.name)}" for workflow, state in active
    )
    if unlisted:
        cell += ("<br>" if cell else "") + f"+ {len(unlisted)} run(s) not in the record"
    progress = ""
    runs = (
        [snapshot.of_workflow(campaign.id, workflow.name) for workflow, _ in active]
        if snapshot
        else []
    )
    counted = [run for run in runs if run is not None and _total(run)]
    if counted:
        totals: dict[str, int] = {}
        for run in counted:
            for state, number in run.job_counts.items():
                totals[state] = totals.get(state, 0) + number
        progress = _bar(totals, sum(_total(run) for run in counted))
    running = campaign.status == "running" or bool(active) or bool(unlisted)
    return running, cell, progress


def export(context: SiteContext, campaign: Campaign) -> list[dict[str, Any]]:
    """The campaign's runs for its JSON export (``api/campaigns/<id>.json.gz``)."""
    snapshot = snapshot_of(context)
    return [run.to_json() for run in snapshot.of_campaign(campaign.id)] if snapshot else []


def export_meta(context: SiteContext) -> dict[str, Any] | None:
    snapshot = snapshot_of(context)
    if snapshot is None:
        return None
    return {
        "asked_at": snapshot.asked_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "service_class": snapshot.service_class,
        "hist_days": snapshot.hist_days,
    }
