"""Making new campaign records: readable collision-free ids, and reruns with modifications."""

from __future__ import annotations

import argparse
import copy
import getpass
import re
import secrets
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.errors import ExitCode, UserError
from generator.recordio import dump_record, write_atomically
from generator.reporting import format_text
from generator.repository import find_root, load_repository, relative

_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: ids get read aloud and typed
RUN_SPECIFIC_WORKFLOW_FIELDS = (
    "run_id",
    "run_name",
    "submit_dir",
    "output",
    "started",
    "finished",
    "jira",
    "operators",
    "notes",
    "dataids",
)
RUN_SPECIFIC_CAMPAIGN_FIELDS = ("started", "finished", "journal", "jira", "operators")


def slugify(text: str, max_length: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "campaign"


def generate_id(name: str, taken: set[str], today: datetime | None = None) -> str:
    """``<slug>-<yyyymmdd>-<suffix>``: the random suffix (31^4 ≈ 920k) avoids clashes across branches."""
    day = (today or datetime.now(UTC)).strftime("%Y%m%d")
    for _ in range(100):
        suffix = "".join(secrets.choice(_ALPHABET) for _ in range(4))
        candidate = f"{slugify(name)}-{day}-{suffix}"
        if candidate not in taken:
            return candidate
    raise UserError("could not find a free id", hint="pass --id")  # pragma: no cover


def default_definer() -> str:
    try:
        name = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or getpass.getuser()


def _rerun_of(source: dict[str, Any]) -> dict[str, Any]:
    record = copy.deepcopy(dict(source))
    for key in RUN_SPECIFIC_CAMPAIGN_FIELDS:
        record.pop(key, None)
    if "butler" in record:
        record["butler"] = dict(record["butler"])
        record["butler"].pop("output", None)
    workflows = []
    for workflow in record.get("workflows", ()):
        if workflow.get("rescue_of"):
            continue  # rescues answer failures of the old run, not part of the plan
        planned = {k: v for k, v in workflow.items() if k not in RUN_SPECIFIC_WORKFLOW_FIELDS}
        planned["status"] = "planned"
        workflows.append(planned)
    if workflows:
        record["workflows"] = workflows
    else:
        record.pop("workflows", None)
    return record


def _ordered(record: dict[str, Any]) -> dict[str, Any]:
    order = [
        "id",
        "name",
        "production",
        "kind",
        "status",
        "tags",
        "derived_from",
        "definer",
        "operators",
        "jira",
        "purpose",
        "reason",
    ]
    head = {k: record[k] for k in order if k in record}
    return {**head, **{k: v for k, v in record.items() if k not in head}}


def create_campaign(args: argparse.Namespace) -> Path:
    root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    repository = load_repository(root, with_rules=False)
    config = repository.config
    if args.source:
        source = repository.campaigns.get(args.source)
        if source is None:
            raise UserError(
                f"campaign {args.source!r} not found (or it has schema errors)",
                hint="run 'campaigns validate'",
                exit_code=ExitCode.USAGE,
            )
        record = _rerun_of(source.raw)
        record["derived_from"] = source.id
        record["name"] = args.name or f"{source.name} (rerun)"[:80]
        if args.production:
            record["production"] = args.production
        if args.kind:
            record["kind"] = args.kind
    else:
        missing = [f"--{o}" for o in ("production", "name", "kind") if not getattr(args, o)]
        if missing:
            raise UserError(
                f"missing {', '.join(missing)}",
                hint="or start from an existing campaign with --from ID",
                exit_code=ExitCode.USAGE,
            )
        record = {"name": args.name, "production": args.production, "kind": args.kind}
        record["purpose"] = (
            args.purpose or "TODO: what this campaign is for and what it should deliver."
        )
    if args.purpose:
        record["purpose"] = args.purpose
    record["status"] = "defined"
    record["definer"] = args.definer or default_definer()
    if record["production"] not in repository.productions:
        raise UserError(
            f"production {record['production']!r} does not exist",
            hint=f"known productions: {', '.join(repository.productions) or 'none'}",
            exit_code=ExitCode.USAGE,
        )
    if record["kind"] not in config.kinds:
        raise UserError(
            f"kind {record['kind']!r} is not allowed",
            hint=f"allowed kinds: {', '.join(config.kinds)}",
            exit_code=ExitCode.USAGE,
        )
    campaign_id = args.campaign_id or generate_id(record["name"], set(repository.campaigns))
    if campaign_id in repository.campaigns:
        raise UserError(
            f"id {campaign_id!r} is already used by {repository.campaigns[campaign_id].path}",
            exit_code=ExitCode.USAGE,
        )
    record["id"] = campaign_id
    path: Path = root / args.dir / f"{campaign_id}.yaml"
    if path.exists():
        raise UserError(f"{relative(path, root)} already exists", exit_code=ExitCode.USAGE)
    schema = Path(
        "..", *([".."] * (len(Path(args.dir).parts) - 1)), "schemas", "campaign.schema.json"
    ).as_posix()
    write_atomically(path, dump_record(_ordered(record), schema))
    # The record must be valid as written; if not, take it back rather than leave a broken file.
    problems = [
        p for p in load_repository(root).problems if p.path == relative(path, root) and p.is_error
    ]
    if problems:
        path.unlink()
        raise UserError(
            "the new record would not be valid: " + "; ".join(format_text(p) for p in problems)
        )
    return path
