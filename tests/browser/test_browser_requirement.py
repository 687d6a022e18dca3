"""Without a browser the browser tests skip, except under CI=true, where they must fail."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


@pytest.mark.parametrize(
    ("ci", "outcome", "exit_code"), [("true", "1 error", 1), ("", "1 skipped", 0)]
)
def test_missing_chromium_skips_locally_and_fails_under_ci(
    ci: str, outcome: str, exit_code: int
) -> None:
    env = dict(os.environ, CI=ci, CN_CHROMIUM=str(HERE / "no-such-chromium"))
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    command += [
        f"{HERE / 'test_campaign_page.py'}::test_a_wide_lineage_graph_scrolls_in_its_box_on_a_phone"
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == exit_code, result.stdout
    assert outcome in result.stdout, result.stdout
    assert "no-such-chromium" in result.stdout, result.stdout
