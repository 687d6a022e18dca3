"""The domain model: productions, campaigns, workflows, and the notebook configuration.

Built only from schema-valid data (``generator.loading.repository`` guarantees that; a record with
schema errors is built from its salvaged part, see ``generator.loading.salvage``, and is ``broken``), so
constructors trust types. Every record keeps its ``raw`` mapping (a ``YamlMap`` with positions) for diffs,
the JSON export and pointing problems at lines.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

CAMPAIGN_STATUSES = ("defined", "running", "paused", "completed", "failed")
WORKFLOW_STATUSES = (
    "planned",
    "unknown",
    "misfit",
    "unready",
    "ready",
    "pending",
    "running",
    "deleted",
    "held",
    "succeeded",
    "failed",
    "pruned",
)
# Workflow states in which work is still queued or executing.
ACTIVE_WORKFLOW_STATUSES = frozenset({"unready", "ready", "pending", "running", "held"})
# What one run of a workflow fills in: `campaigns bps sync` writes these from the workflow
# system's answer, and a rerun (`campaigns new --from`) starts without them.
WORKFLOW_RUN_FIELDS = ("run_id", "run_name", "submit_dir", "output", "started", "finished")
DEFAULT_KINDS = ("development", "integration", "mini-drp", "drp", "nightly", "commissioning")

_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6})\d*)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?)?$"
)


# Every timestamp is read twice (the schema's format check, then the model) and many repeat
# (shifts, workflow starts); a datetime is immutable, so the same one can be handed out again.
@functools.lru_cache(maxsize=1 << 16)
def parse_timestamp(text: str) -> datetime | None:
    """An aware UTC datetime from ``YYYY-MM-DD[THH:MM[:SS[.f]][Z|±HH:MM]]``; None if invalid.

    A date alone means midnight UTC; a time without an offset is UTC.
    """
    match = _TIMESTAMP.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        if hour is None:
            return datetime.combine(date(int(year), int(month), int(day)), datetime.min.time(), UTC)
        offset = "+00:00" if zone in (None, "Z") else zone
        if len(offset) == 5:  # +HHMM
            offset = offset[:3] + ":" + offset[3:]
        iso = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
        if fraction:
            iso += "." + fraction.ljust(6, "0")
        return datetime.fromisoformat(iso + offset).astimezone(UTC)
    except ValueError:
        return None


def is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


_Frozen = TypeVar("_Frozen")


def filled(cls: type[_Frozen], fields: dict[str, Any]) -> _Frozen:
    """``cls(**fields)`` for a frozen dataclass when ``fields`` names every one of its fields.

    A frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``: for the
    22 of a workflow, 20,000 times at survey scale, that was half of building the model. The
    instance is as frozen afterwards (``__setattr__`` still refuses); ``tests/records``
    checks that a workflow made this way equals the one ``__init__`` makes."""
    made = object.__new__(cls)
    made.__dict__.update(fields)
    return made


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    kind: str = "other"

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> Link:
        return cls(raw["title"], raw["url"], raw.get("kind", "other"))


@dataclass(frozen=True)
class Shift:
    """A period on duty. ``end`` is exclusive: a date-only end means the end of that day."""

    start: datetime
    end: datetime
    start_day: str = ""  # the date as written, when the record gives a date without a time
    end_day: str = ""

    @classmethod
    def from_raw(cls, start: str, end: str) -> Shift | None:
        begins, ends = parse_timestamp(start), parse_timestamp(end)
        if begins is None or ends is None:
            return None
        if is_date(end):
            ends += timedelta(days=1)
        return cls(begins, ends, start if is_date(start) else "", end if is_date(end) else "")


@dataclass(frozen=True)
class Operator:
    name: str
    role: str = ""
    shifts: tuple[Shift, ...] = ()


@dataclass(frozen=True)
class Software:
    version: str
    packages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_raw(cls, raw: dict[str, Any] | None) -> Software | None:
        if raw is None:
            return None
        return cls(raw["version"], dict(raw.get("packages", {})))


@dataclass(frozen=True)
class ConfigOverride:
    task: str
    field: str
    value: str
    why: str = ""


@dataclass(frozen=True)
class Pipeline:
    uri: str
    subset: str = ""
    config: tuple[ConfigOverride, ...] = ()
    config_files: tuple[str, ...] = ()
    bps_config: str = ""
    source_repo: str = ""
    source_ref: str = ""


@dataclass(frozen=True)
class Butler:
    repo: str = ""
    instrument: str = ""
    skymap: str = ""
    inputs: tuple[str, ...] = ()
    output: str = ""


@dataclass(frozen=True)
class Selection:
    query: tuple[str, ...] = ()
    include: tuple[str, ...] = ()  # paths relative to the repository root, normalised
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Workflow:
    name: str
    status: str
    step: str = ""
    group: str = ""
    system: str = ""
    site: str = ""
    software: Software | None = None
    query: tuple[str, ...] = ()
    bps_config: str = ""
    run_id: str = ""
    run_name: str = ""
    submit_dir: str = ""
    output: str = ""
    started: datetime | None = None
    finished: datetime | None = None
    operators: tuple[str, ...] = ()
    jira: tuple[str, ...] = ()
    rescue_of: str = ""
    dataids: str = ""  # repository-relative path, normalised
    links: tuple[Link, ...] = ()
    notes: str = ""
    index: int = 0  # position in the campaign's list (0-based)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_WORKFLOW_STATUSES


@dataclass(frozen=True)
class JournalEntry:
    when: datetime
    written: str  # the date as the author wrote it
    author: str
    text: str
    jira: tuple[str, ...] = ()


@dataclass
class Production:
    id: str
    name: str
    description: str
    path: str
    jira: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    tags: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def broken(self) -> bool:
        """Built from what parsed of a record with schema errors (see ``generator.loading.salvage``)."""
        return bool(getattr(self.raw, "salvaged", False))


@dataclass
class Campaign:
    id: str
    name: str
    production: str
    kind: str
    status: str
    purpose: str
    definer: str
    path: str  # repository-relative, forward slashes
    reason: str = ""
    tags: tuple[str, ...] = ()
    operators: tuple[Operator, ...] = ()
    jira: tuple[str, ...] = ()
    derived_from: str = ""
    started: datetime | None = None
    finished: datetime | None = None
    software: Software | None = None
    butler: Butler = field(default_factory=Butler)
    pipeline: Pipeline | None = None
    selection: Selection = field(default_factory=Selection)
    workflows: tuple[Workflow, ...] = ()
    journal: tuple[JournalEntry, ...] = ()
    links: tuple[Link, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def broken(self) -> bool:
        """Built from what parsed of a record with schema errors (see ``generator.loading.salvage``)."""
        return bool(getattr(self.raw, "salvaged", False))

    def list_references(self) -> Iterator[tuple[str, str | None, list[str | int]]]:
        """(list path, the kind its place implies, where in the record) for every DataId list
        the campaign names: ``selection.include``, ``selection.exclude``, then each workflow's."""
        for side, kind in (("include", "inclusion"), ("exclude", "exclusion")):
            for index, path in enumerate(getattr(self.selection, side)):
                yield path, kind, ["selection", side, index]
        for workflow in self.workflows:
            if workflow.dataids:
                yield workflow.dataids, None, ["workflows", workflow.index, "dataids"]

    @property
    def list_paths(self) -> list[str]:
        """The repository-relative paths of the DataId lists the campaign names, each once."""
        return list(dict.fromkeys(path for path, _, _ in self.list_references()))

    @property
    def jira_ticket(self) -> str:
        """The campaign ticket: the first Jira key, by convention."""
        return self.jira[0] if self.jira else ""

    @property
    def start(self) -> datetime | None:
        """Explicit ``started``, else the first workflow's start."""
        if self.started:
            return self.started
        starts = [w.started for w in self.workflows if w.started]
        return min(starts) if starts else None

    @property
    def end(self) -> datetime | None:
        """Explicit ``finished``, else (once over) the last workflow's finish."""
        if self.finished:
            return self.finished
        if self.status not in ("completed", "failed"):
            return None
        ends = [w.finished for w in self.workflows if w.finished]
        return max(ends) if ends else None

    @property
    def last_activity(self) -> datetime | None:
        """The latest journal entry or workflow start/finish: what 'stale' is measured from."""
        moments = [e.when for e in self.journal]
        for workflow in self.workflows:
            moments.extend(m for m in (workflow.started, workflow.finished) if m)
        if self.started:
            moments.append(self.started)
        return max(moments) if moments else None

    def all_jira_keys(self) -> list[str]:
        """Every key the campaign names: its own, its workflows', its journal's (first seen order)."""
        keys = dict.fromkeys(self.jira)
        for workflow in self.workflows:
            keys.update(dict.fromkeys(workflow.jira))
        for entry in self.journal:
            keys.update(dict.fromkeys(entry.jira))
        return list(keys)

    def software_versions(self) -> list[str]:
        versions = dict.fromkeys([self.software.version] if self.software else [])
        for workflow in self.workflows:
            if workflow.software:
                versions[workflow.software.version] = None
        return list(versions)

    def output_collections(self) -> list[str]:
        outputs = dict.fromkeys([self.butler.output] if self.butler.output else [])
        outputs.update(dict.fromkeys(w.output for w in self.workflows if w.output))
        return list(outputs)


@dataclass(frozen=True)
class LinkTemplate:
    title: str
    url: str
    kind: str = "other"
    when: tuple[tuple[str, str], ...] = ()


@dataclass
class NotebookConfig:
    title: str = "Campaign Notebook"
    site_url: str = ""
    repo_url: str = ""
    edit_branch: str = "main"
    templates_dir: str = "overrides/templates"  # page templates that replace the shipped ones
    kinds: tuple[str, ...] = DEFAULT_KINDS
    tags: tuple[str, ...] = ()
    stale_after_days: int = 7
    jira_server: str = ""
    jira_snapshot: str = "jira-snapshot.json"
    jira_stale_after_hours: int = 48
    jira_queries: tuple[tuple[str, str], ...] = ()  # (name, jql)
    bps_status_snapshot: str = "workflow-status.json"
    bps_wms_service_class: str = ""
    bps_stale_after_hours: int = 6
    campaign_links: tuple[LinkTemplate, ...] = ()
    workflow_links: tuple[LinkTemplate, ...] = ()
    dimensions: dict[str, dict[str, Any]] = field(default_factory=dict)
    where_max_length: int = 10_000
    dataid_limits: dict[str, int] = field(default_factory=dict)  # see model.dataid_lists.ListLimits
    path: str = "notebook.yaml"
    raw: dict[str, Any] = field(default_factory=dict, repr=False)
