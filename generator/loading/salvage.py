"""What still parses in a record with schema errors, so the rules across files can use it.

``validate`` reports every problem in one run: a typo in one field must neither hide the other
problems of the same file (a missing DataId list) nor invent problems in others (a campaign
``derived_from`` the broken one). So a record that fails its schema is not dropped; instead:

- every value the schema rejected is left out (the schema problem is already reported);
- an object that misses a required key is left out, except the record itself and its
  workflows, which keep their place with the missing text empty ("") so references to them
  (``derived_from``, ``rescue_of``) still resolve; a record without a usable ``id`` is known
  by its file name;
- what is left must pass the schema (apart from the emptied texts), else nothing is salvaged.

The result keeps the line and column of everything kept; the model built from it is marked
``broken`` so later steps (the site, ``new --from``) know not to trust it.
"""

from __future__ import annotations

from typing import Any

from generator.loading.schemas import inline_refs, load_schema, validator
from generator.loading.yamlsafe import PathPart, YamlList, YamlMap

_DROP = object()


class SalvagedMap(YamlMap):
    """The top level of a salvaged record (``Campaign.broken`` tells by this type)."""

    __slots__ = ()
    salvaged = True


# Objects kept with their missing required texts empty: (parent key of the list) of the record.
_KEPT_WHEN_INCOMPLETE = {"workflows"}


def salvage(schema_name: str, data: Any, file_stem: str) -> Any | None:
    """A schema-valid (apart from emptied required texts) copy of ``data``, or None."""
    if not isinstance(data, dict):
        return None
    if isinstance(data, YamlMap):
        data = data.positioned()  # the positions of what is kept, all the way down
    check = validator(schema_name)
    rejected: set[tuple[PathPart, ...]] = set()
    for error in check.iter_errors(data):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            rejected.update((*path, key) for key in error.instance if key not in known)
        elif error.validator != "required":
            rejected.add(path)
    if () in rejected:
        return None
    schema = inline_refs(load_schema(schema_name))
    emptied: set[tuple[PathPart, ...]] = set()
    result = _salvage(data, schema, (), (), rejected, emptied, top=True)
    if result is _DROP or not isinstance(result, dict):
        return None
    if ("id",) in emptied or "id" not in result:
        result["id"] = file_stem
        emptied.discard(("id",))
    remaining = [
        error for error in check.iter_errors(result) if tuple(error.absolute_path) not in emptied
    ]
    return None if remaining else result


def _salvage(
    node: Any,
    schema: dict[str, Any],
    path: tuple[PathPart, ...],
    out_path: tuple[PathPart, ...],
    rejected: set[tuple[PathPart, ...]],
    emptied: set[tuple[PathPart, ...]],
    *,
    top: bool = False,
    keep_incomplete: bool = False,
) -> Any:
    """``path`` is where ``node`` is in the file's data, ``out_path`` where it is in the result."""
    if path in rejected:
        return _DROP
    if isinstance(node, dict):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        mapping = (SalvagedMap if top and not path else YamlMap)(getattr(node, "position", (0, 0)))
        for key, value in node.items():
            child_schema = properties.get(key, extra if isinstance(extra, dict) else {})
            child = _salvage(
                value,
                child_schema,
                (*path, key),
                (*out_path, key),
                rejected,
                emptied,
                keep_incomplete=key in _KEPT_WHEN_INCOMPLETE and top,
            )
            if child is _DROP:
                continue
            mapping[key] = child
            if isinstance(node, YamlMap) and key in node.key_positions:
                mapping.key_positions[key] = node.key_positions[key]
                mapping.value_positions[key] = node.value_positions[key]
        missing = [key for key in schema.get("required", ()) if key not in mapping]
        if missing and not top:
            return _DROP
        for key in missing:
            mapping[key] = ""
            emptied.add((*out_path, key))
        return mapping
    if isinstance(node, list):
        items_schema = schema.get("items", {})
        sequence = YamlList(getattr(node, "position", (0, 0)))
        positions = getattr(node, "item_positions", [])
        for index, item in enumerate(node):
            child = _salvage(
                item,
                items_schema,
                (*path, index),
                (*out_path, len(sequence)),
                rejected,
                emptied,
                top=keep_incomplete,
            )
            if child is _DROP:
                continue
            sequence.append(child)
            if index < len(positions):
                sequence.item_positions.append(positions[index])
        return sequence
    return node
