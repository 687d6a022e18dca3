"""Inputs the parts measure on, beside the synthetic notebook of bench/synth.py: workflow-system
runs, DataId list files, a plain MkDocs configuration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from bench.synth import SyntheticRepository, list_metadata, write_ecsv


def write_wms_runs(repository: SyntheticRepository, target: Path) -> dict[str, int]:
    """The test plugin's runs for a synthetic repository: every submitted workflow's run (those
    the records call running have finished), plus one run per campaign the records lack."""
    counts = {"workflows": 0, "runs": 0, "unfinished": 0, "changed": 0}
    runs: list[dict[str, Any]] = []
    summary = {"isr": {"SUCCEEDED": 180, "FAILED": 2}, "calibrateImage": {"SUCCEEDED": 178}}
    for path in repository.campaign_files:
        record = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for workflow in record.get("workflows", []):
            counts["workflows"] += 1
            if "run_id" not in workflow:
                continue
            state = "FAILED" if workflow["status"] == "failed" else "SUCCEEDED"
            if workflow["status"] not in ("succeeded", "failed"):
                counts["unfinished"] += 1
                counts["changed"] += 1
            runs.append(
                {
                    "wms_id": str(workflow["run_id"]),
                    "campaign": record["id"],
                    "payload": workflow["name"],
                    "label": workflow.get("step", ""),
                    "run": workflow.get("run_name", ""),
                    "path": workflow.get("submit_dir", ""),
                    "operator": "operator",
                    "state": state,
                    "updated": "2026-11-24T11:00:00Z",
                    "job_summary": summary,
                    "exit_code_summary": {"isr": [137, 1]},
                }
            )
        runs.append(
            {
                "wms_id": f"9{len(runs):07d}",
                "campaign": record["id"],
                "payload": "extra-check",
                "label": "step1",
                "run": f"u_operator_extra_check_{len(runs)}_20261124T100000Z",
                "path": "/sdf/submit/u/operator/extra_check/20261124T100000Z",
                "operator": "operator",
                "state": "RUNNING",
                "updated": "2026-11-24T11:00:00Z",
                "job_summary": {"isr": {"SUCCEEDED": 10, "RUNNING": 90}},
            }
        )
    counts["runs"] = len(runs)
    target.write_text(json.dumps({"now": "2026-11-24T12:00:00Z", "runs": runs}), encoding="utf-8")
    return counts


def write_list_inputs(folder: Path, rows: int) -> tuple[Path, Path]:
    """The ECSV inclusion list (``rows`` rows) and an exclusion list of 500 exposures inside it."""
    from bench.synth import inclusion_rows

    source = folder / "included-source.ecsv"
    write_ecsv(
        source,
        [("exposure", "uint64"), ("detector", "int16")],
        inclusion_rows(rows),
        list_metadata("inclusion", "Benchmark inclusion list.", "bench/run.py"),
    )
    exposures = sorted({row[0] for row in inclusion_rows(rows)})
    excluded = [(e, "trailed") for e in exposures[::10][:500]]
    exclusions = folder / "excluded-source.ecsv"
    write_ecsv(
        exclusions,
        [("exposure", "uint64"), ("reason", "string")],
        excluded,
        list_metadata("exclusion", "Benchmark exclusion list.", "bench/run.py"),
    )
    return source, exclusions


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its ``!!python/name:`` tags (they are kept as None)."""


_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def write_plain_mkdocs_config(root: Path, docs_dir: Path, target: Path) -> Path:
    """A config that inherits everything from the repository's mkdocs.yml except the plugin."""
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_ConfigLoader)
    plugins = [
        plugin
        for plugin in config.get("plugins", [])
        if (plugin if isinstance(plugin, str) else next(iter(plugin))) != "campaign-notebook"
    ]
    # JSON is YAML: MkDocs reads this file, and INHERIT merges it over the repository's config.
    settings: dict[str, Any] = {
        "INHERIT": str(root / "mkdocs.yml"),
        "docs_dir": str(docs_dir),
        "plugins": plugins,
    }
    # MkDocs reads a relative custom_dir against this file's folder: name the repository's.
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        settings["theme"] = {"custom_dir": str(root / theme["custom_dir"])}
    # ... and hooks, too.
    if config.get("hooks"):
        settings["hooks"] = [str(root / hook) for hook in config["hooks"]]
    target.write_text(json.dumps(settings, indent=2), encoding="utf-8")
    return target


# --- machine, report, docs ----------------------------------------------------------------
