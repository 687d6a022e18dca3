"""`campaigns new`: valid records, readable unique ids, reruns with modifications."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.loading.yamlsafe import load_yaml_file
from generator.newcampaign import generate_id
from generator.pipeline import validate

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "notebook.yaml", root)
    shutil.copytree(REPO / "campaigns", root / "campaigns")
    return root


def _new(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["new", *args])
    out, err = capsys.readouterr()
    return code, out.strip(), err


def test_new_campaign_is_valid_and_printed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _new(
        capsys,
        "--root",
        str(repo),
        "--production",
        "dr1",
        "--name",
        "W48 RC2 rerun",
        "--kind",
        "development",
        "--definer",
        "Ana Souza",
    )
    assert code == 0, err
    path = Path(out)
    assert re.fullmatch(r"w48-rc2-rerun-\d{8}-[a-z2-9]{4}\.yaml", path.name)
    assert path.read_text().startswith(
        "# yaml-language-server: $schema=../schemas/campaign.schema.json\n"
    )
    repository = validate(repo).repository
    assert [p for p in repository.problems if p.is_error] == []
    campaign = repository.campaigns[path.stem]
    assert (campaign.status, campaign.definer, campaign.production) == (
        "defined",
        "Ana Souza",
        "dr1",
    )


def test_rerun_copies_the_definition_and_clears_the_run(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source_id = "dr1-mini-drp-rerun-20261103-t5hw"
    code, out, err = _new(
        capsys,
        "--root",
        str(repo),
        "--from",
        source_id,
        "--definer",
        "Kwame Mensah",
        "--with-workflows",
    )
    assert code == 0, err
    data, problems = load_yaml_file(Path(out), "new.yaml")
    assert problems == []
    source = validate(repo).repository.campaigns[source_id]
    assert data["derived_from"] == source_id
    assert data["status"] == "defined"
    assert data["pipeline"] == source.raw["pipeline"]
    assert data["selection"] == source.raw["selection"]
    assert "journal" not in data and "jira" not in data and "output" not in data["butler"]
    assert all(
        w["status"] == "planned" and "run_id" not in w and "started" not in w
        for w in data["workflows"]
    )
    assert not any("rescue_of" in w for w in data["workflows"])  # rescues belong to the old run
    assert [w["name"] for w in data["workflows"]] == [
        "step1-group1",
        "step1-group2",
        "step2",
        "step3",
        "step4",
    ]
    assert not [p for p in validate(repo).repository.problems if p.is_error]


def test_unknown_production_is_refused_and_nothing_written(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sorted(p.name for p in (repo / "campaigns").iterdir())
    code, _, err = _new(
        capsys, "--root", str(repo), "--production", "dr9", "--name", "x", "--kind", "drp"
    )
    assert code == 2
    assert (
        "campaigns: error: production 'dr9' does not exist (hint: did you mean 'dr1'? "
        "(known productions: alert-production, comcam-commissioning, dr1))" in err
    )
    assert sorted(p.name for p in (repo / "campaigns").iterdir()) == before


def test_missing_options_name_what_is_missing(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _new(capsys, "--root", str(repo), "--name", "x")
    assert code == 2
    assert (
        "error: missing --production, --kind (hint: or start from an existing campaign with --from ID)"
        in err
    )


def test_generated_ids_do_not_collide_and_stay_safe() -> None:
    ids = {generate_id("DR1 Mini-DRP: PSF fix (v2)!", set()) for _ in range(300)}
    assert len(ids) > 295  # 31**4 suffixes: two branches on one day almost never collide
    assert all(re.fullmatch(r"dr1-mini-drp-psf-fix-v2-\d{8}-[a-z2-9]{4}", i) for i in ids)
    taken = {"x-20260101-aaaa"}
    assert generate_id("x", taken) not in taken


def test_skeleton_has_hints_and_placeholders_that_validate_warns_about(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _new(
        capsys,
        *("--root", str(repo), "--production", "dr1", "--name", "W48 RC2"),
        *("--kind", "development", "--definer", "Ana Souza", "--date", "2026-11-24"),
    )
    assert code == 0, err
    path = Path(out)
    assert re.fullmatch(r"w48-rc2-20261124-[a-z2-9]{4}\.yaml", path.name)
    text = path.read_text(encoding="utf-8")
    for field in ("id", "name", "production", "kind", "status", "tags", "definer", "jira"):
        [line] = [line for line in text.splitlines() if line.startswith(f"{field}:")]
        assert " # " in line, f"{field} has no hint"
    assert "\n# purpose: what the campaign is for" in text
    assert "\n# software:\n#   version: " in text  # optional sections, commented out
    code = main(["validate", "--root", str(repo), str(path)])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{path.relative_to(repo)}:16:10: warning: purpose still holds placeholder text" in out
    assert main(["validate", "--strict", "--root", str(repo), str(path)]) == 1
    assert ": error: reason still holds placeholder text (TODO)" in capsys.readouterr().out


def test_ids_are_dated_by_option_then_campaigns_now(
    repo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMPAIGNS_NOW", "2030-01-02T03:04Z")
    args = ("--root", str(repo), "--production", "dr1", "--kind", "drp", "--definer", "A")
    _, out, _ = _new(capsys, *args, "--name", "a")
    assert "-20300102-" in Path(out).name
    _, out, _ = _new(capsys, *args, "--name", "b", "--date", "2031-05-06")
    assert "-20310506-" in Path(out).name
    monkeypatch.setenv("CAMPAIGNS_NOW", "yesterday")
    code, _, err = _new(capsys, *args, "--name", "c")
    assert code == 2
    assert "campaigns: error: cannot read the date 'yesterday' (from $CAMPAIGNS_NOW)" in err


def test_new_production(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _new(capsys, "production", "--root", str(repo), "--name", "Data Release 2")
    assert code == 0, err
    assert Path(out) == repo / "campaigns" / "productions" / "data-release-2.yaml"
    repository = validate(repo).repository
    assert repository.productions["data-release-2"].name == "Data Release 2"
    assert [p.message for p in repository.problems if p.path.endswith("data-release-2.yaml")] == [
        "description still holds placeholder text (TODO)"
    ]
    code, _, err = _new(capsys, "production", "--root", str(repo), "--name", "x", "--id", "dr1")
    assert code == 2
    assert "production 'dr1' already exists" in err
