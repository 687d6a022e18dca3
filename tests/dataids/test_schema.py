"""The YAML form's JSON Schema (for editors and docs) agrees with the reader and is documented."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from generator.dataids import DataIdList, ListMetadata, write_text
from generator.yamlsafe import parse_yaml_text

from .conftest import REPOSITORY

SCHEMA = json.loads((REPOSITORY / "schemas/dataid-list.schema.json").read_text(encoding="utf-8"))


def _properties(schema: dict[str, Any], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    for name, child in schema.get("properties", {}).items():
        yield f"{path}.{name}", child
        yield from _properties(child, f"{path}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _properties(schema["items"], f"{path}[]")


def test_schema_is_valid_draft7_and_every_property_is_documented() -> None:
    Draft7Validator.check_schema(SCHEMA)
    undocumented = [
        path
        for path, child in _properties(SCHEMA)
        if not child.get("description") or not child.get("examples")
    ]
    assert undocumented == []


@pytest.mark.parametrize(
    "path", sorted((REPOSITORY / "campaigns/dataids").glob("*.yaml")), ids=lambda p: p.name
)
def test_example_yaml_lists_match_the_schema(path: Path) -> None:
    data, problems = parse_yaml_text(path.read_text(encoding="utf-8"), path.name)
    assert problems == []
    assert list(Draft7Validator(SCHEMA).iter_errors(data)) == []


def test_written_yaml_matches_the_schema() -> None:
    metadata = ListMetadata(
        kind="exclusion",
        description="two\nlines",
        author="A",
        created="2026-10-30",
        how="h",
        query="q",
        notebook="n",
        commit="c",
        inputs=("x.yaml",),
    )
    dataids = DataIdList.from_items(
        ("instrument", "exposure"), [(("LSSTCam", 1 + i), "r") for i in range(3)], metadata
    )
    data, problems = parse_yaml_text(write_text(dataids, "yaml"), "list.yaml")
    assert problems == []
    assert list(Draft7Validator(SCHEMA).iter_errors(data)) == []
