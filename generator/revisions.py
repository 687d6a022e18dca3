"""`campaigns diff`: load two git revisions of the records, validate each, compare them.

The comparison itself is ``generator.comparison``; rendering is ``generator.render.diffreport``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from generator import gitrepo
from generator.comparison import (
    CompletedUse,
    ListChange,
    RecordDiff,
    compare_repositories,
    list_users,
)
from generator.errors import ExitCode, UserError
from generator.loading.repository import CONFIG_FILE, RECORDS_DIR, Repository
from generator.loading.yamlfast import parse_values
from generator.pipeline import validate


def load_revision(root: Path, ref: str, workdir: Path) -> Repository:
    """The repository as it is at commit ``ref``, written into ``workdir`` and loaded from there.

    Only the records travel: ``notebook.yaml`` and ``campaigns/`` (schemas come from the
    installed package). ``root`` may be a folder inside a larger git repository.
    """
    top = Path(gitrepo.run_git(root, "rev-parse", "--show-toplevel").decode().strip())
    prefix = gitrepo.run_git(root, "rev-parse", "--show-prefix").decode().strip()
    gitrepo.export_tree(top, ref, [prefix + CONFIG_FILE, prefix + RECORDS_DIR], workdir)
    return validate(workdir / prefix if prefix else workdir).repository


def diff_revisions(root: Path, base_ref: str, head_ref: str | None = None) -> RecordDiff:
    """Compare commit ``base_ref`` with ``head_ref`` (default: the working tree under ``root``)."""
    base_sha = _commit_or_fail(root, base_ref)
    with tempfile.TemporaryDirectory(prefix="campaigns-diff-") as scratch:
        base = load_revision(root, base_sha, Path(scratch) / "base")
        if head_ref is None:
            head = validate(root).repository
            head_label = "working tree"
        else:
            head_sha = _commit_or_fail(root, head_ref)
            head = load_revision(root, head_sha, Path(scratch) / "head")
            head_label = f"{head_ref} ({head_sha[:10]})"
        diff = compare_repositories(
            base, head, base_label=f"{base_ref} ({base_sha[:10]})", head_label=head_label
        )
        diff.completed_uses = completed_uses(root, base_sha, base, diff.lists)
        return diff


def completed_uses(
    root: Path, base_sha: str, base: Repository, lists: list[ListChange]
) -> list[CompletedUse]:
    """Changed or removed lists named by campaigns that were completed at the base commit."""
    users = list_users(base)
    found = []
    for change in lists:
        if change.change == "added":
            continue
        for campaign_id in users.get(change.path, []):
            campaign = base.campaigns[campaign_id]
            if campaign.status != "completed":
                continue
            since = gitrepo.holds_since(root, campaign.path, base_sha, _is_completed)
            found.append(
                CompletedUse(
                    change.path,
                    campaign.id,
                    campaign.path,
                    since.sha if since else "",
                    since.date.strftime("%Y-%m-%d") if since else "",
                )
            )
    return found


def _is_completed(record: bytes) -> bool:
    data, _ = parse_values(record.decode("utf-8", errors="replace"), "")
    return isinstance(data, dict) and data.get("status") == "completed"


def _commit_or_fail(root: Path, ref: str) -> str:
    sha = gitrepo.resolve_commit(root, ref)
    if sha is None:
        raise UserError(
            f"{ref!r} is not a commit in this repository",
            hint="name a branch, tag or sha (in a shallow CI checkout, fetch with fetch-depth: 0)",
            exit_code=ExitCode.USAGE,
        )
    return sha
