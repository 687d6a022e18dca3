"""The shared link-template cases (``tests/linktemplates/cases/<name>.yaml``): a workflow link
template, the values it is expanded with, and the ``href`` the link gets (``null``: no link).

Both implementations read them: ``test_cases.py`` runs Python's ``linktemplates.expand`` and
``escaping.href`` (and ``applies``, which counts a row's links); ``tests/browser/test_workflow_links.py``
runs the site's ``workflow-links.js`` in Chromium on the templates as the generator writes them
into ``link-templates.js``.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from generator.escaping import href
from generator.linktemplates import (
    WORKFLOW_FIELDS,
    browser_template,
    browser_templates_script,
    expand,
)
from generator.model.records import LinkTemplate

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class Case:
    name: str
    template: LinkTemplate
    values: dict[str, str]  # every workflow field, "" when the case does not give it
    href: str | None


def load_cases() -> list[Case]:
    cases = []
    for path in sorted(CASES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        spec = data["template"]
        template = LinkTemplate(
            spec["title"], spec["url"], when=tuple(spec.get("when", {}).items())
        )
        values = dict.fromkeys(WORKFLOW_FIELDS, "") | data["values"]
        cases.append(Case(path.stem, template, values, data["href"]))
    return cases


def python_href(case: Case) -> str | None:
    """The href Python gives the case's link (the attribute's value, unescaped), or None."""
    links = expand((case.template,), case.values)
    if not links:
        return None
    attribute = href(links[0].url)
    return html.unescape(attribute) if attribute is not None else None


def browser_data(cases: list[Case]) -> list[dict[str, Any]]:
    """The cases' templates as the site's link-templates.js carries them, with their values."""
    made = [browser_template(case.template) for case in cases]
    assert all(made), "every case template must be one the browser expands"
    script = browser_templates_script(tuple(t for t in made if t is not None)).decode()
    templates = json.loads(script.removeprefix("window.cnLinkTemplates = ").rstrip().rstrip(";"))
    return [
        {"name": case.name, "template": template, "values": case.values, "href": case.href}
        for case, template in zip(cases, templates, strict=True)
    ]
