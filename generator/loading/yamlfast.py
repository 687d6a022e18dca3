"""Record values through yaml-rs (compiled); positions from ``yamlsafe`` only when asked for.

``yamlsafe`` builds a position for every key and item (libyaml events, PyYAML nodes, our
builder): the largest single cost of loading thousands of records, although positions are used
only by the few records with something to report. So ``load_record_file`` reads the values with
yaml-rs, and the record's top level (a ``LazyYamlMap``) parses its text with ``yamlsafe`` the
first time a position is asked for (``yamlsafe.locate``, ``salvage``, or its position attributes).

yaml-rs reads YAML differently from ``yamlsafe``'s rules (``1_000`` and ``0b1`` are numbers,
``1: x`` has a number key, tags are dropped, aliases are expanded without a bound, a ``---``
starts a list of documents, control characters pass, very deep nesting crashes the process).
So its answer is used only where the two cannot differ, and everything else goes through
``yamlsafe``, whose values, problems and messages stay the only ones:

- before yaml-rs sees the text: only printable characters (``str.isprintable``) and line
  feeds, so no tab, CR, control character, BOM, NEL or Unicode line separator; no ``&``, ``*``
  ``!`` or ``?`` where a value can start (anchors, aliases, tags, flow keys: at a line's start
  or after ``-?:,[{`` and spaces; ``**bold**`` inside a text is fine); no line starting with
  ``---``, ``...`` or ``%`` (documents, directives); no backslash (escapes); a line feed at the
  end, and no block scalar header on the last line; at most ``FAST_MAX_CHARS`` characters, and
  a bound on the nesting it can hold (``_may_nest_deeply``);
- where a flow collection (``[``, ``{``) or a reserved indicator (``@``, a backtick, ``%``) can
  start a value, libyaml's parser (C, as in yamlsafe) must accept the syntax: it refuses some
  flow texts yaml-rs reads, such as ``[a, - b]`` or ``{a: |b}``. In block-only text the two
  agree on what they accept (tested on hand-made cases and random typos in block-only
  records), and this check would cost a third of the fast path;
- yaml-rs must accept the text (it refuses duplicate keys);
- the result must be a mapping whose keys are texts and whose values are texts, mappings and
  lists, at most ``FAST_MAX_DEPTH`` deep. Records hold no numbers, true/false or null (their
  schemas ask for texts), and this keeps "accepted here" the same as "the same values, and no
  problem, in ``yamlsafe``": yaml-rs reads every unquoted text that ``yamlsafe`` would read as a
  number, true/false or null as one too (tested), so a text from yaml-rs is a text in both.

``tests/records/test_yamlfast.py`` checks that claim on every YAML file of the tests and the
examples, and on scalars and hostile documents made to sit where the two readers differ.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from generator.errors import Problem
from generator.loading.yamlsafe import (
    Position,
    YamlMap,
    parse_yaml_text,
    read_yaml_text,
)

try:  # libyaml's parser (C), to check the syntax exactly as yamlsafe's loader will
    from yaml._yaml import CParser

    _WITH_LIBYAML = True
except ImportError:  # pragma: no cover - PyYAML built without libyaml: no fast path
    _WITH_LIBYAML = False

FAST_MAX_CHARS = 256 * 1024  # records are a few KB; far below any node limit
FAST_MAX_DEPTH = 32  # yamlsafe refuses more than 64 levels; nothing near it comes this way
# yaml-rs overflows the stack (killing the process) somewhere above 8,000 levels.
_NESTING_BOUND = 3_000
_BLOCK_SCALAR_HEADER_AT_END = re.compile(r"[|>][-+0-9]*(?: +#.*)?\s*\Z")
# A line starting with ``---``, ``...`` or ``%``: one search (three ``in`` were a tenth of the
# fast path's checks, on texts with some character beyond Latin-1).
_DOCUMENT_MARK_OR_DIRECTIVE = re.compile(r"\n(?:---|\.\.\.|%)")


class LazyYamlMap(YamlMap):
    """A record's top level loaded values only; positions parsed from its text when first used.

    Its values are plain dicts, lists and texts: walk positions from ``positioned()``, as
    ``yamlsafe.locate`` does.
    """

    __slots__ = ("_display_path", "_positioned", "_text")

    def __init__(self, values: dict[str, Any], text: str, display_path: str) -> None:
        dict.__init__(self, values)  # positions come from ``positioned()``, not YamlMap's slots
        self._text = text
        self._display_path = display_path
        self._positioned: YamlMap | None = None

    @property
    def source_text(self) -> str:
        """The text the values were read from (the fast path takes no escapes, anchors or tags:
        a value's characters are in it as written)."""
        return self._text

    def positioned(self) -> YamlMap:
        if self._positioned is None:
            data, _problems = parse_yaml_text(self._text, self._display_path)
            # Accepted by the fast path means valid here (test_yamlfast); never worse than (1, 1).
            self._positioned = data if isinstance(data, YamlMap) else YamlMap((1, 1))
        return self._positioned

    @property
    def position(self) -> Position:  # type: ignore[override]  # read-only: from the text
        return self.positioned().position

    @property
    def key_positions(self) -> dict[str, Position]:  # type: ignore[override]  # read-only: from the text
        return self.positioned().key_positions

    @property
    def value_positions(self) -> dict[str, Position]:  # type: ignore[override]  # read-only: from the text
        return self.positioned().value_positions


def load_record_file(path: Path, display_path: str) -> tuple[Any, list[Problem]]:
    """``yamlsafe.load_yaml_file`` (same values, same problems), positions parsed on demand."""
    text, problems = read_yaml_text(path, display_path)
    if text is None:
        return None, problems
    values = fast_values(text)
    if values is not None:
        return LazyYamlMap(values, text, display_path), []
    return parse_yaml_text(text, display_path)


def parse_values(text: str, display_path: str) -> tuple[Any, list[Problem]]:
    """``yamlsafe.parse_yaml_text`` for readers of values only (old versions of records)."""
    values = fast_values(text)
    return (values, []) if values is not None else parse_yaml_text(text, display_path)


def fast_values(text: str) -> dict[str, Any] | None:
    """The values of ``text`` through yaml-rs, or None where it could differ from yamlsafe."""
    if (
        not _WITH_LIBYAML
        or len(text) > FAST_MAX_CHARS
        # At the very end, a block scalar keeps its last line break (or gains one, when
        # empty) in yaml-rs only.
        or not text.endswith("\n")
        or _BLOCK_SCALAR_HEADER_AT_END.search(text[text.rstrip().rfind("\n") + 1 :])
        # No tab, CR, control character, BOM, NEL, Unicode line separator (libyaml reads some
        # as line breaks, yaml-rs does not, and yamlsafe refuses others), no backslash escape.
        or not text.replace("\n", " ").isprintable()
        or "\\" in text
        or text.startswith(("---", "...", "%"))
        or _DOCUMENT_MARK_OR_DIRECTIVE.search(text)
        or _may_hold_node_property(text)
        or _may_nest_deeply(text)
    ):
        return None
    # In flow collections libyaml refuses some texts yaml-rs reads (``|`` or ``- `` inside
    # ``[...]``): its parser (C, no Python objects) says whether yamlsafe would read the text.
    if _may_hold_flow_or_reserved(text):
        parser = CParser(text)
        try:
            parser.raw_parse()
        except yaml.YAMLError:
            return None
        finally:
            parser.dispose()
    try:
        values = yaml_rs.loads(
            text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error
        )
    except Exception:  # any refusal: yamlsafe says what is wrong
        return None
    if values.__class__ is not dict or not _texts_only(values):
        return None
    return values


def _may_hold_node_property(text: str) -> bool:
    """Whether an anchor (``&a``), alias (``*a``), tag (``!t``) or key (``?a``, which libyaml
    reads as a key inside ``[...]`` and yaml-rs as text) can start a value. Inside a text
    (``**bold**``, ``R&D``, ``why?``) it is plain text to both readers."""
    return _at_a_value_start(text, "&*!?")


def _may_hold_flow_or_reserved(text: str) -> bool:
    """Whether a flow collection (``[``, ``{``) or a reserved indicator (``@``, a backtick,
    ``%``) can start a value (inside a text, ``a [b]``, both read text)."""
    return _at_a_value_start(text, "[{@`%")


def _at_a_value_start(text: str, sigils: str) -> bool:
    """Whether one of ``sigils`` follows a line start, ``-``, ``?``, ``:``, ``,``, ``[`` or
    ``{`` and spaces: where a value can start (and a few places it cannot: no matter)."""
    for sigil in sigils:
        at = text.find(sigil)
        while at >= 0:
            before = at - 1
            while before >= 0 and text[before] == " ":
                before -= 1
            if before < 0 or text[before] in "\n-?:,[{":
                return True
            at = text.find(sigil, at + 1)
    return False


def _may_nest_deeply(text: str) -> bool:
    """Whether ``text`` could nest more than ``_NESTING_BOUND`` levels. Every mapping or list
    has an indicator of its own (``:``, ``?``, ``-``, ``[``, ``{``), so their count bounds the
    nesting; past that, each block level moves right or is a list under a key (``a:\\n- b``),
    whose items move right, so block nesting is at most twice the longest line, and each flow
    level opens a bracket of its own."""
    if sum(map(text.count, "-:?[{")) < _NESTING_BOUND:
        return False
    longest = max(map(len, text.split("\n")))
    return 2 * (longest + 1) + text.count("[") + text.count("{") > _NESTING_BOUND


def _texts_only(values: dict[str, Any]) -> bool:
    """Whether ``values`` holds only texts, and dicts and lists of them, with text keys, and no
    dict or list ``FAST_MAX_DEPTH`` levels deep or more. A loop over a stack, not recursion:
    records hold hundreds of values, and a call for each was a tenth of loading."""
    stack: list[tuple[dict[str, Any] | list[Any], int]] = [(values, 0)]
    pop, push = stack.pop, stack.append
    while stack:
        value, depth = pop()
        if depth >= FAST_MAX_DEPTH:
            return False
        items: Any = value
        if value.__class__ is dict:
            for key in value:
                if key.__class__ is not str:
                    return False
            items = value.values()
        for item in items:
            kind = item.__class__
            if kind is str:
                continue
            if kind is dict or kind is list:
                push((item, depth + 1))
            else:
                return False
    return True
