"""`campaigns jira fetch` against the fake Jira server of the tests, in both modes."""

from __future__ import annotations

from bench.measure import (
    JIRA_KEYS,
    ROOT,
    campaigns_command,
    cli_offers,
    environment,
    fmt_bytes,
    remove,
)
from bench.parts.core import Bench
from bench.synth import Scale, write_repository


def jira(bench: Bench) -> None:
    keys = JIRA_KEYS if not bench.settings.quick else 60
    campaigns = keys // 3
    label = f"{campaigns * 3 + Scale(campaigns).productions:,} keys"
    why = cli_offers(["jira", "fetch"], "--output")
    if not why and not (ROOT / "tests" / "jira" / "fake_jira.py").is_file():
        why = "the fake Jira server (tests/jira/fake_jira.py) is not there"
    if why:
        for mode in ("dc", "cloud"):
            bench.missing("jira", f"campaigns jira fetch ({mode})", label, why)
        return
    from tests.jira.fake_jira import make_issue, serve  # the test server: only needed here

    root = bench.settings.work / "jira-repo"
    remove(root)
    repository = write_repository(root, Scale(campaigns, list_rows=10))
    named = [
        *repository.jira_keys,
        *(f"DM-{40001 + n}" for n in range(len(repository.production_ids))),
    ]
    issues = [make_issue(key, f"Synthetic issue {key}") for key in named]
    repeats = min(3, bench.settings.repeats())
    for mode in ("dc", "cloud"):
        with serve(mode, issues) as fake:  # type: ignore[arg-type]
            env = environment(fake.environment())
            snapshot = root / f"snapshot-{mode}.json"
            before = fake.request_count
            row = bench.timed(
                "jira",
                f"campaigns jira fetch ({mode})",
                label,
                campaigns_command(
                    "jira",
                    "fetch",
                    "--root",
                    str(root),
                    "--output",
                    str(snapshot),
                    "--timeout",
                    "30",
                ),
                root,
                repeats,
                env,
            )
            if row:
                requests = (fake.request_count - before) / len(row.runs)
                row.other = f"{requests:.0f} requests per fetch; snapshot {fmt_bytes(snapshot.stat().st_size)}"
                server = (
                    "Data Center (offset paging, strict key validation)"
                    if mode == "dc"
                    else "Cloud (/search/jql, cursor paging)"
                )
                row.meaning = f"Fetches every key the records name from a local fake Jira {server}, in batches of 50, and writes the snapshot; the server runs in the benchmark process on the same cores."
    remove(root)
