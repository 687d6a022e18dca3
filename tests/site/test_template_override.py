"""A notebook repository overrides the campaign page template and adds a block to the home page
(``templates_dir``, default ``overrides/templates``): the built pages show both, with MkDocs and
with Zensical reading the generated Markdown."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.site.build import build_notebook
from generator.site.context import load_context
from generator.site.home_page import render_home
from tests.site.conftest import fixed_now, mkdocs_build
from tests.site.test_build import CAMPAIGN, zensical_build

CASE = Path(__file__).parent / "cases" / "template-override"
CHECKLIST = "Morning checklist (team override)"
# A Markdown table (the record history) inside a part of the page that search leaves out.
IGNORED_TABLE = re.compile(r"<div data-pagefind-ignore[^>]*>\s*<table>")
ON_CALL = "On call (team block)"


def add_overrides(root: Path, folder: str = "overrides/templates") -> None:
    shutil.copytree(CASE / "overrides" / "templates", root / folder, dirs_exist_ok=True)


def test_default_folder_overrides_campaign_page_and_adds_a_home_block(notebook_root: Path) -> None:
    add_overrides(notebook_root)
    notebook = build_notebook(notebook_root, fixed_now())
    campaign = notebook.pages[f"campaigns/{CAMPAIGN}.md"]
    assert CHECKLIST in campaign
    assert campaign.index(CHECKLIST) < campaign.index("## Workflows")
    assert f"`{CAMPAIGN}`" in campaign  # the override's values go through the escaping filters
    home = notebook.pages["index.md"]
    assert home.index("## Needs attention") < home.index(ON_CALL) < home.index("## Campaigns by")


def test_templates_dir_names_another_folder(notebook_root: Path) -> None:
    add_overrides(notebook_root, "site-templates")
    config_file = notebook_root / "notebook.yaml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    assert ON_CALL not in render_home(load_context(notebook_root, fixed_now()))
    config["templates_dir"] = "site-templates"
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    assert ON_CALL in render_home(load_context(notebook_root, fixed_now()))


def test_a_template_cannot_reach_python_internals(notebook_root: Path) -> None:
    folder = notebook_root / "overrides" / "templates"
    folder.mkdir(parents=True)
    (folder / "home.md.j2").write_text(
        "{{ title.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8"
    )
    from jinja2.exceptions import SecurityError

    with pytest.raises(SecurityError):
        render_home(load_context(notebook_root, fixed_now()))


def test_a_partial_override_puts_the_pages_that_include_it_in_the_sandbox(
    notebook_root: Path,
) -> None:
    """The package's own templates render outside the sandbox (they are trusted code), but a page
    that includes a template of the repository's, however deep, renders wholly inside it."""
    from jinja2.exceptions import SecurityError
    from jinja2.sandbox import SandboxedEnvironment

    pristine = load_context(notebook_root, fixed_now()).templates
    assert not isinstance(pristine.shipped, SandboxedEnvironment)
    assert pristine.environment_for("campaign.md.j2") is pristine.shipped
    folder = notebook_root / "overrides" / "templates"
    folder.mkdir(parents=True)
    (folder / "campaign_live.md.j2").write_text(
        "{{ ''.__class__.__mro__[1].__subclasses__() }}", encoding="utf-8"
    )
    templates = load_context(notebook_root, fixed_now()).templates
    assert isinstance(templates.environment_for("campaign.md.j2"), SandboxedEnvironment)
    assert isinstance(templates.environment_for("default/campaign.md.j2"), SandboxedEnvironment)
    assert templates.environment_for("home.md.j2") is templates.shipped
    with pytest.raises(SecurityError):
        build_notebook(notebook_root, fixed_now())


@pytest.mark.slow
def test_overridden_pages_build_with_mkdocs_and_zensical(
    notebook_root: Path, tmp_path: Path
) -> None:
    add_overrides(notebook_root)
    result = mkdocs_build(notebook_root, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    campaign = (tmp_path / "site" / "campaigns" / CAMPAIGN / "index.html").read_text(
        encoding="utf-8"
    )
    assert CHECKLIST in campaign and 'class="admonition note"' in campaign
    assert IGNORED_TABLE.search(campaign), "Markdown inside the search-ignored parts is read"
    assert ON_CALL in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")

    site = zensical_build(notebook_root)
    page = (site / "campaigns" / CAMPAIGN / "index.html").read_text(encoding="utf-8")
    assert CHECKLIST in page
    assert IGNORED_TABLE.search(page), "Zensical reads Markdown inside the search-ignored parts"
    assert ON_CALL in (site / "index.html").read_text(encoding="utf-8")


# Every page template a notebook may replace, with a page it lays out.
PAGE_TEMPLATES = {
    "campaign.md.j2": f"campaigns/{CAMPAIGN}.md",
    "campaign_index.md.j2": "campaigns/index.md",
    "production.md.j2": "productions/dr1.md",
    "productions_index.md.j2": "productions/index.md",
    "operators.md.j2": "operators.md",
    "jira.md.j2": "jira/index.md",
    "dataid_list.md.j2": "dataids/lsstcam-exclusions.md",
    "dataid_index.md.j2": "dataids/index.md",
}


def test_every_page_template_can_be_replaced(notebook_root: Path) -> None:
    folder = notebook_root / "overrides" / "templates"
    folder.mkdir(parents=True)
    for name in PAGE_TEMPLATES:
        (folder / name).write_text(
            '{{ front_matter }}Team page {{ "' + name + ' <b>" }}\n', encoding="utf-8"
        )
    pages = build_notebook(notebook_root, fixed_now()).pages
    for name, page in PAGE_TEMPLATES.items():
        assert pages[page].startswith("---\n"), page  # the front matter the module gathered
        assert f"Team page {name} &lt;b&gt;" in pages[page], page  # autoescaped


def test_an_override_extends_the_production_page(notebook_root: Path) -> None:
    folder = notebook_root / "overrides" / "templates"
    folder.mkdir(parents=True)
    (folder / "production.md.j2").write_text(
        '{% extends "default/production.md.j2" %}{% block after_campaigns %}\n'
        "Owner: {{ production.id|code }}\n{% endblock %}",
        encoding="utf-8",
    )
    page = build_notebook(notebook_root, fixed_now()).pages["productions/dr1.md"]
    assert page.index("## Campaigns") < page.index("Owner: `dr1`") < page.index("## Jira issues")
