"""One campaign's page (``campaigns/<id>.md``): what it is, why, on which data, how it ran."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from generator.dataids import EffectiveSelection
from generator.escaping import is_commit_id, shell_word
from generator.gitrepo import Commit
from generator.linktemplates import campaign_links
from generator.model.records import Campaign, Workflow
from generator.site import lineage, reproduce, workflow_status
from generator.site.campaign_facts import (
    LinkFact,
    jira_fact,
    operator_facts,
    progress,
    workflow_table,
)
from generator.site.context import SiteContext
from generator.site.jira_pages import snapshot_notice, ticket_row
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    badge,
    campaign_link,
    encode_path,
    front_matter,
    page_title,
    site_link,
    text,
)
from generator.site.operators_page import LINK_TEMPLATES_ANCHOR
from generator.site.templating import render, safe
from generator.site.timeline import Bar, bar_end, build_timeline, render_timeline

__all__ = ["campaign_link", "campaign_tags", "render_campaign_page"]

_FAILED = frozenset({"failed", "deleted", "pruned", "misfit"})


def campaign_tags(campaign: Campaign) -> list[str]:
    """Material tags: kind, status and production, then the record's own tags."""
    return list(
        dict.fromkeys([campaign.kind, campaign.status, campaign.production, *campaign.tags])
    )


@dataclass(frozen=True)
class ListUse:
    """A DataId list the campaign applies: how (role) and how many rows (None: unreadable)."""

    stem: str
    role: str
    rows: int | None
    path: str


@dataclass(frozen=True)
class Selection:
    lists: list[ListUse]
    effective: EffectiveSelection | None


@dataclass(frozen=True)
class Reproduce:
    commit: Commit | None  # the last commit of the record (a full hex id), if any
    show: str  # the command printing the definition
    submit: str  # the submission commands


@dataclass(frozen=True)
class HistoryRow:
    date: datetime
    author: str
    message: str
    sha: str
    url: str  # the commit on the repository's web site, or ""


@dataclass(frozen=True)
class History:
    edit_url: str
    commits: list[HistoryRow] | None  # None: no git history in this build


def render_campaign_page(context: SiteContext, campaign: Campaign) -> str:
    """Gather what the page shows, then lay it out with ``campaign.md.j2``."""
    production = context.repository.productions.get(campaign.production)
    links = [LinkFact(item.title, item.url) for item in campaign.links]
    links += [
        LinkFact(item.title, item.url)
        for item in campaign_links(context.repository.config.campaign_links, campaign)
    ]
    table = workflow_table(context, campaign)
    return render(
        context.templates,
        "campaign.md.j2",
        front_matter=safe(
            front_matter(
                {
                    "title": page_title(campaign.name),
                    "tags": campaign_tags(campaign),
                    "hide": ["navigation"],
                }
            )
        ),
        campaign=campaign,
        status_badge=safe(badge(campaign.status, CAMPAIGN_STATUS_ICONS)),
        production=safe(
            site_link(production.name, f"../productions/{production.id}.md")
            if production
            else text(campaign.production)
        ),
        progress=[(status, safe(b), n) for status, b, n in progress(campaign)],
        live_progress=safe(workflow_status.campaign_summary(context, campaign)),
        operators=operator_facts(campaign, context.now),
        jira=[jira_fact(context, key) for key in campaign.jira],
        jira_as_of=context.snapshot.fetched_at if context.snapshot else None,
        links=links,
        now=context.now,
        jira_browse=context.jira_browse,
        groups=table.groups,
        browser_links=table.browser_links,
        link_templates_anchor=LINK_TEMPLATES_ANCHOR,
        submit_root=table.submit_root,
        timeline=safe(_timeline(context, campaign)),
        live=workflow_status.campaign_progress(context, campaign),
        selection=_selection(context, campaign),
        tickets=[ticket_row(context, key) for key in campaign.all_jira_keys()],
        jira_notice=safe(snapshot_notice(context, "../jira/index.md")),
        lineage=lineage.gather(context, campaign),
        reproduce=_reproduce(context, campaign),
        history=_history(context, campaign),
    )


def _selection(context: SiteContext, campaign: Campaign) -> Selection:
    selection = campaign.selection
    lists = [("inclusion", p) for p in selection.include] + [
        ("exclusion", p) for p in selection.exclude
    ]
    lists += [(f"workflow {w.name}", w.dataids) for w in campaign.workflows if w.dataids]
    uses = []
    for role, path in lists:
        dataids = context.dataid_list(path)
        uses.append(
            ListUse(
                context.list_stems[path], role, len(dataids) if dataids is not None else None, path
            )
        )
    counted = bool(uses) and bool(selection.include or selection.exclude)
    return Selection(uses, context.selection_of(campaign) if counted else None)


def _workflow_bar(context: SiteContext, workflow: Workflow) -> Bar | None:
    if workflow.started is None:
        return None
    state = (
        "done" if workflow.status == "succeeded" else "active" if workflow.is_active else "other"
    )
    if workflow.status in _FAILED:
        state = "failed"
    end = bar_end(workflow.started, workflow.finished, workflow.is_active, context.now)
    return Bar(workflow.name, state, workflow.started, end)


def _timeline(context: SiteContext, campaign: Campaign) -> str:
    """One row per workflow, grouped by step; each bar links to its row of the table."""
    by_step: dict[str, list[tuple[Bar, str]]] = {}
    for workflow in campaign.workflows:
        bar = _workflow_bar(context, workflow)
        if bar:
            step = f"Step {workflow.step}" if workflow.step else "No step"
            by_step.setdefault(step, []).append((bar, f"#wf-{workflow.index + 1}"))
    timeline = build_timeline("Workflow timeline", list(by_step.items()))
    return render_timeline(context.templates, timeline)


def shell_command(options: Sequence[Sequence[str]]) -> str:
    """One command to copy: each option (a tuple of words) on its own continued line, every word
    quoted by ``shell_word``, so no value from a record can end the command or start another."""
    return " \\\n    ".join(" ".join(shell_word(word) for word in option) for option in options)


def _reproduce(context: SiteContext, campaign: Campaign) -> Reproduce:
    history = context.history.of(campaign.path) if context.history else []
    # gitrepo reads only full hex ids; checked again here because this text is run by readers.
    commit = history[0] if history and is_commit_id(history[0].sha) else None
    sha = commit.sha if commit else ""
    if commit:
        show = shell_command([("git", "show", f"{commit.sha}:{campaign.path}")])
    else:
        show = shell_command([("cat", campaign.path)])
    return Reproduce(commit, show, reproduce.submit_commands(context, campaign, sha))


def _history(context: SiteContext, campaign: Campaign) -> History:
    config = context.repository.config
    base = config.repo_url.rstrip("/")
    edit_url = (
        f"{base}/edit/{encode_path(config.edit_branch)}/{encode_path(campaign.path)}"
        if base
        else ""
    )
    if context.history is None:
        return History(edit_url, None)
    rows = [
        HistoryRow(
            c.date,
            c.author,
            c.message,
            c.sha,
            f"{base}/commit/{encode_path(c.sha)}" if base else "",
        )
        for c in context.history.of(campaign.path)
    ]
    return History(edit_url, rows)
