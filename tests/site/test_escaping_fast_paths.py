"""The escaping helpers' fast paths write what the slow, obvious code writes: ``quote`` (and with
it ``encode_url``, ``encode_path`` and the link templates' values) what ``urllib.parse.quote`` writes (encoding only the runs it would encode),
``strip_controls`` and ``one_line`` what the regular expressions they skip when they can write,
``when`` and ``day`` what strftime writes, ``code_block`` what a search for every backtick run
gives."""

from __future__ import annotations

import random
import re
import shlex
from datetime import UTC, datetime, timedelta, timezone
from urllib import parse

import pytest
from markupsafe import Markup

from generator.escaping import (
    _SHELL_PLAIN,
    _URL_SAFE,
    code_block,
    encode_path,
    encode_url,
    one_line,
    quote,
    strip_controls,
)
from generator.site.markup import day, when

# Every ``safe`` set the project quotes with: hrefs, site paths, link-template values.
SAFE_SETS = (_URL_SAFE, "/", "/:")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
WHITESPACE_AND_CONTROLS = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\x00\x07\x1b\x7f\x9f\u200b\ufeff"

HOSTILE = [
    "",
    "https://example.org/plain/path?x=1&y=2#frag",
    "https://usdf-panda-bigmon.slac.stanford.edu:8443/tasks/?taskname=run_2026*",
    "https://example.org/a b)c(d]e[f'g\"h<i>j`k|l{m}n\\o^p",
    "https://example.org/été/中文/😀?q=ß€\u00a0",
    "  https://example.org/space-around  ",
    "javascript:alert(1)//\u2028\x00\x1b\x7f\x85",
    "-~._%41%zz/../",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_encodings_match_quote(value: str) -> None:
    for safe in SAFE_SETS:
        assert quote(value, safe) == parse.quote(value, safe=safe)
    assert encode_url(value) == parse.quote(strip_controls(value).strip(), safe=_URL_SAFE)
    assert encode_path(value) == parse.quote(strip_controls(value), safe="/")


def test_encodings_match_quote_on_random_text() -> None:
    rng = random.Random(16)
    alphabet = [chr(c) for c in range(32, 127)] + list("\t\néß€😀\u00a0\u2028\x00\x9f")
    for _ in range(20_000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        for safe in SAFE_SETS:
            assert quote(value, safe) == parse.quote(value, safe=safe)
        assert encode_url(value) == parse.quote(strip_controls(value).strip(), safe=_URL_SAFE)
        assert encode_path(value) == parse.quote(strip_controls(value), safe="/")


def test_a_lone_surrogate_is_refused_as_quote_refuses_it() -> None:
    with pytest.raises(UnicodeEncodeError):
        parse.quote("https://example.org/\ud800", safe=_URL_SAFE)
    with pytest.raises(UnicodeEncodeError):
        quote("https://example.org/\ud800", "/:")
    with pytest.raises(UnicodeEncodeError):
        encode_url("https://example.org/\ud800")


def test_strip_controls_and_one_line_match_the_regular_expressions() -> None:
    rng = random.Random(1600)
    alphabet = list("ab <>&é😀") + list(WHITESPACE_AND_CONTROLS)
    for _ in range(50_000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        stripped = _CONTROL.sub("", value)
        assert strip_controls(value) == stripped
        assert type(strip_controls(value)) is str
        assert one_line(value) == re.sub(r"\s+", " ", stripped).strip()


def test_strip_controls_returns_plain_text_for_markup() -> None:
    """Markup's methods escape their arguments: what comes out must be a plain str."""
    assert type(strip_controls(Markup("<b>x</b>"))) is str
    assert type(one_line(Markup("<b>x</b>  y"))) is str


def test_when_and_day_write_what_strftime_writes() -> None:
    """markup.when and markup.day format the numbers (faster); the text is strftime's, before year 1000
    too (where strftime does not pad the year), naive or aware, with seconds and microseconds."""
    rng = random.Random(19)
    zones = [None, UTC, timezone(timedelta(hours=-7, minutes=-30))]
    for _ in range(20_000):
        moment = datetime(
            rng.choice([rng.randint(1, 999), rng.randint(1000, 9999)]),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
            rng.randint(0, 59),
            rng.choice([0, rng.randint(1, 999_999)]),
            tzinfo=rng.choice(zones),
        )
        assert when(moment) == moment.strftime("%Y-%m-%d %H:%M"), moment
        assert day(moment) == moment.strftime("%Y-%m-%d"), moment
    assert when(None) == day(None) == ""


def test_shell_words_returned_as_they_are_are_the_ones_shlex_leaves_alone() -> None:
    """shell_word returns a word at once when shlex.quote would return it unchanged."""
    rng = random.Random(20)
    alphabet = [chr(c) for c in range(32, 127)] + list("\t\néß€\u2028\x00")
    for _ in range(20_000):
        word = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        assert bool(_SHELL_PLAIN.fullmatch(word)) == (shlex.quote(word) == word != ""), word


def test_code_block_fences_as_a_search_for_every_run_would() -> None:
    """code_block looks for a run of three backticks before searching for the longest."""
    rng = random.Random(23)
    for _ in range(5_000):
        content = "".join(
            rng.choice(["`", "``", "```", "````", "a", "\n", " ", "~~~"]) for _ in range(12)
        )
        clean = strip_controls(content)
        longest = max((len(run) for run in re.findall(r"`{3,}", clean)), default=2)
        fence = "`" * (longest + 1)
        assert code_block(content, "text") == f"{fence}text\n{clean.rstrip()}\n{fence}"
