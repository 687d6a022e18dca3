"""``operators.md``: who is on shift now, who is next, who works on which active workflow, and
the workflow link templates (listed here once for the site: campaign pages, whose workflow links
are built by a script, point readers without JavaScript here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from generator.linktemplates import split_templates
from generator.model.records import LinkTemplate, Shift
from generator.site.context import SiteContext
from generator.site.markup import front_matter, when
from generator.site.templating import render, safe


@dataclass(frozen=True)
class ShiftRow:
    operator: str
    campaign: str  # the campaign's id
    role: str
    start: str  # as the record wrote it (a day), or the time
    end: str


@dataclass(frozen=True)
class AssignedRow:
    operator: str
    campaign: str
    workflow: str
    status: str
    started: datetime | None


def _shift_row(operator: str, campaign: str, role: str, shift: Shift) -> ShiftRow:
    return ShiftRow(
        operator,
        campaign,
        role,
        shift.start_day or when(shift.start),
        shift.end_day or when(shift.end),
    )


def render_operators(context: SiteContext) -> str:
    """Who works on which active workflow, who is on shift now and who is next."""
    now = context.now
    on_shift: list[ShiftRow] = []
    upcoming: list[tuple[datetime, ShiftRow]] = []
    assigned: list[AssignedRow] = []
    for campaign in context.campaigns.values():
        for operator in campaign.operators:
            on_shift += [
                _shift_row(operator.name, campaign.id, operator.role, shift)
                for shift in operator.shifts
                if shift.start <= now < shift.end
            ]
            future = [s for s in operator.shifts if s.start > now]
            if future:
                nearest = min(future, key=lambda s: s.start)
                upcoming.append(
                    (nearest.start, _shift_row(operator.name, campaign.id, operator.role, nearest))
                )
        for workflow in campaign.workflows:
            if workflow.is_active:
                assigned += [
                    AssignedRow(name, campaign.id, workflow.name, workflow.status, workflow.started)
                    for name in workflow.operators or tuple(o.name for o in campaign.operators)
                ]
    return render(
        context.templates,
        "operators.md.j2",
        front_matter=safe(front_matter({"title": "Operators"})),
        now=now,
        on_shift=sorted(on_shift, key=lambda row: row.operator),
        upcoming=[row for _, row in sorted(upcoming, key=lambda item: (item[0], item[1].operator))],
        assigned=sorted(assigned, key=lambda row: row.operator),
        link_templates=browser_link_templates(context),
        link_templates_anchor=LINK_TEMPLATES_ANCHOR,
    )


# The heading's anchor, which campaign pages link to (campaign.md.j2's <noscript>).
LINK_TEMPLATES_ANCHOR = "workflow-link-templates"


def browser_link_templates(context: SiteContext) -> list[LinkTemplate]:
    """The workflow link templates the browser expands (the others are plain links in rows)."""
    browser, _ = split_templates(context.repository.config.workflow_links)
    return [t.template for t in browser]
