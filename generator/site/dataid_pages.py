"""DataId list pages (``dataids/<stem>.md``): provenance, counts per reason, first rows, downloads.

Lists are read through ``generator.dataids`` (each file once, however many campaigns name it);
every list is offered in every format, converted from the one model.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from generator.dataids.formats import iter_formats, write_text
from generator.model.dataid_lists import DataIdList
from generator.site.context import SiteContext
from generator.site.markup import front_matter, page_title
from generator.site.templating import render, safe

FIRST_ROWS = 20


def download_folder(stem: str) -> str:
    """Downloads sit next to the list's page: ``dataids/<stem>/``."""
    return f"dataids/{stem}"


def downloads(context: SiteContext, path: str) -> dict[str, bytes | None]:
    """File name -> content for the list's downloads; None means "copy the recorded file"."""
    name = PurePosixPath(path).name
    files: dict[str, bytes | None] = {name: None}
    dataids = context.dataid_list(path)
    if dataids is None:
        return files
    base = PurePosixPath(path).stem
    for format_name, suffix in iter_formats():
        if f"{base}{suffix}" != name:
            files[f"{base}{suffix}"] = write_text(dataids, format_name).encode()
    return files


@dataclass(frozen=True)
class ListUser:
    """A campaign naming a list, and how it uses it (inclusion, exclusion, workflow <name>)."""

    campaign: str
    page: str
    name: str
    roles: list[str]


@dataclass(frozen=True)
class ListSummary:
    stem: str
    kind: str
    rows: int | None  # None: unreadable
    path: str
    campaigns: int


def list_users(context: SiteContext, path: str) -> list[ListUser]:
    """Every campaign naming ``path``, with how it uses the list."""
    depth = "../" * (context.list_stems[path].count("/") + 1)
    users = []
    for campaign in context.list_users.get(path, []):
        roles = []
        if path in campaign.selection.include:
            roles.append("inclusion")
        if path in campaign.selection.exclude:
            roles.append("exclusion")
        roles += [f"workflow {w.name}" for w in campaign.workflows if w.dataids == path]
        users.append(
            ListUser(campaign.id, f"{depth}campaigns/{campaign.id}.md", campaign.name, roles)
        )
    return users


def _provenance(dataids: DataIdList) -> list[tuple[str, str, Any]]:
    """(label, how to show it: text, code, codes or link, value) for each fact the list has."""
    meta = dataids.metadata
    facts: list[tuple[str, str, Any]] = [
        ("Kind", "text", meta.kind),
        ("Description", "text", meta.description),
        ("Author", "text", meta.author),
        ("Created", "text", meta.created),
        ("How the rows were chosen", "text", meta.how),
        ("Query", "code", meta.query),
        ("Notebook", "link", meta.notebook),
        ("Commit", "code", meta.commit),
        ("Computed from", "codes", list(meta.inputs)),
        ("Dimensions", "codes", list(dataids.dimensions)),
        ("Rows", "text", f"{len(dataids):,}"),
    ]
    return [fact for fact in facts if fact[2]]


def render_list_page(context: SiteContext, path: str, files: dict[str, bytes | None]) -> str:
    """The list's page; ``files`` are its downloads (from ``downloads``)."""
    stem = context.list_stems[path]
    folder = PurePosixPath(stem).name
    dataids = context.dataid_list(path)
    return render(
        context.templates,
        "dataid_list.md.j2",
        front_matter=safe(front_matter({"title": page_title(stem)})),
        list_name=PurePosixPath(stem).name,
        path=path,
        dataids=dataids,
        facts=_provenance(dataids) if dataids is not None else [],
        counts=list(dataids.counts_by_reason().items()) if dataids is not None else [],
        first=dataids.head(FIRST_ROWS) if dataids is not None else [],
        downloads=[(name, f"{folder}/{name}", content is None) for name, content in files.items()],
        users=list_users(context, path),
    )


def render_list_index(context: SiteContext) -> str:
    lists = []
    for path, stem in context.list_stems.items():
        dataids = context.dataid_list(path)
        lists.append(
            ListSummary(
                stem,
                dataids.kind if dataids is not None else "",
                len(dataids) if dataids is not None else None,
                path,
                len(context.list_users.get(path, [])),
            )
        )
    return render(
        context.templates,
        "dataid_index.md.j2",
        front_matter=safe(front_matter({"title": "DataId lists"})),
        lists=lists,
    )
