"""A campaign's "Lineage" section: related campaigns (graph and list) and how it differs from its
parent."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from markupsafe import Markup

from generator.comparison import ITEM_KEYS, RUN_FIELDS, changed_fields, group_of
from generator.escaping import table_code_span as cell_code
from generator.model.records import Campaign
from generator.site.context import SiteContext
from generator.site.diagrams import Edge, lineage_svg
from generator.site.markup import text
from generator.site.templating import safe

# "Differs from parent" compares definitions: run facts (comparison.RUN_FIELDS), the workflows
# and the link to the parent itself differ between any parent and child by nature.
NOT_INHERITED = frozenset({*RUN_FIELDS, "derived_from", "workflows"})
MAX_GRAPH_NODES = 30
# Two long texts (purpose, reason) that share most of their words show only the words that differ,
# with this many words around them and "…" for the rest.
LONG_TEXT = 60
CONTEXT_WORDS = 3


@dataclass(slots=True)  # not frozen: a frozen one is three times slower to make
class Related:
    """One related campaign, as the list under the graph names it."""

    relation: str  # parent | child | reads | read_by
    campaign_id: str
    name: str = ""  # parent and child: the campaign's name
    collection: str = ""  # reads and read_by: the collection shared


@dataclass(frozen=True)
class Lineage:
    """What the Lineage section shows (laid out by ``campaign_lineage.md.j2``)."""

    graph: Markup  # the drawing (diagrams.lineage_svg: one line of SVG, its text escaped)
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
    # Derivation edges are dashed and unlabelled (the sentence above the graph says what dashed
    # means); data edges are solid, labelled with their collection.
    edges: list[Edge] = []
    related = []
    if parent:
        edges.append(Edge(parent.id, outgoing=False, dashed=True))
        related.append(Related("parent", parent.id, name=parent.name))
    for child in children:
        edges.append(Edge(child.id, outgoing=True, dashed=True))
        related.append(Related("child", child.id, name=child.name))
    for other, collection in upstream:
        edges.append(Edge(other, outgoing=False, label=collection))
        related.append(Related("reads", other, collection=collection))
    for other, collection in downstream:
        edges.append(Edge(other, outgoing=True, label=collection))
        related.append(Related("read_by", other, collection=collection))
    # A graph of hundreds of campaigns is unreadable (and heavy): the list stays complete.
    nodes = list(dict.fromkeys([campaign.id, *(edge.other for edge in edges)]))
    shown = set(nodes[:MAX_GRAPH_NODES])
    graph = lineage_svg(campaign.id, [edge for edge in edges if edge.other in shown])
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
    lines, lists of plain values a comma-separated list, lists of mappings one line per item.
    ``value`` is plain data (``yamlsafe.plain``, as ``changed_fields`` gives it): not copied again at
    every level."""
    if value is None:
        return "*(not set)*"
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
    one changed shows that one). ``old`` and ``new`` are plain data, as ``changed_fields``
    gives them (``yamlsafe.plain``): not copied again here."""
    if isinstance(old, str) and isinstance(new, str) and min(len(old), len(new)) > LONG_TEXT:
        excerpts = _text_excerpts(old, new)
        if excerpts:
            return excerpts
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


def _text_excerpts(old: str, new: str) -> tuple[Markup, Markup] | None:
    """Both texts cut to the words that differ (in bold) with a few words of context, "…" for
    what they share; None when they share less than half their words (both shown whole)."""
    old_words, new_words = old.split(), new.split()
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    shared = sum(block.size for block in matcher.get_matching_blocks())
    if shared * 2 < max(len(old_words), len(new_words)):
        return None
    changed_old: set[int] = set()
    changed_new: set[int] = set()
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            changed_old.update(range(i1, i2))
            changed_new.update(range(j1, j2))
    return _excerpt(old_words, changed_old), _excerpt(new_words, changed_new)


def _excerpt(words: list[str], changed: set[int]) -> Markup:
    if not changed:
        return safe("*(the same words, fewer)*")
    near = {
        index
        for position in changed
        for index in range(position - CONTEXT_WORDS, position + CONTEXT_WORDS + 1)
        if 0 <= index < len(words)
    }
    parts: list[str] = []
    for index, word in enumerate(words):
        if index not in near:
            if parts and parts[-1] != "…":
                parts.append("…")
            continue
        if not parts and index > 0:
            parts.append("…")
        parts.append(f"**{text(word)}**" if index in changed else text(word))
    return safe(" ".join(parts))


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


def _unnamed(path: str, value: Any) -> Any:
    """A list item shown under its name (``operators[Ana Souza]``) without the field that holds
    that name (``name: Ana Souza``; one of ``comparison.ITEM_KEYS``), which the path gives."""
    if not (path.endswith("]") and "[" in path and isinstance(value, dict)):
        return value
    name = path[path.rindex("[") + 1 : -1]
    rest = {k: item for k, item in value.items() if not (k in ITEM_KEYS and item == name)}
    return rest or value


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
    by_group: dict[str, list[tuple[str, Markup, Markup]]] = {group: [] for group in headings}
    for path, old, new in changes:
        rows = by_group.get(group_of(path))
        if rows is not None:
            rows.append((path, *_shown_pair(_unnamed(path, old), _unnamed(path, new))))
    return {heading: by_group[group] for group, heading in headings.items() if by_group[group]}
