"""Mermaid diagrams as fenced code: the lineage graph (timelines are HTML: timeline.py).

Mermaid reads labels as its own syntax, so every label passes through ``mermaid_label`` (letters,
digits and a few punctuation marks only). The fence is rendered by ``pymdownx.superfences`` into
``<pre class="mermaid">`` with the source HTML-escaped.
"""

from __future__ import annotations

from generator.site.markup import code_block, mermaid_label


def flowchart(
    nodes: list[tuple[str, str]], edges: list[tuple[str, str, str, bool]], focus: str
) -> str:
    """A left-to-right graph: nodes (id, label), edges (from, to, label, dashed); ``focus`` bold."""
    # No indentation: Mermaid does not need it, and the source is in every related campaign's page.
    lines = ["flowchart LR"]
    for node_id, label in nodes:
        lines.append(f'{node_id}["{mermaid_label(label)}"]')
    for source, target, label, dashed in edges:
        arrow = "-.->" if dashed else "-->"
        caption = f"|{mermaid_label(label)}|" if label else ""
        lines.append(f"{source} {arrow}{caption} {target}")
    lines.append(f"style {focus} stroke-width:3px")
    return code_block("\n".join(lines), "mermaid")
