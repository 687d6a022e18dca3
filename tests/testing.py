"""Set-up the test folders share: one fixed git identity, and git run with it in a test repository.

Fixed names and dates make commit ids reproducible (goldens show them), and git needs no global
configuration on a CI machine.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ana Souza",
    "GIT_AUTHOR_EMAIL": "ana@example.org",
    "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+00:00",
    "GIT_COMMITTER_NAME": "Ana Souza",
    "GIT_COMMITTER_EMAIL": "ana@example.org",
    "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+00:00",
}
# Also no global or system configuration: the user's own settings (signing, hooks) stay out.
GIT_ENV = {**GIT_IDENTITY, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str, env: dict[str, str] = GIT_ENV) -> str:
    """``git ARGS`` in ``root`` with the fixed identity; its standard output. Fails the test on error."""
    result = subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout
