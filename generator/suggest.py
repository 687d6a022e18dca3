""" "Did you mean ...?": the closest of many names, in time that does not grow with their number.

``difflib.get_close_matches`` compares the word with every choice. That is right for a few
hundred names, but validate may suggest for every broken reference in a repository of
thousands of campaigns, and then the suggestions alone take minutes. Past ``FULL_SEARCH``
choices only the neighbours of the word in two sorted orders (of the names, and of the names
spelt backwards) are compared: a typo leaves either the start or the end of a name intact, so
the intended name sorts next to the word in one of the two orders.
"""

from __future__ import annotations

import difflib
from bisect import bisect_left
from collections.abc import Container, Iterable, Sequence

FULL_SEARCH = 500  # up to this many choices, compare with all of them
NEIGHBOURS = 6  # on each side of the word, in each order


class Suggester:
    """Close matches among a fixed set of choices; build once, ask many times."""

    def __init__(self, choices: Iterable[str]) -> None:
        self.choices = sorted(set(choices))
        self.backwards = sorted(choice[::-1] for choice in self.choices)

    def closest(
        self, word: str, cutoff: float = 0.6, among: Container[str] | None = None
    ) -> str | None:
        """The closest choice, or None; ``among``: only choices in it count."""
        candidates: Sequence[str] = self.choices
        if len(self.choices) > FULL_SEARCH:
            near = _neighbours(self.choices, word)
            near |= {name[::-1] for name in _neighbours(self.backwards, word[::-1])}
            candidates = sorted(near)
        if among is not None:
            candidates = [name for name in candidates if name in among]
        close = difflib.get_close_matches(word, candidates, n=1, cutoff=cutoff)
        return close[0] if close else None


def _neighbours(ordered: list[str], word: str) -> set[str]:
    at = bisect_left(ordered, word)
    return set(ordered[max(0, at - NEIGHBOURS) : at + NEIGHBOURS])
