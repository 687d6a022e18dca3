"""What a campaign page's header and workflow table show, gathered as plain values.

The template ``campaign.md.j2`` lays them out; nothing here writes Markdown or HTML except the
status badges (``markup.badge``), which are made from known status words only.
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from generator.linktemplates import (
    ROW_FIELDS,
    BrowserTemplate,
    applies,
    campaign_values,
    expand,
    split_templates,
    workflow_values,
)
from generator.model.records import Campaign, Operator, Workflow
from generator.site import workflow_status
from generator.site.context import SiteContext
from generator.site.jira_pages import status_class
from generator.site.markup import (
    WORKFLOW_STATUS_ICONS,
    badge,
    duration,
)
from generator.site.shared_values import share
from generator.site.templating import safe


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class JiraFact:
    key: str
    url: str
    status: str  # "" when the snapshot does not have it
    category: str  # new, indeterminate, done, unknown (a CSS class: known words only)
    summary: str = ""


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class OperatorFact:
    name: str
    role: str
    shift: str  # "on shift until …", "next shift …" or ""
    on_shift: bool


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class LinkFact:
    title: str
    url: str


@dataclass(slots=True)
class WorkflowRow:
    anchor: str  # wf-<position>: never made from the name, which is untrusted
    name: str
    group: str
    status: str
    badge: str  # safe HTML (a Markup)
    started: datetime | None
    finished: datetime | None
    duration: str
    rescue_of: str = ""
    rescue_of_anchor: str = ""
    rescued_by: list[tuple[str, str]] = field(default_factory=list)  # (name, anchor)
    notes: str = ""
    software: str = ""  # only when it differs from the campaign's
    operators: list[str] = field(default_factory=list)
    jira: list[JiraFact] = field(default_factory=list)
    links: list[LinkFact] = field(default_factory=list)
    # Links the browser builds from link templates: how many, and the workflow's own values they
    # use, as (field, value) for data-* attributes, less what the table says for every row
    # (shared_values; see assets/workflow-links.js).
    template_links: int = 0
    link_values: list[tuple[str, str]] = field(default_factory=list)
    submit_dir: str = ""  # below the table's submit_root when it has one
    run_id: str = ""
    dataids: str = ""
    live: str = ""  # live progress from the workflow-status snapshot (safe HTML), if any

    @property
    def has_details(self) -> bool:
        return bool(
            self.rescue_of
            or self.rescued_by
            or self.notes
            or self.software
            or self.operators
            or self.jira
            or self.links
            or self.template_links
            or self.submit_dir
            or self.run_id
            or self.dataids
        )

    @property
    def facts(self) -> list[str]:
        """The lines of the open details, in order (the template writes one per name); the
        submit dir shares the run id's line when there is one."""
        facts = []  # one test each, not a table of pairs: a row of every workflow of a build
        if self.notes:
            facts.append("notes")
        if self.links or self.template_links:
            facts.append("links")
        if self.software:
            facts.append("software")
        if self.jira:
            facts.append("jira")
        if self.rescue_of:
            facts.append("rescue_of")
        if self.rescued_by:
            facts.append("rescued_by")
        if self.dataids:
            facts.append("dataids")
        if self.run_id:
            facts.append("run_id")
        elif self.submit_dir:
            facts.append("submit_dir")
        return facts

    @property
    def preview(self) -> str:
        """What the collapsed details hold, in a few words."""
        parts = []
        if self.notes:
            parts.append("notes")
        count = len(self.links) + self.template_links
        if count:
            parts.append(f"{count} link{'s' * (count != 1)}")
        if self.software:
            parts.append(f"software {self.software}")
        if self.operators:  # only here: the details below do not repeat them
            parts.append(", ".join(self.operators))
        if self.jira:  # the keys are links below, with their status
            parts.append("Jira")
        if self.rescue_of:
            parts.append(f"rescue of {self.rescue_of}")
        if self.rescued_by:
            parts.append("rescued by " + ", ".join(name for name, _ in self.rescued_by))
        return " · ".join(parts) or "run details"


@dataclass
class StepGroup:
    step: str
    rows: list[WorkflowRow]

    @property
    def counts(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}  # not a Counter: a few times faster for a few rows
        for row in self.rows:
            counts[row.status] = counts.get(row.status, 0) + 1
        return sorted(counts.items())


@dataclass(frozen=True)
class BrowserLinks:
    """What a page needs for the links its browser builds: the templates (listed once for the
    site on the operators page; here for a notebook's own template), and the campaign's values
    they use with what the rows share (shared_values), as (name after ``data-``, value):
    attributes of the table."""

    templates: tuple[BrowserTemplate, ...]
    table_values: list[tuple[str, str]]


@dataclass
class WorkflowTable:
    groups: list[StepGroup]
    browser_links: BrowserLinks | None  # None: no row has a link built in the browser
    submit_root: str = ""  # the folder all submit directories share, said once; "" when none


# A shared folder this long or longer is said once above the table, rows giving the rest.
MIN_SUBMIT_ROOT = 16


def submit_root(directories: list[str]) -> str:
    """The folder every one of ``directories`` lies strictly below (two or more of them), when it
    is long enough to be worth saying once; else ""."""
    if len(directories) < 2 or not all(d.startswith("/") for d in directories):
        return ""
    root = common_folder(directories)
    if len(root) < MIN_SUBMIT_ROOT or any(d.rstrip("/") == root for d in directories):
        return ""
    return root


def common_folder(paths: list[str]) -> str:
    """``posixpath.commonpath`` of absolute paths, without splitting every path when they are
    tidy (no empty or "." part, no slash at the end: nearly always): the longest common prefix
    of the first and last in sort order is every path's, cut back to a whole folder."""
    if any("//" in p or "/./" in p or p.endswith(("/", "/.")) for p in paths):
        return posixpath.commonpath(paths)
    prefix = posixpath.commonprefix([min(paths), max(paths)])
    end = len(prefix)
    if not all(len(p) == end or p[end] == "/" for p in paths):
        end = prefix.rindex("/")
    return prefix[:end] or "/"


def jira_fact(context: SiteContext, key: str) -> JiraFact:
    url = context.jira_url(key)
    snapshot = context.snapshot
    if snapshot is None:
        return JiraFact(key, url, "", "unknown")
    state, issue = snapshot.resolve(key)
    if issue is None:
        return JiraFact(key, url, state if state != "found" else "", "unknown")
    category, _ = status_class(issue.status_category, issue.status, issue.resolution)
    return JiraFact(key, url, issue.status, category, issue.summary)


def shift_text(operator: Operator, now: datetime) -> tuple[str, bool]:
    for shift in operator.shifts:
        if shift.start <= now < shift.end:
            return f"on shift until {shift.end_day or shift.end.strftime('%Y-%m-%d %H:%M')}", True
    future = [s for s in operator.shifts if s.start > now]
    if future:
        nearest = min(future, key=lambda s: s.start)
        return f"next shift {nearest.start_day or nearest.start.strftime('%Y-%m-%d %H:%M')}", False
    # Only shifts past (or none): nothing to say, on every operator of every finished campaign.
    return "", False


def operator_facts(campaign: Campaign, now: datetime) -> list[OperatorFact]:
    facts = []
    for operator in campaign.operators:
        shift, on_shift = shift_text(operator, now)
        facts.append(OperatorFact(operator.name, operator.role, shift, on_shift))
    return facts


def progress(campaign: Campaign) -> list[tuple[str, str, int]]:
    """(status, badge, count) for each workflow status present, in the schema's order."""
    counts = dict.fromkeys(WORKFLOW_STATUS_ICONS, 0)
    for workflow in campaign.workflows:
        counts[workflow.status] = counts.get(workflow.status, 0) + 1
    return [
        (status, badge(status, WORKFLOW_STATUS_ICONS), counts[status])
        for status in WORKFLOW_STATUS_ICONS
        if counts[status]
    ]


@functools.lru_cache(maxsize=64)  # a handful of statuses, on every row of every campaign
def workflow_badge(status: str) -> Markup:
    return safe(badge(status, WORKFLOW_STATUS_ICONS))


def workflow_table(context: SiteContext, campaign: Campaign) -> WorkflowTable:
    """The workflows grouped by step (steps in order of first appearance), and what the browser
    needs to build their template links."""
    anchors = {w.index: f"wf-{w.index + 1}" for w in campaign.workflows}
    by_name = {w.name: w for w in campaign.workflows}
    rescued_by: dict[str, list[Workflow]] = {}
    for workflow in campaign.workflows:
        if workflow.rescue_of:
            rescued_by.setdefault(workflow.rescue_of, []).append(workflow)
    campaign_software = campaign.software.version if campaign.software else ""
    browser, server = split_templates(context.repository.config.workflow_links)
    used = {name for t in browser for name in (*t.fields, *dict(t.template.when))}
    row_fields = sorted(used & ROW_FIELDS)
    any_template_links = False
    root = submit_root([w.submit_dir for w in campaign.workflows if w.submit_dir])
    table = campaign_values(campaign)
    groups: dict[str, StepGroup] = {}
    for workflow in campaign.workflows:
        parent = by_name.get(workflow.rescue_of) if workflow.rescue_of else None
        software = workflow.software.version if workflow.software else ""
        values = workflow_values(campaign, workflow, table)
        template_links = sum(applies(t, values) for t in browser)
        any_template_links = any_template_links or bool(template_links)
        row = WorkflowRow(
            anchor=anchors[workflow.index],
            name=workflow.name,
            group=workflow.group,
            status=workflow.status,
            badge=workflow_badge(workflow.status),
            started=workflow.started,
            finished=workflow.finished,
            duration=duration(workflow.started, workflow.finished),
            rescue_of=workflow.rescue_of,
            rescue_of_anchor=anchors[parent.index] if parent else "",
            rescued_by=[(w.name, anchors[w.index]) for w in rescued_by.get(workflow.name, [])],
            notes=workflow.notes,
            software=software if software and software != campaign_software else "",
            operators=list(workflow.operators),
            jira=[jira_fact(context, key) for key in workflow.jira],
            links=[
                LinkFact(item.title, item.url)
                for item in (*workflow.links, *(expand(server, values) if server else ()))
            ],
            template_links=template_links,
            link_values=[(n, values[n]) for n in row_fields if values[n]] if template_links else [],
            submit_dir=workflow.submit_dir[len(root) + 1 :]
            if root and workflow.submit_dir
            else workflow.submit_dir,
            run_id=workflow.run_id,
            dataids=workflow.dataids,
            live=safe(workflow_status.workflow_progress_cell(context, campaign, workflow)),
        )
        step = workflow.step or "(no step)"
        groups.setdefault(step, StepGroup(step, [])).rows.append(row)
    browser_links = None
    if any_template_links:
        placeholders = [row for g in groups.values() for row in g.rows if row.template_links]
        shared = share([dict(row.link_values) for row in placeholders], row_fields)
        for row in placeholders:
            row.link_values = shared.row_attributes(row.link_values)
        table_values = [(n, table[n]) for n in sorted(used - ROW_FIELDS) if table[n]]
        browser_links = BrowserLinks(browser, table_values + shared.table_attributes())
    return WorkflowTable(list(groups.values()), browser_links, root)
