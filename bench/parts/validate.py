"""Starting the CLI, and `campaigns validate` next to check-jsonschema."""

from __future__ import annotations

import importlib.util

from bench.measure import (
    PEER_MAX_CAMPAIGNS,
    PYTHON,
    ROOT,
    Row,
    campaigns_command,
    campaigns_label,
    cli_offers,
    fmt_seconds,
)
from bench.parts.core import Bench
from bench.synth import SyntheticRepository


def startup(bench: Bench) -> None:
    row = bench.timed(
        "startup",
        "campaigns --version",
        "—",
        campaigns_command("--version"),
        ROOT,
        bench.settings.repeats(),
    )
    if row:
        row.meaning = "Starting Python and the CLI (every command module's argument parser): part of every `campaigns` figure below."


def validate(bench: Bench) -> None:
    why = cli_offers(["validate"], "--root")
    for campaigns in bench.settings.scales:
        label = campaigns_label(campaigns)
        if why:
            bench.missing("validate", "campaigns validate", label, why)
            continue
        repository = bench.repository(campaigns)
        ours = bench.timed(
            "validate",
            "campaigns validate",
            label,
            campaigns_command("validate", "--root", str(repository.root)),
            repository.root,
            bench.settings.repeats(),
        )
        if ours:
            ours.other = f"{fmt_seconds(ours.median_cpu() / campaigns)} CPU per campaign"
            ours.meaning = (
                f"Reads, schema-checks and cross-checks all {campaigns:,} campaigns and the "
                f"DataId lists they name (the {bench.settings.list_rows:,}-row inclusion list too)."
            )
        peer = check_jsonschema(bench, repository, campaigns, label)
        if ours and peer:
            ratio = peer.median_cpu() / ours.median_cpu()
            ours.meaning += (
                f" {ratio:.1f}× {'less' if ratio >= 1 else 'more'} CPU time than "
                "check-jsonschema, which checks the schema only."
            )


def check_jsonschema(
    bench: Bench, repository: SyntheticRepository, campaigns: int, label: str
) -> Row | None:
    what = "check-jsonschema (schema only)"
    if importlib.util.find_spec("check_jsonschema") is None:
        bench.missing("validate", what, label, "check-jsonschema is not installed")
        return None
    measured = [r for r in bench.rows if r.what == what and r.runs]
    if campaigns > PEER_MAX_CAMPAIGNS and not bench.settings.quick:
        estimate = ""
        if measured:
            rate = measured[-1].median_cpu() / measured[-1].campaigns
            estimate = f": about {fmt_seconds(rate * campaigns)} of CPU at the rate measured above"
        detail = f"not run above {PEER_MAX_CAMPAIGNS:,} campaigns (its cost grows with the files, and the full run must stay affordable){estimate}"
        bench.add(Row("validate", what, label, status="skipped", detail=detail))
        return None
    schema = str(repository.root / "schemas" / "campaign.schema.json")
    files = [str(p.relative_to(repository.root)) for p in repository.campaign_files]
    peer = bench.timed(
        "validate",
        what,
        label,
        [PYTHON, "-m", "check_jsonschema", "--schemafile", schema, *files],
        repository.root,
        min(3, bench.settings.repeats()),
    )
    if peer:
        peer.other = f"{fmt_seconds(peer.median_cpu() / campaigns)} CPU per campaign"
        peer.meaning = (
            "The tool people would otherwise use, on the same files with the same schema: "
            "the schema only (no line numbers, no rules across files, no DataId lists)."
        )
    return peer
