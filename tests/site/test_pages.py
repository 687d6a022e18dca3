"""Page behaviour that depends on "now" or on many records, beyond the golden example."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from generator.site.campaign_page import render_campaign_page
from generator.site.context import load_context
from generator.site.home_page import render_home
from generator.site.jira_pages import render_ticket_index
from generator.site.lineage import MAX_GRAPH_NODES, _differences
from generator.site.operators_page import render_operators
from tests.site.conftest import fixed_now

RERUN = "dr1-mini-drp-rerun-20261103-t5hw"
PARENT = "dr1-mini-drp-20261006-q8nc"


def test_a_running_campaign_without_activity_becomes_stale(notebook_root: Path) -> None:
    context = load_context(notebook_root, fixed_now())
    assert "## Needs attention" in render_home(context)
    assert f"[{RERUN}]" not in render_home(context).split("## Needs attention")[1].split("##")[0]
    later = replace(context, now=fixed_now() + timedelta(days=30))
    stale_section = render_home(later).split("## Needs attention")[1].split("##")[0]
    assert f"[{RERUN}](campaigns/{RERUN}.md)" in stale_section
    assert "2026-11-23 09:05" in stale_section  # the last journal entry


def test_shifts_follow_now(notebook_root: Path) -> None:
    context = load_context(notebook_root, fixed_now())  # 2026-11-24 12:00: Lucía's shift
    on_shift = render_operators(context).split("## On shift now")[1].split("##")[0]
    assert "Lucía Ferreyra" in on_shift and "Kwame Mensah" not in on_shift
    morning = replace(context, now=fixed_now() + timedelta(hours=21))  # 2026-11-25 09:00
    on_shift = render_operators(morning).split("## On shift now")[1].split("##")[0]
    assert "Kwame Mensah" in on_shift


def test_lineage_graph_is_capped_but_the_list_is_complete(notebook_root: Path) -> None:
    source = (notebook_root / "campaigns" / f"{RERUN}.yaml").read_text(encoding="utf-8")
    for number in range(MAX_GRAPH_NODES + 5):
        campaign_id = f"rerun-{number:03d}-20261124-abcd"
        text = source.replace(f"id: {RERUN}", f"id: {campaign_id}")
        (notebook_root / "campaigns" / f"{campaign_id}.yaml").write_text(text, encoding="utf-8")
    context = load_context(notebook_root, fixed_now())
    page = render_campaign_page(context, context.campaigns[PARENT])
    graph = page.split('<svg class="cn-lg"')[1].split("</svg>")[0]
    assert graph.count("<rect") == MAX_GRAPH_NODES  # the page's campaign and 29 of its children
    # One <path> for the arrowhead and one edge to each of the 29 children.
    assert graph.count("<text") == MAX_GRAPH_NODES and graph.count("<path") == MAX_GRAPH_NODES
    assert page.count("- Derived campaign [") == MAX_GRAPH_NODES + 5 + 1
    assert f"The graph shows {MAX_GRAPH_NODES} of the" in page


def test_campaign_dates_read_as_a_sentence(notebook_root: Path) -> None:
    context = load_context(notebook_root, fixed_now())
    page = render_campaign_page(context, context.campaigns[RERUN])
    assert "- **Dates** started 2026-11-03 08:00 UTC, running\n" in page
    finished = render_campaign_page(context, context.campaigns[PARENT])
    assert "→ —" not in finished and " UTC\n" in finished.split("- **Dates** ")[1]


def test_noisy_parts_are_marked_for_search(notebook_root: Path) -> None:
    """Reproduce commands and the commit list are left out of the search index; the definition
    (collections) stays in."""
    context = load_context(notebook_root, fixed_now())
    page = render_campaign_page(context, context.campaigns[RERUN])
    ignored = page.split("<div data-pagefind-ignore markdown>")
    assert any("bps submit" in part.split("</div>")[0] for part in ignored[1:])
    definition = page.split("## Definition")[1].split("## Data selection")[0]
    assert "data-pagefind-ignore" not in definition and "LSSTCam/runs/DRP/DR1" in definition


def test_differs_from_parent_shows_only_the_list_items_that_changed() -> None:
    parent = {"selection": {"query": ["instrument = 'LSSTCam'", "day_obs >= 1", "tract = 1"]}}
    child = {"selection": {"query": ["instrument = 'LSSTCam'", "day_obs >= 2", "tract = 1"]}}
    rows = _differences(parent, child)["Definition"]
    assert [(path, str(old), str(new)) for path, old, new in rows] == [
        (
            "selection.query",
            "`day_obs >= 1` *(+ 2 in both)*",
            "`day_obs >= 2` *(+ 2 in both)*",
        )
    ]
    # Nothing shared (or only reordered): both lists whole.
    rows = _differences({"selection": {"query": ["a"]}}, {"selection": {"query": ["b"]}})[
        "Definition"
    ]
    assert [(str(old), str(new)) for _, old, new in rows] == [("`a`", "`b`")]


def test_differs_from_parent_cuts_long_texts_to_the_words_that_changed() -> None:
    parent = {"purpose": "Process the integration selection with w_2026_30 and check the PSF."}
    child = {"purpose": "Process the mini-drp selection with w_2026_31 and check the PSF."}
    rows = _differences(parent, child)["Description and references"]
    assert [(path, str(old), str(new)) for path, old, new in rows] == [
        (
            "purpose",
            "Process the **integration** selection with **w\\_2026\\_30** and check the …",
            "Process the **mini-drp** selection with **w\\_2026\\_31** and check the …",
        )
    ]
    # Texts that share less than half their words are shown whole.
    rows = _differences(
        {"reason": "The integration run failed on missing refcat shards, fixed in w_2026_40."},
        {"reason": "The first mini-DRP showed PSF ellipticity residuals near the tract edges."},
    )["Description and references"]
    assert str(rows[0][1]).startswith("The integration run failed on missing refcat shards")
    assert "…" not in str(rows[0][1]) + str(rows[0][2])


def test_differs_from_parent_names_a_list_item_once() -> None:
    parent = {"operators": [{"name": "Ana Souza", "role": "day operator"}]}
    child = {"operators": [{"name": "Ana Souza", "role": "night operator"}]}
    rows = _differences(parent, child)["People"]
    assert [(path, str(old), str(new)) for path, old, new in rows] == [
        ("operators[Ana Souza].role", "`day operator`", "`night operator`")
    ]
    other = {"operators": [{"name": "Mei Chen", "role": "day operator"}]}
    rows = _differences(other, child)["People"]
    assert [(path, str(old), str(new)) for path, old, new in rows] == [
        ("operators[Mei Chen]", "role: `day operator`", "*(not set)*"),
        ("operators[Ana Souza]", "*(not set)*", "role: `night operator`"),
    ]


def test_differs_from_parent_excerpts_are_escaped_text() -> None:
    """The changed words of a long text are record text: shown as text, never as markup."""
    shared = "Process the selection with the new pipeline and check the PSF on every tract."
    parent = {"purpose": f"{shared} <img src=x onerror=alert(1)> [x](javascript:alert(1))"}
    child = {"purpose": f"{shared} <script>alert(2)</script> |pipe| done"}
    rows = _differences(parent, child)["Description and references"]
    cells = str(rows[0][1]) + str(rows[0][2])
    assert "<img" not in cells and "<script" not in cells and "[x](" not in cells, cells
    assert "&lt;script&gt;" in cells and "\\[x\\]" in cells and "\\|pipe\\|" in cells, cells


def test_differs_from_parent_keeps_a_field_that_only_equals_the_name() -> None:
    parent = {"operators": [{"name": "Ana Souza", "role": "Ana Souza"}]}
    child = {"operators": [{"name": "Mei Chen", "role": "day operator"}]}
    rows = _differences(parent, child)["People"]
    assert (str(rows[0][0]), str(rows[0][1])) == ("operators[Ana Souza]", "role: `Ana Souza`")


def test_without_a_jira_snapshot_pages_show_the_keys_without_empty_columns(
    notebook_root: Path,
) -> None:
    """No snapshot: the campaign page lists its keys in one line and the Jira page has the keys
    and who names them, without the summary/status/type/assignee/updated columns (empty) or the
    status filter (no status to filter by); the Jira page's notice says why, once."""
    context = replace(load_context(notebook_root, fixed_now()), snapshot=None)
    campaign = context.repository.campaigns["dr1-mini-drp-rerun-20261103-t5hw"]
    page = render_campaign_page(context, campaign)
    jira = page[page.index("## Jira issues") : page.index("## Journal")]
    assert "| Summary |" not in jira and "no Jira snapshot" in jira
    for key in campaign.all_jira_keys():
        assert f'<a href="https://rubinobs.atlassian.net/browse/{key}">{key}</a>' in jira
    index = render_ticket_index(context)
    assert "| Key | Named by |" in index and "| Summary |" not in index
    assert "jira-filter.js" not in index and "No Jira data" in index
    assert (
        "[dr1-mini-drp-rerun-20261103-t5hw](../campaigns/dr1-mini-drp-rerun-20261103-t5hw.md)"
        in index
    )
    # With the snapshot, the full table and its filter.
    full = render_ticket_index(load_context(notebook_root, fixed_now()))
    assert "| Key | Summary | Status |" in full and "jira-filter.js" in full
