"""The records' history from git, arranged for pages: per record file, and newest commits overall.

``generator.gitrepo.file_history`` reads it with one ``git log`` for all records (not one call per
file), so the cost stays flat however many campaigns there are. Without git (a tarball, a CI
cache) ``load_history`` returns None and the pages say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import gitrepo
from generator.gitrepo import Commit


@dataclass
class History:
    head: str = ""  # the commit checked out
    by_path: dict[str, list[Commit]] = field(default_factory=dict)  # newest first
    # every commit touching a record, newest first, with the record paths it touched
    commits: list[tuple[Commit, list[str]]] = field(default_factory=list)

    def of(self, path: str) -> list[Commit]:
        return self.by_path.get(path, [])


def load_history(root: Path, paths: list[str]) -> History | None:
    """History of the record files ``paths`` (relative to ``root``); None outside git."""
    if not gitrepo.is_git_repository(root):
        return None
    head = gitrepo.head_commit(root)
    by_path = gitrepo.file_history(root, paths)
    touched: dict[str, tuple[Commit, list[str]]] = {}
    for path, commits in by_path.items():
        for commit in commits:
            touched.setdefault(commit.sha, (commit, []))[1].append(path)
    ordered = sorted(touched.values(), key=lambda item: (item[0].date, item[0].sha), reverse=True)
    return History(head.sha if head else "", by_path, [(c, sorted(p)) for c, p in ordered])
