"""``encode_url`` and ``encode_path`` write what ``urllib.parse.quote`` writes (they encode only
the runs of characters it would encode, instead of looking at every byte)."""

from __future__ import annotations

import random
from urllib.parse import quote

import pytest

from generator.escaping import _URL_SAFE, encode_path, encode_url, strip_controls

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
    assert encode_url(value) == quote(strip_controls(value).strip(), safe=_URL_SAFE)
    assert encode_path(value) == quote(strip_controls(value), safe="/")


def test_encodings_match_quote_on_random_text() -> None:
    rng = random.Random(16)
    alphabet = [chr(c) for c in range(32, 127)] + list("\t\néß€😀\u00a0\u2028\x00\x9f")
    for _ in range(20_000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 24)))
        assert encode_url(value) == quote(strip_controls(value).strip(), safe=_URL_SAFE)
        assert encode_path(value) == quote(strip_controls(value), safe="/")


def test_a_lone_surrogate_is_refused_as_quote_refuses_it() -> None:
    with pytest.raises(UnicodeEncodeError):
        quote("https://example.org/\ud800", safe=_URL_SAFE)
    with pytest.raises(UnicodeEncodeError):
        encode_url("https://example.org/\ud800")
