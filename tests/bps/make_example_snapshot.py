"""Regenerate the committed example status snapshot, ``workflow-status.json``.

    python -m tests.bps.make_example_snapshot           # rewrite it
    python -m tests.bps.make_example_snapshot --check   # exit 1 if it is out of date

It runs the real ``campaigns bps sync`` against the test WMS plugin serving the invented runs
below (ctrl_bps loads it by class name), so the example is what a sync writes: the rerun's
step3 running with failures in one task, its step2 finished this week, and one run the record
does not list yet. The time is fixed, like the Jira example's.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
ASKED_AT = "2026-11-24T06:00:00Z"
RERUN = "dr1-mini-drp-rerun-20261103-t5hw"


def example_runs() -> list[dict[str, Any]]:
    common = {"campaign": RERUN, "project": "dr1", "operator": "kmensah"}
    return [
        {
            **common,
            "wms_id": "51244",
            "state": "RUNNING",
            "payload": "step3",
            "label": "step3",
            "run": "LSSTCam_runs_DRP_DR1_w_2026_44_DM-51300_step3",
            "path": "/sdf/data/rubin/panda_jobs/submit/LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300/20261123T090000Z",
            "updated": "2026-11-24T05:50:00Z",
            "job_summary": {
                "makeDirectWarp": {"SUCCEEDED": 1788, "FAILED": 12, "RUNNING": 350},
                "makePsfMatchedWarp": {"SUCCEEDED": 1200, "RUNNING": 200, "PENDING": 750},
                "assembleCellCoadd": {"UNREADY": 900},
                "detection": {"UNREADY": 900},
            },
            "exit_code_summary": {"makeDirectWarp": [137] * 9 + [1] * 3},
        },
        {
            **common,
            "wms_id": "51180",
            "state": "SUCCEEDED",
            "payload": "step2",
            "label": "step2",
            "run": "LSSTCam_runs_DRP_DR1_w_2026_44_DM-51300_step2",
            "path": "/sdf/data/rubin/panda_jobs/submit/LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300/20261117T080000Z",
            "updated": "2026-11-18T01:20:00Z",
            "job_summary": {
                "isolatedStarAssociation": {"SUCCEEDED": 5},
                "finalizeCharacterization": {"SUCCEEDED": 1257},
                "makeCcdVisitTable": {"SUCCEEDED": 1},
            },
        },
        {
            **common,
            "wms_id": "51301",
            "operator": "lferreyra",
            "state": "HELD",
            "payload": "step3-tract5287-memory-test",
            "label": "step3",
            "run": "u_lferreyra_step3_tract5287_memory_test_20261123T220000Z",
            "path": "/sdf/home/l/lferreyra/submit/u/lferreyra/step3_tract5287/20261123T220000Z",
            "updated": "2026-11-24T04:00:00Z",
            "job_summary": {"makeDirectWarp": {"SUCCEEDED": 40, "HELD": 8}},
        },
    ]


def build() -> str:
    """The snapshot text a sync against the example runs writes."""
    with tempfile.TemporaryDirectory() as folder:
        runs = Path(folder) / "runs.json"
        runs.write_text(json.dumps({"now": ASKED_AT, "runs": example_runs()}), encoding="utf-8")
        output = Path(folder) / "workflow-status.json"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(HERE), str(ROOT)]),
            "FAKE_WMS_RUNS": str(runs),
            "CAMPAIGNS_NOW": ASKED_AT,
        }
        env.pop("BPS_WMS_SERVICE_CLASS", None)
        completed = subprocess.run(
            [
                sys.executable,
                "-m",
                "generator.cli",
                "bps",
                "sync",
                "--output",
                str(output),
                "--wms-service-class",
                "fakewms.FakeWmsService",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if completed.returncode != 0:
            raise SystemExit(completed.stderr)
        return output.read_text(encoding="utf-8")


def main(argv: list[str]) -> int:
    from generator.recordio import write_atomically

    path = ROOT / "workflow-status.json"
    text = build()
    if "--check" in argv:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path.name} is out of date: run python -m tests.bps.make_example_snapshot")
            return 1
        print(f"{path.name} is up to date")
        return 0
    write_atomically(path, text)
    print(f"wrote {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
