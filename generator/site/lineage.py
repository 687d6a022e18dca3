"""A campaign's "Lineage" section: related campaigns (graph and list) and how it differs from its
parent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from generator.comparison import RUN_FIELDS, changed_fields, group_of
from generator.escaping import table_code_span as cell_code
from generator.loading.yamlsafe import plain
from generator.model.records import Campaign
from generator.site.context import SiteContext
from generator.site.diagrams import flowchart
from generator.site.markup import text
from generator.site.templating import safe

# "Differs from parent" compares definitions: run facts (comparison.RUN_FIELDS), the workflows
# and the link to the parent itself differ between any parent and child by nature.
NOT_INHERITED = frozenset({*RUN_FIELDS, "derived_from", "workflows"})
MAX_GRAPH_NODES = 30


@dataclass(frozen=True)
class Related:
    """One related campaign, as the list under the graph names it."""

    relation: str  # parent | child | reads | read_by
    campaign_id: str
    name: str = ""  # parent and child: the campaign's name
    collection: str = ""  # reads and read_by: the collection shared


@dataclass(frozen=True)
class Lineage:
    """What the Lineage section shows (laid out by ``campaign_lineage.md.j2``)."""

    graph: Markup  # the Mermaid flowchart (fenced code), labels already made safe
    graph_nodes: int
    all_nodes: int
    related: list[Related]
    parent_id: str = ""
    # "Differs from parent": heading → rows of (field path, parent's value, this campaign's), the
    # values as ready table cells (escaped by escaping.py); empty when the definitions agree.
    differences: dict[str, list[tuple[str, Markup, Markup]]] = field(default_factory=dict)


def gather(context: SiteContext, campaign: Campaign) -> Lineage | None:
    """Related campaigns (parent, children, collections read and written) and the graph; None
    when there are none."""
    campaigns = context.campaigns
    parent = campaigns.get(campaign.derived_from) if campaign.derived_from else None
    children = context.children.get(campaign.id, [])
    upstream = context.upstream.get(campaign.id, [])
    downstream = context.downstream.get(campaign.id, [])
    if not (parent or children or upstream or downstream):
        return None
    nodes: dict[str, str] = {campaign.id: "c0"}

    def node(campaign_id: str) -> str:
        return nodes.setdefault(campaign_id, f"c{len(nodes)}")

    edges: list[tuple[str, str, str, bool]] = []
    related = []
    if parent:
        edges.append((node(parent.id), "c0", "derived", True))
        related.append(Related("parent", parent.id, name=parent.name))
    for child in children:
        edges.append(("c0", node(child.id), "derived", True))
        related.append(Related("child", child.id, name=child.name))
    for other, collection in upstream:
        edges.append((node(other), "c0", collection, False))
        related.append(Related("reads", other, collection=collection))
    for other, collection in downstream:
        edges.append(("c0", node(other), collection, False))
        related.append(Related("read_by", other, collection=collection))
    # A graph of hundreds of campaigns is unreadable (and slow to draw): the list stays complete.
    shown = {node_id for _, node_id in list(nodes.items())[:MAX_GRAPH_NODES]}
    graph = flowchart(
        [(node_id, campaign_id) for campaign_id, node_id in nodes.items() if node_id in shown],
        [edge for edge in edges if edge[0] in shown and edge[1] in shown],
        "c0",
    )
    return Lineage(
        graph=safe(graph),
        graph_nodes=len(shown),
        all_nodes=len(nodes),
        related=related,
        parent_id=parent.id if parent else "",
        differences=_differences(parent.raw, campaign.raw) if parent else {},
    )


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


def _shown_pair(old: Any, new: Any) -> tuple[Markup, Markup]:
    """Both sides of a change; two lists of plain values that share items show only the items
    each side has alone, with a count of the ones they share (a query of ten predicates with
    one changed shows that one)."""
    old, new = plain(old), plain(new)
    if _plain_list(old) and _plain_list(new):
        only_old, only_new = _without_items(old, new), _without_items(new, old)
        shared = len(old) - len(only_old)
        if shared and (only_old or only_new):
            note = f" *(+ {shared} in both)*"
            return (
                safe((_shown(only_old) if only_old else "—") + note),
                safe((_shown(only_new) if only_new else "—") + note),
            )
    return safe(_shown(old)), safe(_shown(new))


def _plain_list(value: Any) -> bool:
    return isinstance(value, list) and not any(isinstance(item, dict | list) for item in value)


def _without_items(items: list[Any], others: list[Any]) -> list[Any]:
    """``items`` less one occurrence of each of ``others`` (a multiset difference, in order)."""
    left = list(others)
    kept = []
    for item in items:
        if item in left:
            left.remove(item)
        else:
            kept.append(item)
    return kept


def _differences(
    parent: dict[str, Any], child: dict[str, Any]
) -> dict[str, list[tuple[str, Markup, Markup]]]:
    """Only the definition fields whose values differ (run fields such as workflows left out),
    as the record diff of ``campaigns diff`` finds them (lists matched by name, id or title)."""
    definition = [key for key in dict.fromkeys([*child, *parent]) if key not in NOT_INHERITED]
    changes = changed_fields(
        {k: parent[k] for k in definition if k in parent},
        {k: child[k] for k in definition if k in child},
    )
    # The definition first, then people, then the rest (comparison.group_of, as on the compare page).
    headings = {
        "definition": "Definition",
        "people": "People",
        "other": "Description and references",
    }
    grouped: dict[str, list[tuple[str, Markup, Markup]]] = {}
    for group, heading in headings.items():
        rows = [
            (path, *_shown_pair(old, new)) for path, old, new in changes if group_of(path) == group
        ]
        if rows:
            grouped[heading] = rows
    return grouped
