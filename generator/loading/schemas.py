"""JSON Schema validation of records, with messages that point at the line and suggest fixes."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, cast

import jsonschema
import jsonschema_rs
import yaml
from jsonschema import Draft7Validator, FormatChecker

from generator.errors import Problem
from generator.loading.yamlsafe import locate
from generator.model.records import is_date, parse_timestamp
from generator.suggest import STATE_SYNONYMS, did_you_mean

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
if not SCHEMA_DIR.is_dir():  # installed without the repository: use the copy shipped in the package
    SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schemas"

SCHEMA_FILES = {
    "campaign": "campaign.schema.json",
    "production": "production.schema.json",
    "notebook": "notebook.schema.json",
    "common": "common.schema.json",
    "dataid-list": "dataid-list.schema.json",
}

FORMAT_CHECKER = FormatChecker(formats=())


@FORMAT_CHECKER.checks("date")
def _check_date(value: object) -> bool:
    return not isinstance(value, str) or is_date(value)


@FORMAT_CHECKER.checks("timestamp")
def _check_timestamp(value: object) -> bool:
    return not isinstance(value, str) or parse_timestamp(value) is not None


def schema_path(name: str) -> Path:
    return SCHEMA_DIR / SCHEMA_FILES[name]


@cache
def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(schema_path(name).read_text(encoding="utf-8"))
    return schema


def _inline(node: Any, document: dict[str, Any]) -> Any:
    if isinstance(node, list):
        return [_inline(item, document) for item in node]
    if not isinstance(node, dict):
        return node
    reference = node.get("$ref")
    if not reference:
        return {key: _inline(value, document) for key, value in node.items()}
    file_part, _, pointer = reference.partition("#")
    target_document = document
    if file_part:
        target_document = json.loads((SCHEMA_DIR / file_part).read_text(encoding="utf-8"))
    target: Any = target_document
    for part in pointer.strip("/").split("/"):
        target = target[part]
    own = {k: _inline(v, document) for k, v in node.items() if k != "$ref"}
    return {**_inline(target, target_document), **own}


def inline_refs(schema: dict[str, Any]) -> dict[str, Any]:
    """A self-contained copy of ``schema`` with every ``$ref`` replaced by its target.

    Validation is several times faster without reference lookups, and the documentation
    generator reads properties without chasing references. (The files keep their ``$ref``s so
    editors and other validators share the definitions.) Own keywords beside a ``$ref`` (only
    descriptions and examples in our schemas) win over the target's.
    """
    inlined: dict[str, Any] = _inline(schema, schema)
    inlined.pop("definitions", None)
    return inlined


@cache
def validator(name: str) -> Draft7Validator:
    return Draft7Validator(inline_refs(load_schema(name)), format_checker=FORMAT_CHECKER)


_DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})  # values, not schemas


# A pattern Rust's engine may run: anchored at both ends, of ASCII literals, escaped ``-.+/``,
# ASCII character classes (no negation, no ``\\s``, ``\\w``, ``\\d``), plain groups (no ``(?``),
# ``|`` and ``*+?``. Such a pattern reads the same in both engines, except that Python's ``$``
# also matches before a final newline: what Rust accepts, Python accepts, so a record Rust
# calls valid is valid (and one only Python accepts just takes the full validation).
_PLAIN_PATTERN = re.compile(
    r"\^(?:[A-Za-z0-9_\-+*?|)]|\((?!\?)|\\[-.+/]|\[(?:[A-Za-z0-9_./+\-]|\\[-.+/])+\])*\$"
)


def _patterns_as_formats(node: Any, checks: dict[str, Callable[[str], object]]) -> Any:
    """``schema`` with each ``pattern`` but the plain ones (``_PLAIN_PATTERN``) turned into a
    format of its own whose check is Python's ``re.search``, as python-jsonschema runs it:
    Rust's regex engine reads some classes differently (``\\s`` and the U+001C-U+001F
    separators), and ``$`` before a final newline."""
    if isinstance(node, list):
        return [_patterns_as_formats(item, checks) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {
        key: value if key in _DATA_KEYWORDS else _patterns_as_formats(value, checks)
        for key, value in node.items()
    }
    pattern = converted.get("pattern")
    if isinstance(pattern, str) and not _PLAIN_PATTERN.fullmatch(pattern):
        name = f"x-pattern-{len(checks)}"
        checks[name] = re.compile(converted.pop("pattern")).search
        if "format" in converted:  # one keyword per schema: the second check goes in an allOf
            converted["allOf"] = [*converted.get("allOf", []), {"format": name}]
        else:
            converted["format"] = name
    return converted


@cache
def fast_validator(name: str) -> jsonschema_rs.Draft7Validator:
    """A compiled validator (jsonschema-rs, ~15x faster) that only answers "valid?": the
    messages, positions and hints of an invalid record come from ``validator`` alone. It checks
    the formats with the same functions, and patterns with Python's ``re``, so it never calls a
    record valid that python-jsonschema would not (tests/records/test_fast_validation.py)."""
    # Format checks are called from Rust with a text, for each of ~50 values of a record, and
    # their answer is read as true or false: C callables (a pattern's ``search``, the cached
    # ``parse_timestamp``) spare a Python frame per value, a tenth of loading a record.
    checks: dict[str, Callable[[str], object]] = {"date": is_date, "timestamp": parse_timestamp}
    schema = _patterns_as_formats(inline_refs(load_schema(name)), checks)
    # jsonschema-rs reads the answer's truth (a match or a datetime is true, None false); should
    # it ever want a bool, a record is not "certainly valid" and takes the full validation, and
    # test_fast_validation's valid records fail.
    formats = cast("dict[str, Callable[..., bool]]", checks)
    return jsonschema_rs.Draft7Validator(schema, formats=formats, validate_formats=True)


def fast_is_valid(name: str, data: Any) -> bool:
    """True only when ``data`` is certainly valid; False sends it to the full validation."""
    try:
        return bool(fast_validator(name).is_valid(data))
    except Exception:  # e.g. lone surrogates, which Rust cannot take: the full path decides
        return False


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _did_you_mean(word: str, choices: list[str]) -> str | None:
    return did_you_mean(word, choices, STATE_SYNONYMS)


def _example(schema: dict[str, Any]) -> Any:
    """An example value for ``schema``: its own, else one made from its items' example."""
    examples = schema.get("examples")
    if examples:
        return examples[0]
    items = schema.get("items")
    if schema.get("type") == "array" and isinstance(items, dict) and items.get("examples"):
        return [items["examples"][0]]
    return None


def _shape_hint(where: str, schema: dict[str, Any]) -> str | None:
    """``write it like: operators: [{name: Kwame Mensah}]`` for a value of the wrong shape."""
    example = _example(schema)
    if not isinstance(example, dict | list):
        return None
    shown = yaml.safe_dump(
        {where: example}, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10**6
    ).strip()
    if len(shown) > 160 and isinstance(example, list) and isinstance(example[0], dict):
        required = schema.get("items", {}).get("required", [])
        trimmed = {k: v for k, v in example[0].items() if k in required} or example[0]
        shown = yaml.safe_dump(
            {where: [trimmed]}, default_flow_style=True, sort_keys=False, width=10**6
        ).strip()
    return f"for example {shown.removeprefix('{').removesuffix('}')}"


def _field_name(path: list[str | int]) -> str:
    names = [str(part) for part in path if isinstance(part, str)]
    return names[-1] if names else "record"


def _schema_hint(schema: dict[str, Any]) -> str | None:
    hint = schema.get("x-hint")
    return str(hint) if hint else None


def _translate(
    error: jsonschema.ValidationError, data: Any, display_path: str
) -> Iterator[Problem]:
    path = list(error.absolute_path)
    where = _field_name(path)
    validator_name = error.validator
    schema = error.schema if isinstance(error.schema, dict) else {}
    if validator_name == "additionalProperties" and isinstance(error.instance, dict):
        known = list(schema.get("properties", {}))
        for key in sorted(error.instance):
            if key in known:
                continue
            hint = _did_you_mean(key, known) or (
                f"allowed keys here: {', '.join(known)}" if known else None
            )
            line, col = locate(data, [*path, key], key=True)
            yield Problem(display_path, line, col, f"unknown key {key!r}", hint, rule="schema")
        return
    line, col = locate(data, path)
    if validator_name == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        owner = "record" if not path else f"'{where}'"
        described = schema.get("properties", {}).get(missing, {}).get("description")
        hint = f"add a {missing!r} key ({described.rstrip('.')})" if described else None
        yield Problem(
            display_path,
            line,
            col,
            f"{owner} is missing required key {missing!r}",
            hint,
            rule="schema",
        )
    elif validator_name == "enum":
        choices = [str(c) for c in schema.get("enum", [])]
        value = str(error.instance)
        hint = _did_you_mean(value, choices) or f"expected one of: {', '.join(choices)}"
        yield Problem(
            display_path, line, col, f"{where} {value!r} is not allowed", hint, rule="schema"
        )
    elif validator_name == "type":
        expected = schema.get("type", [])
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        hint = None
        if "string" in names and isinstance(error.instance, int | float | bool):
            hint = "quote the value so YAML reads it as text"
        elif "array" in names or "object" in names:
            hint = _shape_hint(where, schema)
        yield Problem(
            display_path,
            line,
            col,
            f"{where} must be {wanted}, not {_describe(error.instance)}",
            hint,
            rule="schema",
        )
    elif validator_name in ("pattern", "format"):
        hint = _schema_hint(schema)
        lowered = str(error.instance).lower()
        pattern = str(schema.get("pattern", ""))
        if (
            validator_name == "pattern"
            and lowered != error.instance
            and re.search(pattern, lowered)
        ):
            hint = f"did you mean {lowered!r}? (lower case)"
        if validator_name == "format" and hint is None:
            hint = "write an ISO 8601 date, YYYY-MM-DD"
        problem = (
            "has the wrong form"
            if validator_name == "pattern"
            else f"is not a valid {schema.get('format')}"
        )
        yield Problem(
            display_path,
            line,
            col,
            f"{where} {error.instance!r} {problem}",
            hint,
            rule="schema",
        )
    elif validator_name == "uniqueItems":
        yield Problem(display_path, line, col, f"{where} lists the same value twice", rule="schema")
    elif validator_name in ("minLength", "minItems"):
        yield Problem(display_path, line, col, f"{where} must not be empty", rule="schema")
    else:
        yield Problem(display_path, line, col, f"{where}: {error.message}", rule="schema")


def validate_against_schema(name: str, data: Any, display_path: str) -> list[Problem]:
    """Every schema problem in ``data`` (a parsed record), each located in the file."""
    if fast_is_valid(name, data):
        return []
    problems: list[Problem] = []
    for error in validator(name).iter_errors(data):
        problems.extend(_translate(error, data, display_path))
    return problems
