"""`campaigns jira link`: remote links from tickets to campaign pages, against the fake Jira."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.jira.remotelinks import GLOBAL_ID_LIMIT, global_id, global_id_prefix
from tests.jira.conftest import SENTINEL_TOKEN
from tests.jira.fake_jira import FakeJira, Fault

SITE = "https://notebook.example.org/"
MINI = "dr1-mini-drp-20261006-q8nc"
PSF = "dr1-psf-dev-20260902-a7kq"


def ours(jira: FakeJira, key: str) -> dict[str, dict[str, Any]]:
    return {
        link["globalId"]: link
        for link in jira.remote_links.get(key, [])
        if link.get("globalId", "").startswith(global_id_prefix(SITE))
    }


def test_link_creates_one_link_per_ticket_and_campaign(jira: FakeJira, cli: Any) -> None:
    result = cli("jira", "link")

    assert result.code == 0, result.err
    assert set(ours(jira, "DM-200")) == {global_id(SITE, MINI), global_id(SITE, PSF)}
    assert set(ours(jira, "DM-202")) == {global_id(SITE, MINI)}
    assert set(ours(jira, "PSF-7")) == {global_id(SITE, PSF)}  # named as DM-310, which moved
    mini = ours(jira, "DM-201")[global_id(SITE, MINI)]
    assert mini["object"]["url"] == f"{SITE}campaigns/{MINI}/"
    assert mini["object"]["title"] == f"DR1 mini-DRP ({MINI})"
    assert mini["object"]["icon"]["url16x16"] == f"{SITE}assets/images/favicon.png"
    assert mini["object"]["status"]["resolved"] is True  # completed
    assert ours(jira, "DM-300")[global_id(SITE, PSF)]["object"]["status"]["resolved"] is False
    assert "cannot link DM-299" in result.err  # missing in Jira: a warning, the rest is linked
    assert "done: 6 create, 0 update, 0 delete" in result.out
    assert not any("applinks" in r.path for r in jira.requests)  # the admin-only probe is avoided
    assert SENTINEL_TOKEN not in result.out + result.err


def test_link_again_updates_instead_of_duplicating(jira: FakeJira, cli: Any) -> None:
    assert cli("jira", "link").code == 0
    before = {key: [link["id"] for link in links] for key, links in jira.remote_links.items()}

    result = cli("jira", "link")

    assert result.code == 0
    assert "done: 0 create, 6 update, 0 delete" in result.out
    assert {
        key: [link["id"] for link in links] for key, links in jira.remote_links.items()
    } == before


def test_links_for_pairs_that_no_longer_exist_are_removed(
    jira: FakeJira, cli: Any, repo: Path
) -> None:
    foreign = {"globalId": "someone-else:1", "object": {"url": "https://x.org/", "title": "Other"}}
    jira.remote_links["DM-300"] = [{"id": 1, "self": "", **foreign}]
    assert cli("jira", "link").code == 0
    record = repo / "campaigns" / f"{PSF}.yaml"
    record.write_text(record.read_text().replace("jira: [DM-300, DM-200]", "jira: [DM-200]"))

    result = cli("jira", "link")  # no snapshot: Jira's search by globalId finds DM-300

    assert result.code == 0
    assert f"delete DM-300         PSF development ({PSF}) → {SITE}campaigns/{PSF}/" in result.out
    assert ours(jira, "DM-300") == {}
    assert [link["globalId"] for link in jira.remote_links["DM-300"]] == ["someone-else:1"]
    assert set(ours(jira, "DM-200")) == {global_id(SITE, MINI), global_id(SITE, PSF)}


def test_links_of_a_deleted_campaign_are_removed_from_tickets_in_the_snapshot(
    jira: FakeJira, cli: Any, repo: Path
) -> None:
    assert cli("jira", "fetch").code == 0
    assert cli("jira", "link").code == 0
    (repo / "campaigns" / f"{PSF}.yaml").unlink()

    result = cli("jira", "link")

    assert result.code == 0
    assert "done: 0 create, 3 update, 3 delete" in result.out
    assert ours(jira, "DM-300") == {} and ours(jira, "PSF-7") == {}
    assert set(ours(jira, "DM-200")) == {global_id(SITE, MINI)}


def test_dry_run_changes_nothing(jira: FakeJira, cli: Any) -> None:
    result = cli("jira", "link", "--dry-run")

    assert result.code == 0
    assert (
        f"would create DM-200         DR1 mini-DRP ({MINI}) → {SITE}campaigns/{MINI}/" in result.out
    )
    assert "plan: 6 create, 0 update, 0 delete (dry run: nothing changed)" in result.out
    assert not [r for r in jira.requests if "remotelink" in r.path and r.method != "GET"]
    assert jira.remote_links.get("DM-200", []) == []


def test_dry_run_without_credentials_shows_the_wanted_links(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIRA_TOKEN", raising=False)

    result = cli("jira", "link", "--dry-run")

    assert result.code == 0
    assert result.out.startswith("no JIRA_TOKEN: existing links not read")
    assert result.out.count("would create") == 7  # DM-299 included: nothing tells it is missing


def test_link_stops_on_refused_credentials(jira: FakeJira, cli: Any) -> None:
    jira.add_fault(Fault.unauthorized("/remotelink"))

    result = cli("jira", "link")

    assert result.code == 1
    assert (
        "Jira refused the credentials (HTTP 401) while listing remote links of DM-200" in result.err
    )
    assert SENTINEL_TOKEN not in result.out + result.err


def test_link_needs_a_site_url(jira: FakeJira, cli: Any, repo: Path) -> None:
    config = repo / "notebook.yaml"
    config.write_text(config.read_text().replace("site_url: https://notebook.example.org/\n", ""))

    result = cli("jira", "link")

    assert result.code == 1 and "notebook.yaml has no site_url" in result.err


def test_global_ids_fit_jira() -> None:
    assert global_id(SITE, MINI) == f"campaign-notebook:{SITE}campaigns/{MINI}/"
    long_site = "https://example.org/" + "x" * 300 + "/"
    long_id = "c" * 300
    for site, campaign in [(long_site, MINI), (SITE, long_id), (long_site, long_id)]:
        value = global_id(site, campaign)
        assert len(value) <= GLOBAL_ID_LIMIT and value.startswith(global_id_prefix(site))
    assert global_id(long_site, "a") != global_id(long_site, "b")


def test_link_works_where_jira_lacks_the_linked_issues_search(jira: FakeJira, cli: Any) -> None:
    jira.add_fault(Fault(400, "/search", body='{"errorMessages": ["Unknown function"]}'))

    result = cli("jira", "link")

    assert result.code == 0
    assert "cannot search for linked tickets: Unknown function" in result.err
    assert "done: 6 create, 0 update, 0 delete" in result.out
