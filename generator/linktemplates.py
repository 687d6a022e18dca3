"""Link templates from notebook.yaml: ``https://panda/.../?requestid={run_id}`` made concrete."""

from __future__ import annotations

import functools
import re
import string
from urllib.parse import quote

from generator.model.records import Campaign, Link, LinkTemplate, Workflow
from generator.urls import is_safe_url

CAMPAIGN_FIELDS = frozenset(
    {
        "campaign",
        "production",
        "kind",
        "status",
        "output",
        "instrument",
        "butler_repo",
        "jira",
        "software",
    }
)
WORKFLOW_FIELDS = CAMPAIGN_FIELDS | frozenset(
    {
        "workflow",
        "step",
        "group",
        "system",
        "site",
        "run_id",
        "run_name",
        "submit_dir",
        "workflow_output",
    }
)


def template_fields(url: str) -> list[str]:
    """Field names a template uses; raises ValueError for a malformed template."""
    return [name for _, name, _, _ in string.Formatter().parse(url) if name is not None]


@functools.lru_cache(maxsize=256)  # a handful of templates, expanded for every workflow
def _fields(url: str) -> tuple[str, ...]:
    return tuple(template_fields(url))


def campaign_values(campaign: Campaign) -> dict[str, str]:
    return {
        "campaign": campaign.id,
        "production": campaign.production,
        "kind": campaign.kind,
        "status": campaign.status,
        "output": campaign.butler.output,
        "instrument": campaign.butler.instrument,
        "butler_repo": campaign.butler.repo,
        "jira": campaign.jira_ticket,
        "software": campaign.software.version if campaign.software else "",
    }


def workflow_values(campaign: Campaign, workflow: Workflow) -> dict[str, str]:
    values = campaign_values(campaign)
    software = workflow.software or campaign.software
    values.update(
        workflow=workflow.name,
        status=workflow.status,
        step=workflow.step,
        group=workflow.group,
        system=workflow.system,
        site=workflow.site,
        run_id=workflow.run_id,
        run_name=workflow.run_name,
        submit_dir=workflow.submit_dir,
        workflow_output=workflow.output,
        software=software.version if software else "",
    )
    return values


# What ``quote(value, safe="/:")`` leaves as it is: most run ids, names and paths.
_AS_IS = re.compile(r"[A-Za-z0-9_.~/:-]*")


def _quoted(value: str) -> str:
    return value if _AS_IS.fullmatch(value) else quote(value, safe="/:")


def expand(templates: tuple[LinkTemplate, ...], values: dict[str, str]) -> list[Link]:
    """Concrete links; a template is skipped when its ``when`` does not match, a field is empty,
    or the result is not a safe http(s) URL (see generator.urls)."""
    links = []
    for template in templates:
        if any(values.get(name) != wanted for name, wanted in template.when):
            continue
        names = _fields(template.url)
        if any(not values.get(name) for name in names):
            continue
        quoted = {name: _quoted(values[name]) for name in names}
        url = template.url.format(**quoted)
        if not is_safe_url(url):  # the schema checks templates; this guards what they become
            continue
        links.append(Link(template.title, url, template.kind))
    return links


def campaign_links(templates: tuple[LinkTemplate, ...], campaign: Campaign) -> list[Link]:
    return expand(templates, campaign_values(campaign))


def workflow_links(
    templates: tuple[LinkTemplate, ...], campaign: Campaign, workflow: Workflow
) -> list[Link]:
    return expand(templates, workflow_values(campaign, workflow))
