"""Did-you-mean hints: one place that guesses what a person meant to write.

Tried in order: the same word in another case (``DR1`` → ``dr1``), a known synonym (``done`` →
``succeeded``), a unique prefix (``dev`` → ``development``), then the closest spelling.

The closest spelling among many names is found in time that does not grow with their number.

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
from collections.abc import Container, Iterable, Mapping, Sequence

FULL_SEARCH = 500  # up to this many choices, compare with all of them
NEIGHBOURS = 6  # on each side of the word, in each order

# Words people write for states, by what the records call them. Only suggestions that are in
# the allowed choices of the field at hand are offered, so one table serves campaigns and
# workflows (``finished`` means ``completed`` for a campaign, ``succeeded`` for a workflow).
STATE_SYNONYMS: Mapping[str, tuple[str, ...]] = {
    "done": ("succeeded", "completed"),
    "finished": ("succeeded", "completed"),
    "complete": ("succeeded", "completed"),
    "completed": ("succeeded",),
    "success": ("succeeded",),
    "successful": ("succeeded",),
    "ok": ("succeeded",),
    "succeeded": ("completed",),
    "error": ("failed",),
    "errored": ("failed",),
    "failure": ("failed",),
    "fail": ("failed",),
    "broken": ("failed",),
    "crashed": ("failed",),
    "aborted": ("failed",),
    "killed": ("deleted", "failed"),
    "cancelled": ("deleted", "failed"),
    "canceled": ("deleted", "failed"),
    "removed": ("deleted",),
    "queued": ("pending",),
    "waiting": ("pending",),
    "submitted": ("pending", "running"),
    "started": ("running",),
    "active": ("running",),
    "in progress": ("running",),
    "in-progress": ("running",),
    "ongoing": ("running",),
    "processing": ("running",),
    "hold": ("held", "paused"),
    "on hold": ("held", "paused"),
    "on-hold": ("held", "paused"),
    "suspended": ("held", "paused"),
    "stopped": ("paused", "held"),
    "paused": ("held",),
    "new": ("defined", "planned"),
    "draft": ("defined", "planned"),
    "todo": ("planned", "defined"),
    "planned": ("defined",),
    "defined": ("planned",),
    "scheduled": ("planned", "defined"),
}


def closest(
    word: str, choices: Iterable[str], synonyms: Mapping[str, tuple[str, ...]] | None = None
) -> str | None:
    """The choice ``word`` most likely meant, or None."""
    options = list(dict.fromkeys(choices))
    if not word or not options:
        return None
    folded = word.strip().lower()
    for option in options:
        if option.lower() == folded:
            return option
    for candidate in (synonyms or {}).get(folded, ()):
        if candidate in options:
            return candidate
    prefixed = [o for o in options if o.lower().startswith(folded)]
    if len(prefixed) == 1 and len(folded) >= 2:
        return prefixed[0]
    lowered = {o.lower(): o for o in options}
    if len(lowered) > FULL_SEARCH:
        found = Suggester(lowered).closest(folded)
        return lowered[found] if found else None
    close = difflib.get_close_matches(folded, list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(
    word: str, choices: Iterable[str], synonyms: Mapping[str, tuple[str, ...]] | None = None
) -> str | None:
    """``"did you mean 'x'?"`` or None."""
    match = closest(word, choices, synonyms)
    return f"did you mean {match!r}?" if match else None


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
