"""The compare page lists only the fields that differ between two campaigns."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

PARENT = "dr1-mini-drp-20261006-q8nc"
RERUN = "dr1-mini-drp-rerun-20261103-t5hw"
PATH_PART = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")

COMPARED_ROWS = """rows => rows.map(row => ({
  path: row.cells[0].textContent,
  a: row.cells[1].textContent,
  b: row.cells[2].textContent,
  aAbsent: Boolean(row.cells[1].querySelector('.cn-absent')),
  bAbsent: Boolean(row.cells[2].querySelector('.cn-absent')),
}))"""


def exported_records(served_site: ServedSite) -> dict[str, dict[str, Any]]:
    export = json.loads(
        (served_site.site.root / "api" / "campaigns.json").read_text(encoding="utf-8")
    )
    assert export["format"] == 1
    return {campaign["id"]: campaign["record"] for campaign in export["campaigns"]}


def resolve(record: Any, path: str) -> Any:
    """Follow a path as the page prints it: butler.inputs, workflows[step1].status, config[0]."""
    value = record
    for key, bracket in PATH_PART.findall(path):
        if value is None:
            return None
        if key:
            value = value.get(key)
        elif (
            isinstance(value, list)
            and bracket.isdigit()
            and not all("name" in item for item in value)
        ):
            value = value[int(bracket)] if int(bracket) < len(value) else None
        else:
            value = next((item for item in value if item.get("name") == bracket), None)
    return value


def test_compare_lists_only_and_all_differing_fields(page: Any, served_site: ServedSite) -> None:
    records = exported_records(served_site)
    parent, rerun = records[PARENT], records[RERUN]
    page.goto(served_site.url(f"compare/?a={PARENT}&b={RERUN}"))
    page.wait_for_selector(".cn-compare-table")
    rows = page.eval_on_selector_all(".cn-compare-table tbody tr", COMPARED_ROWS)
    assert len(rows) > 5
    paths = [row["path"] for row in rows]
    assert len(paths) == len(set(paths))

    for row in rows:
        left, right = resolve(parent, row["path"]), resolve(rerun, row["path"])
        assert left != right, f"{row['path']} is listed but equal on both sides: {left!r}"
        assert row["aAbsent"] == (left is None) and row["bAbsent"] == (right is None), row
        if isinstance(left, str):
            assert row["a"] == left
        if isinstance(right, str):
            assert row["b"] == right

    # Nothing missing: every top-level field that differs shows up, nested ones by their path.
    for key in parent.keys() | rerun.keys():
        if parent.get(key) != rerun.get(key):
            assert any(path == key or path.startswith((key + ".", key + "[")) for path in paths), (
                key
            )
    assert "software.version" in paths
    assert "butler.repo" not in paths  # the same repository on both sides

    headings = page.eval_on_selector_all(
        ".cn-compare-table thead a", "links => links.map(a => a.href)"
    )
    assert headings == [
        served_site.url(f"campaigns/{PARENT}/"),
        served_site.url(f"campaigns/{RERUN}/"),
    ]


def test_compare_choices_are_kept_in_the_url(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url("compare/"))
    page.wait_for_selector("#cn-compare-a")
    page.select_option("#cn-compare-a", RERUN)
    page.select_option("#cn-compare-b", RERUN)
    assert f"a={RERUN}" in page.url and f"b={RERUN}" in page.url
    assert page.locator(".cn-compare-table").count() == 0
    assert "no differences" in page.locator(".cn-compare-result").text_content()

    page.select_option("#cn-compare-b", PARENT)
    page.click(".cn-compare-swap")
    assert page.input_value("#cn-compare-a") == PARENT
    page.reload()
    page.wait_for_selector(".cn-compare-table")
    assert page.input_value("#cn-compare-a") == PARENT
    assert page.input_value("#cn-compare-b") == RERUN
    assert page.locator(".cn-compare-table tbody tr").count() > 5
