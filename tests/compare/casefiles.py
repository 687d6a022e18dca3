"""The shared compare cases (``tests/compare/cases/<name>/{a.yaml,b.yaml,expected.txt}``): pairs
of campaign records, and what differs between them.

Both sides read them: ``test_cases.py`` runs ``generator.comparison`` (what ``campaigns diff``
reports) on each pair against ``expected.txt``; ``tests/browser/test_compare.py`` builds a site
holding every pair and checks that the compare page lists the same fields. Each record is written
into a copy of the example notebook as ``compare-<name>-a`` and ``compare-<name>-b`` (the case
files say ``id: compare-case``), next to the example productions and DataId lists it uses.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

CASES = Path(__file__).parent / "cases"
PROJECT = Path(__file__).resolve().parents[2]
CASE_ID_LINE = "id: compare-case\n"


def case_names() -> list[str]:
    return sorted(path.name for path in CASES.iterdir() if (path / "a.yaml").is_file())


def case_id(name: str, side: str) -> str:
    return f"compare-{name}-{side}"


def write_case_records(root: Path, names: list[str], sides: dict[str, str] | None = None) -> None:
    """Every case's two records into ``root/campaigns`` (a notebook repository).

    ``sides`` maps each record written (``compare-<name>-a``, ``-b``) to the case file it takes
    (default: a from a.yaml, b from b.yaml); ``campaigns diff`` tests write b.yaml over a."""
    for name in names:
        for side, source in (sides or {"a": "a", "b": "b"}).items():
            text = (CASES / name / f"{source}.yaml").read_text(encoding="utf-8")
            assert text.count(CASE_ID_LINE) == 1, f"{name}/{side}.yaml must say {CASE_ID_LINE!r}"
            record = text.replace(CASE_ID_LINE, f"id: {case_id(name, side)}\n")
            (root / "campaigns" / f"{case_id(name, side)}.yaml").write_text(
                record, encoding="utf-8"
            )


def copy_example_notebook(root: Path, *, site: bool = False) -> None:
    """The example notebook's configuration, productions and DataId lists (and, for a site, its
    MkDocs configuration, theme overrides and hand-written pages), without its campaigns."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT / "notebook.yaml", root / "notebook.yaml")
    for folder in ("campaigns/productions", "campaigns/dataids"):
        shutil.copytree(PROJECT / folder, root / folder)
    if site:
        shutil.copy(PROJECT / "mkdocs.yml", root / "mkdocs.yml")
        for folder in ("overrides", "docs"):
            shutil.copytree(PROJECT / folder, root / folder, ignore=shutil.ignore_patterns(".*"))


def _shown(value: Any) -> str:
    return "-" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def expected_lines(changes: list[tuple[str, str, Any, Any]]) -> str:
    """``group  path: old → new``, one line per change (values as JSON: a test file)."""
    return "".join(
        f"{group:<10} {path}: {_shown(old)} → {_shown(new)}\n" for group, path, old, new in changes
    )


def expected_paths(name: str) -> list[str]:
    """The changed field paths ``expected.txt`` holds, in its order."""
    lines = (CASES / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    return [re.split(r": ", line.split(None, 1)[1], maxsplit=1)[0] for line in lines if line]
