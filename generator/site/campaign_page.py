"""One campaign's page (``campaigns/<id>.md``): what it is, why, on which data, how it ran."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator.comparison import changed_fields
from generator.dataids import EffectiveSelection
from generator.escaping import is_commit_id, shell_word
from generator.linktemplates import campaign_links, workflow_links
from generator.loading.yamlsafe import plain
from generator.model.records import Campaign, Workflow
from generator.site import reproduce, workflow_status
from generator.site.context import SiteContext
from generator.site.diagrams import Bar, bar_end, flowchart, gantt
from generator.site.jira_pages import key_link, snapshot_notice, tickets_table
from generator.site.markup import (
    CAMPAIGN_STATUS_ICONS,
    FACT_HEADERS,
    WORKFLOW_STATUS_ICONS,
    badge,
    code,
    code_block,
    day,
    duration,
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

# Fields that differ between any two runs by nature; "differs from parent" leaves them out.
RUN_FIELDS = frozenset(
    {"id", "status", "started", "finished", "derived_from", "journal", "workflows"}
)
MAX_GRAPH_NODES = 30
# Long, repetitive sections kept out of the search index (Material reads this attribute; other
# engines ignore it), which would otherwise grow by kilobytes per campaign.
SEARCH_EXCLUDED = "{ data-search-exclude }"
_FAILED = frozenset({"failed", "deleted", "pruned", "misfit"})


def campaign_tags(campaign: Campaign) -> list[str]:
    """Material tags: kind, status and production, then the record's own tags."""
    return list(
        dict.fromkeys([campaign.kind, campaign.status, campaign.production, *campaign.tags])
    )


def campaign_link(campaign_id: str, to_campaigns: str = "") -> str:
    """A Markdown link to a campaign page; ``to_campaigns`` is the way from the page to campaigns/."""
    return site_link(campaign_id, f"{to_campaigns}{campaign_id}.md")


def render_campaign_page(context: SiteContext, campaign: Campaign) -> str:
    sections = [
        _header(context, campaign),
        workflow_status.campaign_progress(context, campaign),
        _definition(campaign),
        _selection(context, campaign),
        _workflows(context, campaign),
        _jira(context, campaign),
        _journal(campaign),
        _lineage(context, campaign),
        _reproduce(context, campaign),
        _history(context, campaign),
    ]
    body = "\n\n".join(section for section in sections if section)
    return (
        front_matter({"title": page_title(campaign.name), "tags": campaign_tags(campaign)})
        + body
        + "\n"
    )


def _header(context: SiteContext, campaign: Campaign) -> str:
    production = context.repository.productions.get(campaign.production)
    production_text = (
        site_link(production.name, f"../productions/{production.id}.md")
        if production
        else text(campaign.production)
    )
    operators = ", ".join(
        text(o.name) + (f" ({text(o.role)})" if o.role else "") for o in campaign.operators
    )
    links = [link(item.title, item.url) for item in campaign.links]
    links += [
        link(item.title, item.url)
        for item in campaign_links(context.repository.config.campaign_links, campaign)
    ]
    facts = [
        ("Id", code(campaign.id)),
        ("Status", badge(campaign.status, CAMPAIGN_STATUS_ICONS)),
        ("Production", production_text),
        ("Kind", text(campaign.kind)),
        ("Defined by", text(campaign.definer)),
        ("Operators", operators or "—"),
        ("Start", when(campaign.start) or "not started"),
        ("End", when(campaign.end) or "—"),
        ("Jira", ", ".join(key_link(context, key) for key in campaign.jira) or "—"),
        ("Output", code(campaign.butler.output) or "—"),
        ("Links", " · ".join(links) or "—"),
    ]
    parts = [
        f"# {text(campaign.name)}",
        f"{badge(campaign.status, CAMPAIGN_STATUS_ICONS)} {code(campaign.id)} · {text(campaign.kind)} · {production_text}",
        "## Purpose",
        user_markdown(campaign.purpose),
    ]
    if campaign.reason:
        parts += ["## Why", user_markdown(campaign.reason)]
    parts += ["## Summary", table(FACT_HEADERS, ([f"**{name}**", value] for name, value in facts))]
    return "\n\n".join(parts)


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


def _workflows(context: SiteContext, campaign: Campaign) -> str:
    if not campaign.workflows:
        return "## Workflows\n\nNo workflows yet."
    templates = context.repository.config.workflow_links
    rows = []
    for workflow in campaign.workflows:
        links = [
            link(item.title, item.url)
            for item in (*workflow.links, *workflow_links(templates, campaign, workflow))
        ]
        if workflow.submit_dir:
            links.append("submit dir " + code(workflow.submit_dir))
        name = text(workflow.name)
        if workflow.notes:
            name += f"<br><small>{text(workflow.notes)}</small>"
        rows.append(
            [
                name,
                text(workflow.step),
                text(workflow.group),
                badge(workflow.status, WORKFLOW_STATUS_ICONS),
                workflow_status.workflow_progress_cell(context, campaign, workflow),
                when(workflow.started),
                when(workflow.finished),
                duration(workflow.started, workflow.finished),
                ", ".join(text(o) for o in workflow.operators),
                ("↻ rescue of " + text(workflow.rescue_of)) if workflow.rescue_of else "",
                ", ".join(text(key) for key in workflow.jira),
                " · ".join(links),
            ]
        )
    headers = [
        "Workflow",
        "Step",
        "Group",
        "Status",
        "Live",
        "Started",
        "Finished",
        "Duration",
        "Operators",
        "Rescue",
        "Jira",
        "Links",
    ]
    by_step: dict[str, list[Bar]] = {}
    for workflow in campaign.workflows:
        bar = _workflow_bar(context, workflow)
        if bar:
            by_step.setdefault(workflow.step or "workflows", []).append(bar)
    parts = ["## Workflows", "Times are UTC.", table(headers, rows)]
    timeline = gantt(list(by_step.items()))
    if timeline:
        parts += ["### Timeline", timeline]
    return "\n\n".join(parts)


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


def _journal(campaign: Campaign) -> str:
    if not campaign.journal:
        return ""
    parts = ["## Journal"]
    for entry in reversed(campaign.journal):  # newest first
        heading = f"**{text(entry.written.replace('T', ' '))} · {text(entry.author)}**"
        if entry.jira:
            heading += " · " + ", ".join(text(key) for key in entry.jira)
        parts += [heading, user_markdown(entry.text)]
    return "\n\n".join(parts)


def _lineage(context: SiteContext, campaign: Campaign) -> str:
    campaigns = context.campaigns
    parent = campaigns.get(campaign.derived_from) if campaign.derived_from else None
    children = context.children.get(campaign.id, [])
    upstream = context.upstream.get(campaign.id, [])
    downstream = context.downstream.get(campaign.id, [])
    if not (parent or children or upstream or downstream):
        return "## Lineage\n\nNo related campaigns: not derived from another, and no collection is shared."
    nodes: dict[str, str] = {campaign.id: "c0"}

    def node(campaign_id: str) -> str:
        return nodes.setdefault(campaign_id, f"c{len(nodes)}")

    edges: list[tuple[str, str, str, bool]] = []
    lines = []
    if parent:
        edges.append((node(parent.id), "c0", "derived", True))
        lines.append(f"- Derived from {campaign_link(parent.id)}: {text(parent.name)}")
    for child in children:
        edges.append(("c0", node(child.id), "derived", True))
        lines.append(f"- Derived campaign {campaign_link(child.id)}: {text(child.name)}")
    for other, collection in upstream:
        edges.append((node(other), "c0", collection, False))
        lines.append(f"- Reads {code(collection)}, written by {campaign_link(other)}")
    for other, collection in downstream:
        edges.append(("c0", node(other), collection, False))
        lines.append(f"- Its output {code(collection)} is read by {campaign_link(other)}")
    # A graph of hundreds of campaigns is unreadable (and slow to draw): the list stays complete.
    shown = {node_id for _, node_id in list(nodes.items())[:MAX_GRAPH_NODES]}
    graph = flowchart(
        [(node_id, campaign_id) for campaign_id, node_id in nodes.items() if node_id in shown],
        [edge for edge in edges if edge[0] in shown and edge[1] in shown],
        "c0",
    )
    legend = "Dashed arrows: derived from; solid arrows: data read through a collection."
    if len(nodes) > MAX_GRAPH_NODES:
        legend += f" The graph shows {MAX_GRAPH_NODES} of the {len(nodes)} campaigns; the list below has all."
    parts = ["## Lineage", legend, graph, "\n".join(lines)]
    if parent:
        parts += [
            f"### Differs from parent {code(parent.id)}",
            _differences(parent.raw, campaign.raw),
        ]
    return "\n\n".join(parts)


def _shown(value: Any) -> str:
    if value is None:
        return "*(not set)*"
    return code(value if isinstance(value, str) else json.dumps(plain(value), ensure_ascii=False))


def _differences(parent: dict[str, Any], child: dict[str, Any]) -> str:
    """Only the definition fields whose values differ (run fields such as workflows left out)."""
    definition = [key for key in dict.fromkeys([*child, *parent]) if key not in RUN_FIELDS]
    changes = changed_fields(
        {k: parent[k] for k in definition if k in parent},
        {k: child[k] for k in definition if k in child},
    )
    if not changes:
        return "The definition is the same as the parent's."
    return table(
        ["Field", "Parent", "This campaign"],
        ([code(path), _shown(old), _shown(new)] for path, old, new in changes),
    )


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
