"""Records with schema errors still take part in the rules across files, marked broken."""

from __future__ import annotations

from pathlib import Path

from generator.loading.salvage import salvage
from generator.loading.yamlsafe import parse_yaml_text
from generator.pipeline import validate

CASES = Path(__file__).parent / "cases"


def _parsed(text: str) -> object:
    data, problems = parse_yaml_text(text, "x.yaml")
    assert problems == []
    return data


def test_broken_record_is_known_by_id_and_marked(tmp_path: Path) -> None:
    from tests.records.test_validate_cases import build_case_repo

    root = build_case_repo(CASES / "invalid" / "one-run-broken-record-referenced", tmp_path)
    repository = validate(root).repository
    assert repository.campaigns["broken-parent"].broken
    assert not repository.campaigns["child"].broken
    assert repository.campaigns["broken-parent"].operators == ()


def test_rejected_values_are_left_out_and_positions_kept() -> None:
    data = _parsed(
        "id: x\nname: X\nproduction: dr1\nkind: development\nstatus: runing\n"
        "definer: A\npurpose: P\ntags: [ok, 3, fine]\nworkflows:\n  - name: a\n    status: done\n"
    )
    result = salvage("campaign", data, "x")
    assert result is not None
    assert result["status"] == ""  # required: kept, emptied
    assert result["tags"] == ["ok", "fine"]
    assert result["tags"].item_positions == [(8, 8), (8, 15)]
    assert result["workflows"] == [{"name": "a", "status": ""}]
    assert result.key_positions["workflows"] == (9, 1)


def test_incomplete_objects_are_left_out_but_workflows_kept() -> None:
    data = _parsed(
        "name: X\nproduction: dr1\nkind: development\nstatus: defined\ndefiner: A\npurpose: P\n"
        "links: [{title: t}]\nworkflows: [{status: planned}]\n"
    )
    result = salvage("campaign", data, "from-file-name")
    assert result is not None
    assert result["id"] == "from-file-name"
    assert result["links"] == []
    assert result["workflows"] == [{"status": "planned", "name": ""}]


def test_nothing_salvaged_from_a_non_mapping() -> None:
    assert salvage("campaign", ["a"], "x") is None
