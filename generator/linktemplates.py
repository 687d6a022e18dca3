"""Link templates from notebook.yaml: ``https://panda/.../?requestid={run_id}`` made concrete.

Campaign links are expanded here. Workflow links are expanded in the reader's browser
(``generator/site/assets/workflow-links.js``, the same rules): a page carries only the values the
templates use, the templates once per site (``browser_templates_script``). Python still decides
which templates apply to a workflow (``applies``), so a row's summary can count its links.
"""

from __future__ import annotations

import functools
import json
import re
import string
from dataclasses import dataclass

from generator.escaping import quote
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


def workflow_values(
    campaign: Campaign, workflow: Workflow, campaign_part: dict[str, str] | None = None
) -> dict[str, str]:
    """``campaign_part``: ``campaign_values(campaign)`` when the caller has it (one per page,
    not one per workflow); copied, not changed."""
    values = dict(campaign_part) if campaign_part is not None else campaign_values(campaign)
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
        quoted = {name: quote(values[name], "/:") for name in names}
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


# Workflow fields whose value is the workflow's own; the others are the campaign's (one per page).
ROW_FIELDS = (WORKFLOW_FIELDS - CAMPAIGN_FIELDS) | {"status", "software"}
_HOST_LITERAL = re.compile(r"^https?://[^/?#]")  # a host begins before the first field


@dataclass(frozen=True)
class BrowserTemplate:
    """A workflow link template the browser expands: ``parts`` alternate literal text and field
    names (literal first and last; ``{{``/``}}`` already read as braces)."""

    template: LinkTemplate
    parts: tuple[str, ...]
    fields: tuple[str, ...]
    always_safe: bool  # any non-empty values make a safe URL: no need to expand to count


def browser_template(template: LinkTemplate) -> BrowserTemplate | None:
    """``template`` in the form the browser expands, or None when only Python can (a field with a
    conversion or format spec, an unknown field, a malformed template): its links stay HTML."""
    try:
        parsed = list(string.Formatter().parse(template.url))
    except ValueError:
        return None
    parts = [""]
    for literal, name, spec, conversion in parsed:
        parts[-1] += literal
        if name is None:
            continue
        if name not in WORKFLOW_FIELDS or spec or conversion:
            return None
        parts += [name, ""]
    names = tuple(parts[1::2])
    if any(name not in WORKFLOW_FIELDS for name, _ in template.when):
        return None  # never applies (expand compares with a missing value); Python skips it too
    sample = "".join(part if i % 2 == 0 else "x" for i, part in enumerate(parts))
    # quote() writes only characters a safe URL allows; a value can only break one by standing
    # where the host must be, so a template with a literal host and a safe shape always works.
    always_safe = bool(_HOST_LITERAL.match(parts[0])) and is_safe_url(sample)
    return BrowserTemplate(template, tuple(parts), names, always_safe)


def applies(template: BrowserTemplate, values: dict[str, str]) -> bool:
    """Whether ``expand`` would make a link of ``template`` with ``values``, mostly without
    formatting the URL."""
    # Loops, not any(): a call per workflow per template (hundreds of thousands in a build).
    for name, wanted in template.template.when:
        if values.get(name) != wanted:
            return False
    for name in template.fields:
        if not values.get(name):
            return False
    return template.always_safe or bool(expand((template.template,), values))


def browser_templates_script(templates: tuple[BrowserTemplate, ...]) -> bytes:
    """The site's one copy of the browser-expanded workflow link templates, as a script that
    defines ``window.cnLinkTemplates``. The config is untrusted: JSON with ``<``, ``>``, ``&``
    and every non-ASCII character escaped is inert wherever the text ends up."""
    data = [
        {
            "title": t.template.title,
            "parts": list(t.parts),
            "when": [list(w) for w in t.template.when],
        }
        for t in templates
    ]
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f"window.cnLinkTemplates = {text};\n".encode()


@functools.lru_cache(maxsize=8)  # one configuration per build
def split_templates(
    templates: tuple[LinkTemplate, ...],
) -> tuple[tuple[BrowserTemplate, ...], tuple[LinkTemplate, ...]]:
    """The workflow templates the browser expands, and the few only Python can (kept as HTML)."""
    browser, server = [], []
    for template in templates:
        made = browser_template(template)
        if made is None:
            server.append(template)
        else:
            browser.append(made)
    return tuple(browser), tuple(server)
