"""The snapshots: what Jira and the workflow system said, as values the build reads offline.

``campaigns jira fetch`` writes a ``JiraSnapshot``, ``campaigns bps sync`` a ``StatusSnapshot``
(each atomically, and only when the outside system answered); the site reads them instead of the
network. Reading the files (and refusing unsafe values) is ``generator.jira.snapshot`` and
``generator.bps.statussnapshot``. Every text field came from outside and is untrusted: pages
escape it like record text. Timestamps are UTC, written ``2026-11-03T08:00:00Z``.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, ClassVar, Literal


def utc_text(moment: datetime) -> str:
    """A snapshot timestamp: UTC, to the second, ``Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


# --- Jira ----------------------------------------------------------------------------------------

# As schemas/common.schema.json "jiraKey": keys go into browse links and page names.
JIRA_KEY = re.compile(r"^[A-Z][A-Z0-9_]+-[1-9][0-9]*$")
StatusCategory = Literal["new", "indeterminate", "done", "unknown"]


@dataclass(frozen=True)
class IssueLink:
    type: str  # the relation as read from this issue, e.g. "blocks", "is blocked by"
    key: str


_ISSUE_TEXT_FIELDS = (
    "summary",
    "status",
    "type",
    "assignee",
    "priority",
    "created",
    "updated",
    "resolution",
    "parent",
)


@dataclass(frozen=True)
class JiraIssue:
    key: str
    summary: str
    status: str
    status_category: str  # new | indeterminate | done | unknown
    type: str = ""
    assignee: str = ""  # display name only
    priority: str = ""
    created: str = ""  # ISO 8601 UTC, "2026-11-03T08:00:00Z"
    updated: str = ""
    resolution: str = ""
    labels: tuple[str, ...] = ()
    fix_versions: tuple[str, ...] = ()
    parent: str = ""
    links: tuple[IssueLink, ...] = ()

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> JiraIssue:
        return cls(
            key=raw["key"],
            status_category=raw.get("status_category", "unknown"),
            labels=tuple(raw.get("labels", ())),
            fix_versions=tuple(raw.get("fix_versions", ())),
            links=tuple(IssueLink(link["type"], link["key"]) for link in raw.get("links", ())),
            **{name: raw.get(name, "") for name in _ISSUE_TEXT_FIELDS},
        )


@dataclass
class JiraSnapshot:
    """What Jira said about the tickets the records name (``campaigns jira fetch``)."""

    FORMAT: ClassVar[int] = 1  # the file's "format": changed when old files cannot be read

    fetched_at: datetime
    server: str  # base URL, no credentials
    deployment: str = ""  # "Cloud" or "Server" (Data Center)
    issues: dict[str, JiraIssue] = field(default_factory=dict)
    moved: dict[str, str] = field(default_factory=dict)  # old key -> new key
    missing: dict[str, str] = field(default_factory=dict)  # key -> why it is missing
    queries: dict[str, list[str]] = field(default_factory=dict)  # query name -> keys found

    def browse_url(self, key: str) -> str:
        return f"{self.server.rstrip('/')}/browse/{key}"

    def resolve(self, key: str) -> tuple[str, JiraIssue | None]:
        """(state, issue): state is found, moved, missing or unknown (not in the snapshot)."""
        if key in self.issues:
            return "found", self.issues[key]
        if key in self.moved:
            return "moved", self.issues.get(self.moved[key])
        if key in self.missing:
            return "missing", None
        return "unknown", None

    def age_hours(self, now: datetime | None = None) -> float:
        return ((now or datetime.now(UTC)) - self.fetched_at).total_seconds() / 3600

    def to_json(self) -> str:
        document = {
            "format": self.FORMAT,
            "fetched_at": utc_text(self.fetched_at),
            "server": self.server,
            "deployment": self.deployment,
            "issues": {
                key: _issue_json(self.issues[key]) for key in sorted(self.issues, key=key_order)
            },
            "moved": dict(sorted(self.moved.items(), key=lambda item: key_order(item[0]))),
            "missing": dict(sorted(self.missing.items(), key=lambda item: key_order(item[0]))),
            "queries": {
                name: sorted(keys, key=key_order) for name, keys in sorted(self.queries.items())
            },
        }
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"

    @classmethod
    def from_document(cls, raw: dict[str, Any]) -> JiraSnapshot:
        """From the parsed file (its ``format`` already checked)."""
        return cls(
            fetched_at=parse_utc(raw["fetched_at"]),
            server=raw["server"],
            deployment=raw.get("deployment", ""),
            issues={
                key: JiraIssue.from_json(value) for key, value in raw.get("issues", {}).items()
            },
            moved=dict(raw.get("moved", {})),
            missing=dict(raw.get("missing", {})),
            queries={name: list(keys) for name, keys in raw.get("queries", {}).items()},
        )


def key_order(key: str) -> tuple[str, int]:
    """DM-9 before DM-10: project, then number."""
    project, _, number = key.rpartition("-")
    return (project, int(number) if number.isdigit() else 0)


def _issue_json(issue: JiraIssue) -> dict[str, Any]:
    raw = asdict(issue)
    raw["labels"] = list(issue.labels)
    raw["fix_versions"] = list(issue.fix_versions)
    raw["links"] = [{"type": link.type, "key": link.key} for link in issue.links]
    return raw


# --- The workflow system --------------------------------------------------------------------

# Job states in the order a progress bar shows them: done, failed, running, waiting, other.
JOB_STATE_ORDER = (
    "succeeded",
    "failed",
    "pruned",
    "deleted",
    "running",
    "held",
    "pending",
    "ready",
    "unready",
    "misfit",
    "unknown",
)


# A run's text fields, in the order the snapshot file writes them (after ``run_id``), and the
# keys of ctrl_bps's report (``WmsRunReport``) they come from. ``workflow`` is ours, not bps's.
_TEXT_FIELDS = (
    "global_id",
    "campaign",
    "workflow",
    "run_name",
    "path",
    "label",
    "project",
    "payload",
    "operator",
)
_REPORT_KEYS = {
    "global_id": "global_wms_id",
    "campaign": "campaign",
    "run_name": "run",
    "path": "path",
    "label": "label",
    "project": "project",
    "payload": "payload",
    "operator": "operator",
}


@dataclass(frozen=True)
class RunStatus:
    run_id: str
    state: str  # a WmsStates name in lower case, e.g. "running"
    asked_at: datetime
    campaign: str = ""  # the submit file's ``campaign`` (a campaign id, if made by bps config)
    workflow: str = ""  # the record's workflow name, "" when the record does not list the run
    global_id: str = ""
    run_name: str = ""
    path: str = ""  # submit directory
    label: str = ""
    project: str = ""
    payload: str = ""
    operator: str = ""
    total_jobs: int = 0
    job_counts: dict[str, int] = field(default_factory=dict)  # state -> jobs
    job_summary: dict[str, dict[str, int]] = field(default_factory=dict)  # label -> state -> n
    exit_codes: dict[str, list[int]] = field(default_factory=dict)  # label -> codes

    @property
    def listed(self) -> bool:
        """Whether the campaign record lists this run as one of its workflows."""
        return bool(self.workflow)

    @property
    def finished_jobs(self) -> int:
        return sum(self.job_counts.get(s, 0) for s in ("succeeded", "failed", "pruned", "deleted"))

    @property
    def failed_jobs(self) -> int:
        return self.job_counts.get("failed", 0)

    def failures_by_label(self) -> list[tuple[str, int, list[int]]]:
        """(task label, failed jobs, exit codes) for every label with failures, most first."""
        rows = []
        for label, counts in self.job_summary.items():
            failed = counts.get("failed", 0)
            if failed:
                rows.append((label, failed, self.exit_codes.get(label, [])))
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    @classmethod
    def from_report(
        cls, report: dict[str, Any], asked_at: datetime, workflow: str = ""
    ) -> RunStatus:
        """From the plain report data ``generator.bps.wms`` returns."""
        text = {name: report.get(key, "") for name, key in _REPORT_KEYS.items()}
        return cls(
            run_id=report["wms_id"],
            state=report["state"],
            asked_at=asked_at,
            workflow=workflow,
            total_jobs=int(report.get("total_number_jobs", 0)),
            job_counts=_ordered_counts(report.get("job_state_counts", {})),
            job_summary=_counts_by_label(report.get("job_summary", {})),
            exit_codes=_codes_by_label(report.get("exit_code_summary", {})),
            **text,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            **{name: getattr(self, name) for name in _TEXT_FIELDS},
            "state": self.state,
            "total_jobs": self.total_jobs,
            "job_counts": self.job_counts,
            "job_summary": self.job_summary,
            "exit_codes": self.exit_codes,
            "asked_at": utc_text(self.asked_at),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> RunStatus:
        text = {name: str(raw.get(name, "")) for name in _TEXT_FIELDS}
        return cls(
            run_id=str(raw["run_id"]),
            state=str(raw["state"]),
            asked_at=parse_utc(raw["asked_at"]),
            total_jobs=int(raw.get("total_jobs", 0)),
            job_counts=_ordered_counts(raw.get("job_counts", {})),
            job_summary=_counts_by_label(raw.get("job_summary", {})),
            exit_codes=_codes_by_label(raw.get("exit_codes", {})),
            **text,
        )

    def with_workflow(self, workflow: str) -> RunStatus:
        return replace(self, workflow=workflow)


def _counts_by_label(summary: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {str(label): _ordered_counts(counts) for label, counts in sorted(summary.items())}


def _codes_by_label(summary: dict[str, Any]) -> dict[str, list[int]]:
    return {str(label): [int(c) for c in codes] for label, codes in sorted(summary.items())}


def _ordered_counts(counts: dict[str, Any]) -> dict[str, int]:
    """Counts in the bar's state order (unknown names last), zeros left out."""
    rank = {state: i for i, state in enumerate(JOB_STATE_ORDER)}
    items = [(str(k), int(v)) for k, v in counts.items() if int(v)]
    return dict(sorted(items, key=lambda item: (rank.get(item[0], len(rank)), item[0])))


@dataclass
class StatusSnapshot:
    """What the workflow system said about each run (``campaigns bps sync``)."""

    FORMAT: ClassVar[int] = 1  # the file's "format"

    asked_at: datetime
    service_class: str
    hist_days: float = 7.0
    runs: list[RunStatus] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    _by_campaign: dict[str, list[RunStatus]] | None = field(default=None, repr=False)
    _by_key: dict[tuple[str, str], RunStatus] | None = field(default=None, repr=False)

    def age_hours(self, now: datetime) -> float:
        return (now - self.asked_at).total_seconds() / 3600

    def of_campaign(self, campaign_id: str) -> list[RunStatus]:
        if self._by_campaign is None:
            self._by_campaign = {}
            for run in self.runs:
                self._by_campaign.setdefault(run.campaign, []).append(run)
        return self._by_campaign.get(campaign_id, [])

    def of_workflow(self, campaign_id: str, workflow: str) -> RunStatus | None:
        if self._by_key is None:
            self._by_key = {(r.campaign, r.workflow): r for r in self.runs if r.workflow}
        return self._by_key.get((campaign_id, workflow))

    def unlisted(self, campaign_id: str) -> list[RunStatus]:
        """Runs the workflow system has for the campaign that its record does not list yet."""
        return [run for run in self.of_campaign(campaign_id) if not run.listed]

    def to_json(self) -> str:
        document = {
            "format": self.FORMAT,
            "asked_at": utc_text(self.asked_at),
            "service_class": self.service_class,
            "hist_days": self.hist_days,
            "messages": self.messages,
            "runs": [
                run.to_json()
                for run in sorted(self.runs, key=lambda r: (r.campaign, r.workflow, r.run_id))
            ],
        }
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"

    @classmethod
    def from_document(cls, raw: dict[str, Any]) -> StatusSnapshot:
        """From the parsed file (its ``format`` already checked)."""
        return cls(
            asked_at=parse_utc(raw["asked_at"]),
            service_class=str(raw.get("service_class", "")),
            hist_days=float(raw.get("hist_days", 7.0)),
            runs=[RunStatus.from_json(run) for run in raw.get("runs", [])],
            messages=[str(m) for m in raw.get("messages", [])],
        )

    def as_export(self) -> dict[str, Any]:
        """The snapshot as JSON data for the site's JSON export."""
        data: dict[str, Any] = json.loads(self.to_json())
        return data
