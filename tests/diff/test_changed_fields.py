"""``changed_fields``: the field-by-field comparison the diff and the site share."""

from __future__ import annotations

from generator.comparison import changed_fields


def test_equal_records_have_no_changes() -> None:
    record = {"id": "a", "butler": {"repo": "/repo/main"}, "tags": ["x"]}
    assert changed_fields(record, dict(record)) == []


def test_nested_fields_have_dotted_paths_in_record_order() -> None:
    old = {
        "name": "A",
        "butler": {"repo": "/repo/main", "output": "u/a"},
        "software": {"version": "w_2026_40"},
    }
    new = {
        "name": "B",
        "butler": {"repo": "/repo/main", "output": "u/b"},
        "software": {"version": "w_2026_41"},
    }
    assert changed_fields(old, new) == [
        ("name", "A", "B"),
        ("butler.output", "u/a", "u/b"),
        ("software.version", "w_2026_40", "w_2026_41"),
    ]


def test_keys_on_one_side_only_have_none_on_the_other() -> None:
    assert changed_fields({"reason": "why"}, {"derived_from": "b"}) == [
        ("reason", "why", None),
        ("derived_from", None, "b"),
    ]


def test_workflows_are_matched_by_name_whatever_their_order() -> None:
    old = {
        "workflows": [
            {"name": "step1", "status": "running"},
            {"name": "step2", "status": "planned"},
        ]
    }
    new = {
        "workflows": [
            {"name": "step2", "status": "planned"},
            {"name": "step1", "status": "succeeded"},
        ]
    }
    assert changed_fields(old, new) == [("workflows[step1].status", "running", "succeeded")]


def test_items_added_and_removed_in_a_named_list() -> None:
    old = {"workflows": [{"name": "step1", "status": "running"}]}
    new = {"workflows": [{"name": "step2", "status": "planned"}]}
    assert changed_fields(old, new) == [
        ("workflows[step1]", {"name": "step1", "status": "running"}, None),
        ("workflows[step2]", None, {"name": "step2", "status": "planned"}),
    ]


def test_links_are_matched_by_title_and_unnamed_items_by_position() -> None:
    old = {
        "links": [{"title": "Plots", "url": "https://a"}],
        "config": [{"task": "t", "value": "1"}],
    }
    new = {
        "links": [{"title": "Plots", "url": "https://b"}],
        "config": [{"task": "t", "value": "2"}],
    }
    assert changed_fields(old, new) == [
        ("links[Plots].url", "https://a", "https://b"),
        ("config[0].value", "1", "2"),
    ]


def test_lists_of_plain_values_compare_as_a_whole() -> None:
    assert changed_fields({"tags": ["a", "b"]}, {"tags": ["a", "b", "c"]}) == [
        ("tags", ["a", "b"], ["a", "b", "c"])
    ]


def test_a_value_changing_type_is_a_change() -> None:
    assert changed_fields({"run_id": 1}, {"run_id": "1"}) == [("run_id", 1, "1")]
    assert changed_fields({"flag": True}, {"flag": 1}) == [("flag", True, 1)]


def test_prefix_for_comparing_a_part_of_a_record() -> None:
    assert changed_fields({"version": "a"}, {"version": "b"}, prefix="software") == [
        ("software.version", "a", "b")
    ]
