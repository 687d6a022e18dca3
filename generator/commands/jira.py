"""`campaigns jira fetch|link`: the only commands that talk to Jira (see docs/guide/jira.md)."""

from __future__ import annotations

import argparse
from typing import Any

HELP = """\
fetch  ask Jira for every issue the records name (and the JQL queries in notebook.yaml) and
       write the snapshot the site is built from (jira.snapshot, default jira-snapshot.json).
       On any failure nothing is written: the previous snapshot stays as it was.
link   give every ticket a remote link to each campaign page that names it, and remove the
       links made earlier for pairs that no longer exist (--dry-run: print the plan only).

environment: JIRA_SERVER (else jira.server in notebook.yaml), JIRA_TOKEN, and JIRA_USER
(set: Jira Cloud, e-mail + API token; unset: Jira Data Center personal access token).

limits: HTTP 429/503 are retried after Retry-After, clamped to 1..60 s, while the waits of the
run add up to at most --retry-budget seconds; a run makes at most 200 + 5 requests per key the
records name (--max-requests overrides), whatever Jira answers.

exit status: 0 done, 1 Jira or the records refused, 2 usage error"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "jira",
        help="fetch a Jira snapshot, link tickets back to campaign pages",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=_run_without_subcommand)
    actions = parser.add_subparsers(dest="jira_command", metavar="ACTION")
    fetch = actions.add_parser(
        "fetch",
        help="write the Jira snapshot",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fetch.add_argument("--output", help="snapshot file (default: jira.snapshot from notebook.yaml)")
    fetch.add_argument(
        "--batch-size", type=int, default=50, help="keys per search request (default: 50)"
    )
    fetch.set_defaults(run=run_fetch)
    link = actions.add_parser(
        "link",
        help="link tickets to campaign pages",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    link.add_argument("--dry-run", action="store_true", help="print the plan, change nothing")
    link.set_defaults(run=run_link)
    for action in (fetch, link):
        action.add_argument(
            "--root", help="repository root (default: found from the current folder)"
        )
        action.add_argument(
            "--timeout", type=float, default=30.0, help="seconds per request (default: 30)"
        )
        action.add_argument(
            "--retry-budget",
            type=float,
            default=120.0,
            help="most seconds to wait in total when Jira answers 429/503 (default: 120)",
        )
        action.add_argument(
            "--max-requests",
            type=int,
            help="most requests to Jira in this run (default: 200 + 5 per key)",
        )


def _run_without_subcommand(args: argparse.Namespace) -> int:
    from generator.errors import UsageError

    raise UsageError(
        "say what to do: 'campaigns jira fetch' or 'campaigns jira link'",
        hint="see 'campaigns jira --help'",
    )


def _load(args: argparse.Namespace, *, replacing_snapshot: bool = False) -> Any:
    """The repository, refusing records with errors (a snapshot or links from them would be wrong).

    ``replacing_snapshot``: an unreadable snapshot is no reason to stop, the command replaces it.
    """
    from pathlib import Path

    from generator.jira.snapshot import SNAPSHOT_CONTENT_RULE
    from generator.loading.repository import find_root
    from generator.pipeline import validate_or_stop

    root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    ignored = frozenset({SNAPSHOT_CONTENT_RULE}) if replacing_snapshot else frozenset()
    return validate_or_stop(root, not_done="Jira was not asked", ignore_rules=ignored).repository


def _connect(args: argparse.Namespace, configured_server: str, keys: int) -> Any:
    """A connection whose request cap scales with ``keys``, the keys the records name."""
    import math

    from generator.errors import UsageError
    from generator.jira.client import Credentials, JiraConnection, Limits, request_cap

    if args.timeout <= 0 or not args.retry_budget >= 0 or math.isinf(args.retry_budget):
        raise UsageError("--timeout must be positive and --retry-budget a number of seconds")
    if args.max_requests is not None and args.max_requests < 1:
        raise UsageError("--max-requests must be at least 1")

    credentials = Credentials.from_environment(configured_server)
    limits = Limits(
        timeout=args.timeout,
        retry_budget=args.retry_budget,
        max_requests=args.max_requests or request_cap(keys),
    )
    return JiraConnection(credentials, limits)


def _warn(path: str, message: str, hint: str) -> None:
    from generator.errors import Problem
    from generator.reporting import report_one

    report_one(Problem(path, 0, 0, message, hint, severity="warning"))


def run_fetch(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from generator.errors import UsageError
    from generator.jira.fetch import fetch_snapshot, named_keys
    from generator.jira.snapshot import snapshot_path
    from generator.loading.repository import relative
    from generator.progress import Progress
    from generator.writing.newfiles import write_atomically

    if args.batch_size < 1:
        raise UsageError("--batch-size must be at least 1")
    repository = _load(args, replacing_snapshot=True)
    config = repository.config
    sources = named_keys(repository)
    output = Path(args.output) if args.output else snapshot_path(repository)
    connection = _connect(args, config.jira_server, len(sources))
    try:
        with Progress("Jira: fetching", total=len(sources), unit="keys") as progress:
            snapshot = fetch_snapshot(
                connection,
                list(sources),
                config,
                now=datetime.now(UTC),
                batch_size=args.batch_size,
                on_progress=progress.advance,
            )
    finally:
        connection.close()
    write_atomically(output, snapshot.to_json())  # only now: a failure above kept the old file

    for key, new_key in snapshot.moved.items():
        for path in sources.get(key, []):
            _warn(path, f"Jira issue {key} has moved to {new_key}", f"write {new_key} instead")
    for key, reason in snapshot.missing.items():
        for path in sources.get(key, []):
            _warn(path, f"Jira issue {key} is missing: {reason}", "check the key, or your access")
    print(
        f"wrote {relative(output, repository.root)}: {len(snapshot.issues)} issue(s) from "
        f"{snapshot.server} (Jira {snapshot.deployment}); {len(snapshot.moved)} moved, "
        f"{len(snapshot.missing)} missing"
    )
    return 0


def run_link(args: argparse.Namespace) -> int:
    import os

    from generator.jira.client import JiraRefusal
    from generator.jira.fetch import named_keys
    from generator.jira.remotelinks import (
        global_id_prefix,
        linked_tickets_queries,
        plan_links,
        site_url_of,
        tickets_to_visit,
        wanted_links,
    )
    from generator.jira.snapshot import load_snapshot, snapshot_path
    from generator.progress import Progress

    repository = _load(args)
    config = repository.config
    snapshot = load_snapshot(snapshot_path(repository), config.jira_snapshot)
    wanted = wanted_links(repository, snapshot)
    prefix = global_id_prefix(site_url_of(config))

    if args.dry_run and not os.environ.get("JIRA_TOKEN"):
        print("no JIRA_TOKEN: existing links not read; every wanted link is shown as create")
        for action in plan_links(wanted, {}, prefix):
            print("would " + action.describe())
        return 0

    connection = _connect(args, config.jira_server, len(named_keys(repository)))
    try:
        linked: list[str] = []
        try:
            for jql in linked_tickets_queries(repository):
                linked.extend(raw["key"] for raw in connection.search(jql, ("summary",)))
        except JiraRefusal as refusal:  # an old Jira without the JQL function: the snapshot helps
            _warn(
                "jira",
                f"cannot search for linked tickets: {refusal.summary}",
                "links on tickets no longer named are removed only if the snapshot has them",
            )
        tickets = tickets_to_visit(wanted, linked, snapshot)
        existing: dict[str, list[dict[str, Any]]] = {}
        skipped: set[str] = set()
        with Progress("Jira: reading links", total=len(tickets), unit="tickets") as progress:
            for key in tickets:
                try:
                    existing[key] = connection.remote_links(key)
                except JiraRefusal as refusal:
                    skipped.add(key)
                    _warn(
                        "jira",
                        f"cannot link {key}: {refusal.summary} (HTTP {refusal.status})",
                        "check the key in the records, or your access",
                    )
                progress.advance()
        plan = plan_links([link for link in wanted if link.key not in skipped], existing, prefix)
        done = {"create": 0, "update": 0, "delete": 0}
        with Progress("Jira: linking", total=len(plan), unit="links") as progress:
            for action in plan:
                print(("would " if args.dry_run else "") + action.describe())
                if not args.dry_run:
                    try:
                        if action.payload is not None:
                            connection.save_remote_link(action.key, action.payload)
                        else:
                            connection.delete_remote_link(action.key, action.link_id)
                    except JiraRefusal as refusal:
                        _warn(
                            "jira",
                            f"cannot {action.verb} the link on {action.key}: "
                            f"{refusal.summary} (HTTP {refusal.status})",
                            "check your access",
                        )
                        continue
                done[action.verb] += 1
                progress.advance()
    finally:
        connection.close()
    counts = ", ".join(f"{number} {verb}" for verb, number in done.items())
    print(
        f"{'plan' if args.dry_run else 'done'}: {counts}"
        + (" (dry run: nothing changed)" if args.dry_run else "")
    )
    return 0
