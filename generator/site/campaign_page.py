"""One campaign's page (``campaigns/<id>.md``): what it is, why, on which data, how it ran."""

from __future__ import annotations

from collections.abc import Sequence

from generator.dataids import EffectiveSelection
from generator.escaping import is_commit_id, shell_word
from generator.linktemplates import campaign_links
from generator.model.records import Campaign, Workflow
from generator.site import reproduce, workflow_status
from generator.site.campaign_facts import (
    LinkFact,
    jira_fact,
    operator_facts,
    progress,
    workflow_rows,
)
from generator.site.context import SiteContext
from generator.site.diagrams import Bar, bar_end
from generator.site.jira_pages import snapshot_notice, tickets_table
from generator.site.lineage import render_lineage
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    FACT_HEADERS,
    badge,
    campaign_link,
    code,
    code_block,
    day,
    encode_path,
    front_matter,
    link,
    page_title,
    site_link,
    table,
    text,
    user_markdown,
    when,
)
from generator.site.templating import render, safe
from generator.site.timeline import build_timeline, render_timeline

__all__ = ["campaign_link", "campaign_tags", "render_campaign_page"]

# Long, repetitive sections kept out of the search index (Material reads this attribute; other
# engines ignore it), which would otherwise grow by kilobytes per campaign.
SEARCH_EXCLUDED = "{ data-search-exclude }"
_FAILED = frozenset({"failed", "deleted", "pruned", "misfit"})


def campaign_tags(campaign: Campaign) -> list[str]:
    """Material tags: kind, status and production, then the record's own tags."""
    return list(
        dict.fromkeys([campaign.kind, campaign.status, campaign.production, *campaign.tags])
    )


def render_campaign_page(context: SiteContext, campaign: Campaign) -> str:
    """Gather what the page shows, then lay it out with ``campaign.md.j2``."""
    production = context.repository.productions.get(campaign.production)
    links = [LinkFact(item.title, item.url) for item in campaign.links]
    links += [
        LinkFact(item.title, item.url)
        for item in campaign_links(context.repository.config.campaign_links, campaign)
    ]
    sections = [
        workflow_status.campaign_progress(context, campaign),
        _definition(campaign),
        _selection(context, campaign),
        _jira(context, campaign),
        _journal(context, campaign),
        render_lineage(context, campaign),
        _reproduce(context, campaign),
        _history(context, campaign),
    ]
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
        groups=workflow_rows(context, campaign),
        timeline=safe(_timeline(context, campaign)),
        sections=[safe(section) for section in sections if section],
    )


def _definition(campaign: Campaign) -> str:
    rows: list[list[str]] = []
    if campaign.software:
        rows.append(["Software", code(campaign.software.version)])
        rows += [
            [f"Package {text(name)}", code(ref)]
            for name, ref in sorted(campaign.software.packages.items())
        ]
    butler = campaign.butler
    rows += [
        [name, value]
        for name, value in (
            ("Butler repository", code(butler.repo)),
            ("Instrument", text(butler.instrument)),
            ("Skymap", text(butler.skymap)),
            ("Input collections", "<br>".join(code(c) for c in butler.inputs)),
            ("Output collection", code(butler.output)),
        )
        if value
    ]
    pipeline = campaign.pipeline
    if pipeline:
        rows.append(
            ["Pipeline", code(pipeline.uri + (f"#{pipeline.subset}" if pipeline.subset else ""))]
        )
        if pipeline.config_files:
            rows.append(["Config files", "<br>".join(code(f) for f in pipeline.config_files)])
        if pipeline.bps_config:
            rows.append(["BPS config", code(pipeline.bps_config)])
        if pipeline.source_repo:
            source = link(pipeline.source_repo, pipeline.source_repo)
            rows.append(
                [
                    "Pipeline source",
                    source + (f" at {code(pipeline.source_ref)}" if pipeline.source_ref else ""),
                ]
            )
    parts = ["## Definition", table(FACT_HEADERS, rows) if rows else "Nothing defined yet."]
    if pipeline and pipeline.config:
        parts += [
            "### Configuration overrides",
            table(
                ["Task", "Field", "Value", "Why"],
                (
                    [code(c.task), code(c.field), code(c.value), text(c.why)]
                    for c in pipeline.config
                ),
            ),
        ]
    return "\n\n".join(parts)


def _selection(context: SiteContext, campaign: Campaign) -> str:
    selection = campaign.selection
    parts = ["## Data selection"]
    if selection.query:
        parts += [
            "Data query (all predicates must hold):",
            code_block("\n  AND ".join(selection.query), "text"),
        ]
    else:
        parts.append("No data query: all relevant data.")
    lists = [("inclusion", p) for p in selection.include] + [
        ("exclusion", p) for p in selection.exclude
    ]
    lists += [(f"workflow {text(w.name)}", w.dataids) for w in campaign.workflows if w.dataids]
    if not lists:
        return "\n\n".join(parts)
    rows = []
    for role, path in lists:
        stem = context.list_stems[path]
        dataids = context.dataid_list(path)
        size = f"{len(dataids):,}" if dataids else "unreadable"
        rows.append([site_link(stem, f"../dataids/{stem}.md"), role, size, code(path)])
    parts += ["DataId lists applied:", table(["List", "Role", "Rows", "File"], rows)]
    if selection.include or selection.exclude:
        parts.append(_effective_counts(context.selection_of(campaign)))
    return "\n\n".join(parts)


def _effective_counts(effective: EffectiveSelection) -> str:
    """What the lists amount to: DataIds kept, and how many each exclusion reason removes."""
    lines = []
    if effective.included is None:
        lines.append(
            f"- **Included:** all DataIds the query selects; {effective.excluded:,} excluded by the lists."
        )
    else:
        lines.append(
            f"- **Included:** {effective.included:,} · **removed by exclusions:** {effective.overlap:,}"
            f" · **selected:** {effective.selected if effective.selected is not None else 0:,}"
        )
    parts = ["### Effective selection", "\n".join(lines)]
    by_reason = (
        effective.removed_by_reason
        if effective.included is not None
        else effective.excluded_by_reason
    )
    if by_reason:
        heading = "Removed" if effective.included is not None else "Excluded"
        parts.append(
            table(
                ["Exclusion reason", heading],
                ([text(r) or "*(none given)*", f"{n:,}"] for r, n in by_reason.items()),
            )
        )
    if effective.included_by_reason and any(effective.included_by_reason):
        parts.append(
            table(
                ["Inclusion reason", "Included"],
                (
                    [text(r) or "*(none given)*", f"{n:,}"]
                    for r, n in effective.included_by_reason.items()
                ),
            )
        )
    return "\n\n".join(parts)


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


def _jira(context: SiteContext, campaign: Campaign) -> str:
    keys = campaign.all_jira_keys()
    if not keys:
        return ""
    return "\n\n".join(
        [
            "## Jira issues",
            snapshot_notice(context, "../jira/index.md"),
            tickets_table(context, keys),
        ]
    )


def _journal(context: SiteContext, campaign: Campaign) -> str:
    if not campaign.journal:
        return ""
    parts = ["## Journal"]
    for entry in reversed(campaign.journal):  # newest first
        heading = f"**{text(entry.written.replace('T', ' '))} · {text(entry.author)}**"
        if entry.jira:
            heading += " · " + ", ".join(text(key) for key in entry.jira)
        parts += [heading, user_markdown(entry.text, context.jira_browse)]
    return "\n\n".join(parts)


def shell_command(options: Sequence[Sequence[str]]) -> str:
    """One command to copy: each option (a tuple of words) on its own continued line, every word
    quoted by ``shell_word``, so no value from a record can end the command or start another."""
    return " \\\n    ".join(" ".join(shell_word(word) for word in option) for option in options)


def _reproduce(context: SiteContext, campaign: Campaign) -> str:
    history = context.history.of(campaign.path) if context.history else []
    # gitrepo reads only full hex ids; checked again here because this text is run by readers.
    sha = history[0].sha if history and is_commit_id(history[0].sha) else ""
    if sha:
        commit = history[0]
        where = f"The definition as last committed: {code(commit.sha)} ({day(commit.date)}, {text(commit.author)})."
        show = shell_command([("git", "show", f"{commit.sha}:{campaign.path}")])
    else:
        where = "The record is not committed to git yet, so no commit can be named."
        show = shell_command([("cat", campaign.path)])
    parts = [
        f"## Reproduce {SEARCH_EXCLUDED}",
        where,
        code_block(show, "sh"),
        "Submission commands built from the definition:",
        code_block(reproduce.submit_commands(context, campaign, sha), "sh"),
    ]
    return "\n\n".join(parts)


def _history(context: SiteContext, campaign: Campaign) -> str:
    config = context.repository.config
    parts = [f"## Record history {SEARCH_EXCLUDED}"]
    if config.repo_url:
        edit = f"{encode_path(config.edit_branch)}/{encode_path(campaign.path)}"
        parts.append(
            link("Edit this record", f"{config.repo_url.rstrip('/')}/edit/{edit}")
            + f" ({code(campaign.path)})"
        )
    else:
        parts.append(f"Record file: {code(campaign.path)}")
    if context.history is None:
        parts.append("No git history is available for this build.")
        return "\n\n".join(parts)
    commits = context.history.of(campaign.path)
    if not commits:
        parts.append("Not committed yet.")
        return "\n\n".join(parts)
    base = config.repo_url.rstrip("/")
    rows = [
        [
            when(c.date),
            text(c.author),
            text(c.message),
            link(c.sha[:10], f"{base}/commit/{encode_path(c.sha)}") if base else code(c.sha[:10]),
        ]
        for c in commits
    ]
    parts.append(table(["Date (UTC)", "Author", "Message", "Commit"], rows))
    return "\n\n".join(parts)
