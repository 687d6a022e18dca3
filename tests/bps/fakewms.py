"""A ctrl_bps WMS plugin written for the tests: a real ``BaseWmsService`` subclass.

``campaigns bps sync`` loads it the way bps loads PanDA's, by its class name
(``fakewms.FakeWmsService`` with this folder on PYTHONPATH), named only through
``--wms-service-class`` or ``$BPS_WMS_SERVICE_CLASS``. Its runs come from the JSON file named by
``$FAKE_WMS_RUNS``::

    {"now": "2026-11-24T12:00:00Z",          # the workflow system's clock (default: real now)
     "behaviour": "answer" | "raise" | "hang",
     "runs": [{"wms_id": "51244", "campaign": "...", "state": "RUNNING", "updated": "...",
               "job_summary": {"isr": {"SUCCEEDED": 10, "FAILED": 2}},
               "exit_code_summary": {"isr": [1, 137]}, ...}]}

Every call is counted: one line per call (``report <id or *>``) appended to ``$FAKE_WMS_CALLS``.
"""

from __future__ import annotations

import json
import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from lsst.ctrl.bps import BaseWmsService, WmsRunReport, WmsStates

FINAL = {WmsStates.SUCCEEDED, WmsStates.FAILED, WmsStates.DELETED, WmsStates.PRUNED}


def _count(call: str) -> None:
    path = os.environ.get("FAKE_WMS_CALLS")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(call + "\n")


def _load() -> dict[str, Any]:
    with open(os.environ["FAKE_WMS_RUNS"], encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    behaviour = data.get("behaviour", "answer")
    if behaviour == "raise":
        raise RuntimeError("PanDA server said: 503 Service Unavailable")
    if behaviour == "hang":
        time.sleep(3600)
    return data


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _report(raw: dict[str, Any]) -> WmsRunReport:
    # Every state for every label, zeros included, as the real plugins report them.
    summary = {
        label: {state: counts.get(state.name, 0) for state in WmsStates}
        for label, counts in raw.get("job_summary", {}).items()
    }
    totals: dict[WmsStates, int] = dict.fromkeys(WmsStates, 0)
    for counts in summary.values():
        for state, number in counts.items():
            totals[state] += number
    return WmsRunReport(
        wms_id=raw["wms_id"],
        global_wms_id=raw.get("global_wms_id"),
        path=raw.get("path"),
        label=raw.get("label"),
        run=raw.get("run"),
        project=raw.get("project"),
        campaign=raw.get("campaign"),
        payload=raw.get("payload"),
        operator=raw.get("operator"),
        run_summary=None,
        state=WmsStates[raw["state"]],
        jobs=None,
        total_number_jobs=sum(totals.values()),
        job_state_counts=totals,
        job_summary=summary,
        exit_code_summary=raw.get("exit_code_summary", {}),
    )


class FakeWmsService(BaseWmsService):
    """Serves the runs of ``$FAKE_WMS_RUNS`` through the plugin interface."""

    def report(
        self,
        wms_workflow_id: str | None = None,
        user: str | None = None,
        hist: float = 0,
        pass_thru: str | None = None,
        is_global: bool = False,
        return_exit_codes: bool = False,
    ) -> tuple[list[WmsRunReport], str]:
        _count(f"report {wms_workflow_id or '*'}")
        data = _load()
        runs = data.get("runs", [])
        if wms_workflow_id is not None:
            found = [_report(r) for r in runs if r["wms_id"] == str(wms_workflow_id)]
            return found, "" if found else f"no run {wms_workflow_id}"
        now = _time(data["now"]) if "now" in data else datetime.now(UTC)
        since = now - timedelta(days=hist or 0)
        reports = []
        for raw in runs:
            report = _report(raw)
            recent = _time(raw.get("updated", data.get("now", "1970-01-01T00:00:00Z"))) >= since
            if report.state not in FINAL or recent:
                reports.append(report)
        return reports, ""

    def list_submitted_jobs(
        self,
        wms_id: str | None = None,
        user: str | None = None,
        require_bps: bool = True,
        pass_thru: str | None = None,
        is_global: bool = False,
    ) -> list[str]:
        _count(f"list {wms_id or '*'}")
        runs = _load().get("runs", [])
        return [r["wms_id"] for r in runs if wms_id is None or r["wms_id"] == str(wms_id)]

    def get_status(
        self, wms_workflow_id: str, hist: float = 1, is_global: bool = False
    ) -> tuple[WmsStates, str]:
        _count(f"status {wms_workflow_id}")
        for raw in _load().get("runs", []):
            if raw["wms_id"] == str(wms_workflow_id):
                return WmsStates[raw["state"]], ""
        return WmsStates.UNKNOWN, f"no run {wms_workflow_id}"
