"""The moment "now" for every command: an option, else ``$CAMPAIGNS_NOW``, else the clock.

One place reads ``$CAMPAIGNS_NOW`` so that a build, a new id and a bps sync agree on the time
in reproducible runs and tests, and a value that cannot be read is the same clear error for all.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from generator.errors import ExitCode, UserError
from generator.model.records import parse_timestamp

NOW_VARIABLE = "CAMPAIGNS_NOW"


def now(option: str | None = None, *, option_name: str = "--now", what: str = "time") -> datetime:
    """``option`` (named ``option_name`` in errors), else ``$CAMPAIGNS_NOW``, else the clock (UTC).

    A value that is set but cannot be read is a usage error, never silently the clock."""
    for value, source in (
        (option, option_name),
        (os.environ.get(NOW_VARIABLE), f"${NOW_VARIABLE}"),
    ):
        if value:
            moment = parse_timestamp(value)
            if moment is None:
                raise UserError(
                    f"cannot read the {what} {value!r} (from {source})",
                    hint="write it as 2026-11-24 or 2026-11-24T12:00Z",
                    exit_code=ExitCode.USAGE,
                )
            return moment
    return datetime.now(UTC)
