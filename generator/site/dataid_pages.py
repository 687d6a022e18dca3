"""DataId list pages (``dataids/<stem>.md``): provenance, counts per reason, first rows, downloads.

Lists are read through ``generator.dataids`` (each file once, however many campaigns name it);
every list is offered in every format, converted from the one model.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from generator.dataids.formats import iter_formats, write_text
from generator.model.dataid_lists import DataIdList
from generator.site.campaign_page import campaign_link
from generator.site.context import SiteContext
from generator.site.markup import (
    FACT_HEADERS,
    code,
    front_matter,
    link,
    page_title,
    site_link,
    table,
    text,
)

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


def list_users(context: SiteContext, path: str) -> list[list[str]]:
    """Rows (campaign link, how it uses the list) for every campaign naming ``path``."""
    depth = "../" * (context.list_stems[path].count("/") + 1)
    rows = []
    for campaign in context.list_users.get(path, []):
        roles = []
        if path in campaign.selection.include:
            roles.append("inclusion")
        if path in campaign.selection.exclude:
            roles.append("exclusion")
        roles += [f"workflow {text(w.name)}" for w in campaign.workflows if w.dataids == path]
        rows.append(
            [
                campaign_link(campaign.id, depth + "campaigns/"),
                text(campaign.name),
                ", ".join(roles),
            ]
        )
    return rows


def _provenance(dataids: DataIdList) -> str:
    meta = dataids.metadata
    facts = [
        ("Kind", text(meta.kind)),
        ("Description", text(meta.description)),
        ("Author", text(meta.author)),
        ("Created", text(meta.created)),
        ("How the rows were chosen", text(meta.how)),
        ("Query", code(meta.query)),
        ("Notebook", link(meta.notebook, meta.notebook) if meta.notebook else ""),
        ("Commit", code(meta.commit)),
        ("Computed from", ", ".join(code(i) for i in meta.inputs)),
        ("Dimensions", ", ".join(code(d) for d in dataids.dimensions)),
        ("Rows", f"{len(dataids):,}"),
    ]
    return table(FACT_HEADERS, ([f"**{name}**", value] for name, value in facts if value))


def _rows_preview(dataids: DataIdList) -> str:
    first = dataids.head(FIRST_ROWS)
    headers = [text(d) for d in dataids.dimensions] + ["Reason"]
    rows = ([*(code(str(v)) for v in row), text(reason)] for row, reason in first)
    shown = f"The first {len(first)} of {len(dataids):,} rows." if len(dataids) > len(first) else ""
    return "\n\n".join(part for part in (shown, table(headers, rows)) if part)


def render_list_page(context: SiteContext, path: str, files: dict[str, bytes | None]) -> str:
    """The list's page; ``files`` are its downloads (from ``downloads``)."""
    stem = context.list_stems[path]
    folder = PurePosixPath(stem).name
    dataids = context.dataid_list(path)
    parts = [f"# {text(PurePosixPath(stem).name)}", f"DataId list {code(path)}."]
    if dataids is None:
        parts.append(
            '!!! warning "Unreadable"\n    This list could not be read; see `campaigns validate`.'
        )
    else:
        counts = dataids.counts_by_reason()
        parts += ["## Provenance", _provenance(dataids)]
        parts += [
            "## Rows per reason",
            table(
                ["Reason", "Rows"],
                ([text(r) or "*(none given)*", f"{n:,}"] for r, n in counts.items()),
            ),
            "## First rows",
            _rows_preview(dataids),
        ]
    parts.append("## Downloads")
    parts.append(
        "\n".join(
            f"- {site_link(name, f'{folder}/{name}')}"
            + (" (as recorded)" if content is None else "")
            for name, content in files.items()
        )
    )
    parts += ["## Used by", table(["Campaign", "Name", "Used as"], list_users(context, path))]
    return front_matter({"title": page_title(stem)}) + "\n\n".join(parts) + "\n"


def render_list_index(context: SiteContext) -> str:
    rows = []
    for path, stem in context.list_stems.items():
        dataids = context.dataid_list(path)
        rows.append(
            [
                site_link(stem, f"{stem}.md"),
                text(dataids.kind) if dataids else "unreadable",
                f"{len(dataids):,}" if dataids else "",
                code(path),
                str(len(context.list_users.get(path, []))),
            ]
        )
    body = (
        table(["List", "Kind", "Rows", "File", "Campaigns"], rows)
        if rows
        else "No campaign names a DataId list."
    )
    intro = (
        "Inclusion and exclusion lists of DataIds that campaigns apply, with the reasons behind "
        "every row. See [how to record exclusions](../guide/exclusions.md)."
    )
    return (
        front_matter({"title": "DataId lists"})
        + "# DataId lists\n\n"
        + intro
        + "\n\n"
        + body
        + "\n"
    )
