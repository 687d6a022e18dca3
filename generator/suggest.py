"""Did-you-mean hints: one place that guesses what a person meant to write.

Tried in order: the same word in another case (``DR1`` → ``dr1``), a known synonym (``done`` →
``succeeded``), a unique prefix (``dev`` → ``development``), then the closest spelling.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

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
    close = difflib.get_close_matches(folded, list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(
    word: str, choices: Iterable[str], synonyms: Mapping[str, tuple[str, ...]] | None = None
) -> str | None:
    """``"did you mean 'x'?"`` or None."""
    match = closest(word, choices, synonyms)
    return f"did you mean {match!r}?" if match else None
