"""``repository._real_path`` is ``os.path.realpath`` (one ``realpath`` per folder, not per file)."""

from __future__ import annotations

import os
from pathlib import Path

from generator.loading.repository import _real_path


def test_real_path_is_realpath_for_files_links_and_linked_folders(tmp_path: Path) -> None:
    folder = tmp_path / "a"
    folder.mkdir()
    (folder / "f.yaml").write_text("x: y\n", encoding="utf-8")
    (tmp_path / "linked").symlink_to(folder)
    (folder / "link.yaml").symlink_to(folder / "f.yaml")
    (folder / "out.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    (folder / "loop.yaml").symlink_to(folder / "loop.yaml")
    real_folders: dict[str, str] = {}
    names = ["f.yaml", "link.yaml", "out.yaml", "loop.yaml", "missing.yaml"]
    paths = [os.fspath(tmp_path / top / name) for top in ("a", "linked") for name in names]
    paths += ["f.yaml", os.sep + "f.yaml", os.fspath(folder) + os.sep]
    for path in paths:
        assert _real_path(path, real_folders) == os.path.realpath(path), path
    assert real_folders[os.fspath(tmp_path / "linked")] == os.path.realpath(folder)
