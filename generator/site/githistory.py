"""The records' history from git, arranged for pages: per record file, newest commits overall,
and what the newest commits changed in each record.

``generator.gitrepo.file_history`` reads it with one ``git log`` for all records (not one call per
file), so the cost stays flat however many campaigns there are. What a commit changed comes from
the record files at the commit and at its parent, all read by one ``git cat-file --batch``
(``gitrepo.read_files``) and compared by ``generator.comparison``, the definition of record
differences ``campaigns diff`` uses. Only the newest ``EDITED_COMMITS`` commits are compared, and
at most ``EDITED_FILES`` files across them, so a long history or a commit that touched every
record costs the same as a short one. Without git (a tarball, a CI cache) ``load_history``
returns None and the pages say so.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from generator import gitrepo
from generator.comparison import CampaignChange, changed_fields, compare_campaign_data
from generator.gitrepo import Commit
from generator.loading.repository import PRODUCTIONS_DIR, RECORDS_DIR
from generator.loading.yamlfast import parse_values
from generator.loading.yamlsafe import plain

EDITED_COMMITS = 50  # newest commits whose record changes are worked out
EDITED_FILES = 200  # record files compared across them (~4 ms of CPU each: a YAML parse per side)
DETAILS_SHOWN = 4  # phrases per record ("workflow step3 added"), then "and N more"


@dataclass(frozen=True)
class RecordEdit:
    """What one commit did to one record file."""

    path: str
    record: str  # the record's id (its file name), or notebook.yaml
    kind: str  # campaign | production | config
    change: str  # added | removed | changed
    old_status: str = ""  # campaigns whose status changed: both set
    new_status: str = ""
    details: tuple[str, ...] = ()  # short phrases, in record order


@dataclass(frozen=True)
class CommitEdits:
    commit: Commit
    edits: tuple[RecordEdit, ...]
    not_compared: int = 0  # record files the commit touched beyond EDITED_FILES


@dataclass
class History:
    head: str = ""  # the commit checked out
    by_path: dict[str, list[Commit]] = field(default_factory=dict)  # newest first
    # every commit touching a record, newest first, with the record paths it touched
    commits: list[tuple[Commit, list[str]]] = field(default_factory=list)
    # what the newest commits changed in the records, newest first (commits that changed
    # nothing a record comparison sees, such as a comment, are left out)
    edits: list[CommitEdits] = field(default_factory=list)

    def of(self, path: str) -> list[Commit]:
        return self.by_path.get(path, [])


def load_history(
    root: Path, paths: list[str], loaded: Mapping[str, Mapping[str, Any]] | None = None
) -> History | None:
    """History of the record files ``paths`` (relative to ``root``); None outside git.
    ``loaded``: the records as loaded now, by path, reused for a commit's version of a file
    that is byte for byte the file in the work tree (instead of parsing it again)."""
    if not gitrepo.is_git_repository(root):
        return None
    head = gitrepo.head_commit(root)
    by_path = gitrepo.file_history(root, paths)
    touched: dict[str, tuple[Commit, list[str]]] = {}
    for path, commits in by_path.items():
        for commit in commits:
            touched.setdefault(commit.sha, (commit, []))[1].append(path)
    ordered = sorted(touched.values(), key=lambda item: (item[0].date, item[0].sha), reverse=True)
    newest = [(c, sorted(p)) for c, p in ordered]
    edits = record_edits(root, newest, loaded or {})
    return History(head.sha if head else "", by_path, newest, edits)


def record_edits(
    root: Path,
    commits: list[tuple[Commit, list[str]]],
    loaded: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[CommitEdits]:
    """What each of the newest commits changed in each record file it touched."""
    budget = EDITED_FILES
    chosen: list[tuple[Commit, list[str], int]] = []
    for commit, paths in commits[:EDITED_COMMITS]:
        compared = paths[: max(budget, 0)]
        budget -= len(compared)
        chosen.append((commit, compared, len(paths) - len(compared)))
    wanted = [
        (rev, path)
        for commit, paths, _ in chosen
        for path in paths
        for rev in (commit.sha, f"{commit.sha}^")
    ]
    contents = gitrepo.read_files(root, wanted)
    parsed = _Parsed(root, loaded or {})
    result = []
    for commit, paths, skipped in chosen:
        edits = []
        for path in paths:
            edit = _edit(
                path,
                parsed.data(contents.get((f"{commit.sha}^", path)), path),
                parsed.data(contents.get((commit.sha, path)), path),
            )
            if edit is not None:
                edits.append(edit)
        if edits or skipped:
            result.append(CommitEdits(commit, tuple(edits), skipped))
    return result


class _Parsed:
    """Each version of a record file parsed once: a commit's new side is often the next
    commit's old side, and the newest is usually the file as loaded for this build."""

    def __init__(self, root: Path, loaded: Mapping[str, Mapping[str, Any]]) -> None:
        self.root = root
        self.loaded = loaded
        self.seen: dict[tuple[str, bytes], Mapping[str, Any] | None] = {}

    def data(self, content: bytes | None, path: str) -> Mapping[str, Any] | None:
        if content is None:
            return None
        key = (path, content)
        if key not in self.seen:
            current = self._current(content, path)
            self.seen[key] = current if current is not None else _data(content, path)
        return self.seen[key]

    def _current(self, content: bytes, path: str) -> Mapping[str, Any] | None:
        if path not in self.loaded:
            return None
        try:
            same = (self.root / path).read_bytes() == content
        except OSError:
            return None
        return self.loaded[path] if same else None


def _data(content: bytes | None, path: str) -> Mapping[str, Any] | None:
    """The file's data (None: no file); a file that does not parse as a mapping gives
    ``UNREADABLE`` (the project's own YAML parser: old commits are untrusted input too)."""
    if content is None:
        return None
    data, _ = parse_values(content.decode("utf-8", errors="replace"), path)
    return data if isinstance(data, Mapping) else UNREADABLE


UNREADABLE: Mapping[str, Any] = {"": "not a readable record"}


def _kind(path: str) -> str:
    parts = PurePosixPath(path).parts
    if parts[:1] != (RECORDS_DIR,):
        return "config"
    return "production" if parts[1:2] == (PRODUCTIONS_DIR,) else "campaign"


def _edit(
    path: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None
) -> RecordEdit | None:
    kind = _kind(path)
    record = PurePosixPath(path).stem if kind != "config" else path
    if old is None and new is None:
        return None
    if old is UNREADABLE or new is UNREADABLE:  # no field-by-field story to tell
        broken = "not a readable record" if new is UNREADABLE else "a readable record again"
        return RecordEdit(path, record, kind, "changed", details=(f"now {broken}",))
    if old is None or new is None:
        side = new if new is not None else old
        assert side is not None
        status = str(side.get("status", "")) if kind == "campaign" else ""
        return RecordEdit(
            path,
            record,
            kind,
            "added" if old is None else "removed",
            new_status=status if old is None else "",
        )
    if kind == "campaign":
        change = compare_campaign_data(path, old, new)
        if change is None:
            return None
        return RecordEdit(
            path,
            record,
            kind,
            "changed",
            change.old_status,
            change.new_status,
            _shorten(_campaign_phrases(change)),
        )
    fields = changed_fields(plain(old), plain(new))
    if not fields:
        return None
    return RecordEdit(path, record, kind, "changed", details=_shorten(_field_phrases(fields)))


def _campaign_phrases(change: CampaignChange) -> list[str]:
    phrases = []
    if change.old_status:
        phrases.append(f"status {change.old_status} → {change.new_status}")
    for workflow in change.workflows:
        if workflow.change != "changed":
            phrases.append(f"workflow {workflow.name} {workflow.change}")
        elif workflow.old_status:
            phrases.append(
                f"workflow {workflow.name} {workflow.old_status} → {workflow.new_status}"
            )
        else:
            changed = ", ".join(path for path, _, _ in workflow.fields[:2])
            phrases.append(f"workflow {workflow.name}: {changed}")
    if change.journal_added:
        count = len(change.journal_added)
        phrases.append("journal entry added" if count == 1 else f"{count} journal entries added")
    if change.journal_removed:
        phrases.append(f"{len(change.journal_removed)} journal entry(ies) edited or removed")
    phrases.extend(_field_phrases(change.fields))
    return phrases


def _field_phrases(fields: list[tuple[str, Any, Any]]) -> list[str]:
    return [f"{path} changed" for path, _, _ in fields]


def _shorten(phrases: list[str]) -> tuple[str, ...]:
    if len(phrases) <= DETAILS_SHOWN:
        return tuple(phrases)
    return (*phrases[:DETAILS_SHOWN], f"and {len(phrases) - DETAILS_SHOWN} more")
