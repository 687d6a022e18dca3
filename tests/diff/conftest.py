"""Temporary git repositories of records: the example records, committed on ``main``."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cli import main
from tests.testing import git

PROJECT = Path(__file__).resolve().parents[2]


class RecordsRepo:
    """A git repository holding a copy of the example records, with helpers to change them."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def git(self, *args: str) -> str:
        return git(self.root, *args)

    def commit(self, message: str) -> None:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)

    def replace(self, path: str, old: str, new: str) -> None:
        """Replace text that must occur exactly once (so a changed example fails loudly)."""
        file = self.root / path
        text = file.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
        file.write_text(text.replace(old, new), encoding="utf-8")

    def append(self, path: str, text: str) -> None:
        with (self.root / path).open("a", encoding="utf-8") as file:
            file.write(text)

    def diff(self, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
        """Run ``campaigns diff --root ROOT ARGS``: (exit code, stdout, stderr)."""
        capsys.readouterr()
        code = main(["diff", "--root", str(self.root), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    def diff_json(self, capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
        code, out, err = self.diff(capsys, "--format", "json", *args)
        assert code == 0, err
        document: dict[str, object] = json.loads(out)
        return document


def copy_examples(destination: Path) -> None:
    shutil.copy(PROJECT / "notebook.yaml", destination / "notebook.yaml")
    shutil.copytree(PROJECT / "campaigns", destination / "campaigns")


@pytest.fixture
def records_repo(tmp_path: Path) -> Iterator[RecordsRepo]:
    """The example records committed on ``main`` in a fresh repository."""
    root = tmp_path / "notebook"
    root.mkdir()
    copy_examples(root)
    repo = RecordsRepo(root)
    repo.git("init", "--quiet", "--initial-branch=main")
    repo.commit("Example records")
    yield repo
