"""Reading a snapshot file (Jira's, the workflow system's): JSON with a ``format`` number.

A snapshot is a file in the repository, so anyone with a pull request can edit it: whatever is
wrong with it (not JSON, another format, a missing or mistyped field, a value the reader refuses)
is one ``UserError`` naming the file, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from generator.errors import UserError
from generator.urls import mask_userinfo

T = TypeVar("T")


def parse_snapshot_json(
    text: str,
    display: str,
    *,
    expected_format: int,
    build: Callable[[dict[str, Any]], T],
    what: str,
    hint: str,
) -> T:
    """``build(document)`` of the JSON ``text`` once its ``format`` is ``expected_format``.

    ``build`` may raise ValueError, KeyError, TypeError or AttributeError for what it refuses;
    each becomes "<what> is unreadable: ..." with ``hint`` (credentials in URLs masked).
    """
    try:
        raw = json.loads(text)
        if raw.get("format") != expected_format:
            raise ValueError(f"unsupported snapshot format {raw.get('format')!r}")
        return build(raw)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise UserError(
            f"{what} is unreadable: {mask_userinfo(str(error))}", path=display, hint=hint
        ) from None


def read_snapshot_file(path: Path, display: str | None, parse: Callable[[str, str], T]) -> T | None:
    """``parse(text, display)`` of the file at ``path``, or None when there is none yet."""
    if not path.is_file():
        return None
    return parse(path.read_text(encoding="utf-8"), display or path.as_posix())
