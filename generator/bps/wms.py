"""The workflow system, through ctrl_bps: the only module that imports ``lsst.ctrl.bps``.

A plugin (PanDA, HTCondor, Parsl, or one written for the tests) is loaded the way ``bps report``
loads it (``lsst.ctrl.bps.report.retrieve_report``: ``doImportType``, a ``BaseWmsService``
subclass, ``report()``), in a child process. ctrl_bps has no timeout of its own and a plugin
can hang on a batch system or a network call, so the parent waits ``timeout`` seconds and then
kills the child's whole process group. The child writes its answer as JSON into a file (a
plugin may print to standard output); every failure comes back as one line of text.

The answer is plain data (states as lower-case names): nothing from ctrl_bps leaves this module.
What the workflow system says is untrusted text, like any record field.

``python -m generator.bps.wms`` is the child's entry point; it is not a command for people.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import UserError

INSTALL_HINT = "pip install 'campaign-notebook[bps]'"
ENVIRONMENT_VARIABLE = "BPS_WMS_SERVICE_CLASS"
# Run states after which nothing changes any more (WmsStates names, lower case).
FINAL_STATES = frozenset({"succeeded", "failed", "deleted", "pruned"})


class WmsError(UserError):
    """The workflow system (or its plugin) did not answer: one line, exit 1."""


def ctrl_bps_available() -> bool:
    """Whether ctrl_bps is installed, without importing it (that takes seconds)."""
    try:
        return importlib.util.find_spec("lsst.ctrl.bps") is not None
    except (ImportError, ValueError):
        return False


def require_ctrl_bps() -> None:
    if not ctrl_bps_available():
        raise UserError(
            "this command talks to the workflow system through ctrl_bps (lsst-ctrl-bps), "
            "which is not installed",
            hint=f"install it with: {INSTALL_HINT}",
        )


@dataclass(frozen=True)
class ServiceChoice:
    """The plugin class to load and where that choice came from (for messages)."""

    class_name: str  # "" means ctrl_bps's own default, resolved in the child
    source: str


def choose_service_class(option: str | None, configured: str) -> ServiceChoice:
    """In the order bps uses: the command line, the configuration (notebook.yaml's
    ``bps.wms_service_class``), ``$BPS_WMS_SERVICE_CLASS``, then ctrl_bps's default."""
    if option:
        return ServiceChoice(option, "--wms-service-class")
    if configured:
        return ServiceChoice(configured, "bps.wms_service_class in notebook.yaml")
    if os.environ.get(ENVIRONMENT_VARIABLE):
        return ServiceChoice(os.environ[ENVIRONMENT_VARIABLE], f"${ENVIRONMENT_VARIABLE}")
    return ServiceChoice("", "ctrl_bps's default (bps_defaults.yaml)")


@dataclass(frozen=True)
class Question:
    """What to ask: one listing of the last ``hist_days`` days, and these runs one by one
    unless the listing already answered them in full."""

    service: ServiceChoice
    run_ids: Sequence[str]
    hist_days: float
    timeout: float


@dataclass
class Answer:
    service_class: str
    reports: list[dict[str, Any]] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    calls: int = 0  # report() calls made
    seconds: float = 0.0


def ask(question: Question) -> Answer:
    """Ask the workflow system in a child process; ``WmsError`` with one line on any failure."""
    require_ctrl_bps()
    name = question.service.class_name or "the default WMS plugin"
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="campaigns-wms-") as folder:
        answer_file = Path(folder) / "answer.json"
        request = {
            "service_class": question.service.class_name,
            "run_ids": list(question.run_ids),
            "hist_days": question.hist_days,
            "answer_file": str(answer_file),
        }
        # Its own session: on timeout the plugin's own children (condor_q, ...) go too.
        child = subprocess.Popen(
            [sys.executable, "-m", "generator.bps.wms"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        try:
            _, stderr = child.communicate(json.dumps(request).encode(), timeout=question.timeout)
        except subprocess.TimeoutExpired:
            _kill(child)
            raise WmsError(
                f"{name} did not answer within {question.timeout:g} seconds; stopped it",
                hint="the workflow system may be down or slow; try again, or raise --timeout",
            ) from None
        except KeyboardInterrupt:
            _kill(child)
            raise
        seconds = time.monotonic() - started
        try:
            result = json.loads(answer_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            last = _last_line(stderr.decode("utf-8", "replace"))
            raise WmsError(
                f"{name} stopped without an answer (exit status {child.returncode})"
                + (f": {last}" if last else ""),
                hint="run 'bps report' on this machine to see whether the plugin works",
            ) from None
    if "error" in result:
        raise WmsError(
            f"{result.get('service_class') or name}: {_one_line(str(result['error']))}",
            hint=result.get("hint") or "check the plugin class name and the workflow system",
        )
    return Answer(
        service_class=str(result["service_class"]),
        reports=list(result["reports"]),
        messages=[str(m) for m in result["messages"]],
        calls=int(result["calls"]),
        seconds=seconds,
    )


def _kill(child: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(child.pid, signal.SIGKILL)
    child.communicate()


def _one_line(text: str) -> str:
    """One line without control characters: the plugin's text reaches a terminal and CI logs."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", "?", " ".join(text.split()))[:500]


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return _one_line(lines[-1]) if lines else ""


# --- the child -------------------------------------------------------------------------------


def _state_name(state: Any) -> str:
    return str(getattr(state, "name", state) or "unknown").lower()


def _report_as_json(report: Any) -> dict[str, Any]:
    """A ``WmsRunReport`` as plain JSON data; states by name."""

    def text(value: Any) -> str:
        return "" if value is None else str(value)

    return {
        "wms_id": text(report.wms_id),
        "global_wms_id": text(report.global_wms_id),
        "path": text(report.path),
        "label": text(report.label),
        "run": text(report.run),
        "project": text(report.project),
        "campaign": text(report.campaign),
        "payload": text(report.payload),
        "operator": text(report.operator),
        "state": _state_name(report.state),
        "total_number_jobs": int(report.total_number_jobs or 0),
        "job_state_counts": {
            _state_name(state): int(number)
            for state, number in (report.job_state_counts or {}).items()
            if number
        },
        "job_summary": {
            str(label): {_state_name(s): int(n) for s, n in counts.items() if n}
            for label, counts in (report.job_summary or {}).items()
        },
        "exit_code_summary": {  # one code per failed job, as the plugin gives them
            str(label): [int(code) for code in codes]
            for label, codes in (report.exit_code_summary or {}).items()
            if codes
        },
    }


def _child(request: dict[str, Any]) -> dict[str, Any]:
    # Imported here, in the child only: the parent never loads ctrl_bps.
    from lsst.ctrl.bps import BPS_DEFAULTS, BpsConfig
    from lsst.ctrl.bps.bps_reports import compile_code_summary, compile_job_summary
    from lsst.ctrl.bps.report import retrieve_report

    service_class = request["service_class"] or BpsConfig(BPS_DEFAULTS)["wmsServiceClass"]
    postprocessors = [compile_job_summary, compile_code_summary]
    answer: dict[str, Any] = {"service_class": service_class, "calls": 0}
    try:
        # One listing: every run of the last hist days (what `bps report --hist N` shows).
        reports, messages = retrieve_report(
            service_class,
            hist=request["hist_days"],
            return_exit_codes=True,
            postprocessors=postprocessors,
        )
        answer["calls"] += 1
        complete = {str(r.wms_id) for r in reports if r.job_summary}
        # Runs the listing left out (older, another user's) or gave without detail: one by one,
        # as `bps report --id` does (at least two days of history for a single run).
        for run_id in request["run_ids"]:
            if run_id in complete:
                continue
            found, more = retrieve_report(
                service_class,
                run_id=run_id,
                hist=max(request["hist_days"], 2),
                return_exit_codes=True,
                postprocessors=postprocessors,
            )
            answer["calls"] += 1
            reports.extend(found)
            messages.extend(more)
    except Exception as error:  # any plugin failure becomes one line for the parent
        answer["error"] = f"{type(error).__name__}: {error}"
        if isinstance(error, (ImportError, AttributeError, TypeError)) and not answer["calls"]:
            answer["hint"] = (
                "the class must be importable here and a subclass of lsst.ctrl.bps.BaseWmsService"
            )
        return answer
    by_id: dict[str, dict[str, Any]] = {}
    for report in reports:
        data = _report_as_json(report)
        if data["wms_id"]:
            # Detail asked for later replaces the listing's summary of the same run.
            by_id[data["wms_id"]] = data
    answer["reports"] = list(by_id.values())
    answer["messages"] = list(dict.fromkeys(str(m) for m in messages if m))
    return answer


def _child_main() -> int:
    request = json.loads(sys.stdin.read())
    answer_file = Path(request["answer_file"])
    # A plugin that prints must not mix its output with ours: standard output goes to stderr.
    sys.stdout = sys.stderr
    try:
        answer = _child(request)
    except Exception as error:  # ctrl_bps itself failed to import or configure
        answer = {
            "service_class": request["service_class"],
            "error": f"{type(error).__name__}: {error}",
        }
    answer_file.write_text(json.dumps(answer), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(_child_main())
