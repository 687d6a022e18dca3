"""Progress on long work: a self-updating line on a terminal, silence otherwise (CI logs stay clean)."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO


class Progress:
    """``with Progress("fetching", total=n) as progress: progress.advance(k)``."""

    def __init__(
        self, label: str, total: int | None = None, *, stream: TextIO | None = None, unit: str = ""
    ) -> None:
        self.label = label
        self.total = total
        self.done = 0
        self.unit = unit
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_draw = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.enabled:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if self.enabled:
            self._draw()

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        unit = f" {self.unit}" if self.unit else ""
        if self.total:
            percent = 100 * self.done // max(self.total, 1)
            text = f"{self.label}: {self.done:,}/{self.total:,}{unit} ({percent}%)"
        else:
            text = f"{self.label}: {self.done:,}{unit}"
        self.stream.write("\r\x1b[K" + text)
        self.stream.flush()
