"""yaml-rs values (generator/loading/yamlfast.py) are yamlsafe's values, or are not used.

For any text, ``fast_values`` either declines (None: yamlsafe reads the text, as before) or
returns exactly what yamlsafe loads, with yamlsafe reporting no problem; and a record loaded the
fast way points every value and key at the same line:col as the positioned parse. The texts:
every YAML file of the tests and the examples, scalars in every spelling the two readers type
differently, hostile documents, and seeded mutations of the examples.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.loading.salvage import salvage
from generator.loading.schemas import validate_against_schema
from generator.loading.textfiles import decode_utf8
from generator.loading.yamlfast import (
    FAST_MAX_DEPTH,
    LazyYamlMap,
    _may_hold_flow_or_reserved,
    _texts_only,
    fast_values,
    load_record_file,
)
from generator.loading.yamlsafe import (
    CORE_IMPLICIT_RESOLVERS,
    PathPart,
    YamlList,
    YamlMap,
    load_yaml_file,
    locate,
    parse_yaml_text,
    plain,
)

TESTS = Path(__file__).resolve().parents[1]
EXAMPLES = TESTS.parent / "campaigns"
CORPUS = sorted(
    path
    for folder in (TESTS, EXAMPLES)
    for path in folder.rglob("*")
    if path.suffix in (".yaml", ".yml") and path.is_file()
)


def _text(path: Path) -> str | None:
    return decode_utf8(path.read_bytes(), path.name)[0]


def _agrees(text: str) -> bool:
    """Whether the fast path took ``text``; fails if it took it and differs from yamlsafe."""
    fast = fast_values(text)
    if fast is None:
        return False
    data, problems = parse_yaml_text(text, "doc.yaml")
    assert problems == [], text
    assert fast == plain(data), text
    assert isinstance(data, YamlMap)
    return True


def test_the_corpus_is_large_and_mostly_fast() -> None:
    texts = [_text(path) for path in CORPUS]
    assert len(texts) > 100
    taken = sum(_agrees(text) for text in texts if text is not None)
    assert taken > len(texts) // 2


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_every_yaml_file_of_the_tests_and_examples(path: Path) -> None:
    text = _text(path)
    if text is not None:
        _agrees(text)


def test_every_example_record_takes_the_fast_path() -> None:
    examples = sorted(EXAMPLES.rglob("*.yaml"))
    assert examples
    for path in examples:
        assert _agrees(path.read_text(encoding="utf-8")), path


SCALARS = [
    *("1", "-1", "+1", "007", "1_000", "0b101", "0o7", "0o8", "0x1F", "0X1F", "0xG"),
    *("1.", ".5", "1.5", "-1.5e3", "1e3", "1E+3", "1.0e-3", ".e3", "1e", "1__0", "1,000"),
    *(".inf", "-.inf", "+.Inf", ".INF", "inf", ".nan", ".NaN", ".NAN", "nan", "NaN"),
    *("true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "yes", "No", "on", "OFF"),
    *("y", "n", "~", "null", "Null", "NULL", "nULL", "none", ""),
    *("2026-10-01", "2026-10-01T12:00:00Z", "2026-10-01 12:00", "1:30", "190:20:30", "12:30:45"),
    *("<<", "=", "-", "-1-", "a b", "1 2", "1.2.3", "v1.0", "0.1.0", "1/2", "$1"),
]
CONTEXTS = ["a: {}\n", "a: [{}]\n", "a: [x, {}]\n", "a: {{b: {}}}\n", "a:\n  {}\n"]
CONTEXTS += ["a:\n- {}\n", "{}: a\n", "a: '{}'\n", 'a: "{}"\n', "a: |\n  {}\n", "a: >-\n  {}\n"]


@pytest.mark.parametrize("scalar", SCALARS)
def test_scalars_in_every_spelling(scalar: str) -> None:
    for context in CONTEXTS:
        _agrees(context.replace("{}", scalar))


@pytest.mark.parametrize(
    "pattern",
    sorted({regexp.pattern for pairs in CORE_IMPLICIT_RESOLVERS.values() for _, regexp in pairs}),
)
def test_every_text_yamlsafe_types_is_typed_by_yaml_rs_too(pattern: str) -> None:
    """The fast path keeps yaml-rs's texts as texts: sound only because any unquoted text that
    yamlsafe reads as a number, true/false or null is no text to yaml-rs either."""

    @settings(max_examples=300, database=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(re.compile(pattern), fullmatch=True))
    def check(scalar: str) -> None:
        for context in CONTEXTS[:6]:
            _agrees(context.replace("{}", scalar))

    check()


HOSTILE = {
    "tag": "a: !!python/object:os.system x\n",
    "local tag": "a: !custom x\n",
    "str tag": "a: !!str 1\n",
    "tag in flow": "a: [b, !!str c]\n",
    "anchor and alias": "a: &x b\nc: *x\n",
    "alias in flow": "a: &x b\nc: [d,*x]\n",
    "exotic anchor": "a: &x:y b\nc: *x:y\n",
    "merge key": "a: &x {b: c}\nd:\n  <<: *x\n",
    "alias bomb": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
    "undefined alias": "a: *x\n",
    "flow key": "a: [b, ?c]\n",
    "flow explicit key": "a: {? b: c}\n",
    "two documents": "a: b\n---\nc: d\n",
    "document start": "---\na: b\n",
    "document end": "a: b\n...\n",
    "directive": "%YAML 1.2\n---\na: b\n",
    "empty": "",
    "comment only": "# nothing\n",
    "control character": "a: b\x01c\n",
    "quoted control character": 'a: "b\x01c"\n',
    "DEL": "a: b\x7fc\n",
    "NEL": "a: b\x85c\n",
    "line separator": "a: b\u2028c\n",
    "paragraph separator": "a: b\u2029c\n",
    "BOM": "\ufeffa: b\n",
    "BOM inside": "a: b\ufeffc\n",
    "noncharacter": "a: \ufffe\n",
    "no-break space": "a: b\xa0c\n",
    "CRLF": "a: b\r\nc: d\r\n",
    "CR": "a: b\rc: d\r",
    "tab indent": "a:\n\tb: c\n",
    "tab after colon": "a:\tb\n",
    "tab in text": "a: b\tc\n",
    "escapes": 'a: "\\x41\\u00e9\\N\\_\\/\\ "\n',
    "surrogate escape": 'a: "\\ud800"\n',
    "duplicate key": "a: b\na: c\n",
    "duplicate quoted key": "a: b\n'a': c\n",
    "nested duplicate key": "a:\n  b: c\n  b: d\n",
    "complex key": "? [a]\n: b\n",
    "flow complex key": "{[a]: b}\n",
    "number key": "1: a\n",
    "bool key": "true: a\n",
    "null key": "~: a\n",
    "empty key": ": a\n",
    "null value": "a:\n",
    "nan": "a: .NaN\n",
    "underscore int": "a: 1_000\n",
    "binary int": "a: 0b101\n",
    "list root": "- a\n",
    "text root": "hello\n",
    "deep flow": "a: " + "[" * 100 + "]" * 100 + "\n",
    "deep block": "".join("  " * i + "-\n" for i in range(100)),
    "very deep flow": "a: " + "[" * 20_000 + "]" * 20_000 + "\n",
    "very deep block": "a:\n" + "- " * 20_000 + "x\n",
    "very deep mapping": "".join(" " * i + "a:\n" for i in range(20_000)),
    "block entry in flow": "a: [b,\n- c]\n",
    "block scalar in flow": "a: {b: |c}\n",
    "colon in flow": "a: [:b]\n",
    "mapping in mapping value": "a: b: c\n",
    "bad indentation": "a: b\n c: d\n",
    "unclosed flow": "a: [b, c\n",
    "unclosed quote": "a: 'b\n",
    "reserved at": "a: @b\n",
    "reserved backtick": "a: `b\n",
    "no final line break": "a: b",
    "block scalar at end": "a: |\n  x",
    "empty block scalar at end": "a: |\n",
    "empty kept block scalar at end": "a: |+\n\n",
    "folded at end with comment": "a: > # c\n\n",
    "huge": "a: " + "x" * 300_000 + "\n",
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_documents_go_through_yamlsafe(name: str) -> None:
    # The very deep ones would kill the process if they reached yaml-rs.
    assert fast_values(HOSTILE[name]) is None


TAKEN = {
    "emphasis": "a: step1 finished; **263 quanta** failed, all *known*\n",
    "ampersand": "a: R&D\n",
    "question": "a: why? because\n",
    "exclamation": "a: done!\n",
    "merge key text": "<<: a\nb: {<<: c}\n",
    "quoted typed texts": "a: '1'\nb: \"true\"\nc: 'null'\nd: ''\ne: '.nan'\n",
    "flow": "a: [b, c]\nd: {e: f, g: [h]}\ni: []\nj: {}\n",
    "multi-line flow": "a: [b,\n  c]\n",
    "block scalars": "a: |\n  x\n\n  y\nb: >-\n  x\n  y\nc: |+\n  z\n\nd: e\n",
    "empty block scalar": "a: |\nb: c\n",
    "block scalar last": "a: |\n  x\n",
    "comments": "# c\na: b # c\n# c\nc:\n  - d  # c\n",
    "unicode": "a: é ✓ 漢字 😀\n",
    "multi-line plain": "a: b\n  c\n\n  d\n",
    "single quotes": "a: 'it''s\n  two'\n",
    "dates and times": "a: 2026-10-01\nb: 2026-10-01T12:00Z\nc: 1:30\n",
    "yaml 1.1 words": "a: yes\nb: off\nc: y\n",
}


@pytest.mark.parametrize("name", TAKEN)
def test_ordinary_record_text_takes_the_fast_path(name: str) -> None:
    assert _agrees(TAKEN[name])


_PIECES = [":", ": ", "-", "- ", " ", "  ", "\n", "'", '"', "#", " #", "[", "]", "{", "}", ","]
_PIECES += ["?", "? ", "|", ">", "|-", ">+", "|2", "@", "`", "%", "...", "---", "*", "&", "!"]
_PIECES += ["~", "null", "true", "1", "0x1", "1_0", ".5", "<<", "  - ", "\n  ", "\n- ", "é"]


def _mutations(
    seed: int, count: int, texts: list[str], pieces: list[str], *, cut: bool = True
) -> Iterator[str]:
    """``count`` texts, each one of ``texts`` (cut short half the time) with one to four typos:
    a piece inserted, characters deleted, or characters replaced by a piece."""
    rnd = random.Random(seed)
    for _ in range(count):
        text = rnd.choice(texts)
        if cut and rnd.random() < 0.5:
            start = rnd.randrange(len(text))
            text = text[: start + rnd.randrange(200, 2000)]
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randrange(len(text) + 1)
            what = rnd.random()
            if what < 0.5:
                text = text[:at] + rnd.choice(pieces) + text[at:]
            elif what < 0.8:
                text = text[:at] + text[at + rnd.randint(1, 5) :]
            else:
                text = text[:at] + rnd.choice(pieces) + text[at + rnd.randint(1, 3) :]
        yield text


@pytest.mark.parametrize("seed", range(4))
def test_mutated_examples(seed: int) -> None:
    """Typos made at random, where the two readers are most likely to part: the fast path must
    decline, or agree. (These found the block-scalar-at-the-end and libyaml-only refusals.)"""
    examples = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.glob("*.yaml"))]
    taken = sum(_agrees(text) for text in _mutations(seed, 300, examples, _PIECES))
    assert taken > 50


_BLOCK_PIECES = [piece for piece in _PIECES if not set(piece) & set("[]{}@`%")]


def _block_only_examples() -> list[str]:
    """The examples written in block style (no flow collections): typos in them meet the fast
    path that does not ask libyaml's parser."""
    texts = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        data, _ = parse_yaml_text(path.read_text(encoding="utf-8"), path.name)
        dumped = yaml.safe_dump(
            plain(data), default_flow_style=False, sort_keys=False, allow_unicode=True
        )
        texts.append(dumped.replace("[]", "''").replace("{}", "''"))
    return texts


@pytest.mark.parametrize("seed", range(6))
def test_typos_in_block_only_records(seed: int) -> None:
    """Without flow collections the fast path skips libyaml's check: yaml-rs must then refuse
    whatever libyaml refuses (hand-made cases: HOSTILE, 'mapping in mapping value' and on)."""
    unchecked = 0
    for text in _mutations(seed, 400, _block_only_examples(), _BLOCK_PIECES, cut=False):
        if _agrees(text) and not _may_hold_flow_or_reserved(text):
            unchecked += 1
    assert unchecked > 100


def _paths(value: Any, path: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


FAST_RECORDS = [
    path for path in CORPUS if (text := _text(path)) is not None and fast_values(text) is not None
]


@pytest.mark.parametrize("path", FAST_RECORDS, ids=lambda p: str(p.relative_to(TESTS.parent)))
def test_positions_of_a_fast_record_are_the_positioned_parse(path: Path) -> None:
    fast, fast_problems = load_record_file(path, path.name)
    slow, slow_problems = load_yaml_file(path, path.name)
    assert isinstance(fast, LazyYamlMap) and isinstance(slow, YamlMap)
    assert fast_problems == slow_problems == []
    assert (fast.position, fast.key_positions, fast.value_positions) == (
        slow.position,
        slow.key_positions,
        slow.value_positions,
    )
    for value_path in _paths(slow):
        assert locate(fast, value_path) == locate(slow, value_path)
        assert locate(fast, value_path, key=True) == locate(slow, value_path, key=True)
        # A path into what is not there points at the deepest part that is.
        assert locate(fast, (*value_path, "missing")) == locate(slow, (*value_path, "missing"))


INVALID_FAST = [
    path for path in FAST_RECORDS if "invalid" in path.parts[-4] and path.parent.name == "campaigns"
]


def test_schema_invalid_records_take_the_fast_path() -> None:
    assert len(INVALID_FAST) > 20


@pytest.mark.parametrize("path", INVALID_FAST, ids=lambda p: str(p.relative_to(TESTS)))
def test_problems_and_salvage_of_a_fast_record_keep_their_positions(path: Path) -> None:
    fast, _ = load_record_file(path, path.name)
    slow, _ = load_yaml_file(path, path.name)
    assert validate_against_schema("campaign", fast, path.name) == validate_against_schema(
        "campaign", slow, path.name
    )
    fast_kept, slow_kept = (
        salvage("campaign", fast, path.stem),
        salvage("campaign", slow, path.stem),
    )
    assert _with_positions(fast_kept) == _with_positions(slow_kept)


def _with_positions(value: Any) -> Any:
    """``value`` with the positions it carries, to compare two salvaged records fully."""
    if isinstance(value, YamlMap):
        return (
            type(value).__name__,
            value.position,
            {k: (value.key_positions.get(k), _with_positions(v)) for k, v in value.items()},
            value.value_positions,
        )
    if isinstance(value, YamlList):
        return (value.position, value.item_positions, [_with_positions(v) for v in value])
    assert not isinstance(value, dict | list), "salvage keeps positions all the way down"
    return value


def _texts_only_by_recursion(value: Any, depth: int = 0) -> bool:
    """What ``_texts_only`` answers, written the plain way (a call per value)."""
    if value.__class__ is str:
        return True
    if depth >= FAST_MAX_DEPTH:
        return False
    if value.__class__ is dict:
        return all(
            k.__class__ is str and _texts_only_by_recursion(v, depth + 1) for k, v in value.items()
        )
    if value.__class__ is list:
        return all(_texts_only_by_recursion(v, depth + 1) for v in value)
    return False


_LEAVES = st.one_of(
    st.text(max_size=3), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False)
)
_KEYS = st.one_of(st.text(max_size=3), st.text(max_size=3), st.integers(), st.booleans())
_VALUES = st.recursive(
    st.one_of(st.text(max_size=3), st.text(max_size=3), _LEAVES),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=40,
)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEYS, _VALUES, max_size=5))
def test_texts_only_is_the_recursive_definition(values: dict[Any, Any]) -> None:
    assert _texts_only(values) == _texts_only_by_recursion(values)


@pytest.mark.parametrize("depth", [FAST_MAX_DEPTH - 2, FAST_MAX_DEPTH - 1, FAST_MAX_DEPTH, 40])
@pytest.mark.parametrize("innermost", [{}, [], "text", {"k": "v"}, ["v"], 1])
def test_texts_only_at_the_depth_bound(depth: int, innermost: Any) -> None:
    values: Any = innermost
    for level in range(depth):
        values = {"key": values} if level % 2 else [values]
    values = {"top": values}
    assert _texts_only(values) == _texts_only_by_recursion(values)
