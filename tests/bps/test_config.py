"""`campaigns bps config`: the submit YAML, read back by ctrl_bps, turned by bps into the
`pipetask qgraph` command line it runs, and that line parsed by pipetask's own parser."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path
from typing import Any

import click
import pytest
from astropy.table import Table

from tests.bps.conftest import DEMO, Notebook

pytestmark = pytest.mark.slow
PLUGIN = "tests.bps.fakewms.FakeWmsService"  # as imported inside this test process
EXCLUDED = {2026040300173, 2026040300174, 2026040700711}


def _bps_config(path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The file as `bps submit` reads it: with ctrl_bps's defaults and search order."""
    from lsst.ctrl.bps import BPS_DEFAULTS, BPS_SEARCH_ORDER, BpsConfig

    monkeypatch.setenv("DRP_PIPE_DIR", "/software/drp_pipe")
    monkeypatch.setenv("CTRL_MPEXEC_DIR", "/software/ctrl_mpexec")
    monkeypatch.chdir(path.parent)
    config = BpsConfig(
        str(path),
        search_order=BPS_SEARCH_ORDER,
        defaults=BPS_DEFAULTS,
        wms_service_class_fqn=PLUGIN,
    )
    config[".bps_defined.timestamp"] = "20261124T120000Z"
    config[".bps_defined.uniqProcName"] = config["outputRun"].replace("/", "_")
    return config


def parse_command(group: click.Group, words: list[str]) -> tuple[str, dict[str, Any]]:
    """A command line through a click group's real parser (nothing is run)."""
    context = group.make_context(words[0], words[1:])
    name, command, rest = group.resolve_command(context, [*context._protected_args, *context.args])
    assert name is not None and command is not None
    return name, command.make_context(name, rest, parent=context).params


def pipetask_group() -> click.Group:
    from lsst.ctrl.mpexec.cli.pipetask import cli

    return cli  # type: ignore[no-any-return]


def bps_group() -> click.Group:
    from lsst.ctrl.bps.cli.bps import cli

    return cli  # type: ignore[no-any-return]


def test_submit_yaml_read_back_by_ctrl_bps(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = notebook.campaigns(
        "bps", "config", DEMO, "--workflow", "step2-group1", "-o", "submit/step2-group1.yaml"
    )
    assert result.code == 0, result.err
    path = notebook.root / "submit" / "step2-group1.yaml"
    table_path = notebook.root / "submit" / "visits.data-id-table.ecsv"
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name, table_path.name]
    config = _bps_config(path, monkeypatch)

    assert config["campaign"] == DEMO
    assert config["project"] == "dr1"
    assert config["operator"] == "Kwame Mensah"
    assert config["computeSite"] == "SLAC"
    assert config[".payload.payloadName"] == "step2-group1"
    assert config[".payload.butlerConfig"] == "/repo/main"
    assert config[".payload.output"] == "LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300"
    assert config.search("output", opt={"searchobj": config["payload"]})[1] == (
        "LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300"
    )
    assert config[".payload.inCollection"] == "LSSTCam/defaults,refcats,skymaps"
    assert config["pipelineYaml"] == "/software/drp_pipe/pipelines/LSSTCam/DRP.yaml#step2"
    query = config.search("dataQuery", opt={"searchobj": config["payload"]})[1]
    # The campaign's query AND the workflow's AND NOT the exclusions; the OR keeps its parentheses.
    assert query.startswith(
        "instrument = 'LSSTCam' AND (day_obs >= 20260401 OR exposure = 2026040300171) AND "
        "exposure >= 2026040100000 AND exposure < 2026050100000 AND "
    )
    assert all(str(exposure) in query for exposure in EXCLUDED)
    assert query.count("NOT") == 1

    options = shlex.split(config["extraQgraphOptions"])
    assert options == [
        "-c",
        "isr:doBias=False",
        "-c",
        "calibrateImage:psf_det.thresholdValue=50",
        "-C",
        "calibrateImage:configs/calibrate-fix.py",
        "--data-id-table",
        str(table_path.resolve()),
    ]
    # The inclusion list as pipetask reads a data-ID table: dimension columns only.
    table = Table.read(table_path, format="ascii.ecsv")
    assert table.colnames == ["instrument", "exposure"]
    assert len(table) == 9
    assert 2026041100837 in set(table["exposure"])

    text = path.read_text(encoding="utf-8")
    commit = subprocess.run(
        ["git", "-C", str(notebook.root), "rev-parse", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    assert f"campaigns/{DEMO}.yaml at commit {commit}" in text
    assert "# software: w_2026_44" in text


def test_bps_turns_it_into_a_command_pipetask_accepts(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        notebook.campaigns("bps", "config", DEMO, "--workflow", "step2-group1", "-o", "s.yaml").code
        == 0
    )
    config = _bps_config(notebook.root / "s.yaml", monkeypatch)
    found, command = config.search("createQuantumGraph", opt={"curvals": {"qgraphFile": "g.qg"}})
    assert found
    words = shlex.split(command)  # as ctrl_bps's pre_transform.execute splits it
    assert words[0] == "/software/ctrl_mpexec/bin/pipetask"
    name, params = parse_command(pipetask_group(), ["pipetask", *words[1:]])
    assert name == "qgraph"
    assert params["butler_config"] == "/repo/main"
    assert params["input"] == ("LSSTCam/defaults", "refcats", "skymaps")
    assert params["output"] == "LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300"
    assert params["pipeline"] == "/software/drp_pipe/pipelines/LSSTCam/DRP.yaml#step2"
    assert (
        params["data_query"] == config.search("dataQuery", opt={"searchobj": config["payload"]})[1]
    )
    assert params["config"] == {
        "isr:doBias": "False",
        "calibrateImage:psf_det.thresholdValue": "50",
    }
    assert params["config_file"] == ("calibrateImage:configs/calibrate-fix.py",)
    assert params["data_id_table"] == (str(notebook.root / "visits.data-id-table.ecsv"),)


def test_every_workflow_into_a_folder(notebook: Notebook) -> None:
    result = notebook.campaigns("bps", "config", DEMO, "-o", "submit", "--status", "planned")
    assert result.code == 0, result.err
    assert sorted(p.name for p in (notebook.root / "submit").iterdir()) == [
        "step3.yaml",
        "visits.data-id-table.ecsv",
    ]
    assert notebook.campaigns("bps", "config", DEMO, "-o", "all").code == 0
    written = sorted(p.name for p in (notebook.root / "all").iterdir())
    assert len(written) == 13  # 12 workflows and the one table they share
    assert "payloadName: step3" in (notebook.root / "all" / "step3.yaml").read_text()


def test_standard_output_and_its_limits(notebook: Notebook) -> None:
    quiet = notebook.campaigns("bps", "config", "bps-quiet-20261101-c3d4", "--workflow", "step1")
    assert quiet.code == 0, quiet.err
    assert "wmsServiceClass: lsst.ctrl.bps.htcondor.HTCondorService" in quiet.out
    assert "pipelineYaml: ${DRP_PIPE_DIR}/pipelines/LSSTCam/DRP.yaml#step1" in quiet.out
    needs_table = notebook.campaigns("bps", "config", DEMO, "--workflow", "step3")
    assert needs_table.code == 2 and "give -o FILE" in needs_table.err
    no_folder = notebook.campaigns("bps", "config", DEMO)
    assert no_folder.code == 2 and "-o DIR" in no_folder.err
    no_workflow = notebook.campaigns("bps", "config", DEMO, "--workflow", "nope", "-o", "x.yaml")
    assert no_workflow.code == 2 and "step2-group1" in no_workflow.err


def test_exclusions_too_large_for_one_query_stop_with_the_alternatives(notebook: Notebook) -> None:
    config = notebook.root / "notebook.yaml"
    config.write_text(config.read_text() + "where_max_length: 100\n", encoding="utf-8")
    result = notebook.campaigns("bps", "config", DEMO, "-o", "submit")
    assert result.code == 1
    assert "too large for one dataQuery" in result.err
    assert "campaigns dataids subtract" in result.err and "TAGGED collection" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert not (notebook.root / "submit").exists()  # nothing half written


def test_record_text_bps_would_misread_is_refused(notebook: Notebook) -> None:
    record = notebook.root / "campaigns" / f"{DEMO}.yaml"
    record.write_text(
        record.read_text().replace('value: "False"', 'value: "{operator}"'), encoding="utf-8"
    )
    result = notebook.campaigns("bps", "config", DEMO, "--workflow", "step1", "-o", "s.yaml")
    assert result.code == 1 and "reads as one of its variables" in result.err
    record.write_text(
        record.read_text().replace("instrument = 'LSSTCam'", 'instrument = "LSSTCam"'),
        encoding="utf-8",
    )
    quoted = notebook.campaigns("bps", "config", DEMO, "--workflow", "step1", "-o", "s.yaml")
    assert quoted.code == 1 and "single quotes" in quoted.err


def test_bps_submit_parses_the_written_file(
    notebook: Notebook, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (
        notebook.campaigns("bps", "config", DEMO, "--workflow", "step3", "-o", "s/step3.yaml").code
        == 0
    )
    monkeypatch.chdir(notebook.root)
    name, params = parse_command(bps_group(), ["bps", "submit", "s/step3.yaml"])
    assert name == "submit" and params["config_file"] == "s/step3.yaml"


@pytest.mark.parametrize(
    ("old", "new", "refusal"),
    [
        # A brace in the butler's values: the message names them (the query is checked apart).
        ("repo: /repo/main", "repo: /repo/{main}", "butler contains '{' or '}'"),
        # In the campaign's query terms, before the exclusion lists.
        ("- instrument = 'LSSTCam'", "- instrument = '{camera}'", "the data query contains '{'"),
        # A ${VARIABLE} bps expands is no brace to refuse, in the query or the butler values.
        ("- instrument = 'LSSTCam'", "- instrument = '${CAMERA}'", ""),
        ("repo: /repo/main", "repo: ${REPO}/main", ""),
    ],
)
def test_each_part_of_a_submit_file_is_checked_for_what_bps_misreads(
    notebook: Notebook, old: str, new: str, refusal: str
) -> None:
    record = notebook.root / "campaigns" / f"{DEMO}.yaml"
    text = record.read_text(encoding="utf-8")
    assert old in text
    record.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = notebook.campaigns("bps", "config", DEMO, "--workflow", "step1", "-o", "s.yaml")
    if refusal:
        assert result.code == 1 and refusal in result.err, result.err
    else:
        assert result.code == 0, result.err
