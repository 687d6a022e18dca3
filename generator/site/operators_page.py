"""``operators.md``: who is on shift now, who is next, who works on which active workflow."""

from __future__ import annotations

from generator.site.context import SiteContext
from generator.site.markup import (
    WORKFLOW_STATUS_ICONS,
    badge,
    campaign_link,
    front_matter,
    table,
    text,
    when,
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
