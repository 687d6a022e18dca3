"""Making new records: commented skeletons with readable collision-free ids, and reruns.

- ``campaigns new``: a campaign skeleton with the fields a campaign usually needs, each with a
  one-line hint; what cannot be guessed is a ``TODO`` placeholder that ``validate`` warns about
  (and ``validate --strict``, as pull requests run it, refuses).
- ``campaigns new production``: the same for a production.
- ``campaigns new --from ID``: a rerun. The parent's file is edited in place of a copy (through
  ``generator.writing.roundtrip``, so comments, block scalars and flow lists stay as the parent wrote
  them); the definer stays, purpose and reason are the rerun's own, run-specific fields go.
"""

from __future__ import annotations

import argparse
import getpass
import re
import secrets
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

from generator import clock, gitrepo
from generator.errors import ExitCode, UserError
from generator.loading.repository import (
    PRODUCTIONS_DIR,
    RECORDS_DIR,
    Repository,
    find_root,
    load_repository,
    relative,
)
from generator.model.records import WORKFLOW_RUN_FIELDS, Campaign
from generator.pipeline import validate
from generator.reporting import format_text
from generator.suggest import did_you_mean
from generator.writing.newfiles import SCHEMA_COMMENT, dump_yaml, write_atomically
from generator.writing.roundtrip import RecordEdit

PLACEHOLDER = "TODO"  # validate warns about text still holding it (checks/placeholders.py)
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: ids get read aloud and typed
# What belongs to the old run, not to the rerun's definition.
RUN_SPECIFIC_WORKFLOW_FIELDS = (
    *WORKFLOW_RUN_FIELDS,
    *("jira", "operators", "notes", "dataids", "links"),
)
# What belongs to the parent's run, not to the rerun's definition.
RUN_SPECIFIC_CAMPAIGN_FIELDS = ("started", "finished", "journal", "jira", "operators", "links")


def slugify(text: str, max_length: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "campaign"


def resolve_day(option: str | None) -> date:
    """The day in new ids: ``--date``, else ``$CAMPAIGNS_NOW``, else today (UTC)."""
    return clock.now(option, option_name="--date", what="date").date()


def generate_id(name: str, taken: set[str], today: date | datetime | None = None) -> str:
    """``<slug>-<yyyymmdd>-<suffix>``: the random suffix (31^4 ≈ 920k) avoids clashes across branches."""
    day = (today or datetime.now(UTC)).strftime("%Y%m%d")
    for _ in range(100):
        suffix = "".join(secrets.choice(_ALPHABET) for _ in range(4))
        candidate = f"{slugify(name)}-{day}-{suffix}"
        if candidate not in taken:
            return candidate
    raise UserError("could not find a free id", hint="pass --id")  # pragma: no cover


def default_definer() -> str:
    return gitrepo.user_name() or getpass.getuser()


# --- skeletons ---------------------------------------------------------------------------------


def _field(key: str, value: Any, hint: str) -> str:
    """``key: value  # hint`` (the hint above the key when the value takes several lines)."""
    text = dump_yaml({key: value}).rstrip("\n")
    if "\n" in text:
        return f"# {hint}\n{text}\n"
    return f"{text:<34} # {hint}\n"


def _placeholder(what: str) -> str:
    return f"{PLACEHOLDER}: {what}"


def _text_field(key: str, text: str, hint: str) -> str:
    """Markdown text as a ``|`` block under a comment line with the hint."""
    lines = text.strip("\n").splitlines()
    plain = text.replace("\n", "").isprintable() and all(
        line == line.rstrip() and not line.startswith((" ", "\t")) for line in lines if line
    )
    if not lines or not plain:
        return f"# {hint}\n" + dump_yaml({key: text})
    return f"# {hint}\n{key}: |\n" + "".join(f"  {line}\n" if line else "\n" for line in lines)


def _commented(block: str) -> str:
    return "".join(f"# {line}\n" if line else "#\n" for line in block.splitlines())


def campaign_skeleton(fields: dict[str, Any], kinds: tuple[str, ...], tags: tuple[str, ...]) -> str:
    tag_hint = f"allowed: {', '.join(tags)}" if tags else "free words, e.g. [lsstcam, psf]"
    return "".join(
        [
            "# A new campaign. Replace each TODO, uncomment what applies, then run\n",
            "# `campaigns validate` (every field: the format reference page of the notebook).\n",
            _field("id", fields["id"], "unique; also the file name: keep them equal"),
            _field("name", fields["name"], "short title, shown everywhere on the site"),
            _field("production", fields["production"], "a file in campaigns/productions/"),
            _field("kind", fields["kind"], f"one of: {', '.join(kinds)}"),
            _field("status", "defined", "defined → running → completed (or paused, failed)"),
            _field("tags", [], tag_hint),
            _field("definer", fields["definer"], "who defined it and answers for it"),
            _field("operators", [{"name": fields["definer"]}], "who runs it; shifts optional"),
            _field("jira", [], "Jira keys, the campaign ticket first, e.g. [DM-51010]"),
            _text_field(
                "purpose",
                fields["purpose"],
                "purpose: what the campaign is for and what it should deliver (Markdown)",
            ),
            _text_field(
                "reason",
                fields["reason"],
                "reason: why now: what changed, which request or problem it answers (Markdown)",
            ),
            _commented(
                "software:\n"
                "  version: w_2026_48            # the stack: a weekly or release tag\n"
                "butler:\n"
                "  repo: /repo/main              # the Butler repository\n"
                "  instrument: LSSTCam\n"
                "  inputs: [LSSTCam/defaults]    # input collections\n"
                "  output: u/you/DM-51010/run    # output collection\n"
                "pipeline:\n"
                "  uri: ${DRP_PIPE_DIR}/pipelines/LSSTCam/DRP.yaml\n"
                "  subset: step1                 # a subset or a list of tasks\n"
                "selection:\n"
                "  query:                        # predicates, all of which must hold\n"
                "    - instrument = 'LSSTCam'\n"
                "  exclude: [dataids/lsstcam-exclusions.ecsv]   # DataId lists, with reasons\n"
                "workflows:                      # one per bps submission (campaigns bps sync)\n"
                "  - {name: step1, status: planned}"
            ),
        ]
    )


def production_skeleton(fields: dict[str, Any]) -> str:
    return "".join(
        [
            "# A new production. Replace each TODO, then run `campaigns validate`.\n",
            _field("id", fields["id"], "unique; also the file name; campaigns name it"),
            _field("name", fields["name"], "short title, shown on the site"),
            _text_field(
                "description",
                fields["description"],
                "description: what this production is and what it delivers (Markdown)",
            ),
            _field("jira", [], "Jira keys about the production, the epic first"),
            _field("tags", [], "free words, e.g. [lsstcam]"),
            _commented(
                "links:\n  - {title: Release plan, url: 'https://example.org/plan', kind: docs}"
            ),
        ]
    )


# --- the commands ------------------------------------------------------------------------------


def _root(args: argparse.Namespace) -> Path:
    return Path(args.root).resolve() if args.root else find_root(Path.cwd())


def _schema_header(path: Path, root: Path, schema: str) -> str:
    depth = len(path.parent.relative_to(root).parts)
    return SCHEMA_COMMENT.format(schema="/".join([".."] * depth + ["schemas", schema]))


def _keep_if_valid(path: Path, root: Path, text: str) -> Path:
    """Write ``text``; if the record is not valid as written, take it back (nothing half-done)."""
    if path.exists():
        raise UserError(f"{relative(path, root)} already exists", exit_code=ExitCode.USAGE)
    write_atomically(path, text)
    problems = [p for p in validate(root).problems if p.path == relative(path, root) and p.is_error]
    if problems:
        path.unlink()
        raise UserError(
            "the new record would not be valid: " + "; ".join(format_text(p) for p in problems)
        )
    return path


def _usage(message: str, hint: str | None = None) -> UserError:
    return UserError(message, hint=hint, exit_code=ExitCode.USAGE)


def _check_choice(label: str, value: str, choices: list[str] | tuple[str, ...]) -> None:
    if value not in choices:
        known = f"known {label}s: {', '.join(choices) or 'none'}"
        suggestion = did_you_mean(value, choices)
        raise _usage(
            f"{label} {value!r} does not exist",
            f"{suggestion} ({known})" if suggestion else known,
        )


def create_production(args: argparse.Namespace) -> Path:
    root = _root(args)
    if not args.name:
        raise _usage("missing --name", "e.g. campaigns new production --name 'Data Release 2'")
    repository = load_repository(root)
    production_id = args.record_id or slugify(args.name)
    if production_id in repository.productions:
        raise _usage(
            f"production {production_id!r} already exists "
            f"({repository.productions[production_id].path})",
            "choose another --id",
        )
    fields = {
        "id": production_id,
        "name": args.name,
        "description": args.description
        or _placeholder("what this production is, what it delivers, and when."),
    }
    path = root / RECORDS_DIR / PRODUCTIONS_DIR / f"{production_id}.yaml"
    header = _schema_header(path, root, "production.schema.json")
    return _keep_if_valid(path, root, header + production_skeleton(fields))


def create_campaign(args: argparse.Namespace) -> Path:
    root = _root(args)
    repository = load_repository(root)
    if args.source:
        return _create_rerun(args, root, repository)
    missing = [f"--{o}" for o in ("production", "name", "kind") if not getattr(args, o)]
    if missing:
        raise _usage(
            f"missing {', '.join(missing)}", "or start from an existing campaign with --from ID"
        )
    _check_choice("production", args.production, list(repository.productions))
    _check_choice("kind", args.kind, repository.config.kinds)
    campaign_id = _new_id(args, args.name, repository)
    fields = {
        "id": campaign_id,
        "name": args.name,
        "production": args.production,
        "kind": args.kind,
        "definer": args.definer or default_definer(),
        "purpose": args.purpose or _placeholder("what this campaign is for and what it delivers."),
        "reason": args.reason or _placeholder("why it runs now; which request or problem."),
    }
    path = root / args.dir / f"{campaign_id}.yaml"
    header = _schema_header(path, root, "campaign.schema.json")
    skeleton = campaign_skeleton(fields, repository.config.kinds, repository.config.tags)
    return _keep_if_valid(path, root, header + skeleton)


def _new_id(args: argparse.Namespace, name: str, repository: Repository) -> str:
    campaign_id: str = args.record_id or generate_id(
        name, set(repository.campaigns), resolve_day(args.date)
    )
    if campaign_id in repository.campaigns:
        raise _usage(
            f"id {campaign_id!r} is already used by {repository.campaigns[campaign_id].path}"
        )
    return campaign_id


def _create_rerun(args: argparse.Namespace, root: Path, repository: Repository) -> Path:
    source = repository.campaigns.get(args.source)
    if source is None or source.broken:
        state = "has schema errors" if source else "not found"
        hint = (
            "run 'campaigns validate'"
            if source
            else did_you_mean(args.source, repository.campaigns)
        )
        raise _usage(f"campaign {args.source!r} {state}", hint)
    if args.production:
        _check_choice("production", args.production, list(repository.productions))
    if args.kind:
        _check_choice("kind", args.kind, repository.config.kinds)
    name = args.name or f"{source.name} (rerun)"[:80]
    campaign_id = _new_id(args, name, repository)
    edit = RecordEdit.load(root / source.path, source.path)
    rerun_of(edit, source, args, campaign_id, name)
    path = root / args.dir / f"{campaign_id}.yaml"
    text = edit.text()
    first_line, _, rest = text.partition("\n")
    if first_line.startswith("# yaml-language-server: $schema="):  # relative to the new folder
        text = _schema_header(path, root, "campaign.schema.json") + rest
    return _keep_if_valid(path, root, text)


def rerun_of(
    edit: RecordEdit, source: Campaign, args: argparse.Namespace, campaign_id: str, name: str
) -> None:
    """Turn the parent's record (loaded for editing) into its rerun's definition."""
    edit.set(("id",), campaign_id)
    edit.set(("name",), name, after="id")
    if args.production:
        edit.set(("production",), args.production)
    if args.kind:
        edit.set(("kind",), args.kind)
    edit.set(("status",), "defined")
    edit.set(("derived_from",), source.id, after="tags" if "tags" in edit.document else "status")
    if args.definer:
        edit.set(("definer",), args.definer)
    # The rerun's own why: the parent's text stays on the parent's page, one click away.
    purpose = args.purpose or _placeholder(f"what this rerun of {source.id} is for.")
    reason = args.reason or _placeholder(f"what differs from {source.id}, and why.")
    edit.set(("purpose",), _block(purpose), after="definer")
    edit.set(("reason",), _block(reason), after="purpose")
    for key in RUN_SPECIFIC_CAMPAIGN_FIELDS:
        edit.delete((key,))
    edit.delete(("butler", "output"))
    if edit.get(("butler",)) == {}:
        edit.delete(("butler",))
    if not args.with_workflows:
        edit.delete(("workflows",))
        return
    workflows = edit.get(("workflows",)) or []
    for index in reversed(range(len(workflows))):
        if workflows[index].get("rescue_of"):  # rescues answer failures of the old run
            edit.delete(("workflows", index))
            continue
        for key in RUN_SPECIFIC_WORKFLOW_FIELDS:
            edit.delete(("workflows", index, key))
        edit.set(("workflows", index, "status"), "planned")
    if not edit.get(("workflows",)):
        edit.delete(("workflows",))


def _block(text: str) -> LiteralScalarString:
    """Purpose and reason as ``|`` blocks, as the records write them."""
    block: LiteralScalarString = LiteralScalarString(text if text.endswith("\n") else text + "\n")
    return block
