"""Reading a text file people wrote: size-limited, UTF-8, every failure a located ``Problem``.

Records and DataId lists both come from pull requests, so a file is measured before it is read
(a huge file is refused, not parsed) and a byte that is not UTF-8 is pointed at, not raised.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from generator.errors import Problem


def read_limited_text(
    path: Path,
    display: str,
    max_bytes: int,
    *,
    too_large: Callable[[int], str],
    hint: str,
    rule: str,
) -> tuple[str | None, list[Problem]]:
    """The file's text, or None and the problem that stops reading it.

    ``too_large(size)`` words the refusal of a file over ``max_bytes`` (with ``hint`` and
    ``rule``); a file that cannot be read or is not UTF-8 gets the same problems everywhere.
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return None, [Problem(display, 0, 0, too_large(size), hint, rule=rule)]
        data = path.read_bytes()
    except OSError as error:
        return None, [Problem(display, 0, 0, f"cannot read file: {error.strerror}", rule="io")]
    return decode_utf8(data, display)


def decode_utf8(data: bytes, display: str) -> tuple[str | None, list[Problem]]:
    """``data`` as text, or None and a problem at the line and column of the first bad byte."""
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError as error:
        before = data[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        problem = Problem(
            display,
            line,
            column,
            f"file is not valid UTF-8 (byte 0x{data[error.start]:02x})",
            "save the file as UTF-8",
            rule="encoding",
        )
        return None, [problem]
