"""Submit directories said once above a campaign's workflow table (campaign_facts.submit_root)."""

from __future__ import annotations

import pytest

from generator.site.campaign_facts import submit_root

BASE = "/sdf/data/rubin/panda_jobs/submit/LSSTCam/runs/DRP"


@pytest.mark.parametrize(
    ("directories", "expected"),
    [
        ([f"{BASE}/20250610T190000Z", f"{BASE}/20250611T010000Z"], BASE),
        ([f"{BASE}/a/1", f"{BASE}/b/2", f"{BASE}/a/3"], BASE),
        ([f"{BASE}/a"], ""),  # one directory: nothing to share
        ([f"{BASE}/a", "relative/b"], ""),  # not all absolute
        ([BASE, f"{BASE}/a"], ""),  # a row would be left with nothing
        (["/sdf/a/1", "/sdf/a/2"], ""),  # too short to be worth it
        ([f"{BASE}x/1", f"{BASE}y/2"], "/sdf/data/rubin/panda_jobs/submit/LSSTCam/runs"),
    ],
)
def test_submit_root(directories: list[str], expected: str) -> None:
    assert submit_root(directories) == expected
