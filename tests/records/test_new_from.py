"""`campaigns new --from`: the rerun keeps the parent's formatting and gets its own "why" (goldens)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import validate

HERE = Path(__file__).parent / "new-from"
REPO = Path(__file__).resolve().parents[2]
PARENT = "dr1-psf-step1-20261001-abcd"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    root.mkdir()
    shutil.copy(REPO / "notebook.yaml", root)
    shutil.copytree(REPO / "campaigns", root / "campaigns")
    shutil.copy(HERE / f"{PARENT}.yaml", root / "campaigns")
    return root


def _rerun(repo: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    code = main(["new", "--root", str(repo), "--from", PARENT, "--id", "psf-rerun", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    path = Path(out.strip())
    assert path == repo / "campaigns" / "psf-rerun.yaml"
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("golden", "extra"),
    [
        ("rerun.yaml", ()),
        (
            "rerun-with-workflows.yaml",
            (
                "--with-workflows",
                "--definer",
                "Kwame Mensah",
                "--name",
                "PSF step 1, rerun",
                "--purpose",
                "Rerun step 1 with the fixed piff build.",
                "--reason",
                "The first try needed a rescue;\nthe fix is in w_2026_40.",
            ),
        ),
    ],
)
def test_rerun_golden(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    update_golden: bool,
    golden: str,
    extra: tuple[str, ...],
) -> None:
    text = _rerun(repo, capsys, *extra)
    expected = HERE / golden
    if update_golden:
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")


def test_rerun_keeps_the_definer_and_asks_for_its_own_why(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _rerun(repo, capsys)
    repository = validate(repo).repository
    rerun = repository.campaigns["psf-rerun"]
    assert rerun.definer == "Ana Souza"  # the parent's, not the git user
    assert rerun.derived_from == PARENT
    assert (rerun.status, rerun.workflows, rerun.links, rerun.jira) == ("defined", (), (), ())
    assert rerun.butler.output == ""
    assert "TODO" in rerun.purpose and "TODO" in rerun.reason
    warnings = [p.message for p in repository.problems if p.path == rerun.path]
    assert warnings == [
        "purpose still holds placeholder text (TODO)",
        "reason still holds placeholder text (TODO)",
    ]


def test_rerun_of_a_broken_campaign_is_refused(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parent = repo / "campaigns" / f"{PARENT}.yaml"
    parent.write_text(parent.read_text().replace("status: completed", "status: done"))
    code = main(["new", "--root", str(repo), "--from", PARENT])
    assert code == 2
    assert f"campaigns: error: campaign {PARENT!r} has schema errors" in capsys.readouterr().err
    assert not (repo / "campaigns" / "psf-rerun.yaml").exists()
