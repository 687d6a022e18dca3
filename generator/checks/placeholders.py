"""Placeholder text left in records (``TODO``): a warning, an error under ``validate --strict``.

``campaigns new`` writes ``TODO: ...`` where only a person can say what belongs (purpose,
reason, description); a record should not be merged with them still there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from generator.errors import Problem
from generator.loading.yamlsafe import PathPart, locate

PLACEHOLDER = re.compile(r"\bTODO\b")
RUN_LOG = ("workflows", "journal")


def _texts(value: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, (*path, index))


def check_placeholders(raw: Any, display_path: str) -> Iterator[Problem]:
    """Every field of the definition still holding ``TODO``.

    The run's log is left alone: a journal entry may well say "TODO" about the work, and
    workflows are written by tools; both are also where a big record is big.
    """
    # Nearly every record holds none. A record read by the fast path (yamlfast) keeps its text,
    # and a value there is spelled as it reads (no escapes): no "TODO" in the text, none in a
    # value. Otherwise repr (C) finds that at once, where the walk below visits every text
    # ("TODO" has no character repr escapes, so a miss there is a miss in the walk).
    source = getattr(raw, "source_text", None)
    if isinstance(source, str) and "TODO" not in source:
        return
    definition = {k: v for k, v in raw.items() if k not in RUN_LOG} if isinstance(raw, dict) else {}
    if "TODO" not in repr(definition):
        return
    for path, text in _texts(definition, ()):
        if "TODO" in text and PLACEHOLDER.search(text):
            field = ".".join(str(part) for part in path)
            line, col = locate(raw, list(path))
            yield Problem(
                display_path,
                line,
                col,
                f"{field} still holds placeholder text (TODO)",
                "replace it with the real text; pull requests run 'campaigns validate --strict', "
                "which refuses placeholders",
                severity="warning",
                rule="placeholder",
            )
