"""A campaign's "Lineage" section: related campaigns (graph and list) and how it differs from its
parent."""

from __future__ import annotations

from typing import Any

from generator.comparison import RUN_FIELDS, changed_fields, group_of
from generator.escaping import table_code_span as cell_code
from generator.loading.yamlsafe import plain
from generator.model.records import Campaign
from generator.site.context import SiteContext
from generator.site.diagrams import flowchart
from generator.site.markup import campaign_link, code, table, text

# "Differs from parent" compares definitions: run facts (comparison.RUN_FIELDS), the workflows
# and the link to the parent itself differ between any parent and child by nature.
NOT_INHERITED = frozenset({*RUN_FIELDS, "derived_from", "workflows"})
MAX_GRAPH_NODES = 30


def render_lineage(context: SiteContext, campaign: Campaign) -> str:
    campaigns = context.campaigns
    parent = campaigns.get(campaign.derived_from) if campaign.derived_from else None
    children = context.children.get(campaign.id, [])
    upstream = context.upstream.get(campaign.id, [])
    downstream = context.downstream.get(campaign.id, [])
    if not (parent or children or upstream or downstream):
        return "## Lineage\n\nNo related campaigns: not derived from another, and no collection is shared."
    nodes: dict[str, str] = {campaign.id: "c0"}

    def node(campaign_id: str) -> str:
        return nodes.setdefault(campaign_id, f"c{len(nodes)}")

    edges: list[tuple[str, str, str, bool]] = []
    lines = []
    if parent:
        edges.append((node(parent.id), "c0", "derived", True))
        lines.append(f"- Derived from {campaign_link(parent.id)}: {text(parent.name)}")
    for child in children:
        edges.append(("c0", node(child.id), "derived", True))
        lines.append(f"- Derived campaign {campaign_link(child.id)}: {text(child.name)}")
    for other, collection in upstream:
        edges.append((node(other), "c0", collection, False))
        lines.append(f"- Reads {code(collection)}, written by {campaign_link(other)}")
    for other, collection in downstream:
        edges.append(("c0", node(other), collection, False))
        lines.append(f"- Its output {code(collection)} is read by {campaign_link(other)}")
    # A graph of hundreds of campaigns is unreadable (and slow to draw): the list stays complete.
    shown = {node_id for _, node_id in list(nodes.items())[:MAX_GRAPH_NODES]}
    graph = flowchart(
        [(node_id, campaign_id) for campaign_id, node_id in nodes.items() if node_id in shown],
        [edge for edge in edges if edge[0] in shown and edge[1] in shown],
        "c0",
    )
    legend = "Dashed arrows: derived from; solid arrows: data read through a collection."
    if len(nodes) > MAX_GRAPH_NODES:
        legend += f" The graph shows {MAX_GRAPH_NODES} of the {len(nodes)} campaigns; the list below has all."
    parts = ["## Lineage", legend, graph, "\n".join(lines)]
    if parent:
        parts += [
            f"### Differs from parent {code(parent.id)}",
            _differences(parent.raw, campaign.raw),
        ]
    return "\n\n".join(parts)


def _shown(value: Any) -> str:
    """A value as readable Markdown for a table cell: never JSON. Mappings become ``key: value``
    lines, lists of plain values a comma-separated list, lists of mappings one line per item."""
    if value is None:
        return "*(not set)*"
    value = plain(value)
    if isinstance(value, dict):
        return "<br>".join(f"{text(str(k))}: {_shown(v)}" for k, v in value.items()) or "—"
    if isinstance(value, list):
        if all(isinstance(item, dict) for item in value):
            return (
                "<br>".join(
                    "; ".join(f"{text(str(k))}: {_shown(v)}" for k, v in item.items())
                    for item in value
                )
                or "—"
            )
        return ", ".join(cell_code(str(item)) for item in value) or "—"
    if isinstance(value, str) and len(value) > 60:
        return text(value)
    return cell_code(str(value))


def _differences(parent: dict[str, Any], child: dict[str, Any]) -> str:
    """Only the definition fields whose values differ (run fields such as workflows left out),
    as the record diff of ``campaigns diff`` finds them (lists matched by name, id or title)."""
    definition = [key for key in dict.fromkeys([*child, *parent]) if key not in NOT_INHERITED]
    changes = changed_fields(
        {k: parent[k] for k in definition if k in parent},
        {k: child[k] for k in definition if k in child},
    )
    if not changes:
        return "The definition is the same as the parent's."
    parts = []
    # The definition first, then people, then the rest (comparison.group_of, as on the compare page).
    headings = {
        "definition": "Definition",
        "people": "People",
        "other": "Description and references",
    }
    for group, heading in headings.items():
        rows = [
            [code(path), _shown(old), _shown(new)]
            for path, old, new in changes
            if group_of(path) == group
        ]
        if rows:
            parts += [f"**{heading}**", table(["Field", "Parent", "This campaign"], rows)]
    return "\n\n".join(parts)
