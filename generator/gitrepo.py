"""The few git operations the notebook needs, all through the ``git`` command line.

Reading only: nothing here changes a repository. Every failure becomes a ``UserError`` with a
hint, never a traceback.
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from generator.errors import ExitCode, UserError

# NUL is the one character git never prints inside commit metadata or a path (``-z``): each
# commit starts with an empty field, then its four fields, then (with --name-only) its paths,
# which are never empty. Commit text with \x1e, \x1f or newlines cannot forge a row.
_LOG_FORMAT = "%x00%H%x00%an%x00%aI%x00%s"
_FIELDS = 4
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


@dataclass(frozen=True)
class Commit:
    sha: str
    author: str
    date: datetime  # aware, UTC
    message: str  # the subject line


def run_git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """``git -C root ARGS``'s standard output; a ``UserError`` carrying git's message on failure."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "-c", "core.quotePath=false", *args],
            input=stdin,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as error:
        raise UserError("git is not installed", hint="install git and rerun") from error
    if result.returncode != 0:
        message = result.stderr.decode(errors="replace").strip().splitlines()
        raise UserError(
            f"git {args[0]} failed: {message[-1] if message else 'exit status ' + str(result.returncode)}",
            hint="is this a git repository with the commits you named?",
        )
    return result.stdout


def user_name() -> str:
    """git's ``user.name`` as seen from the current folder; "" when unset or git is missing."""
    try:
        result = subprocess.run(
            ["git", "config", "user.name"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout.strip()


def is_git_repository(root: Path) -> bool:
    try:
        return run_git(root, "rev-parse", "--is-inside-work-tree").strip() == b"true"
    except UserError:
        return False


def resolve_commit(root: Path, ref: str) -> str | None:
    """The full sha of ``ref``, or None if it names no commit here."""
    try:
        return (
            run_git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
        )
    except UserError:
        return None


def default_base(root: Path) -> str:
    """The merge base of HEAD with ``main`` (or ``origin/main``, as CI checkouts have it)."""
    for branch in ("main", "origin/main"):
        if resolve_commit(root, branch) is not None:
            return run_git(root, "merge-base", "HEAD", branch).decode().strip()
    raise UserError(
        "no branch 'main' or 'origin/main' to compare with",
        hint="pass --base REF (in a shallow CI checkout, fetch with fetch-depth: 0)",
        exit_code=ExitCode.USAGE,
    )


def export_tree(root: Path, ref: str, paths: Iterable[str], destination: Path) -> None:
    """Write the files under ``paths`` (relative to the top of the work tree, as ``root`` must be)
    as they are at ``ref`` into ``destination``.

    One ``git archive`` call; paths that do not exist at ``ref`` are skipped (a repository may
    have had no ``notebook.yaml`` yet).
    """
    listing = run_git(root, "ls-tree", "-z", "--name-only", ref, "--", *paths)
    present = [name for name in listing.decode().split("\0") if name]
    if not present:
        return
    archive = run_git(root, "archive", "--format=tar", ref, "--", *present)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            # git writes only plain names below the root; still, never write outside it.
            target = (destination / member.name).resolve()
            if not member.isfile() or not target.is_relative_to(destination.resolve()):
                continue
            source = tar.extractfile(member)
            if source is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read())


def head_commit(root: Path) -> Commit | None:
    """The commit checked out, or None in a repository without commits."""
    if resolve_commit(root, "HEAD") is None:
        return None
    output = run_git(root, "log", "-z", "-1", f"--format={_LOG_FORMAT}", "HEAD")
    commits = _parse_log(output)
    return commits[0][0] if commits else None


def file_history(root: Path, paths: Iterable[str]) -> dict[str, list[Commit]]:
    """For each repository-relative path, the commits that changed it, newest first.

    One ``git log --name-only`` over the top-level folders of the paths (so a repository with
    thousands of records never hits the command-line length limit). Renames are not followed:
    a record's history starts at its current name. Paths without history map to ``[]``.
    """
    wanted = {Path(p).as_posix() for p in paths}
    history: dict[str, list[Commit]] = {path: [] for path in sorted(wanted)}
    if not wanted or resolve_commit(root, "HEAD") is None:
        return history
    tops = sorted({path.split("/", 1)[0] for path in wanted})
    output = run_git(
        root,
        "log",
        "-z",
        "--no-renames",
        "--name-only",
        f"--format={_LOG_FORMAT}",
        "HEAD",
        "--",
        *tops,
    )
    for commit, names in _parse_log(output):
        for name in names:
            if name in wanted:
                history[name].append(commit)
    return history


def _parse_log(output: bytes) -> list[tuple[Commit, list[str]]]:
    """Commits (and the paths each touched) from ``git log -z --format=_LOG_FORMAT``.

    A commit whose id or date git printed in a form we do not expect is skipped, never a crash:
    a repository with odd metadata still builds."""
    tokens = output.decode(errors="replace").split("\0")
    commits = []
    position = 0
    while position < len(tokens):
        if tokens[position] != "":  # not a commit start: stray output, skip to the next one
            position += 1
            continue
        fields = tokens[position + 1 : position + 1 + _FIELDS]
        position += 1 + _FIELDS
        names: list[str] = []
        while position < len(tokens) and tokens[position] != "":
            name = tokens[position]
            # git puts one newline between the commit's fields and its first path.
            names.append(name[1:] if not names and name.startswith("\n") else name)
            position += 1
        if len(fields) < _FIELDS:
            break
        sha, author, date, message = fields
        try:
            when = datetime.fromisoformat(date).astimezone(UTC)
        except ValueError:
            continue
        if _COMMIT_ID.fullmatch(sha):
            commits.append((Commit(sha, author, when, message), [n for n in names if n]))
    return commits


def read_files(root: Path, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], bytes]:
    """The content of each ``(revision, path)`` pair (path relative to the top of the work tree),
    read by one ``git cat-file --batch`` however many pairs there are. Pairs that name no file
    (a record added in that commit has none at its parent, a root commit has no parent) are
    left out of the result."""
    pairs = [(rev, path) for rev, path in dict.fromkeys(wanted) if "\n" not in rev + path]
    if not pairs:
        return {}
    request = "".join(f"{rev}:{path}\n" for rev, path in pairs).encode()
    output = run_git(root, "cat-file", "--batch", stdin=request)
    found: dict[tuple[str, str], bytes] = {}
    position = 0
    for pair in pairs:  # answers come in the order asked: "<id> <type> <size>\n<content>\n"
        line_end = output.index(b"\n", position)
        header = output[position:line_end].split(b" ")
        position = line_end + 1
        if header[-1] in (b"missing", b"ambiguous"):  # "<what was asked> missing"
            continue
        kind, size = header[1], int(header[2])
        if kind == b"blob":  # (a tree or another object is skipped)
            found[pair] = output[position : position + size]
        position += size + 1
    return found


def holds_since(root: Path, path: str, ref: str, holds: Callable[[bytes], bool]) -> Commit | None:
    """The commit since which the file at ``path`` (relative to ``root``) satisfies ``holds``
    without interruption up to ``ref``, or None if it does not hold at ``ref``.

    For "the commit where a campaign became completed": walks the file's commits newest first
    (``git log -z``, one ``git show`` per commit) until the condition first fails.
    """
    output = run_git(root, "log", "-z", "--no-renames", f"--format={_LOG_FORMAT}", ref, "--", path)
    since: Commit | None = None
    for commit, _ in _parse_log(output):
        try:
            content = run_git(root, "show", f"{commit.sha}:./{path}")
        except UserError:  # deleted in that commit
            break
        if not holds(content):
            break
        since = commit
    return since
