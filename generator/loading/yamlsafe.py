"""Safe, strict YAML loading that remembers where every value came from.

Records are reviewed by people and read by machines, so the loader is deliberately narrower than
YAML 1.1 as PyYAML implements it:

- only plain data (mappings, sequences, strings, numbers, true/false, null); any tag such as
  ``!!python/object`` or ``!!timestamp`` is refused;
- YAML 1.2 core scalars: ``2026-10-01`` stays the text ``"2026-10-01"`` (schemas check it as a
  date), ``NO``/``off`` stay text, ``<<`` merge keys are not special;
- duplicate keys are an error that names both lines (PyYAML silently keeps the last one);
- aliases are allowed, but the expanded document is bounded (no "billion laughs");
- files must be UTF-8 and below a size limit.

Mappings and sequences come back as ``YamlMap``/``YamlList``: plain ``dict``/``list`` subclasses
that carry the line and column of each key and item, so any later check can point at the exact
place in the file.

Records and their old versions are read through ``yamlfast``: values through yaml-rs (compiled)
when the text cannot load differently there than here (else through this module, unchanged),
positions parsed here on demand (``YamlMap.positioned``, which ``locate`` asks). These rules and
every message stay this module's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from generator.errors import Problem
from generator.loading.textfiles import read_limited_text

Position = tuple[int, int]  # 1-based line and column
PathPart = str | int

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_NODES = 1_000_000
MAX_DEPTH = 64

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"


class YamlMap(dict[str, Any]):
    """A mapping that remembers where it, each of its keys and each of its values start."""

    __slots__ = ("key_positions", "position", "value_positions")

    def __init__(self, position: Position = (0, 0)) -> None:
        super().__init__()
        self.position = position
        self.key_positions: dict[str, Position] = {}
        self.value_positions: dict[str, Position] = {}

    def positioned(self) -> YamlMap:
        """The mapping whose values carry positions: this one (``yamlfast.LazyYamlMap`` parses
        its text for them)."""
        return self


class YamlList(list[Any]):
    """A sequence that remembers where it and each of its items start."""

    __slots__ = ("item_positions", "position")

    def __init__(self, position: Position = (0, 0)) -> None:
        super().__init__()
        self.position = position
        self.item_positions: list[Position] = []


class _CoreResolver(BaseResolver):
    """YAML 1.2 core schema resolution: no timestamps, no yes/no/on/off booleans, no merge keys."""

    def resolve(self, kind: type[Node], value: Any, implicit: tuple[bool, bool]) -> str:
        """``BaseResolver.resolve`` without its generality (path resolvers, wildcard
        resolvers), which we do not use: it runs for every scalar of every record."""
        if kind is ScalarNode:
            # Plain (unquoted) by its first character, as BaseResolver does; most scalars are
            # words, whose first character no resolver claims.
            if implicit[0] and value[:1] in _TYPED_FIRST:
                for tag, regexp in CORE_IMPLICIT_RESOLVERS[value[:1]]:
                    if regexp.match(value):
                        return str(tag)
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    # libyaml's composer calls these around every node, for path resolvers, which we do not use.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


for _tag, _pattern, _first in [
    (_BOOL, r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (_NULL, r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    (_INT, r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        _FLOAT,
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
]:
    _CoreResolver.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))

# First character -> [(tag, regex)]: the same resolution for the round-trip editor (writing/roundtrip.py).
CORE_IMPLICIT_RESOLVERS = _CoreResolver.yaml_implicit_resolvers
_TYPED_FIRST = frozenset(CORE_IMPLICIT_RESOLVERS)  # first characters of non-text plain scalars


try:  # libyaml's parser (C) when PyYAML was built with it: ~10x faster than the pure-Python one
    from yaml._yaml import CParser as _Parser

    class _NodeLoader(_Parser, _CoreResolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)
            _CoreResolver.__init__(self)

except ImportError:  # pragma: no cover - PyYAML built without libyaml

    class _NodeLoader(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _CoreResolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _CoreResolver.__init__(self)


class _Refused(Exception):
    def __init__(self, node: Node, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.node = node
        self.message = message
        self.hint = hint


def _position(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns a composed node tree into YamlMap/YamlList/scalars, enforcing the rules above."""

    def __init__(self, display_path: str, max_nodes: int) -> None:
        self.display_path = display_path
        self.max_nodes = max_nodes
        self.expanded_nodes = 0
        self.problems: list[Problem] = []
        # Aliased nodes are built once; their expanded size still counts each time they are used.
        self._built: dict[int, tuple[Any, int]] = {}

    def build(self, node: Node, depth: int = 0) -> Any:
        value, _size = self._build(node, depth)
        return value

    def _count(self, size: int, node: Node) -> None:
        self.expanded_nodes += size
        if self.expanded_nodes > self.max_nodes:
            raise _Refused(
                node,
                f"document expands to more than {self.max_nodes:,} values",
                "anchors and aliases that multiply each other are refused; write the data out",
            )

    def _build(self, node: Node, depth: int) -> tuple[Any, int]:
        if depth > MAX_DEPTH:
            raise _Refused(node, f"nesting deeper than {MAX_DEPTH} levels")
        if node.__class__ is ScalarNode:  # rebuilt when aliased: as cheap as looking it up
            value = self._scalar(node)
            self._count(1, node)
            return value, 1
        cached = self._built.get(id(node))
        if cached is not None:
            self._count(cached[1], node)
            return cached
        if isinstance(node, SequenceNode):
            result = self._sequence(node, depth)
        elif isinstance(node, MappingNode):
            result = self._mapping(node, depth)
        else:  # pragma: no cover - the composer only makes the three kinds
            raise _Refused(node, "unsupported YAML node")
        self._built[id(node)] = result
        return result

    def _leaf(self, node: ScalarNode) -> Any:
        """``_build`` of a scalar inside a container (most values: the short way)."""
        value = node.value if node.tag == _STR else self._scalar(node)
        self.expanded_nodes += 1
        if self.expanded_nodes > self.max_nodes:
            self._count(0, node)  # raises
        return value

    def _scalar(self, node: ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR:
            return text
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return text.lower() == "true"
            if tag == _INT:
                if text.startswith("0o"):
                    return int(text[2:], 8)
                if text.startswith("0x"):
                    return int(text[2:], 16)
                return int(text)
            if tag == _FLOAT:
                if text.lower() == ".nan":
                    raise _Refused(
                        node,
                        "'.nan' (not a number) is not allowed",
                        "a record or DataId list holds real values; write the number, or quote '.nan' if it is text",
                    )
                return float(
                    text.replace(".inf", "inf").replace(".Inf", "inf").replace(".INF", "inf")
                )
        except ValueError:
            raise _Refused(node, f"{text!r} is not a valid {tag.rsplit(':', 1)[-1]}") from None
        raise _Refused(
            node,
            f"YAML tag {tag!r} is not allowed",
            "records hold plain data only; remove the tag (quote the value if it is text)",
        )

    def _sequence(self, node: SequenceNode, depth: int) -> tuple[Any, int]:
        if node.tag != _SEQ:
            self._scalar_tag_refusal(node)
        self._count(1, node)
        items = YamlList(_position(node))
        positions = items.item_positions
        size = 1
        for child in node.value:
            if child.__class__ is ScalarNode and depth < MAX_DEPTH:
                value, child_size = self._leaf(child), 1
            else:
                value, child_size = self._build(child, depth + 1)
            items.append(value)
            mark = child.start_mark
            positions.append((mark.line + 1, mark.column + 1))
            size += child_size
        return items, size

    def _mapping(self, node: MappingNode, depth: int) -> tuple[Any, int]:
        if node.tag != _MAP:
            self._scalar_tag_refusal(node)
        self._count(1, node)
        mapping = YamlMap(_position(node))
        key_positions, value_positions = mapping.key_positions, mapping.value_positions
        size = 1
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                raise _Refused(
                    key_node,
                    "mapping keys must be plain text, not lists or mappings (complex '? key' entries)",
                    "YAML readers load complex keys differently; write a plain key",
                )
            key = key_node.value if key_node.tag == _STR else self._scalar(key_node)
            if not isinstance(key, str):
                key = key_node.value  # ``1: x`` or ``true: x``: keep the key as written
            mark = key_node.start_mark
            key_position = (mark.line + 1, mark.column + 1)
            if key in mapping:
                first_line, _ = key_positions[key]
                self.problems.append(
                    Problem(
                        self.display_path,
                        *key_position,
                        f"duplicate key {key!r} (first defined on line {first_line})",
                        "YAML keeps only one of them silently; remove or rename one",
                        rule="duplicate-key",
                    )
                )
                continue
            if value_node.__class__ is ScalarNode and depth < MAX_DEPTH:
                value, child_size = self._leaf(value_node), 1
            else:
                value, child_size = self._build(value_node, depth + 1)
            mapping[key] = value
            key_positions[key] = key_position
            mark = value_node.start_mark
            value_positions[key] = (mark.line + 1, mark.column + 1)
            size += child_size
        return mapping, size

    def _scalar_tag_refusal(self, node: Node) -> None:
        raise _Refused(
            node,
            f"YAML tag {node.tag!r} is not allowed",
            "records hold plain data only; remove the tag",
        )


def parse_yaml_text(
    text: str, display_path: str, *, max_nodes: int = DEFAULT_MAX_NODES
) -> tuple[Any, list[Problem]]:
    """Parse one YAML document. Returns ``(data, problems)``; data is None when unusable."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        loader = _NodeLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = error.problem or error.context or "invalid YAML"
        if error.context and error.problem:
            message = f"{error.context}, {error.problem}"
        hint = _syntax_hint(message)
        if mark and _character_at(text, mark.line, mark.column) == "\t":
            message = message.replace("found character that", "found a tab that")
            hint = "YAML does not allow tabs for indentation; use spaces"
        return None, [
            Problem(
                display_path, line, col, f"YAML syntax error: {message}", hint, rule="yaml-syntax"
            )
        ]
    except yaml.YAMLError as error:  # e.g. a reader error for control characters
        return None, [Problem(display_path, 1, 1, f"YAML error: {error}", rule="yaml-syntax")]
    if node is None:
        return None, []
    exotic = _exotic_anchor(text, display_path)
    if exotic is not None:
        return None, [exotic]
    builder = _Builder(display_path, max_nodes)
    try:
        data = builder.build(node)
    except _Refused as refusal:
        return None, [
            *builder.problems,
            Problem(
                display_path,
                *_position(refusal.node),
                refusal.message,
                refusal.hint,
                rule="unsafe-yaml",
            ),
        ]
    except RecursionError:
        return None, [
            Problem(display_path, 1, 1, "document is nested too deeply", rule="unsafe-yaml")
        ]
    return data, builder.problems


# libyaml reads an anchor or alias name as letters, digits, '-' and '_'. Only text where such a name
# is followed by something other than a space, line end, ',', ']' or '}' can hold an exotic one;
# most records have none (a '*' in prose is followed by a space or letters and then a space), so
# the event-by-event look below runs only when it can find something.
_ANCHOR_THEN_PUNCTUATION = re.compile(r"[&*][0-9A-Za-z_-]+[^ \t\n\r,\]}0-9A-Za-z_-]")


def _exotic_anchor(text: str, display_path: str) -> Problem | None:
    """An anchor or alias whose name contains ':' (``&a:b``), which YAML allows but libyaml cuts
    at the colon, loading a different value than the file says: refused rather than guessed."""
    if not _ANCHOR_THEN_PUNCTUATION.search(text):
        return None
    loader = _NodeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            anchor = getattr(event, "anchor", None)
            mark = getattr(event, "start_mark", None)
            if not anchor or mark is None:
                continue
            sigil = "*" if isinstance(event, yaml.AliasEvent) else "&"
            start = text.find(sigil + anchor, mark.index)
            end = start + 1 + len(anchor)
            if start >= 0 and text[end : end + 1] not in ("", " ", "\t", "\n", "\r", ",", "]", "}"):
                line, col = mark.line + 1, mark.column + 1
                return Problem(
                    display_path,
                    line,
                    col,
                    f"anchor or alias {text[start : end + 1]!r}... has punctuation in its name, which YAML readers split differently",
                    "use anchor names of letters, digits, '-' and '_' only",
                    rule="unsafe-yaml",
                )
    finally:
        loader.dispose()
    return None


def _character_at(text: str, line: int, column: int) -> str:
    lines = text.splitlines()
    return lines[line][column : column + 1] if 0 <= line < len(lines) else ""


def _syntax_hint(message: str) -> str | None:
    if "mapping values are not allowed" in message:
        return "a value containing ': ' must be quoted"
    if "expected a single document" in message:
        return "one record per file; remove the '---' separator"
    return None


def load_yaml_file(
    path: Path,
    display_path: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> tuple[Any, list[Problem]]:
    """Read and parse a YAML file; every failure is a Problem, never an exception."""
    text, problems = read_yaml_text(path, display_path, max_bytes=max_bytes)
    if text is None:
        return None, problems
    return parse_yaml_text(text, display_path, max_nodes=max_nodes)


def read_yaml_text(
    path: Path, display_path: str, *, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str | None, list[Problem]]:
    """The text of a YAML file, or None with the problem (too large, not UTF-8, unreadable)."""
    return read_limited_text(
        path,
        display_path,
        max_bytes,
        too_large=lambda size: f"file is {size:,} bytes, over the limit of {max_bytes:,}",
        hint="split it, or for DataId lists use the compact range form or ECSV",
        rule="file-size",
    )


def locate(data: Any, path: Sequence[PathPart], *, key: bool = False) -> Position:
    """The position of the value at ``path`` (or of its key, with ``key=True``).

    Walks as deep as the path exists and returns the deepest known position, so a path into a
    missing value still points somewhere useful (its parent).
    """
    if isinstance(data, YamlMap):
        data = data.positioned()
    position: Position = getattr(data, "position", (1, 1))
    if position == (0, 0):
        position = (1, 1)
    current = data
    for index, part in enumerate(path):
        last = index == len(path) - 1
        if isinstance(current, YamlMap) and isinstance(part, str) and part in current:
            if last and key:
                return current.key_positions[part]
            position = current.value_positions[part]
            current = current[part]
        elif isinstance(current, YamlList) and isinstance(part, int) and 0 <= part < len(current):
            position = current.item_positions[part]
            current = current[part]
        else:
            break
    return position


def plain(value: Any) -> Any:
    """Plain dict/list/str/int/float/bool/None from loaded or round-trip YAML data (position
    carriers, ruamel nodes, tuples): what JSON, ``yaml.safe_dump`` and comparisons expect."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    return value
