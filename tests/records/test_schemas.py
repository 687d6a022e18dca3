"""The JSON Schemas themselves: documented for editors, and usable by other validators."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from generator.loading.schemas import SCHEMA_DIR, SCHEMA_FILES

REPO = Path(__file__).resolve().parents[2]


def _properties(schema: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, prop in schema.get("properties", {}).items():
        yield f"{where}.{name}", prop
        yield from _properties(prop, f"{where}.{name}")
        if isinstance(prop.get("items"), dict):
            yield from _properties(prop["items"], f"{where}.{name}[]")
        if isinstance(prop.get("additionalProperties"), dict):
            yield from _properties(prop["additionalProperties"], f"{where}.{name}.*")
    for name, definition in schema.get("definitions", {}).items():
        yield from _properties(definition, f"{where}#{name}")


@pytest.mark.parametrize("file_name", sorted(SCHEMA_FILES.values()))
def test_schema_is_valid_draft7(file_name: str) -> None:
    Draft7Validator.check_schema(json.loads((SCHEMA_DIR / file_name).read_text()))


@pytest.mark.parametrize("file_name", sorted(SCHEMA_FILES.values()))
def test_every_property_has_a_description_and_examples(file_name: str) -> None:
    schema = json.loads((SCHEMA_DIR / file_name).read_text())
    definitions = {
        **schema.get("definitions", {}),
        **json.loads((SCHEMA_DIR / "common.schema.json").read_text())["definitions"],
    }
    undocumented = []
    for where, prop in _properties(schema, file_name):
        target = prop
        if "$ref" in prop:
            target = {**definitions[prop["$ref"].rsplit("/", 1)[-1]], **prop}
        if not target.get("description") or not target.get("examples"):
            undocumented.append(where)
    assert undocumented == []


def test_every_record_names_its_schema_for_editors() -> None:
    for path in sorted((REPO / "campaigns").rglob("*.yaml")):
        if "dataids" in path.parts:
            continue
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first_line.split("=", 1)[1]).resolve()
        assert schema.is_file(), path
