"""Markdown building blocks shared by the renderers: the one Markdown table builder, used by the
PR diff report and (re-exported as ``generator.site.markup.table``) by the site's Python."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells must already be Markdown (escaped by ``generator.escaping``)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return "\n".join(lines)
