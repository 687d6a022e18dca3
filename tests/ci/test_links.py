"""Every relative link in README.md and docs/ leads somewhere.

README.md is read on GitHub: its links must name files of the repository (and headings that
exist). Pages in docs/ are read on GitHub and in the built notebook: a link to a file of the
repository is fine, and a link to a page the generator makes (``../reference/format.md``) is
checked against the generated site instead. Links to other sites are not fetched (no network).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.site.build import build_notebook

PROJECT = Path(__file__).resolve().parents[2]
DOCS = PROJECT / "docs"
SOURCES = [PROJECT / "README.md", *sorted(DOCS.rglob("*.md"))]
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*(\S+)", re.MULTILINE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
INLINE_CODE = re.compile(r"`[^`\n]*`")


def links(markdown: str) -> list[str]:
    """Link targets outside code blocks and code spans."""
    prose = INLINE_CODE.sub("", FENCE.sub("", markdown))
    return [*LINK.findall(prose), *REFERENCE.findall(prose)]


def slug(heading: str) -> str:
    """GitHub's (and MkDocs' default) anchor for a heading."""
    text = re.sub(r"[`*_]|<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(markdown: str) -> set[str]:
    prose = FENCE.sub("", markdown)
    found = {slug(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", prose, re.MULTILINE)}
    found.update(re.findall(r"""(?:id|name)=["']([^"']+)["']""", prose))
    return found


@cache
def generated_pages() -> dict[str, str]:
    notebook = build_notebook(PROJECT, datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    return dict(notebook.pages)


def problems_in(source: Path) -> list[str]:
    text = source.read_text(encoding="utf-8")
    found = []
    for target in links(text):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):  # http:, mailto: ...
            continue
        path_part, _, fragment = unquote(target).partition("#")
        if not path_part:
            if fragment and fragment not in anchors(text):
                found.append(f"{target}: no heading #{fragment} here")
            continue
        resolved = (source.parent / path_part).resolve()
        if resolved.exists():
            markdown = resolved.read_text(encoding="utf-8") if resolved.suffix == ".md" else ""
            if fragment and markdown and fragment not in anchors(markdown):
                found.append(f"{target}: no heading #{fragment} in {path_part}")
            continue
        if source.is_relative_to(DOCS) and resolved.is_relative_to(DOCS):
            page = resolved.relative_to(DOCS).as_posix()
            generated = generated_pages()
            if page in generated or (page.endswith("/") and page + "index.md" in generated):
                continue
            found.append(f"{target}: neither a file nor a generated page ({page})")
        else:
            found.append(f"{target}: no such file in the repository")
    return found


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.relative_to(PROJECT).as_posix())
def test_links_lead_somewhere(source: Path) -> None:
    assert problems_in(source) == []


def test_the_checker_finds_dead_links(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Title\n[ok](#title) [bad](#nope) [gone](missing.md) [web](https://example.org)\n"
        "`[not a link](nowhere.md)`\n```\n[nor](here.md)\n```\n",
        encoding="utf-8",
    )
    assert problems_in(page) == [
        "#nope: no heading #nope here",
        "missing.md: no such file in the repository",
    ]


def test_readme_links_only_files_of_the_repository() -> None:
    targets = links((PROJECT / "README.md").read_text(encoding="utf-8"))
    assert "docs/reference/format.md" not in targets  # generated: not on GitHub
    assert any(t.startswith("docs/") for t in targets)
