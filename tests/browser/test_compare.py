"""The compare page lists exactly the fields ``campaigns diff`` finds (``generator.comparison``).

The shared cases of ``tests/compare/cases/`` are built into one site (their records next to the
example productions and DataId lists) and each pair is opened in Chromium; the example site's
own derived campaign is compared with its parent too.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from generator.comparison import campaign_differences, group_of
from generator.pipeline import validate
from tests.browser.conftest import build_site, serve_folder
from tests.compare.casefiles import (
    case_id,
    case_names,
    copy_example_notebook,
    expected_paths,
    write_case_records,
)

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

REPO_ROOT = Path(__file__).resolve().parents[2]
PARENT = "dr1-mini-drp-20261006-q8nc"
RERUN = "dr1-mini-drp-rerun-20261103-t5hw"

# What the page shows: every listed field with its group (the section it sits in) and whether it
# is folded away, and the text of both value cells.
LISTED = """() => Array.from(document.querySelectorAll('.cn-compare-table tbody tr')).map(row => ({
  path: row.cells[0].textContent,
  folded: Boolean(row.closest('details.cn-compare-run')),
  a: row.cells[1].textContent,
  b: row.cells[2].textContent,
  aAbsent: Boolean(row.cells[1].querySelector(':scope > .cn-absent')),
  bAbsent: Boolean(row.cells[2].querySelector(':scope > .cn-absent')),
}))"""


def listed(page: Any) -> list[dict[str, Any]]:
    # The two records are fetched when chosen: aria-busy until they are shown.
    page.wait_for_selector(".cn-compare-result:not([aria-busy]) .cn-compare-status")
    rows: list[dict[str, Any]] = page.evaluate(LISTED)
    return rows


@pytest.fixture(scope="module")
def cases_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A site of every case's two records, served on 127.0.0.1; its base URL."""
    work = tmp_path_factory.mktemp("compare-cases")
    root = work / "repo"
    copy_example_notebook(root, site=True)
    write_case_records(root, case_names())
    site = work / "site"
    build_site(root, site)
    with serve_folder(site, "compare-site") as base_url:
        yield base_url


@pytest.mark.parametrize("name", case_names())
def test_the_page_lists_the_fields_campaigns_diff_finds(
    page: Any, cases_site: str, name: str
) -> None:
    page.goto(f"{cases_site}compare/?a={case_id(name, 'a')}&b={case_id(name, 'b')}")
    rows = listed(page)
    expected = expected_paths(name)
    assert sorted(row["path"] for row in rows) == sorted(expected)
    if not expected:
        assert "No differences" in page.locator(".cn-compare-status").text_content()
    for row in rows:
        # Run facts (ids, times, statuses, journal) are folded away; nothing else is.
        assert row["folded"] == (group_of(row["path"]) == "run"), row
        # Values read as text and key: value lines, never as JSON.
        for side in ("a", "b"):
            assert '{"' not in row[side] and '":' not in row[side], row
    folded = page.locator("details.cn-compare-run")
    if folded.count():
        assert folded.get_attribute("open") is None
    assert page.evaluate("() => window.__pwned") is None


def test_field_names_never_break_inside_a_word(page: Any, cases_site: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(
        f"{cases_site}compare/?a={case_id('software-and-config', 'a')}"
        f"&b={case_id('software-and-config', 'b')}"
    )
    listed(page)
    styles = page.eval_on_selector_all(
        ".cn-compare-table tbody th",
        "cells => cells.map(c => [getComputedStyle(c).overflowWrap, getComputedStyle(c).wordBreak,"
        " c.querySelectorAll('wbr').length])",
    )
    assert styles and all(style[:2] == ["normal", "normal"] for style in styles), styles
    # pipeline.config[0].value may break after "pipeline." and before "[0]", and only there.
    assert max(style[2] for style in styles) >= 2
    # On a phone nothing needs a sideways scroll: not the campaign lists, not the tables.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_selection_changes_come_with_effective_counts(page: Any, cases_site: str) -> None:
    page.goto(
        f"{cases_site}compare/?a={case_id('changed-selection', 'a')}"
        f"&b={case_id('changed-selection', 'b')}"
    )
    listed(page)
    counts = page.locator(".cn-compare-counts").text_content() or ""
    assert "Effective DataIds" in counts and "included" in counts and "excluded" in counts


def test_the_example_rerun_against_its_parent(page: Any, served_site: ServedSite) -> None:
    repository = validate(REPO_ROOT).repository
    changes = campaign_differences(repository.campaigns[PARENT], repository.campaigns[RERUN])
    page.goto(served_site.url(f"compare/?a={PARENT}&b={RERUN}"))
    rows = listed(page)
    assert sorted(row["path"] for row in rows) == sorted(path for path, _, _ in changes)
    assert "software.version" in [row["path"] for row in rows]
    # The definition comes first, run facts last and folded.
    groups = page.eval_on_selector_all("h2.cn-compare-group", "hs => hs.map(h => h.textContent)")
    assert groups[0] == "Definition"
    headings = page.eval_on_selector_all(
        ".cn-compare-table thead a", "links => links.map(a => a.href)"
    )
    assert headings[:2] == [
        served_site.url(f"campaigns/{PARENT}/"),
        served_site.url(f"campaigns/{RERUN}/"),
    ]


def test_compare_choices_are_kept_in_the_url(page: Any, served_site: ServedSite) -> None:
    page.goto(served_site.url("compare/"))
    page.wait_for_selector("#cn-compare-a")
    page.select_option("#cn-compare-a", RERUN)
    page.select_option("#cn-compare-b", RERUN)
    assert f"a={RERUN}" in page.url and f"b={RERUN}" in page.url
    listed(page)
    assert page.locator(".cn-compare-table").count() == 0
    assert "no differences" in (page.locator(".cn-compare-result").text_content() or "")

    page.select_option("#cn-compare-b", PARENT)
    page.click(".cn-compare-swap")
    assert page.input_value("#cn-compare-a") == PARENT
    assert len(listed(page)) > 5
    page.reload()
    page.wait_for_selector(".cn-compare-table")
    assert page.input_value("#cn-compare-a") == PARENT
    assert page.input_value("#cn-compare-b") == RERUN
    assert page.locator(".cn-compare-table tbody tr").count() > 5


def test_records_unpacked_by_the_server_are_read_too(page: Any, served_site: ServedSite) -> None:
    """A server that sends ``<id>.json.gz`` with ``Content-Encoding: gzip`` hands the page JSON
    already unpacked (the browser did it): the page reads that as well as the packed file."""
    root = served_site.site.root
    unpacked: list[str] = []

    def as_unpacked(route: Any) -> None:
        name = route.request.url.rsplit("/", 1)[-1]
        unpacked.append(name)
        body = gzip.decompress((root / "api" / "campaigns" / name).read_bytes())
        route.fulfill(status=200, body=body, headers={"Content-Type": "application/json"})

    page.route("**/api/campaigns/*.json.gz", as_unpacked)
    page.goto(served_site.url(f"compare/?a={PARENT}&b={RERUN}"))
    assert "software.version" in [row["path"] for row in listed(page)]
    assert sorted(unpacked) == sorted([f"{PARENT}.json.gz", f"{RERUN}.json.gz"])
