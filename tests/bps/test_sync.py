"""`campaigns bps sync` against the test WMS plugin, loaded by ctrl_bps by its class name."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.bps.conftest import DEMO, PLUGIN, SNAPSHOT, Notebook

pytestmark = pytest.mark.slow


def _runs_by_id(snapshot: dict[str, object]) -> dict[str, dict[str, object]]:
    runs = snapshot["runs"]
    assert isinstance(runs, list)
    return {run["run_id"]: run for run in runs}


def test_sync_writes_a_snapshot_of_every_run_state(notebook: Notebook) -> None:
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN)
    assert result.code == 0, result.err
    snapshot = notebook.snapshot()
    assert snapshot["service_class"] == PLUGIN
    assert snapshot["asked_at"] == "2026-11-24T12:00:00Z"
    runs = _runs_by_id(snapshot)
    states = {run_id: run["state"] for run_id, run in runs.items()}
    assert set(states.values()) == {
        "succeeded",
        "running",
        "held",
        "pending",
        "ready",
        "unready",
        "failed",
        "deleted",
        "pruned",
        "misfit",
        "unknown",
    }
    # Another team's campaign is left out; the finished campaign's run was neither asked nor listed.
    assert "5555" not in runs and "900" not in runs
    running = runs["1002"]
    assert running["workflow"] == "step2-group1"
    assert running["campaign"] == DEMO
    assert running["operator"] == "kmensah"
    assert running["path"] == "/sdf/submit/u/kmensah/step2-group1/20261121T080000Z"
    assert running["job_counts"] == {
        "succeeded": 210,
        "failed": 3,
        "running": 25,
        "pending": 2,
        "unready": 40,
    }
    assert running["job_summary"]["calibrateImage"] == {
        "succeeded": 90,
        "failed": 3,
        "running": 25,
        "pending": 2,
    }
    assert running["exit_codes"] == {"calibrateImage": [137, 137, 1]}
    assert running["total_jobs"] == 280
    # A planned workflow's run is found by its payloadName (what `campaigns bps config` writes).
    assert runs["1013"]["workflow"] == "step3"
    # A run the record does not list yet.
    assert runs["2001"]["workflow"] == ""
    assert runs["2001"]["run_name"] == "<img src=x onerror=alert(1)>"
    assert "1 not in the records" in result.out


def test_unreadable_now_is_a_usage_error_not_the_clock(notebook: Notebook) -> None:
    # $CAMPAIGNS_NOW is read by one function (generator.clock) for builds, new ids and syncs.
    snapshot = notebook.root / SNAPSHOT
    before = snapshot.read_bytes() if snapshot.exists() else None
    result = notebook.campaigns(
        "bps", "sync", "--wms-service-class", PLUGIN, env={"CAMPAIGNS_NOW": "yesterday"}
    )
    assert result.code == 2
    assert "cannot read the time 'yesterday' (from $CAMPAIGNS_NOW)" in result.err
    assert "Traceback" not in result.err
    assert (snapshot.read_bytes() if snapshot.exists() else None) == before
    assert notebook.calls() == []  # the workflow system was not asked


def test_one_listing_and_one_call_per_run_the_listing_missed(notebook: Notebook) -> None:
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN)
    assert result.code == 0, result.err
    # 1008 failed a month ago (outside --hist 7) but the record still says running.
    assert notebook.calls() == ["report *", "report 1008"]
    assert "2 report call(s)" in result.out


def test_campaign_option_limits_what_is_asked_and_kept(notebook: Notebook) -> None:
    result = notebook.campaigns(
        "bps", "sync", "--wms-service-class", PLUGIN, "--campaign", "bps-quiet-20261101-c3d4"
    )
    assert result.code == 0, result.err
    assert notebook.calls() == ["report *"]  # nothing unfinished in that campaign
    assert _runs_by_id(notebook.snapshot()) == {}
    unknown = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN, "--campaign", "nope")
    assert unknown.code == 2 and "no campaign nope" in unknown.err


def test_finished_runs_keep_their_last_answer(notebook: Notebook) -> None:
    assert notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN).code == 0
    # The workflow system forgets everything; the records still name the runs.
    notebook.set_runs([])
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN)
    assert result.code == 0, result.err
    runs = _runs_by_id(notebook.snapshot())
    assert runs["1002"]["state"] == "running"  # kept from the previous snapshot
    assert runs["1002"]["asked_at"] == "2026-11-24T12:00:00Z"


def test_plugin_chosen_from_environment_then_notebook_yaml(notebook: Notebook) -> None:
    from_env = notebook.campaigns("bps", "sync", env={"BPS_WMS_SERVICE_CLASS": PLUGIN})
    assert from_env.code == 0, from_env.err
    assert notebook.snapshot()["service_class"] == PLUGIN
    # notebook.yaml's bps.wms_service_class comes before the environment variable.
    config = notebook.root / "notebook.yaml"
    config.write_text(
        config.read_text() + "  wms_service_class: no.such.Service\n", encoding="utf-8"
    )
    refused = notebook.campaigns("bps", "sync", env={"BPS_WMS_SERVICE_CLASS": PLUGIN})
    assert refused.code == 1
    assert "no.such.Service" in refused.err
    # ... and the command line before both.
    chosen = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN)
    assert chosen.code == 0, chosen.err


def _assert_one_line_failure(notebook: Notebook, result: object, before: bytes) -> None:
    assert result.code == 1  # type: ignore[attr-defined]
    err = result.err  # type: ignore[attr-defined]
    assert len(err.strip().splitlines()) == 1, err
    assert "Traceback" not in err
    assert (notebook.root / SNAPSHOT).read_bytes() == before


@pytest.fixture
def previous_snapshot(notebook: Notebook) -> bytes:
    assert notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN).code == 0
    return (notebook.root / SNAPSHOT).read_bytes()


def test_plugin_exception_keeps_the_snapshot(notebook: Notebook, previous_snapshot: bytes) -> None:
    notebook.set_runs([], behaviour="raise")
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN)
    _assert_one_line_failure(notebook, result, previous_snapshot)
    assert "RuntimeError: PanDA server said: 503 Service Unavailable" in result.err


def test_hanging_plugin_is_stopped_after_the_timeout(
    notebook: Notebook, previous_snapshot: bytes
) -> None:
    notebook.set_runs([], behaviour="hang")
    started = time.monotonic()
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN, "--timeout", "8")
    assert time.monotonic() - started < 60
    _assert_one_line_failure(notebook, result, previous_snapshot)
    assert "did not answer within 8 seconds" in result.err


def test_unknown_plugin_class(notebook: Notebook, previous_snapshot: bytes) -> None:
    result = notebook.campaigns("bps", "sync", "--wms-service-class", "fakewms.NoSuchService")
    _assert_one_line_failure(notebook, result, previous_snapshot)
    assert "fakewms.NoSuchService" in result.err


def test_not_a_wms_plugin(notebook: Notebook, previous_snapshot: bytes) -> None:
    result = notebook.campaigns("bps", "sync", "--wms-service-class", "json.JSONDecoder")
    _assert_one_line_failure(notebook, result, previous_snapshot)
    assert "must be a subclass of BaseWmsService" in result.err


def test_snapshot_path_must_stay_inside_the_repository(notebook: Notebook) -> None:
    config = notebook.root / "notebook.yaml"
    config.write_text(
        config.read_text().replace("status/workflow-status.json", "../outside.json"),
        encoding="utf-8",
    )
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert not (notebook.root.parent / "outside.json").exists()


def test_without_ctrl_bps_the_command_says_how_to_install_it(
    notebook: Notebook, tmp_path: Path
) -> None:
    # A regular package named lsst first on the path hides the installed namespace package,
    # as on a machine without lsst-ctrl-bps.
    shadow = tmp_path / "shadow" / "lsst"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("")
    path = os.pathsep.join([str(shadow.parent), notebook.env["PYTHONPATH"]])
    result = notebook.campaigns(
        "bps", "sync", "--wms-service-class", PLUGIN, env={"PYTHONPATH": path}
    )
    assert result.code == 1
    assert "pip install 'campaign-notebook[bps]'" in result.err
    assert "Traceback" not in result.err
    # Everything else works without it.
    assert notebook.campaigns("validate", env={"PYTHONPATH": path}).code == 0
