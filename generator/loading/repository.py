"""Load a repository of records: find files → parse → schema-check → model.

The checks across records (``generator.checks.rules``) and on DataId lists run after loading, in
``generator.pipeline.validate``.

Layout (relative to the repository root, the folder holding ``notebook.yaml``)::

    notebook.yaml                    site configuration (optional: defaults apply)
    campaigns/productions/<id>.yaml  productions
    campaigns/**/<id>.yaml           campaigns (any folder depth; not under productions/ or dataids/)
    campaigns/dataids/...            DataId lists, named by campaigns with paths relative to them

Every problem in every file is collected; records that fail their schema are left out of the
model (so later rules never see malformed data) but never stop the others from being checked.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import Problem, UserError
from generator.loading.salvage import salvage
from generator.loading.schemas import validate_against_schema
from generator.loading.yamlfast import load_record_file
from generator.loading.yamlsafe import locate
from generator.model.records import (
    Butler,
    Campaign,
    ConfigOverride,
    JournalEntry,
    Link,
    LinkTemplate,
    NotebookConfig,
    Operator,
    Pipeline,
    Production,
    Selection,
    Shift,
    Software,
    Workflow,
    filled,
    parse_timestamp,
)

CONFIG_FILE = "notebook.yaml"
RECORDS_DIR = "campaigns"
PRODUCTIONS_DIR = "productions"
DATAIDS_DIR_NAME = "dataids"
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class Repository:
    root: Path
    config: NotebookConfig
    productions: dict[str, Production] = field(default_factory=dict)
    campaigns: dict[str, Campaign] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0
    # File names (= ids) of records that could not be read at all: references to them are not
    # reported again as dangling (their own problems are).
    unreadable_ids: set[str] = field(default_factory=set)

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def campaigns_of(self, production_id: str) -> list[Campaign]:
        return [c for c in self.campaigns.values() if c.production == production_id]

    def derived_campaigns(self, campaign_id: str) -> list[Campaign]:
        return [c for c in self.campaigns.values() if c.derived_from == campaign_id]


def find_root(start: Path) -> Path:
    """The repository root: the nearest folder upwards holding notebook.yaml or campaigns/."""
    start = start.resolve()
    for folder in [start, *start.parents]:
        if (folder / CONFIG_FILE).is_file():
            return folder
    for folder in [start, *start.parents]:
        if (folder / RECORDS_DIR).is_dir():
            return folder
    raise UserError(
        f"no {CONFIG_FILE} or {RECORDS_DIR}/ folder here or above {start}",
        hint="run from a notebook repository, or pass --root",
    )


def relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _is_campaign_file(path: Path, records_dir: Path) -> bool:
    parts = path.relative_to(records_dir).parts
    return (
        path.suffix in YAML_SUFFIXES
        and parts[0] != PRODUCTIONS_DIR
        and DATAIDS_DIR_NAME not in parts[:-1]
        and not any(part.startswith(".") for part in parts)
    )


def discover(root: Path) -> tuple[list[Path], list[Path]]:
    """(production files, campaign files), sorted for deterministic output."""
    records_dir = root / RECORDS_DIR
    productions_dir = records_dir / PRODUCTIONS_DIR
    productions = sorted(p for p in productions_dir.glob("*") if p.suffix in YAML_SUFFIXES)
    campaigns = sorted(
        p for p in records_dir.rglob("*") if p.is_file() and _is_campaign_file(p, records_dir)
    )
    return productions, campaigns


def _strs(raw: Any) -> tuple[str, ...]:
    return tuple(map(str, raw)) if raw else ()


def _links(raw: Any) -> tuple[Link, ...]:
    return tuple(map(Link.from_raw, raw)) if raw else ()


def _time(raw: Any) -> Any:
    return parse_timestamp(raw) if isinstance(raw, str) else None


LIST_NAME_CHARACTERS = re.compile(r"[A-Za-z0-9._/-]")


def list_name_problem(reference: str) -> str | None:
    """Why a DataId list reference is not a safe name, or None.

    List names become file names, page names and link targets: only letters, digits, '.', '_',
    '-' and '/' are allowed, no empty or '.' segments, and '..' only at the start (a campaign in
    a sub-folder reaches campaigns/dataids/ with ../dataids/...)."""
    from generator.urls import describe_character

    for character in reference:
        if not LIST_NAME_CHARACTERS.match(character):
            return f"DataId list name {reference!r} contains {describe_character(character)}"
    segments = reference.split("/")
    leading = 0
    while leading < len(segments) and segments[leading] == "..":
        leading += 1
    for segment in segments[leading:]:
        if segment in ("", ".", ".."):
            return f"DataId list name {reference!r} has an empty, '.' or inner '..' part"
    return None


def resolve_list_path(reference: str, record_path: Path, root: Path) -> tuple[str, str | None]:
    """A DataId list reference → (repository-relative path, problem text or None)."""
    return _resolve_list_in(record_path.parent, reference, root)


# Campaigns in one folder share their lists, and loading and the checks each resolve every
# reference: resolve() and is_file() ask the file system, so each answer is kept until the next
# load_repository, which clears it (a list can be added or removed between two builds of
# `mkdocs serve`).
@functools.lru_cache(maxsize=4096)
def _resolve_list_in(folder: Path, reference: str, root: Path) -> tuple[str, str | None]:
    unsafe = list_name_problem(reference)
    if unsafe:
        return reference, unsafe
    target = (folder / reference).resolve()
    try:
        rel = target.relative_to(root).as_posix()
    except ValueError:
        return reference, f"DataId list {reference!r} is outside the repository"
    if not target.is_file():
        return rel, f"DataId list {reference!r} does not exist ({rel})"
    return rel, None


def build_config(raw: dict[str, Any], path: str) -> NotebookConfig:
    jira = raw.get("jira", {})
    bps = raw.get("bps", {})
    templates = raw.get("link_templates", {})

    def link_templates(items: Any) -> tuple[LinkTemplate, ...]:
        return tuple(
            LinkTemplate(
                t["title"],
                t["url"],
                t.get("kind", "other"),
                tuple(sorted(t.get("when", {}).items())),
            )
            for t in items or ()
        )

    defaults = NotebookConfig()
    return NotebookConfig(
        title=raw["title"],
        site_url=raw.get("site_url", ""),
        repo_url=raw.get("repo_url", ""),
        edit_branch=raw.get("edit_branch", "main"),
        templates_dir=raw.get("templates_dir", defaults.templates_dir),
        kinds=_strs(raw.get("kinds")) or defaults.kinds,
        tags=_strs(raw.get("tags")),
        stale_after_days=raw.get("stale_after_days", defaults.stale_after_days),
        jira_server=jira.get("server", ""),
        jira_snapshot=jira.get("snapshot", defaults.jira_snapshot),
        jira_stale_after_hours=jira.get("stale_after_hours", defaults.jira_stale_after_hours),
        jira_queries=tuple((q["name"], q["jql"]) for q in jira.get("queries", ())),
        bps_status_snapshot=bps.get("status_snapshot", defaults.bps_status_snapshot),
        bps_wms_service_class=bps.get("wms_service_class", ""),
        bps_stale_after_hours=bps.get("stale_after_hours", defaults.bps_stale_after_hours),
        campaign_links=link_templates(templates.get("campaign")),
        workflow_links=link_templates(templates.get("workflow")),
        dimensions={k: dict(v) for k, v in raw.get("dimensions", {}).items()},
        where_max_length=raw.get("where_max_length", defaults.where_max_length),
        dataid_limits=dict(raw.get("dataid_limits", {})),
        path=path,
        raw=raw,
    )


def build_production(raw: dict[str, Any], path: str) -> Production:
    return Production(
        id=raw["id"],
        name=raw["name"],
        description=raw["description"],
        path=path,
        jira=_strs(raw.get("jira")),
        links=_links(raw.get("links")),
        tags=_strs(raw.get("tags")),
        raw=raw,
    )


def _workflow(raw: dict[str, Any], index: int, list_path: Any) -> Workflow:
    # Every field, in the order declared: ``filled`` skips __init__ (the model's hot spot).
    return filled(
        Workflow,
        {
            "name": raw["name"],
            "status": raw["status"],
            "step": raw.get("step", ""),
            "group": raw.get("group", ""),
            "system": raw.get("system", ""),
            "site": raw.get("site", ""),
            "software": Software.from_raw(raw.get("software")),
            "query": _strs(raw.get("query")),
            "bps_config": raw.get("bps_config", ""),
            "run_id": str(raw.get("run_id", "")),
            "run_name": raw.get("run_name", ""),
            "submit_dir": raw.get("submit_dir", ""),
            "output": raw.get("output", ""),
            "started": _time(raw.get("started")),
            "finished": _time(raw.get("finished")),
            "operators": _strs(raw.get("operators")),
            "jira": _strs(raw.get("jira")),
            "rescue_of": raw.get("rescue_of", ""),
            "dataids": list_path(raw["dataids"]) if "dataids" in raw else "",
            "links": _links(raw.get("links")),
            "notes": raw.get("notes", ""),
            "index": index,
        },
    )


def build_campaign(raw: dict[str, Any], path: Path, root: Path, display: str) -> Campaign:
    """The campaign of a schema-valid record; ``display``: its repository-relative path."""

    def list_path(reference: str) -> str:
        return resolve_list_path(reference, path, root)[0]

    pipeline_raw = raw.get("pipeline")
    pipeline = None
    if pipeline_raw:
        source = pipeline_raw.get("source", {})
        pipeline = Pipeline(
            uri=pipeline_raw["uri"],
            subset=pipeline_raw.get("subset", ""),
            config=tuple(
                ConfigOverride(c["task"], c["field"], _scalar_text(c["value"]), c.get("why", ""))
                for c in pipeline_raw.get("config", ())
            ),
            config_files=_strs(pipeline_raw.get("config_files")),
            bps_config=pipeline_raw.get("bps_config", ""),
            source_repo=source.get("repo", ""),
            source_ref=source.get("ref", ""),
        )
    butler_raw = raw.get("butler", {})
    selection_raw = raw.get("selection", {})
    operators = tuple(
        Operator(
            o["name"],
            o.get("role", ""),
            tuple(
                shift
                for s in o.get("shifts", ())
                if (shift := Shift.from_raw(s["start"], s["end"])) is not None
            ),
        )
        for o in raw.get("operators", ())
    )
    journal = tuple(
        sorted(
            (
                JournalEntry(
                    _time(e["date"]), e["date"], e["author"], e["text"], _strs(e.get("jira"))
                )
                for e in raw.get("journal", ())
            ),
            key=lambda entry: entry.when,
        )
    )
    return Campaign(
        id=raw["id"],
        name=raw["name"],
        production=raw["production"],
        kind=raw["kind"],
        status=raw["status"],
        purpose=raw["purpose"],
        definer=raw["definer"],
        path=display,
        reason=raw.get("reason", ""),
        tags=_strs(raw.get("tags")),
        operators=operators,
        jira=_strs(raw.get("jira")),
        derived_from=raw.get("derived_from", ""),
        started=_time(raw.get("started")),
        finished=_time(raw.get("finished")),
        software=Software.from_raw(raw.get("software")),
        butler=Butler(
            repo=butler_raw.get("repo", ""),
            instrument=butler_raw.get("instrument", ""),
            skymap=butler_raw.get("skymap", ""),
            inputs=_strs(butler_raw.get("inputs")),
            output=butler_raw.get("output", ""),
        ),
        pipeline=pipeline,
        selection=Selection(
            query=_strs(selection_raw.get("query")),
            include=tuple(list_path(p) for p in selection_raw.get("include", ())),
            exclude=tuple(list_path(p) for p in selection_raw.get("exclude", ())),
        ),
        workflows=tuple(_workflow(w, i, list_path) for i, w in enumerate(raw.get("workflows", ()))),
        journal=journal,
        links=_links(raw.get("links")),
        raw=raw,
    )


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def _load_record(
    path: Path, root: Path, schema: str, problems: list[Problem], display: str = ""
) -> tuple[Any, str] | None:
    """The record's data and repository-relative path (``display``, else worked out here)."""
    display = display or relative(path, root)
    data, parse_problems = load_record_file(path, display)
    problems.extend(parse_problems)
    if data is None:
        if not parse_problems:
            problems.append(
                Problem(
                    display,
                    1,
                    1,
                    "file is empty",
                    f"a {schema} record is a YAML mapping",
                    rule="schema",
                )
            )
        return None
    schema_problems = validate_against_schema(schema, data, display)
    problems.extend(schema_problems)
    if schema_problems or parse_problems:
        # What still parses takes part in the rules across files (marked broken): one run
        # reports everything, and references to this record do not turn into false errors.
        salvaged = salvage(schema, data, path.stem)
        return None if salvaged is None else (salvaged, display)
    return data, display


def load_config(root: Path, problems: list[Problem]) -> NotebookConfig:
    config_path = root / CONFIG_FILE
    if not config_path.is_file() or not inside_only([config_path], root, problems):
        return NotebookConfig()
    loaded = _load_record(config_path, root, "notebook", problems)
    if loaded is None:
        return NotebookConfig()
    return build_config(loaded[0], loaded[1])


def check_unique_id(
    seen: dict[str, Any], record: Campaign | Production, problems: list[Problem]
) -> None:
    """Two records of a kind with one id: the second is left out, with an error on it."""
    if record.id in seen:
        line, col = locate(record.raw, ["id"])
        problems.append(
            Problem(
                record.path,
                line,
                col,
                f"id {record.id!r} is already used by {seen[record.id].path}",
                "ids must be unique; `campaigns new` makes one",
                rule="unique-id",
            )
        )


def load_repository(root: Path) -> Repository:
    """Every record under ``root``, with the problems met reading them. Never raises for bad
    input. The checks across records run in ``generator.pipeline.validate``."""
    root = root.resolve()
    _resolve_list_in.cache_clear()
    problems: list[Problem] = []
    config = load_config(root, problems)
    repository = Repository(root=root, config=config)
    production_files, campaign_files = discover(root)
    productions = _inside_files(production_files, root, problems)
    campaigns = _inside_files(campaign_files, root, problems)
    repository.files_checked = (
        len(productions) + len(campaigns) + int((root / CONFIG_FILE).is_file())
    )
    for path, display in productions:
        loaded = _load_record(path, root, "production", problems, display)
        if loaded is None:
            repository.unreadable_ids.add(path.stem)
        else:
            production = build_production(*loaded)
            check_unique_id(repository.productions, production, problems)
            repository.productions.setdefault(production.id, production)
    for path, display in campaigns:
        loaded = _load_record(path, root, "campaign", problems, display)
        if loaded is None:
            repository.unreadable_ids.add(path.stem)
        else:
            campaign = build_campaign(loaded[0], path, root, display=loaded[1])
            check_unique_id(repository.campaigns, campaign, problems)
            repository.campaigns.setdefault(campaign.id, campaign)
    repository.campaigns = dict(sorted(repository.campaigns.items()))
    repository.productions = dict(sorted(repository.productions.items()))
    repository.problems = problems
    return repository


def inside_only(paths: list[Path], root: Path, problems: list[Problem]) -> list[Path]:
    """``paths`` without the files that resolve outside the repository (symbolic links), each
    refused with a problem: validate and the build read the same files, so they agree."""
    return [path for path, _display in _inside_files(paths, root, problems)]


def _inside_files(paths: list[Path], root: Path, problems: list[Problem]) -> list[tuple[Path, str]]:
    """``inside_only`` with each kept file's repository-relative path (resolved, as
    ``relative`` gives it). ``realpath`` looks at every folder of a path: it runs once per
    folder, and per file only for a symbolic link (``_real_path``)."""
    kept = []
    real_folders: dict[str, str] = {}
    for path in paths:
        real = _real_path(os.fspath(path), real_folders)
        try:
            kept.append((path, Path(real).relative_to(root).as_posix()))
        except ValueError:
            problems.append(
                Problem(
                    path.relative_to(root).as_posix(),
                    0,
                    0,
                    f"record file resolves outside the repository (to {real})",
                    "replace the symbolic link with the file itself, inside the repository",
                    rule="files",
                )
            )
    return kept


def _real_path(path: str, real_folders: dict[str, str]) -> str:
    """``os.path.realpath(path)``: a file that is no symbolic link is its folder's real path
    and its name (``real_folders`` keeps each folder's)."""
    folder, _, name = path.rpartition(os.sep)
    if not folder or name in ("", ".", "..") or os.path.islink(path):
        return os.path.realpath(path)
    if folder not in real_folders:
        real_folders[folder] = os.path.realpath(folder)
    return os.path.join(real_folders[folder], name)


def referenced_list_files(repository: Repository) -> set[str]:
    """Repository-relative paths of the DataId lists that campaigns name and that exist."""
    paths: set[str] = set()
    for campaign in repository.campaigns.values():
        paths.update(campaign.list_paths)
    return {p for p in paths if (repository.root / p).is_file()}


def filter_problems(problems: Iterable[Problem], paths: list[Path], root: Path) -> list[Problem]:
    """Only problems in the named files or folders (as pre-commit passes changed files)."""
    wanted = [relative(p, root) for p in paths]

    def selected(problem: Problem) -> bool:
        return any(
            problem.path == w or problem.path.startswith(w.rstrip("/") + "/") or w in (".", "")
            for w in wanted
        )

    return [p for p in problems if selected(p)]


def is_inside(path: Path, root: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(root)
    except ValueError:
        return False
    return True
