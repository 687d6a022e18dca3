"""The format reference page, generated from the JSON Schemas so the docs cannot drift from them."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from typing import Any

from generator.escaping import code_span, project_markdown_cell, strip_controls
from generator.loading.schemas import inline_refs, load_schema

# (schema name, file name, where the records live)
DOCUMENTED = (
    ("notebook", "notebook.schema.json", "`notebook.yaml` at the repository root"),
    ("production", "production.schema.json", "`campaigns/productions/<id>.yaml`"),
    (
        "campaign",
        "campaign.schema.json",
        "`campaigns/<id>.yaml` (any sub-folder of `campaigns/` except `productions/` and `dataids/`)",
    ),
)


def _type_text(prop: dict[str, Any]) -> str:
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    kind = prop.get("type", "")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        items = prop.get("items", {})
        inner = items.get("type", "object") if isinstance(items, dict) else "value"
        return f"list of {inner}"
    if prop.get("format"):
        return f"{kind} ({prop['format']})"
    return str(kind)


def _cell(text: Any) -> str:
    return project_markdown_cell(str(text))


def _example(prop: dict[str, Any]) -> str:
    examples = prop.get("examples")
    if not examples:
        return ""
    value = examples[0]
    if isinstance(value, dict | list):
        text = json.dumps(value, ensure_ascii=False)
        return code_span(text if len(text) <= 80 else f"{text[:77]}...")
    return code_span(str(value))


def _code(text: str) -> str:
    return text.replace("|", "\\|")


def _rows(node: dict[str, Any], prefix: str) -> Iterator[str]:
    required = set(node.get("required", ()))
    for name, prop in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        flag = "yes" if name in required else ""
        yield f"| `{path}` | {_cell(_type_text(prop))} | {flag} | {_cell(prop.get('description', ''))} | {_code(_example(prop))} |"
        if prop.get("type") == "object" and "properties" in prop:
            yield from _rows(prop, f"{path}.")
        items = prop.get("items")
        if prop.get("type") == "array" and isinstance(items, dict) and "properties" in items:
            yield from _rows(items, f"{path}[].")


def render_format_reference() -> str:
    lines = [
        "# Record format reference",
        "",
        "This page is generated from the JSON Schemas in `schemas/`; it always matches what",
        "`campaigns validate` checks. Editors that speak the YAML language server get completion",
        "and inline errors from the `# yaml-language-server: $schema=...` line at the top of each",
        "record.",
        "",
        "Dates and times are always read as text and then checked: write `2026-10-15` or",
        "`2026-10-15T08:30Z` (a time without an offset is UTC). Values such as `NO` or `off`",
        "stay text. Duplicate keys, YAML tags and alias bombs are refused.",
        "",
    ]
    for name, file_name, where in DOCUMENTED:
        schema = inline_refs(load_schema(name))
        lines += [
            f"## {schema.get('title', name)}",
            "",
            f"Lives in {where}. Schema: `schemas/{file_name}`.",
            "",
            html.escape(strip_controls(schema.get("description", "")), quote=False),
            "",
            "| key | type | required | meaning | example |",
            "| --- | --- | --- | --- | --- |",
            *_rows(schema, ""),
            "",
        ]
    return "\n".join(lines)
