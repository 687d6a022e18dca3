"""The compare cases against ``generator.comparison``: the differences the compare page must list
are the ones ``campaigns diff`` reports (``compare_campaigns``), flattened and grouped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.cli import main
from generator.comparison import (
    JournalNote,
    campaign_differences,
    compare_campaigns,
    flat_change_paths,
    group_of,
    journal_key,
)
from generator.pipeline import validate
from tests.compare.casefiles import (
    CASES,
    case_id,
    case_names,
    copy_example_notebook,
    expected_lines,
    expected_paths,
    write_case_records,
)
from tests.testing import git

OCCURRENCE = re.compile(r" \(\d+\)\]$")


@pytest.fixture(scope="module")
def notebook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("compare-cases")
    copy_example_notebook(root)
    write_case_records(root, case_names())
    return root


@pytest.mark.parametrize("name", case_names())
def test_case(name: str, notebook: Path, update_golden: bool) -> None:
    validated = validate(notebook)
    errors = [p for p in validated.repository.problems if p.severity == "error"]
    assert errors == [], errors
    campaigns = validated.repository.campaigns
    a, b = campaigns[case_id(name, "a")], campaigns[case_id(name, "b")]
    changes = campaign_differences(a, b)
    text = expected_lines([(group_of(path), path, old, new) for path, old, new in changes])
    expected = CASES / name / "expected.txt"
    if update_golden:
        expected.write_text(text, encoding="utf-8")
    assert text == expected.read_text(encoding="utf-8")

    # The same changes as campaigns diff finds (it numbers no repeated journal entry).
    from_diff = flat_change_paths(compare_campaigns(a, b))
    assert sorted(from_diff) == sorted(OCCURRENCE.sub("]", path) for path, _, _ in changes)
    # The other direction finds the same fields.
    assert sorted(p for p, _, _ in campaign_differences(b, a)) == sorted(p for p, _, _ in changes)


def test_one_inserted_link_is_one_change() -> None:
    assert expected_paths("inserted-link") == ["links[Notebook]"]


def test_reordered_workflows_are_no_change() -> None:
    assert expected_paths("reordered-workflows") == []


def test_only_run_facts_are_all_run_facts() -> None:
    paths = expected_paths("only-run-facts")
    assert paths and all(group_of(path) == "run" for path in paths)


def _paths_from_diff_json(change: dict[str, Any]) -> list[str]:
    """A changed campaign of ``campaigns diff --format json``, named as the compare page names
    its fields (the journal by ``journal_key``)."""
    paths = [field["path"] for field in change["fields"]]
    if change["old_status"]:
        paths.append("status")
    for workflow in change["workflows"]:
        prefix = f"workflows[{workflow['name']}]"
        if workflow["change"] != "changed":
            paths.append(prefix)
            continue
        if workflow["old_status"] or workflow["new_status"]:
            paths.append(f"{prefix}.status")
        paths.extend(f"{prefix}.{field['path']}" for field in workflow["fields"])
    for note in change["journal_added"] + change["journal_removed"]:
        paths.append(f"journal[{journal_key(JournalNote(**note))}]")
    return paths


def test_campaigns_diff_reports_the_same_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each case as a change to one record (a.yaml committed, b.yaml in the working tree): the
    fields ``campaigns diff`` lists are the case's expected fields."""
    names = case_names()
    copy_example_notebook(tmp_path)
    write_case_records(tmp_path, names, sides={"a": "a", "b": "a"})
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "add", "--all")
    git(tmp_path, "commit", "--quiet", "-m", "the a side of every case")
    write_case_records(tmp_path, names, sides={"a": "b", "b": "b"})
    capsys.readouterr()
    code = main(["diff", "--root", str(tmp_path), "--base", "HEAD", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    changed = {change["id"]: change for change in json.loads(out)["campaigns"]["changed"]}
    for name in names:
        expected = sorted(OCCURRENCE.sub("]", path) for path in expected_paths(name))
        found = changed.get(case_id(name, "a"))
        assert sorted(_paths_from_diff_json(found) if found else []) == expected, name
