"""The compiled fast path (jsonschema-rs) never calls a record valid that python-jsonschema rejects.

``validate_against_schema`` asks the fast validator first and runs python-jsonschema (every
message, line:col and hint) only when it says "invalid"; so a fast "valid" for an invalid record
would hide problems. Every YAML file in the invalid case folders goes through both against every
schema, and so do values made to sit on the edges where the two engines differ (formats, and
patterns under Rust's regex dialect versus Python's ``re``).
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.loading.schemas import (
    _PLAIN_PATTERN,
    SCHEMA_FILES,
    fast_is_valid,
    inline_refs,
    load_schema,
    validate_against_schema,
    validator,
)
from generator.loading.yamlsafe import load_yaml_file

TESTS = Path(__file__).resolve().parents[1]
INVALID_YAML = sorted(
    path
    for folder in TESTS.glob("**/cases/invalid*")
    for path in folder.rglob("*")
    if path.suffix in (".yaml", ".yml") and path.is_file()
)
BASE_CAMPAIGN = TESTS / "records" / "cases" / "base" / "campaigns" / "dev-a.yaml"


def _full_path_rejects(name: str, data: Any) -> bool:
    return any(True for _ in validator(name).iter_errors(data))


def test_the_corpus_has_invalid_yaml_files() -> None:
    assert len(INVALID_YAML) > 30


@pytest.mark.parametrize("path", INVALID_YAML, ids=lambda p: str(p.relative_to(TESTS)))
def test_fast_path_agrees_on_every_invalid_case_file(path: Path) -> None:
    data, _problems = load_yaml_file(path, path.name)
    if data is None:
        return  # refused by the YAML loader: never reaches a schema
    for name in SCHEMA_FILES:
        rejected = _full_path_rejects(name, data)
        if rejected:
            assert not fast_is_valid(name, data), f"{name}: fast path calls {path} valid"
        # Both must agree here, or the fast path would send valid records to the slow path.
        assert fast_is_valid(name, data) == (not rejected), name


def _campaign() -> Any:
    data, problems = load_yaml_file(BASE_CAMPAIGN, BASE_CAMPAIGN.name)
    assert data is not None and not problems
    assert fast_is_valid("campaign", data)
    return data


EDGE_VALUES = [
    # (top-level key of the base campaign, value, whether python-jsonschema rejects it)
    ("id", "dev-a\n", False),  # Python's '$' matches before a final newline; Rust's does not
    ("id", "Dev-A", True),
    ("id", "dev a", True),
    ("id", "dev-ä", True),
    ("id", "dev-٣", True),  # an Arabic-Indic digit: \\d in both dialects, but not [0-9]
    ("id", "", True),
    ("started", "2026-02-30T00:00Z", True),
    ("started", "2026-2-01T00:00Z", True),
    ("started", "2026-02-01T00:00Z", False),
    ("started", "2026-02-01", False),
    ("started", "2026-02-01T25:00Z", True),
    ("started", "２０２６-02-01T00:00Z", True),  # full-width digits
    ("started", 20260201, True),
    ("tags", ["ok", "ok"], True),
    ("tags", ["Bad"], True),
    ("tags", ["a\x1cb"], True),  # a separator Python's \\s matches and Rust's does not
    ("tags", ["a b"], True),
    ("tags", [1], True),
    ("jira", ["DM-0"], True),
    ("jira", ["DM-1\n"], False),
    ("jira", ["dm-1"], True),
    ("jira", [True], True),
    ("status", "runnning", True),
    ("status", None, True),
    ("kind", 1.5, True),
    ("selection", {"include": ["a\x1cb.yaml"]}, True),
    ("selection", {"include": ["a\u00a0b.yaml"]}, True),
    ("selection", {"include": ["a\u200bb.yaml"]}, False),
    ("links", [{"url": "https://example.org/a\x1cb", "title": "t"}], True),
    ("links", [{"url": "https://example.org/a b", "title": "t"}], True),
    ("links", [{"url": "https://example.org/\u2028", "title": "t"}], True),
    ("links", [{"url": "javascript:alert(1)", "title": "t"}], True),
    ("links", [{"url": "https://example.org/x", "title": "t"}], False),
    (
        "pipeline",
        {"uri": "p.yaml", "source": {"repo": "https://example.org/r", "ref": "a..b"}},
        True,
    ),
    (
        "pipeline",
        {"uri": "p.yaml", "source": {"repo": "https://example.org/r", "ref": "main.lock"}},
        True,
    ),
    (
        "pipeline",
        {"uri": "p.yaml", "source": {"repo": "https://example.org/r", "ref": "w.2026"}},
        False,
    ),
    ("nonsense", "x", True),
]


@pytest.mark.parametrize(("key", "value", "rejected"), EDGE_VALUES, ids=repr)
def test_fast_path_rejects_whatever_the_full_path_rejects(
    key: str, value: Any, rejected: bool
) -> None:
    data = copy.deepcopy(dict(_campaign()))
    data[key] = value
    assert _full_path_rejects("campaign", data) == rejected
    if rejected:
        assert not fast_is_valid("campaign", data), f"fast path calls {key}: {value!r} valid"
    assert bool(validate_against_schema("campaign", data, "c.yaml")) == rejected


def test_text_rust_cannot_take_goes_to_the_full_path() -> None:
    data = copy.deepcopy(dict(_campaign()))
    data["title"] = "lone \ud800 surrogate"
    assert not fast_is_valid("campaign", data)


def _plain_patterns() -> list[str]:
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str) and _PLAIN_PATTERN.fullmatch(value):
                    found.add(value)
                elif key not in ("enum", "const", "default", "examples"):
                    walk(value)

    for name in SCHEMA_FILES:
        walk(inline_refs(load_schema(name)))
    return sorted(found)


PLAIN_PATTERNS = _plain_patterns()
# Characters the patterns name, and those where the engines read classes differently.
_ALPHABET = "aZz09-._/+_ @\n\r\t\x1c\x1f\x85\u00a0\u2028\u212a\u0130é"


def test_the_usual_patterns_are_plain_and_the_tricky_ones_are_not() -> None:
    assert "^[A-Za-z0-9][A-Za-z0-9._-]*$" in PLAIN_PATTERNS  # workflow names
    assert "^[A-Z][A-Z0-9_]+-[1-9][0-9]*$" in PLAIN_PATTERNS  # Jira keys
    for tricky in (r"^[^\s]+\.(yaml|yml)$", r"^(?i)[a-z]+$", r"^\w+$", r"^[^a]+$", "^a", "a$"):
        assert not _PLAIN_PATTERN.fullmatch(tricky), tricky


@pytest.mark.parametrize("pattern", PLAIN_PATTERNS)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(alphabet=_ALPHABET, max_size=12))
def test_what_rust_accepts_for_a_plain_pattern_python_accepts(pattern: str, text: str) -> None:
    rust = jsonschema_rs.Draft7Validator({"type": "string", "pattern": pattern})
    python = re.compile(pattern)
    for value in (text, text + "\n", "DM-" + text, "a" + text):
        if rust.is_valid(value):
            assert python.search(value), (pattern, value)
