"""Write a realistic synthetic notebook repository at a chosen scale, for the benchmark.

The shape follows what a survey's processing team would keep after a few years (see the domain
notes): productions holding campaigns, each campaign with 20 workflows (step groups, two of them
failed and rescued), 3 Jira keys, 10 journal entries, operators with shifts, configuration
overrides and links; one ECSV exclusion list of 500 exposures per production, and one inclusion
list of (exposure, detector) rows, 1,000,000 by default, named by the first campaign.

Everything is derived from a seeded random generator, so the same scale gives the same files.
The records must pass ``campaigns validate`` without a single problem: the benchmark measures
the happy path, and tests/bench checks it stays valid as the rules grow.

Usage: ``python bench/synth.py OUT --campaigns 100 [--list-rows 1000000]``
"""

from __future__ import annotations

import argparse
import random
import shutil
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DETECTORS = 189  # LSSTCam science detectors, 0..188
EXPOSURES_PER_NIGHT = 800
FIRST_NIGHT = date(2026, 1, 5)
SHARED_FILES = ("notebook.yaml", "mkdocs.yml")
SHARED_FOLDERS = ("docs", "schemas", "overrides")

KINDS = [  # (kind, weight)
    ("nightly", 40),
    ("development", 20),
    ("commissioning", 15),
    ("integration", 10),
    ("mini-drp", 10),
    ("drp", 5),
]
STATUSES = [("completed", 60), ("running", 15), ("paused", 10), ("defined", 10), ("failed", 5)]
PEOPLE = [
    "Ana Souza",
    "Kwame Mensah",
    "Lucía Ferreyra",
    "Hiroshi Tanaka",
    "Priya Raman",
    "Jonas Lindqvist",
    "Amara Okafor",
    "Mei Chen",
    "Tomás Herrera",
    "Fatima Zahra",
]
EXCLUSION_REASONS = [
    "donuts",
    "trailed",
    "messy PSF",
    "dome vignetting",
    "tracking stopped",
    "out of focus (trefoil)",
    "stray light",
    "thermal test",
]
SOFTWARE_VERSIONS = ["w_2026_02", "w_2026_10", "w_2026_18", "w_2026_30", "w_2026_40", "v30_0_0"]
STEP_PLAN = (
    [f"step1-group{g:02d}" for g in range(1, 13)]
    + ["step1-group04-rescue1", "step1-group09-rescue1", "step2"]
    + [f"step3-group{g:02d}" for g in range(1, 4)]
    + ["step4", "step5"]
)
RESCUED = {"step1-group04-rescue1": "step1-group04", "step1-group09-rescue1": "step1-group09"}
JOURNAL_TEXTS = [
    "{step} finished; **{n} quanta** failed, all in exposures already on the exclusion list.",
    "Paused after {step} to review the PSF residuals near tract edges with the pipelines team.",
    "Submitted {step} at {site}; the queue is long, expect results tomorrow morning.",
    "Memory errors in {step} ({n} jobs held); raised the request to 8 GB and released them.",
    "Checked the coadd depth in tract {tract}: as expected within 0.05 mag.\n\n"
    "Plots are linked below; nothing to change before the next step.",
    "Rescue of {step} submitted; it skips the {n} quanta that already exist.",
    "Discussed in the weekly meeting: keep `{version}` for the remaining steps.",
    "Butler registry was slow ({n} s per query); the data facility is looking at it.",
    "Added {n} exposures to the exclusion list (trailed, tracking stopped).",
    "Sign-off: outputs look good, {step} complete; the campaign ticket is updated.",
]


@dataclass(frozen=True)
class Scale:
    """How big a synthetic repository is."""

    campaigns: int
    list_rows: int = 1_000_000
    exclusion_rows: int = 500
    workflows_per_campaign: int = len(STEP_PLAN)
    jira_keys_per_campaign: int = 3
    journal_entries: int = len(JOURNAL_TEXTS)

    @property
    def productions(self) -> int:
        return max(3, self.campaigns // 200)


@dataclass
class SyntheticRepository:
    """What was written, for the runner to point tools at."""

    root: Path
    scale: Scale
    campaign_files: list[Path] = field(default_factory=list)
    production_ids: list[str] = field(default_factory=list)
    jira_keys: list[str] = field(default_factory=list)
    inclusion_list: Path = Path()
    exclusion_lists: list[Path] = field(default_factory=list)


class _RecordDumper(yaml.CSafeDumper):
    """Block style, multi-line text as literal blocks: what a person would write by hand."""


def _represent_text(dumper: _RecordDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_RecordDumper.add_representer(str, _represent_text)


def _dump(record: dict[str, Any], schema: str) -> str:
    body = yaml.dump(
        record,
        Dumper=_RecordDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
    return f"# yaml-language-server: $schema={schema}\n{body}"


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def _exposure(night: date, seq: int) -> int:
    return int(night.strftime("%Y%m%d")) * 100_000 + seq


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _suffix(index: int) -> str:
    """A unique 4-character id suffix (base 36 of the index, scrambled so ids look random)."""
    alphabet = string.digits + string.ascii_lowercase
    value = (index * 1_679_609 + 12_345) % 36**4  # 1679609 is coprime with 36**4: a bijection
    chars = []
    for _ in range(4):
        value, digit = divmod(value, 36)
        chars.append(alphabet[digit])
    return "".join(chars)


def write_ecsv(
    path: Path,
    columns: list[tuple[str, str]],
    rows: Iterable[tuple[Any, ...]],
    meta: dict[str, Any],
) -> None:
    """An astropy ECSV 1.0 table: YAML header (with the list's metadata) in comments, then rows."""
    header = ["# %ECSV 1.0", "# ---", "# datatype:"]
    header += [f"# - {{name: {name}, datatype: {kind}}}" for name, kind in columns]
    meta_yaml = yaml.dump({"meta": meta}, Dumper=_RecordDumper, sort_keys=False, width=1000)
    header += [f"# {line}" for line in meta_yaml.splitlines()]
    header += ["# schema: astropy-2.0", " ".join(name for name, _ in columns)]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write("\n".join(header) + "\n")
        out.writelines(
            " ".join(f'"{v}"' if isinstance(v, str) and " " in v else str(v) for v in row) + "\n"
            for row in rows
        )


def list_metadata(kind: str, description: str, how: str) -> dict[str, Any]:
    return {
        "kind": kind,
        "description": description,
        "author": "Kwame Mensah",
        "created": "2026-10-28",
        "generated_by": {"how": how},
    }


def inclusion_rows(count: int) -> Iterator[tuple[int, int]]:
    """(exposure, detector) for every detector of consecutive exposures over consecutive nights."""
    for index in range(count):
        exposure_index, detector = divmod(index, DETECTORS)
        night, seq = divmod(exposure_index, EXPOSURES_PER_NIGHT)
        yield _exposure(FIRST_NIGHT + timedelta(days=night), seq + 1), detector


def nights_of(list_rows: int) -> int:
    """How many nights an inclusion list of ``list_rows`` rows spans."""
    return -(-list_rows // (DETECTORS * EXPOSURES_PER_NIGHT))


def exclusion_rows(rng: random.Random, count: int, first_night: date) -> list[tuple[int, str]]:
    """Sorted distinct exposures from nights starting at ``first_night``, each with a reason."""
    nights = max(1, count // 50)
    picks = rng.sample(range(nights * EXPOSURES_PER_NIGHT), count)
    exposures = sorted(
        _exposure(
            first_night + timedelta(days=p // EXPOSURES_PER_NIGHT), p % EXPOSURES_PER_NIGHT + 1
        )
        for p in picks
    )
    return [(e, rng.choice(EXCLUSION_REASONS)) for e in exposures]


def _production(index: int) -> dict[str, Any]:
    number = index + 1
    return {
        "id": f"dr{number}",
        "name": f"Data Release {number}",
        "description": (
            f"Processing of survey year {number} with the Data Release Production pipelines,\n"
            "from single-frame processing to coadds and object tables.\n"
        ),
        "jira": [f"DM-{40000 + number}"],
        "links": [
            {
                "title": f"DR{number} processing plan",
                "url": f"https://docs.example.org/dr{number}-plan/",
                "kind": "docs",
            }
        ],
        "tags": ["lsstcam"],
    }


def _workflows(
    rng: random.Random, status: str, start: datetime, output: str, keys: list[str]
) -> list[dict[str, Any]]:
    count = len(STEP_PLAN)
    submitted = {
        "completed": count,
        "failed": rng.randint(5, count),
        "running": rng.randint(1, count - 1),
        "paused": rng.randint(1, count - 1),
        "defined": 0,
    }[status]
    workflows = []
    for index, name in enumerate(STEP_PLAN):
        site = "IN2P3" if index % 3 == 2 else "SLAC"
        workflow: dict[str, Any] = {
            "name": name,
            "step": name.split("-")[0],
            "group": f"exposures {_exposure(FIRST_NIGHT, 1) + index * 1000}..{_exposure(FIRST_NIGHT, 1) + index * 1000 + 999}",
            "status": "planned",
            "system": "panda",
            "site": site,
        }
        if name in RESCUED:
            workflow["rescue_of"] = RESCUED[name]
        if index < submitted:
            began = start + timedelta(hours=6 * index)
            run_id = 50_000 + rng.randint(0, 899_999)
            stamp = began.strftime("%Y%m%dT%H%M%SZ")
            if index == submitted - 1 and status == "running":
                workflow["status"] = "running"
            elif (index == submitted - 1 and status == "failed") or name in RESCUED.values():
                workflow["status"] = "failed"
            else:
                workflow["status"] = "succeeded"
            workflow.update(
                run_id=str(run_id),
                run_name=f"{output.replace('/', '_')}_{name}_{stamp}",
                submit_dir=f"/sdf/data/rubin/panda_jobs/submit/{output}/{stamp}",
                output=f"{output}/{stamp}",
                started=_stamp(began),
                operators=[rng.choice(PEOPLE)],
            )
            if workflow["status"] != "running":
                workflow["finished"] = _stamp(
                    began + timedelta(hours=5, minutes=rng.randint(0, 59))
                )
            if name in RESCUED.values():
                workflow["notes"] = (
                    f"Failed on {rng.randint(3, 90)} quanta (out of memory); rescued."
                )
            if index % 7 == 0:
                workflow["jira"] = [keys[1 + index % 2]]
        workflows.append(workflow)
    return workflows


def _journal(
    rng: random.Random, count: int, start: datetime, keys: list[str], version: str
) -> list[dict[str, Any]]:
    entries = []
    for index in range(count):
        text = JOURNAL_TEXTS[index % len(JOURNAL_TEXTS)].format(
            step=STEP_PLAN[min(index * 2, len(STEP_PLAN) - 1)],
            n=rng.randint(2, 400),
            site=rng.choice(["SLAC", "IN2P3"]),
            tract=rng.randint(5000, 5400),
            version=version,
        )
        entry: dict[str, Any] = {
            "date": _stamp(start + timedelta(hours=11 * index + rng.randint(0, 5))),
            "author": rng.choice(PEOPLE),
            "text": text + ("\n" if "\n" in text else ""),
        }
        if index % 3 == 0:
            entry["jira"] = [keys[index % len(keys)]]
        entries.append(entry)
    return entries


def _campaign(
    rng: random.Random, index: int, production: str, scale: Scale, earlier: list[str]
) -> dict[str, Any]:
    kind = _weighted(rng, KINDS)
    status = _weighted(rng, STATUSES)
    start = datetime(2025, 1, 6, 8, tzinfo=UTC) + timedelta(hours=7 * index)
    campaign_id = f"{production}-{kind}-{start:%Y%m%d}-{_suffix(index)}"
    first_key = 50_000 + index * scale.jira_keys_per_campaign
    keys = [f"DM-{first_key + k}" for k in range(scale.jira_keys_per_campaign)]
    version = rng.choice(SOFTWARE_VERSIONS)
    output = f"LSSTCam/runs/DRP/{production.upper()}/{version}/{keys[0]}"
    definer, *operators = rng.sample(PEOPLE, 4)
    record: dict[str, Any] = {
        "id": campaign_id,
        "name": f"{production.upper()} {kind} {start:%Y-%m-%d}",
        "production": production,
        "kind": kind,
        "status": status,
        "tags": ["lsstcam", rng.choice(["psf", "calibration", "validation", "rerun"])],
    }
    if earlier and rng.random() < 0.3:
        record["derived_from"] = rng.choice(earlier[-50:])
    record.update(
        definer=definer,
        operators=[
            {
                "name": name,
                "role": "night operator" if n == 0 else "day operator",
                "shifts": [{"start": _stamp(start), "end": _stamp(start + timedelta(hours=8))}],
            }
            for n, name in enumerate(operators)
        ],
        jira=keys,
        purpose=(
            f"Process the {kind} selection with `{version}` and check the outputs against the\n"
            f"previous run: PSF, photometric calibration and coadd depth per tract.\n"
        ),
        reason=f"The pipelines changed in {keys[0]}; fresh outputs are needed to compare.",
    )
    if status != "defined":
        record["started"] = _stamp(start)
    if status in ("completed", "failed"):
        record["finished"] = _stamp(start + timedelta(days=6))
    record.update(
        software={"version": version, "packages": {"meas_algorithms": f"tickets/{keys[0]}"}},
        butler={
            "repo": "/repo/main",
            "instrument": "LSSTCam",
            "skymap": "lsst_cells_v1",
            "inputs": ["LSSTCam/defaults", "refcats", "skymaps"],
            "output": output,
        },
        pipeline={
            "uri": "${DRP_PIPE_DIR}/pipelines/LSSTCam/DRP.yaml",
            "bps_config": f"bps/{production}-{kind}.yaml",
            "config": [
                {
                    "task": "isr",
                    "field": "doBias",
                    "value": "False",
                    "why": "bias not certified yet",
                },
                {"task": "makeDirectWarp", "field": "useVisitSummaryPsf", "value": "True"},
            ],
            "source": {
                "repo": "https://github.com/lsst/drp_pipe",
                "ref": version.replace("_", "."),
            },
        },
        selection={
            "query": [
                "instrument = 'LSSTCam'",
                "skymap = 'lsst_cells_v1'",
                f"day_obs >= {start:%Y%m%d}",
                "detector NOT IN (120, 121, 122)",
            ],
            "exclude": [f"../dataids/{production}-exclusions.ecsv"],
        },
        workflows=_workflows(rng, status, start, output, keys),
        journal=_journal(rng, scale.journal_entries, start, keys, version),
        links=[
            {
                "title": "QA plots",
                "url": f"https://plots.example.org/{campaign_id}",
                "kind": "plots",
            },
            {
                "title": "Metrics",
                "url": f"https://metrics.example.org/d/{campaign_id}",
                "kind": "metrics",
            },
        ],
    )
    return record


def write_repository(root: Path, scale: Scale, *, seed: int = 7) -> SyntheticRepository:
    """Write the repository under ``root`` (created; must be empty or absent)."""
    rng = random.Random(seed)
    records = root / "campaigns"
    (records / "productions").mkdir(parents=True, exist_ok=True)
    # The site configuration, hand-written pages and schemas come from this repository, so the
    # synthetic one builds exactly like the real notebook would.
    for name in SHARED_FILES:
        shutil.copyfile(REPO_ROOT / name, root / name)
    for name in SHARED_FOLDERS:
        shutil.copytree(REPO_ROOT / name, root / name, dirs_exist_ok=True)
    written = SyntheticRepository(root=root, scale=scale)
    # Exclusions come from nights after the inclusion list's, so the two never overlap (a warning).
    exclusion_night = FIRST_NIGHT + timedelta(days=nights_of(scale.list_rows) + 3)
    for index in range(scale.productions):
        raw = _production(index)
        written.production_ids.append(raw["id"])
        (records / "productions" / f"{raw['id']}.yaml").write_text(
            _dump(raw, "../../schemas/production.schema.json"), encoding="utf-8"
        )
        exclusions = records / "dataids" / f"{raw['id']}-exclusions.ecsv"
        write_ecsv(
            exclusions,
            [("exposure", "uint64"), ("reason", "string")],
            exclusion_rows(rng, scale.exclusion_rows, exclusion_night),
            list_metadata(
                "exclusion",
                f"{raw['name']}: exposures never to process, each with its reason.",
                "night logs, rapid-analysis PSF metrics and visual inspection",
            ),
        )
        written.exclusion_lists.append(exclusions)
    written.inclusion_list = records / "dataids" / "dr1-visits-included.ecsv"
    write_ecsv(
        written.inclusion_list,
        [("exposure", "uint64"), ("detector", "int16")],
        inclusion_rows(scale.list_rows),
        list_metadata(
            "inclusion",
            "Every detector of the first DR1 nights' science exposures.",
            "consdb query of science exposures, all detectors",
        ),
    )
    earlier: list[str] = []
    for index in range(scale.campaigns):
        production = written.production_ids[index % scale.productions]
        record = _campaign(rng, index, production, scale, earlier)
        if index == 0:
            record["selection"]["include"] = ["../dataids/dr1-visits-included.ecsv"]
        path = records / production / f"{record['id']}.yaml"
        path.parent.mkdir(exist_ok=True)
        path.write_text(_dump(record, "../../schemas/campaign.schema.json"), encoding="utf-8")
        written.campaign_files.append(path)
        written.jira_keys.extend(record["jira"])
        earlier.append(record["id"])
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic notebook repository.")
    parser.add_argument("out", type=Path, help="folder to write (created)")
    parser.add_argument("--campaigns", type=int, default=100)
    parser.add_argument(
        "--list-rows", type=int, default=1_000_000, help="rows of the inclusion list"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    written = write_repository(
        args.out, Scale(args.campaigns, list_rows=args.list_rows), seed=args.seed
    )
    print(
        f"wrote {len(written.campaign_files)} campaigns, {len(written.production_ids)} productions "
        f"and {len(written.exclusion_lists) + 1} DataId lists under {written.root}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
