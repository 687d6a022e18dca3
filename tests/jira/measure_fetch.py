"""Fetch N invented keys from the fake Jira and report requests and time (for the benchmark).

python -m tests.jira.measure_fetch [COUNT]      # both modes, default 1000 keys
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime

from generator.jira.client import Credentials, JiraConnection, Limits, request_cap
from generator.jira.fetch import fetch_snapshot
from generator.records import NotebookConfig
from tests.jira.fake_jira import Mode, invented_issues, serve


def measure_fetch(count: int = 1000, mode: Mode = "cloud") -> dict[str, float]:
    """Connect, check credentials and fetch ``count`` keys; what it cost."""
    issues = invented_issues(count)
    keys = [issue["key"] for issue in issues]
    with serve(mode, issues) as jira:
        started = time.perf_counter()
        connection = JiraConnection(
            Credentials.from_environment("", jira.environment()),
            Limits(timeout=10, max_requests=request_cap(count)),
        )
        snapshot = fetch_snapshot(connection, keys, NotebookConfig(), now=datetime.now(UTC))
        connection.close()
        seconds = time.perf_counter() - started
    return {
        "keys": count,
        "found": len(snapshot.issues),
        "requests": jira.request_count,
        "searches": len([r for r in jira.requests if "/search" in r.path]),
        "seconds": round(seconds, 3),
    }


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    for mode in ("dc", "cloud"):
        print(mode, measure_fetch(count, mode))
