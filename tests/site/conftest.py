"""A private copy of the example notebook for each test, with a fixed Jira snapshot and git history.

Site tests never read the working tree's git history or Jira snapshot: those change with every
commit and fetch. The records get one commit with fixed author, committer and dates, so commit ids
(and so the golden pages) are the same on every machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import markdown
import pytest
import yaml

from generator.records import parse_timestamp

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"
NOW_TEXT = "2026-11-24T12:00Z"
RECORDS = ["notebook.yaml", "campaigns"]
COPIED = [*RECORDS, "mkdocs.yml", "docs", "overrides", "workflow-status.json"]
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Ana Souza",
    "GIT_AUTHOR_EMAIL": "ana@example.org",
    "GIT_AUTHOR_DATE": "2026-11-20T10:00:00+00:00",
    "GIT_COMMITTER_NAME": "Ana Souza",
    "GIT_COMMITTER_EMAIL": "ana@example.org",
    "GIT_COMMITTER_DATE": "2026-11-20T10:00:00+00:00",
}


def fixed_now() -> datetime:
    moment = parse_timestamp(NOW_TEXT)
    assert moment is not None
    return moment


def copy_example_notebook(target: Path) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=shutil.ignore_patterns(".*"))
        else:
            shutil.copy2(source, target / name)
    shutil.copy2(FIXTURES / "jira-snapshot.json", target / "jira-snapshot.json")
    return target


def commit_all(root: Path, message: str) -> None:
    env = {**os.environ, **GIT_IDENTITY}
    git = ["git", "-C", str(root), "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"]
    if not (root / ".git").exists():
        subprocess.run([*git, "init", "--quiet"], check=True, env=env)
    # Only the records: commit ids then change only when the example records do.
    subprocess.run([*git, "add", "--", *RECORDS], check=True, env=env)
    subprocess.run([*git, "commit", "--quiet", "--message", message], check=True, env=env)


@pytest.fixture
def notebook_root(tmp_path: Path) -> Path:
    """The example records, snapshot and docs in a fresh git repository with one fixed commit."""
    root = copy_example_notebook(tmp_path / "notebook")
    commit_all(root, "Import the example campaigns")
    return root


def mkdocs_build(
    root: Path, site_dir: Path, *extra: str, config: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` as ``make site`` runs it, with "now" fixed."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CAMPAIGNS_NOW": NOW_TEXT}
    command = [
        "mkdocs",
        "build",
        "--strict",
        "-f",
        str(config or root / "mkdocs.yml"),
        "-d",
        str(site_dir),
        *extra,
    ]
    binary = Path(os.sys.executable).parent / "mkdocs"
    return subprocess.run(
        [str(binary), *command[1:]], cwd=root, env=env, capture_output=True, text=True, check=False
    )


def mkdocs_markdown(config: Path = REPO_ROOT / "mkdocs.yml") -> markdown.Markdown:
    """The Markdown converter MkDocs builds for ``config``: Python-Markdown with its
    ``markdown_extensions`` (what every generated page goes through)."""

    class Loader(yaml.SafeLoader):
        pass

    # mkdocs.yml names a Python function for the Mermaid fence: resolve it like MkDocs does.
    def python_name(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> object:
        module, _, attribute = suffix.rpartition(".")
        return getattr(__import__(module, fromlist=[attribute]), attribute)

    Loader.add_multi_constructor("tag:yaml.org,2002:python/name:", python_name)
    settings = yaml.load(config.read_text(encoding="utf-8"), Loader=Loader)
    names: list[str] = []
    options: dict[str, object] = {}
    for item in settings["markdown_extensions"]:
        if isinstance(item, dict):
            ((name, value),) = item.items()
            names.append(name)
            options[name] = value or {}
        else:
            names.append(item)
    return markdown.Markdown(extensions=names, extension_configs=options)
