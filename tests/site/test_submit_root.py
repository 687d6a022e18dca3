"""Submit directories said once above a campaign's workflow table (campaign_facts.submit_root)."""

from __future__ import annotations

import posixpath
import random

import pytest

from generator.site.campaign_facts import common_folder, submit_root

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


def test_common_folder_is_commonpath() -> None:
    """The fast path's answer is posixpath.commonpath's, on random absolute paths made of parts
    that share prefixes ("a", "ab", "a-b", "a.b"), with empty and "." parts and end slashes."""
    rng = random.Random(18)
    parts = ["a", "ab", "a-b", "a.b", "b", "", ".", "a0", "A"]
    for _ in range(20_000):
        paths = [
            "/" + "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
            for _ in range(rng.randint(1, 4))
        ]
        assert common_folder(paths) == posixpath.commonpath(paths), paths
