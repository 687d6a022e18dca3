"""The workflow status snapshot: what the workflow system said about each run, read offline.

Written by ``campaigns bps sync`` (atomically, only when the workflow system answered), read by
the site like the Jira snapshot. Per run: ids, run name, submit path, operator, state, job
counts per state and per task label, exit codes per label, when it was asked, and which
campaign workflow it belongs to (or that the record does not list it yet). Every text field
came from the workflow system and is untrusted: pages escape it like record text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.repository import Repository, is_inside

SNAPSHOT_FORMAT = 1
DEFAULT_PATH = "workflow-status.json"
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


def _time_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


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
        return cls(
            run_id=report["wms_id"],
            state=report["state"],
            asked_at=asked_at,
            campaign=report.get("campaign", ""),
            workflow=workflow,
            global_id=report.get("global_wms_id", ""),
            run_name=report.get("run", ""),
            path=report.get("path", ""),
            label=report.get("label", ""),
            project=report.get("project", ""),
            payload=report.get("payload", ""),
            operator=report.get("operator", ""),
            total_jobs=int(report.get("total_number_jobs", 0)),
            job_counts=_ordered_counts(report.get("job_state_counts", {})),
            job_summary={
                str(label): _ordered_counts(counts)
                for label, counts in sorted(report.get("job_summary", {}).items())
            },
            exit_codes={
                str(label): [int(c) for c in codes]
                for label, codes in sorted(report.get("exit_code_summary", {}).items())
            },
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "global_id": self.global_id,
            "campaign": self.campaign,
            "workflow": self.workflow,
            "run_name": self.run_name,
            "path": self.path,
            "label": self.label,
            "project": self.project,
            "payload": self.payload,
            "operator": self.operator,
            "state": self.state,
            "total_jobs": self.total_jobs,
            "job_counts": self.job_counts,
            "job_summary": self.job_summary,
            "exit_codes": self.exit_codes,
            "asked_at": _time_text(self.asked_at),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> RunStatus:
        return cls(
            run_id=str(raw["run_id"]),
            state=str(raw["state"]),
            asked_at=_parse_time(raw["asked_at"]),
            campaign=str(raw.get("campaign", "")),
            workflow=str(raw.get("workflow", "")),
            global_id=str(raw.get("global_id", "")),
            run_name=str(raw.get("run_name", "")),
            path=str(raw.get("path", "")),
            label=str(raw.get("label", "")),
            project=str(raw.get("project", "")),
            payload=str(raw.get("payload", "")),
            operator=str(raw.get("operator", "")),
            total_jobs=int(raw.get("total_jobs", 0)),
            job_counts=_ordered_counts(raw.get("job_counts", {})),
            job_summary={
                str(k): _ordered_counts(v) for k, v in sorted(raw.get("job_summary", {}).items())
            },
            exit_codes={
                str(k): [int(c) for c in v] for k, v in sorted(raw.get("exit_codes", {}).items())
            },
        )

    def with_workflow(self, workflow: str) -> RunStatus:
        return replace(self, workflow=workflow)


def _ordered_counts(counts: dict[str, Any]) -> dict[str, int]:
    """Counts in the bar's state order (unknown names last), zeros left out."""
    rank = {state: i for i, state in enumerate(JOB_STATE_ORDER)}
    items = [(str(k), int(v)) for k, v in counts.items() if int(v)]
    return dict(sorted(items, key=lambda item: (rank.get(item[0], len(rank)), item[0])))


@dataclass
class StatusSnapshot:
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
            "format": SNAPSHOT_FORMAT,
            "asked_at": _time_text(self.asked_at),
            "service_class": self.service_class,
            "hist_days": self.hist_days,
            "messages": self.messages,
            "runs": [
                run.to_json()
                for run in sorted(self.runs, key=lambda r: (r.campaign, r.workflow, r.run_id))
            ],
        }
        return json.dumps(document, indent=1, ensure_ascii=False) + "\n"

    def as_export(self) -> dict[str, Any]:
        """The snapshot as JSON data for the site's JSON export."""
        data: dict[str, Any] = json.loads(self.to_json())
        return data


def parse_snapshot(text: str, display_path: str) -> StatusSnapshot:
    try:
        raw = json.loads(text)
        if raw.get("format") != SNAPSHOT_FORMAT:
            raise ValueError(f"unsupported snapshot format {raw.get('format')!r}")
        return StatusSnapshot(
            asked_at=_parse_time(raw["asked_at"]),
            service_class=str(raw.get("service_class", "")),
            hist_days=float(raw.get("hist_days", 7.0)),
            runs=[RunStatus.from_json(run) for run in raw.get("runs", [])],
            messages=[str(m) for m in raw.get("messages", [])],
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise UserError(
            f"workflow status snapshot is unreadable: {error}",
            path=display_path,
            hint="run 'campaigns bps sync' again, or delete the file to build without it",
        ) from None


def load_snapshot(path: Path, display_path: str | None = None) -> StatusSnapshot | None:
    """The snapshot at ``path``, or None when there is none (pages then say so)."""
    if not path.is_file():
        return None
    return parse_snapshot(path.read_text(encoding="utf-8"), display_path or path.as_posix())


def snapshot_path(repository: Repository) -> Path:
    """Where the snapshot lives: ``bps.status_snapshot`` of notebook.yaml, inside the repository."""
    configured = repository.config.bps_status_snapshot
    path = (repository.root / configured).resolve()
    if not is_inside(path, repository.root):
        raise UserError(
            f"bps.status_snapshot {configured!r} is outside the repository",
            path=repository.config.path,
            hint="give a path relative to the repository root, e.g. workflow-status.json",
        )
    return path


def load_repository_snapshot(repository: Repository) -> StatusSnapshot | None:
    """The repository's snapshot (None when there is none yet)."""
    return load_snapshot(snapshot_path(repository), repository.config.bps_status_snapshot)
