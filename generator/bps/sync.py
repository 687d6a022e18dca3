"""``campaigns bps sync``: ask the workflow system about the records' runs, keep the answer.

The flow: the records → which runs to ask about (every workflow with a ``run_id`` that is not
finished, plus one listing of the last ``--hist`` days) → the workflow system (``wms``) → each
run matched to its campaign workflow (by run id; a run the record does not list yet by its run
name, or by ``payloadName`` = a planned workflow's name, as ``campaigns bps config`` writes it)
→ the status snapshot (atomically) → with ``--write-records``, the record edits.

Runs not asked again (finished ones) keep their entry from the previous snapshot, so the site
still shows their job counts; each entry says when it was asked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from generator import clock
from generator.bps.statussnapshot import load_snapshot, snapshot_path
from generator.bps.submitconfig import SYSTEM_OF_SERVICE
from generator.bps.wms import FINAL_STATES, Answer, Question, ServiceChoice, ask
from generator.errors import ExitCode, UserError
from generator.loading.repository import Repository
from generator.loading.schemas import load_schema
from generator.model.records import WORKFLOW_STATUSES, Campaign, Workflow
from generator.model.snapshots import RunStatus, StatusSnapshot

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_BPS_TIMESTAMP = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})\d{2}Z")


def is_finished(workflow: Workflow) -> bool:
    return workflow.status in FINAL_STATES


@dataclass
class Targets:
    """What one sync asks about, and how runs map back to the records."""

    campaigns: dict[str, Campaign]  # the campaigns synced (all, or those named by --campaign)
    by_run_id: dict[str, tuple[Campaign, Workflow]] = field(default_factory=dict)
    wanted: list[str] = field(default_factory=list)  # run ids asked for one by one if needed


def select_targets(repository: Repository, campaign_ids: Iterable[str] = ()) -> Targets:
    chosen = list(dict.fromkeys(campaign_ids))
    unknown = [c for c in chosen if c not in repository.campaigns]
    if unknown:
        raise UserError(
            f"no campaign {', '.join(unknown)} in the records",
            hint="give campaign ids as in the records' 'id' field",
            exit_code=ExitCode.USAGE,
        )
    campaigns = (
        {c: repository.campaigns[c] for c in chosen} if chosen else dict(repository.campaigns)
    )
    targets = Targets(campaigns)
    for campaign in campaigns.values():
        for workflow in campaign.workflows:
            if workflow.run_id:
                targets.by_run_id[workflow.run_id] = (campaign, workflow)
                if not is_finished(workflow):
                    targets.wanted.append(workflow.run_id)
    return targets


def _match_unlisted(campaign: Campaign, report: dict[str, Any]) -> str:
    """The record workflow a run belongs to although the record lacks its run id, or ""."""
    for workflow in campaign.workflows:
        if not workflow.run_id and report["run"] and workflow.run_name == report["run"]:
            return workflow.name
    for workflow in campaign.workflows:
        if not workflow.run_id and workflow.name == report["payload"]:
            return workflow.name
    return ""


def match_runs(
    targets: Targets, reports: list[dict[str, Any]], asked_at: datetime
) -> list[RunStatus]:
    runs = []
    for report in reports:
        run_id = report["wms_id"]
        known = targets.by_run_id.get(run_id) or targets.by_run_id.get(report["global_wms_id"])
        if known:
            campaign, workflow = known
            run = RunStatus.from_report(report, asked_at, workflow.name)
            runs.append(run if run.campaign == campaign.id else _in_campaign(run, campaign.id))
        elif report["campaign"] in targets.campaigns:
            campaign = targets.campaigns[report["campaign"]]
            runs.append(RunStatus.from_report(report, asked_at, _match_unlisted(campaign, report)))
    return runs


def _in_campaign(run: RunStatus, campaign_id: str) -> RunStatus:
    from dataclasses import replace

    return replace(run, campaign=campaign_id)


def merge(
    repository: Repository,
    targets: Targets,
    previous: StatusSnapshot | None,
    fresh: list[RunStatus],
) -> list[RunStatus]:
    """This sync's runs, plus the previous snapshot's runs not asked again (still in the records)."""
    runs = {run.run_id: run for run in fresh}
    all_ids = {
        w.run_id: (c.id, w.name)
        for c in repository.campaigns.values()
        for w in c.workflows
        if w.run_id
    }
    for old in previous.runs if previous else ():
        if old.run_id in runs or old.campaign not in repository.campaigns:
            continue
        owner = all_ids.get(old.run_id)
        runs[old.run_id] = old.with_workflow(owner[1] if owner else "")
    return list(runs.values())


@dataclass
class SyncResult:
    snapshot: StatusSnapshot
    answer: Answer
    fresh: list[RunStatus]
    asked_ids: list[str]


def sync(
    repository: Repository,
    service: ServiceChoice,
    *,
    campaign_ids: Iterable[str] = (),
    hist_days: float = 7.0,
    timeout: float = 300.0,
    now: datetime | None = None,
    output: Path | None = None,
) -> SyncResult:
    """Ask and build the new snapshot (not written here: the caller writes it on success);
    runs not asked again are carried over from the previous snapshot at ``output``."""
    path = output or snapshot_path(repository)
    previous = load_snapshot(path, path.name)
    targets = select_targets(repository, campaign_ids)
    # The time is read before asking, so an unreadable $CAMPAIGNS_NOW fails before any WMS call.
    asked_at = (now or clock.now()).replace(microsecond=0)
    answer = ask(Question(service, targets.wanted, hist_days, timeout))
    fresh = match_runs(targets, answer.reports, asked_at)
    snapshot = StatusSnapshot(
        asked_at=asked_at,
        service_class=answer.service_class,
        hist_days=hist_days,
        runs=merge(repository, targets, previous, fresh),
        messages=_messages_about(answer.messages, answer.reports, fresh),
    )
    return SyncResult(snapshot, answer, fresh, targets.wanted)


def _messages_about(
    messages: list[str], reports: list[dict[str, Any]], kept: list[RunStatus]
) -> list[str]:
    """The workflow system's messages, less those about runs of no notebook campaign."""
    kept_ids = {run.run_id for run in kept}
    others = [r["wms_id"] for r in reports if r["wms_id"] not in kept_ids]
    return [m for m in messages if not any(f"'{run_id}'" in m for run_id in others)]


# --- record updates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    key: str
    old: Any
    new: Any


@dataclass
class WorkflowChange:
    """What --write-records does to one workflow: fields set, or a new workflow appended."""

    campaign: Campaign
    workflow: str
    index: int  # -1 for a new workflow
    fields: list[FieldChange] = field(default_factory=list)
    new: dict[str, Any] | None = None

    def describe(self) -> str:
        if self.new is not None:
            return (
                f"{self.campaign.path}: new workflow {self.workflow} "
                f"(run {printable(self.new['run_id'])}, {self.new['status']})"
            )
        changes = ", ".join(
            f"{c.key} {_shown(c.old)} → {_shown(c.new)}" if c.old else f"{c.key} = {_shown(c.new)}"
            for c in self.fields
        )
        return f"{self.campaign.path}: workflow {self.workflow}: {changes}"


def printable(text: str) -> str:
    """Text from the workflow system made safe for a terminal: one line, no control characters
    (an escape sequence in a run name must not repaint the operator's screen)."""
    return _CONTROL.sub("?", " ".join(text.split()))


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(printable(str(v)) for v in value) + "]"
    return printable(str(value))


def record_time(moment: datetime) -> str:
    """A time as the records write it: ``2026-11-23T09:00Z``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def submitted_at(run: RunStatus) -> str:
    """The submission time bps put into the run name or submit path (``{timestamp}``), if any."""
    for text in (run.run_name, run.path):
        found = _BPS_TIMESTAMP.findall(text)
        if found:
            year, month, day, hour, minute = found[-1]
            return f"{year}-{month}-{day}T{hour}:{minute}Z"
    return ""


def _status(run: RunStatus) -> str:
    return run.state if run.state in WORKFLOW_STATUSES else "unknown"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _workflow_updates(campaign: Campaign, workflow: Workflow, run: RunStatus) -> WorkflowChange:
    change = WorkflowChange(campaign, workflow.name, workflow.index)
    raw = campaign.raw["workflows"][workflow.index]

    def put(key: str, new: Any) -> None:
        old = raw.get(key)
        if new and new != old:
            change.fields.append(FieldChange(key, old, new))

    def fill(key: str, new: Any) -> None:  # only where the record says nothing yet
        if key not in raw and new:
            change.fields.append(FieldChange(key, None, new))

    put("status", _status(run))
    if not workflow.run_id:  # a planned workflow submitted: what bps submit printed
        fill("run_id", run.run_id)
        fill("run_name", _one_line(run.run_name))
        fill("submit_dir", _one_line(run.path))
        if run.operator.strip():
            fill("operators", [_one_line(run.operator)])
    fill("started", submitted_at(run) or record_time(run.asked_at))
    if run.state in FINAL_STATES:
        # The workflow system does not say when a run ended: the first sync that sees it ended.
        fill("finished", record_time(run.asked_at))
    return change


def _new_name(campaign: Campaign, run: RunStatus, taken: set[str]) -> str:
    base = _NAME_UNSAFE.sub("-", run.payload or run.label or "run").strip("-._")[:60] or "run"
    if not base[0].isalnum():
        base = "run-" + base
    name = base if base not in taken else f"{base}-{_NAME_UNSAFE.sub('-', run.run_id)}"[:80]
    counter = 2
    while name in taken:
        name = f"{base[:70]}-{counter}"
        counter += 1
    return name


def _new_workflow(
    campaign: Campaign, run: RunStatus, service_class: str, taken: set[str]
) -> WorkflowChange:
    name = _new_name(campaign, run, taken)
    taken.add(name)
    new: dict[str, Any] = {"name": name}
    if run.label.strip():
        new["step"] = _one_line(run.label)
    new["status"] = _status(run)
    if service_class in SYSTEM_OF_SERVICE:
        new["system"] = SYSTEM_OF_SERVICE[service_class]
    new["run_id"] = run.run_id
    for key, value in (("run_name", run.run_name), ("submit_dir", run.path)):
        if value.strip():
            new[key] = _one_line(value)
    new["started"] = submitted_at(run) or record_time(run.asked_at)
    if run.state in FINAL_STATES:
        new["finished"] = record_time(run.asked_at)
    if run.operator.strip():
        new["operators"] = [_one_line(run.operator)]
    return WorkflowChange(campaign, name, -1, new=new)


def plan_record_updates(
    repository: Repository, runs: list[RunStatus], service_class: str
) -> list[WorkflowChange]:
    """The edits that bring the records in line with what the workflow system said."""
    changes: list[WorkflowChange] = []
    taken_by_campaign: dict[str, set[str]] = {}
    for run in sorted(runs, key=lambda r: (r.campaign, r.run_id)):
        campaign = repository.campaigns.get(run.campaign)
        if campaign is None:
            continue
        if run.workflow:
            workflow = next(w for w in campaign.workflows if w.name == run.workflow)
            change = _workflow_updates(campaign, workflow, run)
            if change.fields:
                changes.append(change)
        else:
            taken = taken_by_campaign.setdefault(campaign.id, {w.name for w in campaign.workflows})
            changes.append(_new_workflow(campaign, run, service_class, taken))
    return changes


def apply_record_updates(repository: Repository, changes: list[WorkflowChange]) -> list[str]:
    """Edit the record files through the round-trip editor; returns the paths written."""
    from generator.writing.roundtrip import RecordEdit

    by_path: dict[str, list[WorkflowChange]] = {}
    for change in changes:
        by_path.setdefault(change.campaign.path, []).append(change)
    edits = []
    for path, path_changes in by_path.items():
        edit = RecordEdit.load(repository.root / path)
        for change in path_changes:
            if change.new is not None:
                if "workflows" in change.campaign.raw:
                    edit.append(("workflows",), change.new)
                else:
                    edit.set(("workflows",), [change.new])
                    change.campaign.raw["workflows"] = []
                continue
            present = set(change.campaign.raw["workflows"][change.index])
            for item in change.fields:
                edit.set(
                    ("workflows", change.index, item.key),
                    item.new,
                    after=_after(item.key, present),
                )
                present.add(item.key)
        edits.append(edit)
    # Every file is edited in memory first; only then is anything written.
    for edit in edits:
        edit.write()
    return list(by_path)


@cache
def _workflow_field_order() -> tuple[str, ...]:
    """The order of a workflow's fields in the records: the schema's (new keys go there)."""
    return tuple(load_schema("campaign")["definitions"]["workflow"]["properties"])


def _after(key: str, present: set[str]) -> str | None:
    """The field a new key follows: the last one before it in the schema's order."""
    order = _workflow_field_order()
    position = order.index(key)
    for earlier in reversed(order[:position]):
        if earlier in present:
            return earlier
    return None
