"""The pre-commit hook other repositories use, and this repository's own hook configuration."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.cli import main

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def load(name: str) -> Any:
    return yaml.safe_load((PROJECT / name).read_text(encoding="utf-8"))


def hook() -> dict[str, Any]:
    [only] = load(".pre-commit-hooks.yaml")
    assert isinstance(only, dict)
    return only


@pytest.mark.parametrize(
    ("command", "name"),
    [
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ],
)
def test_pre_commit_accepts_the_files(command: str, name: str) -> None:
    pre_commit = BIN / "pre-commit"
    if not pre_commit.exists():
        pytest.skip("pre-commit is not installed")
    result = subprocess.run(
        [str(pre_commit), command, str(PROJECT / name)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_hook_runs_campaigns_validate_on_record_files() -> None:
    spec = hook()
    assert (spec["id"], spec["entry"], spec["language"]) == (
        "campaigns-validate",
        "campaigns validate",
        "python",
    )
    files = re.compile(spec["files"])
    for path in [
        "notebook.yaml",
        "campaigns/dr1-full-drp-20261120-w2yd.yaml",
        "campaigns/2026/nightly.yml",
        "campaigns/productions/dr1.yaml",
        "campaigns/dataids/lsstcam-exclusions.ecsv",
        "campaigns/dataids/visits.csv",
        "campaigns/dataids/visits.json",
    ]:
        assert files.search(path), path
    for path in [
        "README.md",
        "mkdocs.yml",
        "docs/notebook.yaml",
        "generator/schemas/x.json",
        "campaigns/notes.md",
    ]:
        assert not files.search(path), path


def test_this_repository_runs_the_same_hook_locally_and_ruff() -> None:
    config = load(".pre-commit-config.yaml")
    hooks = {h["id"]: (repo["repo"], h) for repo in config["repos"] for h in repo["hooks"]}
    assert set(hooks) == {"ruff", "ruff-format", "campaigns-validate"}
    local = hooks["campaigns-validate"][1]
    assert hooks["campaigns-validate"][0] == "local"
    assert local["files"] == hook()["files"]
    assert local["entry"].endswith(hook()["entry"])
    ruff = next(repo for repo in config["repos"] if repo["repo"].endswith("/ruff-pre-commit"))
    installed = subprocess.run(
        [str(BIN / "ruff"), "--version"], capture_output=True, text=True, check=True
    )
    assert ruff["rev"] == "v" + installed.stdout.split()[1]


def run_hook(root: Path, files: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """What pre-commit does: the entry, then the changed files that match ``files``."""
    files_pattern = re.compile(hook()["files"])
    entry = shlex.split(hook()["entry"])
    assert entry[0] == "campaigns"
    selected = [f for f in files if files_pattern.search(f)]
    code = main([*entry[1:], "--root", str(root), *(str(root / f) for f in selected)])
    *problems, summary = capsys.readouterr().out.splitlines(keepends=True)
    assert " checked: " in summary  # the summary line comes last, on its own line
    return code, "".join(problems)


def test_the_hook_reports_problems_in_the_changed_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(PROJECT / "notebook.yaml", tmp_path / "notebook.yaml")
    shutil.copytree(PROJECT / "campaigns", tmp_path / "campaigns")
    nightly = "campaigns/nightly-20261123-k9rm.yaml"
    assert run_hook(tmp_path, [nightly, "README.md"], capsys) == (0, "")
    path = tmp_path / nightly
    path.write_text(
        path.read_text(encoding="utf-8").replace("kind: nightly", "kind: nightlyy"),
        encoding="utf-8",
    )
    code, out = run_hook(tmp_path, [nightly], capsys)
    assert code == 1
    assert out.startswith(
        f"{nightly}:5:7: error: kind 'nightlyy' is not one of the allowed kinds (hint: did you mean 'nightly'?)"
    )
    # Another file changed: the broken one is not this commit's business.
    assert run_hook(tmp_path, ["campaigns/dr1-full-drp-20261120-w2yd.yaml"], capsys) == (0, "")
