"""`campaigns bps sync --write-records`: the records follow the workflow system, formatting kept.

The golden file tests/bps/golden/bps-demo-20261120-a1b2.yaml is the demo record after one sync;
after an intended change rewrite it with ``pytest tests/bps -k write_records --update-golden``
and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.bps.conftest import DEMO, PLUGIN, Notebook

pytestmark = pytest.mark.slow
GOLDEN = Path(__file__).parent / "golden" / f"{DEMO}.yaml"


def _sync(notebook: Notebook) -> str:
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN, "--write-records")
    assert result.code == 0, result.err
    return result.out


def test_records_updated_as_the_golden_file_says(notebook: Notebook, update_golden: bool) -> None:
    record = notebook.root / "campaigns" / f"{DEMO}.yaml"
    before = record.read_text(encoding="utf-8")
    out = _sync(notebook)
    after = record.read_text(encoding="utf-8")
    if update_golden:
        GOLDEN.write_text(after, encoding="utf-8")
    assert after == GOLDEN.read_text(encoding="utf-8"), "run with --update-golden and review"

    # What it changed is printed, for the pull request.
    assert f"campaigns/{DEMO}.yaml: workflow step2-group4: status running → succeeded" in out
    assert f"campaigns/{DEMO}.yaml: new workflow adhoc-check (run 2001, unknown)" in out
    assert "updated 1 record(s)" in out

    # Only the changed lines differ: the original lines, less the statuses that changed and the
    # flow mapping that gained a key, all appear in the new file, in order.
    changed = {
        "    status: running  # still queued at last look",
        '  - {name: step2-group3, step: step2, status: pending, system: panda, run_id: "1004"}',
        "    status: running",
        "    status: planned",
    }
    assert sum(1 for line in before.splitlines() if line in changed) == 9
    remaining = iter(after.splitlines())
    for line in before.splitlines():
        if line not in changed:
            assert any(line == new for new in remaining), f"lost or moved: {line!r}"
    # Comments, block scalars, folded text and flow lists survive.
    for kept in (
        "# A campaign run through BPS: every run state appears among its workflows.",
        "purpose: |\n  Exercise the round trip",
        "reason: >\n  Folded text stays folded",
        "  inputs: [LSSTCam/defaults, refcats, skymaps]  # search order matters",
        "  # step1 ran once and succeeded",
        "    notes: |\n      Watch the memory of\n      calibrateImage.",
        "    query: [exposure >= 2026040100000, exposure < 2026050100000]",
        "    status: held     # still queued at last look",
    ):
        assert kept in after, kept
    # The other record was not touched.
    assert "bps-quiet-20261101-c3d4.yaml" not in out


def test_updated_records_are_valid_and_a_second_sync_changes_nothing(notebook: Notebook) -> None:
    _sync(notebook)
    validate = notebook.campaigns("validate")
    assert validate.code == 0, validate.out + validate.err
    record = notebook.root / "campaigns" / f"{DEMO}.yaml"
    first = record.read_text(encoding="utf-8")
    out = _sync(notebook)
    assert "updated 0 record(s): 0 workflow change(s)" in out
    assert record.read_text(encoding="utf-8") == first


def test_a_failed_sync_leaves_the_records_alone(notebook: Notebook) -> None:
    record = notebook.root / "campaigns" / f"{DEMO}.yaml"
    before = record.read_bytes()
    notebook.set_runs([], behaviour="raise")
    result = notebook.campaigns("bps", "sync", "--wms-service-class", PLUGIN, "--write-records")
    assert result.code == 1
    assert record.read_bytes() == before


def test_workflow_system_text_reaches_the_terminal_without_control_characters(
    notebook: Notebook,
) -> None:
    from tests.bps.conftest import demo_runs

    runs = demo_runs()
    hostile = next(run for run in runs if run["wms_id"] == "2001")
    hostile["wms_id"] = "2001\x1b[2J"
    hostile["operator"] = "evil\x1b]0;owned\x07"
    notebook.set_runs(runs)
    out = _sync(notebook)
    assert "\x1b" not in out and "\x07" not in out
    assert "new workflow adhoc-check (run 2001?[2J, unknown)" in out
    validate = notebook.campaigns("validate")
    assert validate.code == 0, validate.out + validate.err
