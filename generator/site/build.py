"""Assemble the notebook's files (records → Markdown pages + static files) and write them safely.

``build_notebook`` is all the MkDocs plugin and ``campaigns generate`` share: the same inputs give
the same ``Notebook``, byte for byte. ``write_notebook`` writes it into a fresh folder and swaps
it in, so a failed build never leaves a half-written or emptied output behind.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from generator.errors import UserError
from generator.linktemplates import browser_templates_script, split_templates
from generator.loading.repository import CONFIG_FILE, RECORDS_DIR
from generator.model.dataid_lists import gc_paused
from generator.render.schemadoc import render_format_reference
from generator.site.campaign_index import render_campaign_index
from generator.site.campaign_page import render_campaign_page
from generator.site.compare_export import export_files
from generator.site.context import SiteContext, load_context
from generator.site.dataid_pages import (
    download_folder,
    downloads,
    render_list_index,
    render_list_page,
)
from generator.site.feeds import collect_events, render_feeds, render_whats_new
from generator.site.home_page import render_home
from generator.site.jira_pages import render_ticket_index
from generator.site.operators_page import render_operators
from generator.site.production_pages import render_production_index, render_production_page
from generator.site.static_pages import render_compare, render_tags

ASSETS_SOURCE = Path(__file__).parent / "assets"
ASSETS_TARGET = "assets/notebook"
# The workflow link templates the browser expands (assets/workflow-links.js), once per site.
LINK_TEMPLATES = f"{ASSETS_TARGET}/link-templates.js"
USER_DOCS_DIR = "docs"
# Mermaid (assets/vendor/: its 2.6 MB script, licence and source note) is for teams' own docs
# pages: the notebook draws its graphs itself (diagrams.py). Shipped only when some page has a
# Mermaid fence, found by a look at line starts, or raw HTML with the class mermaid (md_in_html:
# <pre class="mermaid">, on which overrides/main.html loads the script); a false positive ships
# it, as before, and the word alone in prose does not.
MERMAID_ASSETS = "vendor/"
_MERMAID_FENCE = re.compile(r"^[ \t>]*(?:`{3,}|~{3,})[ \t]*\{?[ \t]*\.?mermaid", re.MULTILINE)
# A class attribute (quoted or not) with the word mermaid among its space-separated classes.
_MERMAID_CLASS = re.compile(
    r"""\sclass\s*=\s*(?:"(?:[^"]*\s)?mermaid(?:\s[^"]*)?"|'(?:[^']*\s)?mermaid(?:\s[^']*)?'"""
    r"""|mermaid(?=[\s/>]|$))"""
)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
# Written into every generated folder: --out refuses to replace a folder without it.
MARKER_FILE = ".campaign-notebook"


@dataclass
class Notebook:
    """The site's files by their path in the docs tree (``campaigns/<id>.md`` ...)."""

    pages: dict[str, str] = field(default_factory=dict)  # generated Markdown
    files: dict[str, bytes] = field(default_factory=dict)  # generated static files
    copies: dict[str, Path] = field(default_factory=dict)  # copied as they are
    user_docs: dict[str, Path] = field(default_factory=dict)  # hand-written pages in docs/
    inputs: list[Path] = field(default_factory=list)  # what `mkdocs serve` watches for changes

    def paths(self) -> list[str]:
        return sorted({*self.pages, *self.files, *self.copies, *self.user_docs})


def format_reference() -> str:
    return render_format_reference()


def _files_under(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith(".")
    )


def generate(context: SiteContext) -> Notebook:
    repository = context.repository
    config_file = repository.root / CONFIG_FILE
    notebook = Notebook(
        inputs=[
            repository.root / RECORDS_DIR,
            config_file,
            repository.root / repository.config.jira_snapshot,
            repository.root / repository.config.bps_status_snapshot,
        ]
    )
    pages = notebook.pages
    pages["index.md"] = render_home(context)
    pages["campaigns/index.md"] = render_campaign_index(context)
    for campaign in repository.campaigns.values():
        pages[f"campaigns/{campaign.id}.md"] = render_campaign_page(context, campaign)
    pages["productions/index.md"] = render_production_index(context)
    for production in repository.productions.values():
        pages[f"productions/{production.id}.md"] = render_production_page(context, production)
    pages["dataids/index.md"] = render_list_index(context)
    for path, stem in context.list_stems.items():
        files = downloads(context, path)
        pages[f"dataids/{stem}.md"] = render_list_page(context, path, files)
        for name, content in files.items():
            target = f"{download_folder(stem)}/{name}"
            if content is None:
                notebook.copies[target] = repository.root / path
            else:
                notebook.files[target] = content
    pages["jira/index.md"] = render_ticket_index(context)
    pages["operators.md"] = render_operators(context)
    pages["compare.md"] = render_compare(context.templates)
    pages["tags.md"] = render_tags(context.templates)
    pages["reference/format.md"] = format_reference()
    notebook.files.update(export_files(context))
    events = collect_events(context)
    pages["whats-new.md"] = render_whats_new(context, events)
    notebook.files.update(render_feeds(context, events))
    browser_templates, _ = split_templates(repository.config.workflow_links)
    notebook.files[LINK_TEMPLATES] = browser_templates_script(browser_templates)
    docs = repository.root / USER_DOCS_DIR
    if docs.is_dir():
        for document in _files_under(docs):
            relative = document.relative_to(docs).as_posix()
            if relative in pages:
                raise UserError(
                    f"{USER_DOCS_DIR}/{relative} would replace a generated page",
                    path=f"{USER_DOCS_DIR}/{relative}",
                    hint="rename or move it; the generator writes this page from the records",
                )
            notebook.user_docs[relative] = document
    if ASSETS_SOURCE.is_dir():
        mermaid = uses_mermaid(notebook)
        for asset in _files_under(ASSETS_SOURCE):
            relative = asset.relative_to(ASSETS_SOURCE).as_posix()
            if mermaid or not relative.startswith(MERMAID_ASSETS):
                notebook.copies[f"{ASSETS_TARGET}/{relative}"] = asset
    return notebook


def has_mermaid_diagram(markdown: str) -> bool:
    """A line opening a ``` or ~~~ fence whose info string is mermaid (the mkdocs.yml fence), or
    an HTML element whose class attribute has the word mermaid."""
    return "mermaid" in markdown and (
        _MERMAID_FENCE.search(markdown) is not None or _MERMAID_CLASS.search(markdown) is not None
    )


def uses_mermaid(notebook: Notebook) -> bool:
    """Whether a generated page or a hand-written Markdown page in docs/ has a Mermaid fence or
    element."""
    if any(has_mermaid_diagram(page) for page in notebook.pages.values()):
        return True
    # utf-8-sig, as MkDocs reads pages: a byte order mark would hide a fence on the first line.
    return any(
        has_mermaid_diagram(document.read_text(encoding="utf-8-sig", errors="replace"))
        for relative, document in notebook.user_docs.items()
        if relative.lower().endswith(MARKDOWN_SUFFIXES)
    )


def build_notebook(root: Path, now: datetime) -> Notebook:
    """The notebook for the records under ``root``; raises InvalidRecords when they have errors."""
    with gc_paused():
        return generate(load_context(root, now))


def write_notebook(notebook: Notebook, out: Path) -> None:
    """Write every file into a new folder beside ``out``, then swap it in (old output removed)."""
    out = out.resolve()
    if out.exists() and any(out.iterdir()) and not (out / MARKER_FILE).is_file():
        raise UserError(
            f"{out} exists and was not made by 'campaigns generate'",
            hint="choose an empty or new folder for --out (it is replaced on every run)",
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for path, text in notebook.pages.items():
            _write(staging / path, text.encode())
        for path, content in notebook.files.items():
            _write(staging / path, content)
        for path, source in {**notebook.copies, **notebook.user_docs}.items():
            _write(staging / path, source.read_bytes())
        _write(staging / MARKER_FILE, b"generated by campaigns generate; replaced on every run\n")
        retired = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            out.rename(retired)
        staging.rename(out)
        shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
