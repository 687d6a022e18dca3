"""``api/compare.json``: every campaign as ``generator.comparison`` sees it, for the compare page.

The compare page (``assets/compare.js``) may be asked for any pair of thousands of campaigns, so
the differences cannot all be computed here; instead each record is exported *normalised*: a tree
in which every decision ``comparison.changed_fields`` makes is already taken or spelled out, so
that the page only walks two trees side by side and never decides what matches what:

- a mapping is ``[1, [[key, node], ...]]`` (keys in record order, as strings);
- a list of mappings is ``[2, valid, items, names]``: ``valid`` are the item keys (``name``,
  ``id``, ``title``) every item carries with a distinct plain value on this side; the page
  matches items by the first key valid on *both* sides, else by position, exactly as
  ``changed_fields`` does; ``names[key]`` are the items' names as a path prints them;
- anything else is a leaf ``[0, value]`` or ``[0, value, type]``: two leaves are equal when
  their values and types are (``type`` is given when JSON loses it: a float, a list, a date…);
- the journal is a list of its entries named by ``comparison.journal_keys`` (date, author and a
  hash of the text), always present: entries are compared as a multiset of (date, author, text),
  as ``campaigns diff`` does, one change per entry on one side only.

The id is left out (it always differs). Beside the tree, ``selection`` carries the effective
DataId counts, shown next to selection changes but not compared as a field (``campaigns diff``
reports list contents separately). README-contract.md describes the format.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from generator.comparison import (
    DEFINITION_FIELDS,
    GROUPS,
    PEOPLE_FIELDS,
    RUN_FIELDS,
    WORKFLOW_RUN_FIELDS,
    journal_keys,
)
from generator.loading.yamlsafe import plain
from generator.model.records import Campaign
from generator.site.context import SiteContext

COMPARE_FORMAT = 1
_ITEM_KEYS = ("name", "id", "title")  # as comparison._item_key tries them
_JSON_TYPES = (str, int, bool, type(None))  # types JSON keeps apart (a bool is not an int there)


def node(value: Any) -> list[Any]:
    """One value of a record as a node of the normalised tree (see the module docstring)."""
    if isinstance(value, Mapping):
        return [1, [[str(key), node(item)] for key, item in value.items()]]
    if isinstance(value, list) and value and all(isinstance(item, Mapping) for item in value):
        return _item_list(value)
    if isinstance(value, list) and not value:
        # changed_fields matches an empty list against a list of mappings item by item.
        return [2, list(_ITEM_KEYS), [], {}]
    plain_value = plain(value)
    if type(value) in _JSON_TYPES and not isinstance(value, float):
        return [0, plain_value]
    return [0, plain_value, type(value).__name__]


def _item_list(items: list[Mapping[str, Any]]) -> list[Any]:
    valid = [
        key
        for key in _ITEM_KEYS
        if all(key in item and isinstance(item[key], str | int) for item in items)
        and len({item[key] for item in items}) == len(items)
    ]
    names = {key: [str(item[key]) for item in items] for key in valid}
    return [2, valid, [node(item) for item in items], names]


def normalised_record(campaign: Campaign) -> list[Any]:
    raw = {key: value for key, value in campaign.raw.items() if key not in ("id", "journal")}
    tree = node(raw)
    # Always there, even empty: entries on one side only are one change each, never "journal".
    keyed = journal_keys(campaign.journal)
    notes = [node({"date": n.date, "author": n.author, "text": n.text}) for _, n in keyed]
    tree[1].append(["journal", [2, ["entry"], notes, {"entry": [key for key, _ in keyed]}]])
    return tree


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


def compare_json(context: SiteContext) -> str:
    document = {
        "format": COMPARE_FORMAT,
        # The grouping of comparison.group_of, for the page to fold run facts away.
        "groups": {
            "order": list(GROUPS),
            "definition": list(DEFINITION_FIELDS),
            "people": list(PEOPLE_FIELDS),
            "run": list(RUN_FIELDS),
            "workflow_run": list(WORKFLOW_RUN_FIELDS),
        },
        "campaigns": [
            {
                "id": campaign.id,
                "name": campaign.name,
                "url": f"campaigns/{campaign.id}/",
                "derived_from": campaign.derived_from,
                "selection": _selection_counts(context, campaign),
                "record": normalised_record(campaign),
            }
            for campaign in context.campaigns.values()
        ],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
