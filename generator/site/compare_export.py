"""The JSON exports: ``api/campaigns.json`` (the index: every campaign's id, name and a few facts
to list and filter by) and ``api/campaigns/<id>.json.gz`` (one campaign, gzip-compressed JSON: its
record, the workflow status runs, the effective DataId counts), for the compare page and for
other tools. One file per campaign serves both, so the site carries each record once, compressed
(README-contract.md).

The compare page (``assets/compare.js``) may be asked for any pair of thousands of campaigns, so
the differences cannot all be computed here; instead each record is exported *normalised*: a tree
in which every decision ``comparison.changed_fields`` makes is already taken or spelled out, so
that the page only walks two trees side by side and never decides what matches what:

- a mapping is ``[1, [[key, node], ...]]`` (keys in record order, as strings);
- a list of mappings is ``[2, valid, items]`` or ``[2, valid, items, names]``: ``valid`` are the
  item keys (``name``, ``id``, ``title``) every item carries with a distinct plain value on this
  side; the page matches items by the first key valid on *both* sides, else by position, exactly
  as ``changed_fields`` does. An item's name is its key's value; ``names[key]`` lists them when
  one is not a string (a path prints ``str(value)``);
- a string, integer, boolean or null is itself (a leaf); any other value is a leaf
  ``[0, value, type]`` (a float, a list of plain values, a date…): two leaves are equal when
  their values and types are, as in ``changed_fields``;
- the journal is always a list of its entries, named by ``comparison.journal_keys`` (date,
  author and a hash of the text, as the extra key ``entry``): entries are compared as a multiset
  of (date, author, text), as ``campaigns diff`` does, one change per entry on one side only (an
  entry's other keys, ``jira``, ride along for tools; the page does not compare them).

Decoding the tree (``plain_record``) gives the record back as plain JSON. The id is left out of
the tree (it always differs; the file carries it). The page fetches ``api/campaigns.json`` (ids,
names, the groups of ``comparison.group_of``) and then only the two records it compares: a
notebook of 5,000 campaigns is not downloaded to compare two. Beside the tree, ``selection`` carries the
effective DataId counts, shown next to selection changes but not compared as a field
(``campaigns diff`` reports list contents separately). README-contract.md describes the format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import deflate
import orjson

from generator.comparison import (
    DEFINITION_FIELDS,
    GROUPS,
    ITEM_KEYS,
    PEOPLE_FIELDS,
    RUN_FIELDS,
    WORKFLOW_RUN_FIELDS,
    journal_keys,
)
from generator.loading.yamlsafe import plain
from generator.model.records import Campaign
from generator.site import workflow_status
from generator.site.context import SiteContext

API_FORMAT = 2
INDEX_FILE = "api/campaigns.json"
RECORDS_DIR = "api/campaigns"
# Leaves that JSON keeps apart by their own type (a bool is no number there, an int no float).
_BARE = (str, int, bool, type(None))


def node(value: Any) -> Any:
    """One value of a record as a node of the normalised tree (see the module docstring)."""
    if type(value) in _BARE:  # the common case first: thousands of workflows
        return value
    if isinstance(value, dict) or isinstance(value, Mapping):  # noqa: SIM101 (dict: no ABC check)
        return _mapping(value)
    if isinstance(value, list):
        if not value:
            # changed_fields matches an empty list against a list of mappings item by item.
            return [2, list(ITEM_KEYS), []]
        if all(type(item) in _BARE for item in value):  # tags, operators, Jira keys
            return [0, list(value), "list"]
        if all(isinstance(item, dict | Mapping) for item in value):
            return _item_list(value)
    plain_value = plain(value)
    if type(plain_value) in _BARE:
        return plain_value
    return [0, plain_value, type(plain_value).__name__]


def _mapping(value: Mapping[Any, Any]) -> list[Any]:
    # Leaves inline, not through node(): most values of a record are plain strings.
    return [
        1,
        [
            [key if type(key) is str else str(key), item if type(item) in _BARE else node(item)]
            for key, item in value.items()
        ],
    ]


def _item_list(items: list[Mapping[str, Any]]) -> list[Any]:
    valid = []
    for key in ITEM_KEYS:
        names = [item.get(key) for item in items]
        if all(type(name) is str or isinstance(name, int) for name in names) and len(
            set(names)
        ) == len(items):
            valid.append(key)
    result: list[Any] = [2, valid, [_mapping(item) for item in items]]
    if any(type(item[key]) is not str for key in valid for item in items):
        result.append({key: [str(item[key]) for item in items] for key in valid})
    return result


def normalised_record(campaign: Campaign) -> list[Any]:
    raw = {key: value for key, value in campaign.raw.items() if key not in ("id", "journal")}
    tree: list[Any] = node(raw)
    # Always there, even empty: entries on one side only are one change each, never "journal".
    keyed = journal_keys(campaign.journal)
    notes = [
        [
            1,
            [["date", n.date], ["author", n.author], ["text", n.text], ["entry", key]]
            + ([["jira", [0, list(entry.jira), "list"]]] if entry.jira else []),
        ]
        for (key, n), entry in zip(keyed, campaign.journal, strict=True)
    ]
    tree[1].append(["journal", [2, ["entry"], notes]])
    return tree


def plain_record(tree: Any) -> Any:
    """A normalised tree back as plain JSON data (for tools; README-contract.md)."""
    if not isinstance(tree, list):
        return tree
    if tree[0] == 0:
        return tree[1]
    if tree[0] == 1:
        return {key: plain_record(value) for key, value in tree[1]}
    return [plain_record(item) for item in tree[2]]


def _selection_counts(context: SiteContext, campaign: Campaign) -> dict[str, int | None]:
    if context.list_cache is None or not campaign.list_paths:
        return {}
    effective = context.selection_of(campaign)
    return {
        "included": effective.included,
        "excluded": effective.excluded,
        "removed": effective.overlap,
        "selected": effective.selected,
    }


def export_files(context: SiteContext) -> dict[str, bytes]:
    """``api/campaigns.json`` (the index the compare page reads first) and one file per
    campaign, ``api/campaigns/<id>.json.gz``, sorted by id, compact JSON."""
    files: dict[str, bytes] = {}
    index = []
    for campaign in context.campaigns.values():
        path = f"{RECORDS_DIR}/{campaign.id}.json.gz"
        index.append(
            {
                "id": campaign.id,
                "name": campaign.name,
                "url": f"campaigns/{campaign.id}/",
                "record": path,
                "production": campaign.raw.get("production"),
                "kind": campaign.raw.get("kind"),
                "status": campaign.raw.get("status"),
                "derived_from": campaign.derived_from,
            }
        )
        files[path] = _gzipped_json(
            {
                "id": campaign.id,
                "selection": _selection_counts(context, campaign),
                "record": normalised_record(campaign),
                "workflow_status": workflow_status.export(context, campaign),
            }
        )
    files[INDEX_FILE] = _json(
        {
            "format": API_FORMAT,
            "generated_from": context.history.head if context.history else "",
            # The grouping of comparison.group_of, for the page to fold run facts away.
            "groups": {
                "order": list(GROUPS),
                "definition": list(DEFINITION_FIELDS),
                "people": list(PEOPLE_FIELDS),
                "run": list(RUN_FIELDS),
                "workflow_run": list(WORKFLOW_RUN_FIELDS),
            },
            "workflow_status": workflow_status.export_meta(context),
            "campaigns": index,
        }
    )
    return files


def _gzipped_json(document: Any) -> bytes:
    """Compressed on disk: GitHub Pages publishes at most 1 GB and serves files as they are, and
    a record's JSON packs to about a fifth (the header's time is 0: the same record gives the
    same bytes). libdeflate (PyPI ``deflate``) at level 6: at 1,000 campaigns 0.11 s of CPU for
    2.80 MB, where zlib took 0.20 s at level 6 for 2.83 MB and 0.35 s at level 9 for 2.80 MB."""
    return bytes(deflate.gzip_compress(_json(document), 6))


def _json(document: Any) -> bytes:
    """Compact UTF-8 JSON and a newline. orjson writes the same bytes as ``json.dumps(...,
    ensure_ascii=False, separators=(",", ":"))`` for these documents (strings, ints, bools,
    null, lists, string-keyed objects) in a seventh of the CPU (0.03 s against 0.22 s for 1,000
    records); floats may be spelled differently (``1e16`` for ``1e+16``, the same number once
    parsed; a NaN or infinity, which json writes as invalid JSON, becomes null). What orjson refuses (an integer beyond 64 bits) falls back to the json module."""
    try:
        return orjson.dumps(document, option=orjson.OPT_APPEND_NEWLINE)
    except orjson.JSONEncodeError:
        return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
