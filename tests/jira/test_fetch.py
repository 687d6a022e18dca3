"""`campaigns jira fetch` against the fake Jira, in Data Center and Cloud mode."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import pytest

from generator.jira.client import Credentials
from generator.jira.fetch import FIELDS, issue_from_jira, key_query
from generator.jira.snapshot import load_snapshot, parse_snapshot
from generator.model.snapshots import IssueLink
from tests.jira.conftest import MOVED, NAMED_KEYS, SENTINEL_TOKEN, CliResult
from tests.jira.fake_jira import FakeJira, Fault, Mode, make_issue, serve
from tests.jira.measure_fetch import measure_fetch

PREVIOUS = '{"format": 1, "note": "the previous snapshot"}\n'


def search_path(jira: FakeJira) -> str:
    return "/search/jql" if jira.mode == "cloud" else "/search"


def assert_leaks_nothing(result: CliResult, repo: Path) -> None:
    assert SENTINEL_TOKEN not in result.out + result.err
    assert "JiraError" not in result.err and "Traceback" not in result.err
    for path in repo.rglob("*"):
        if path.is_file():
            assert SENTINEL_TOKEN not in path.read_text(encoding="utf-8", errors="replace"), path


def test_fetch_accounts_for_every_key(
    jira: FakeJira, cli: Any, repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)

    result = cli("jira", "fetch")

    assert result.code == 0, result.err
    snapshot = load_snapshot(repo / "jira-snapshot.json")
    assert snapshot is not None
    accounted = set(snapshot.issues) | set(snapshot.moved) | set(snapshot.missing)
    assert set(NAMED_KEYS) <= accounted
    assert snapshot.moved == MOVED
    assert list(snapshot.missing) == ["DM-299"]
    assert "does not exist" in snapshot.missing["DM-299"]
    assert snapshot.queries == {"Labelled for the notebook": ["DM-200", "DM-400"]}
    assert snapshot.server == jira.url
    assert snapshot.deployment == ("Cloud" if jira.mode == "cloud" else "Server")
    assert "moved to PSF-7" in result.err and "DM-299 is missing" in result.err
    assert result.out.startswith("wrote jira-snapshot.json: 7 issue(s)")
    assert_leaks_nothing(result, repo)
    assert SENTINEL_TOKEN not in caplog.text


def test_snapshot_keeps_only_what_the_site_shows(jira: FakeJira, cli: Any, repo: Path) -> None:
    assert cli("jira", "fetch").code == 0
    text = (repo / "jira-snapshot.json").read_text(encoding="utf-8")
    snapshot = parse_snapshot(text, "jira-snapshot.json")

    assert snapshot.to_json() == text  # sorted and deterministic: re-serialising changes nothing
    for dropped in ("@example.org", "avatar", "description", "Reporter", "colorName"):
        assert dropped not in text
    done = snapshot.issues["DM-200"]
    assert (done.status, done.status_category, done.resolution) == ("Done", "done", "Done")
    assert done.labels == ("campaign-notebook", "dr1") and done.fix_versions == ("w_2026_40",)
    assert done.links == (IssueLink("blocks", "DM-300"), IssueLink("relates to", "DM-100"))
    assert done.updated == "2026-11-20T12:03:11Z"  # +0200 in Jira, UTC here
    assert snapshot.issues["PSF-7"].created == "2026-09-03T06:30:00Z"
    assert snapshot.issues["DM-201"].parent == "DM-200"
    assert snapshot.issues["DM-202"].assignee == ""
    assert snapshot.issues["DM-300"].assignee == "Kwame Mensah"


def test_fetch_uses_the_search_of_the_deployment(jira: FakeJira, cli: Any) -> None:
    assert cli("jira", "fetch").code == 0

    searches = [r for r in jira.requests if "/search" in r.path]
    assert searches and all(
        r.method == "POST" and r.path.endswith(search_path(jira)) for r in searches
    )
    assert all(r.body["fields"] == list(FIELDS) for r in searches)
    # credentials are checked before any search
    paths = [r.path for r in jira.requests]
    assert paths.index("/rest/api/2/myself") < paths.index(searches[0].path)


def test_one_unknown_key_does_not_sink_its_batch(
    cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serve(
        "dc",
        [make_issue(k, k) for k in ("DM-100", "DM-200", "DM-201", "DM-202", "DM-300")],
        moved=MOVED | {"DM-310": "DM-300"},
        token=SENTINEL_TOKEN,
    ) as jira:
        monkeypatch.setenv("JIRA_SERVER", jira.url)
        monkeypatch.setenv("JIRA_TOKEN", SENTINEL_TOKEN)
        monkeypatch.delenv("JIRA_USER", raising=False)
        result = cli("jira", "fetch")

        assert result.code == 0, result.err
        snapshot = load_snapshot(repo / "jira-snapshot.json")
        assert snapshot is not None and list(snapshot.missing) == ["DM-299"]
        key_searches = [r for r in jira.requests_to("/search") if r.body["jql"].startswith("key")]
        # rejected once for DM-299 (named in Jira's message), then asked again without it
        assert len(key_searches) == 2
        assert '"DM-299"' not in key_searches[1].body["jql"]


def test_a_rejected_batch_is_split_when_jira_does_not_name_the_key(
    jira: FakeJira, cli: Any, repo: Path
) -> None:
    jira.add_fault(Fault(400, search_path(jira), body='{"errorMessages": ["Bad query"]}', times=1))

    assert cli("jira", "fetch").code == 0

    snapshot = load_snapshot(repo / "jira-snapshot.json")
    assert snapshot is not None
    assert set(NAMED_KEYS) <= set(snapshot.issues) | set(snapshot.moved) | set(snapshot.missing)


FAULTS = {
    "401": (
        Fault.unauthorized(),
        "Jira refused the credentials (HTTP 401) while reading serverInfo",
    ),
    "403 lock-out": (
        Fault.locked_out("/myself"),
        "Jira locked the account out (HTTP 403, X-Authentication-Denied-Reason: CAPTCHA_CHALLENGE",
    ),
    "404": (Fault.not_found("/serverInfo"), "no such Jira REST resource at"),
    "html 200": (
        Fault.html_page("/search"),
        "answered with a page that is not JSON while searching",
    ),
    "429 too long": (
        Fault.rate_limited("3600", path="/search"),
        "Jira kept answering HTTP 429 (too many requests) while searching",
    ),
    "503 too long": (
        Fault.unavailable("3600", path="/search"),
        "Jira kept answering HTTP 503 (service unavailable) while searching",
    ),
    "slow": (Fault.slow(3, "/search"), "did not answer within 0.5 s while searching"),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_a_failure_keeps_the_previous_snapshot(
    fault: str, jira: FakeJira, cli: Any, repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    (repo / "jira-snapshot.json").write_text(PREVIOUS, encoding="utf-8")
    scripted, message = FAULTS[fault]
    jira.add_fault(scripted)

    # Retry-After 3600 is clamped to 60 s, over this budget: given up at once. A short timeout
    # only where it is the fault: on a loaded machine 0.5 s can pass before any answer.
    timeout = "0.5" if fault == "slow" else "10"
    result = cli("jira", "fetch", "--timeout", timeout, "--retry-budget", "30")

    assert result.code == 1
    assert result.err.startswith("campaigns: error: ") and message in result.err
    assert result.err.count("\n") == 1 and result.out == ""  # one line, no partial report
    assert (repo / "jira-snapshot.json").read_text(encoding="utf-8") == PREVIOUS
    assert [p.name for p in repo.iterdir() if p.name.startswith(".jira-snapshot")] == []
    assert_leaks_nothing(result, repo)
    assert SENTINEL_TOKEN not in caplog.text


@pytest.mark.parametrize("status", [429, 503])
def test_rate_limits_are_waited_out_as_asked(status: int, jira: FakeJira, cli: Any) -> None:
    jira.add_fault(
        Fault(
            status,
            search_path(jira),
            headers={"Retry-After": "1"},
            times=1,
            body='{"errorMessages": ["slow down"]}',
        )
    )
    started = time.monotonic()

    result = cli("jira", "fetch")

    assert result.code == 0, result.err
    assert time.monotonic() - started >= 1.0  # Retry-After honoured, not doubled to 2 s minimum
    assert len([r for r in jira.requests if r.path.endswith(search_path(jira))]) >= 2


def test_wrong_token_is_refused_before_searching(
    jira: FakeJira, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_TOKEN", "not-the-token")

    result = cli("jira", "fetch")

    assert result.code == 1 and "refused the credentials (HTTP 401)" in result.err
    assert not any("/search" in r.path for r in jira.requests)


def test_cloud_without_user_says_what_is_missing(cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    with serve("cloud", token=SENTINEL_TOKEN) as jira:
        monkeypatch.setenv("JIRA_SERVER", jira.url)
        monkeypatch.setenv("JIRA_TOKEN", SENTINEL_TOKEN)
        monkeypatch.delenv("JIRA_USER", raising=False)
        result = cli("jira", "fetch")

    assert result.code == 1  # the fake, like Cloud, refuses a bearer token even on serverInfo
    assert "refused the credentials (HTTP 401)" in result.err
    assert "for Jira Cloud set JIRA_USER=<e-mail> too" in result.err
    assert SENTINEL_TOKEN not in result.err


def test_atlassian_net_without_user_is_refused_before_any_request(
    cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_SERVER", "https://example.atlassian.net")
    monkeypatch.setenv("JIRA_TOKEN", SENTINEL_TOKEN)
    monkeypatch.delenv("JIRA_USER", raising=False)

    result = cli("jira", "fetch")

    assert result.code == 1
    assert (
        "https://example.atlassian.net is Jira Cloud, which needs basic auth: JIRA_USER is not set"
        in result.err
    )


def test_unreachable_server(cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIRA_SERVER", "http://127.0.0.1:9")  # the discard port: nothing listens
    monkeypatch.setenv("JIRA_TOKEN", SENTINEL_TOKEN)

    result = cli("jira", "fetch")

    assert result.code == 1
    assert "cannot reach Jira at http://127.0.0.1:9 while reading serverInfo" in result.err
    assert not (repo / "jira-snapshot.json").exists()


@pytest.mark.parametrize(
    ("environment", "message"),
    [
        ({"JIRA_SERVER": "http://127.0.0.1:9"}, "JIRA_TOKEN is not set"),
        (
            {"JIRA_SERVER": "jira.example.org", "JIRA_TOKEN": "x"},
            "is not an absolute http:// or https:// URL",
        ),
        (
            {"JIRA_SERVER": "https://me:pw@jira.example.org", "JIRA_TOKEN": "x"},
            "must not contain credentials",
        ),
    ],
)
def test_bad_environment_is_a_usage_error(
    environment: dict[str, str], message: str, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("JIRA_SERVER", "JIRA_TOKEN", "JIRA_USER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)

    result = cli("jira", "fetch")

    assert result.code == 2 and message in result.err


def test_server_comes_from_notebook_yaml_when_not_in_the_environment() -> None:
    credentials = Credentials.from_environment("https://jira.example.org/", {"JIRA_TOKEN": "t"})
    assert (credentials.server, credentials.user) == ("https://jira.example.org", "")
    assert (
        Credentials.from_environment(
            "https://a.org", {"JIRA_TOKEN": "t", "JIRA_SERVER": "https://b.org"}
        ).server
        == "https://b.org"
    )
    assert SENTINEL_TOKEN not in repr(
        Credentials.from_environment("https://a.org", {"JIRA_TOKEN": SENTINEL_TOKEN})
    )


def test_a_rejected_query_points_at_notebook_yaml(jira: FakeJira, cli: Any, repo: Path) -> None:
    config = repo / "notebook.yaml"
    config.write_text(
        config.read_text().replace("labels = campaign-notebook", "project IS NOT quite")
    )

    result = cli("jira", "fetch")

    assert result.code == 1
    assert result.err.startswith(
        "notebook.yaml:10:12: error: Jira rejected the query 'Labelled for the notebook'"
    )
    assert not (repo / "jira-snapshot.json").exists()


@pytest.mark.parametrize("mode", ["dc", "cloud"])
def test_fetching_1000_keys_takes_one_search_per_50(mode: Mode) -> None:
    cost = measure_fetch(1000, mode)

    print(f"\n{mode}: {cost}")
    assert cost["found"] == 1000
    assert cost["searches"] == 20
    assert cost["requests"] <= 20 + 3  # serverInfo, myself, field
    assert cost["seconds"] < 20


def test_issue_from_jira_reads_names_and_utc_times() -> None:
    issue = issue_from_jira(
        make_issue("DM-1", "x", updated="2026-01-01T01:30:00.000+0130", assignee=None)
    )
    assert (issue.updated, issue.assignee, issue.status_category) == (
        "2026-01-01T00:00:00Z",
        "",
        "indeterminate",
    )
    odd = issue_from_jira(
        {"key": "DM-2", "fields": {"status": {"statusCategory": {"key": "weird"}}}}
    )
    assert (odd.summary, odd.status_category, odd.created) == ("", "unknown", "")


def test_key_query_quotes_keys() -> None:
    assert key_query(["DM-1", 'X"Y']) == 'key in ("DM-1", "X\\"Y")'


def test_the_fake_answers_like_jira(jira: FakeJira) -> None:
    """The endpoints the library and the client rely on, as the reference describes them."""
    import requests

    assert requests.get(jira.url + "/rest/api/2/myself", timeout=5).status_code == 401
    anonymous = requests.post(
        jira.url + "/rest/api/2" + search_path(jira), json={"jql": "key = DM-100"}, timeout=5
    )
    assert anonymous.status_code == 200 and anonymous.json()["issues"] == []
    other = "/search" if jira.mode == "cloud" else "/search/jql"
    assert requests.post(jira.url + "/rest/api/2" + other, json={}, timeout=5).status_code == (
        410 if jira.mode == "cloud" else 404
    )
    assert (
        requests.get(jira.url + "/rest/applinks/latest/listApplicationlinks", timeout=5).status_code
        == 403
    )
    headers = {"Authorization": f"Bearer {SENTINEL_TOKEN}"} if jira.mode == "dc" else {}
    auth = (jira.user, SENTINEL_TOKEN) if jira.mode == "cloud" else None
    one = requests.get(
        jira.url + "/rest/api/2/issue/DM-310",
        params=[("fields", "summary,status"), ("fields", "labels")],
        headers=headers,
        auth=auth,
        timeout=5,
    ).json()
    assert one["key"] == "PSF-7" and sorted(one["fields"]) == ["labels", "status", "summary"]
    assert json.loads(requests.get(jira.url + "/rest/api/2/field", timeout=5).text)


def test_a_snapshot_outside_the_repository_is_never_written(
    jira: FakeJira, cli: Any, repo: Path
) -> None:
    # The records are checked first: every problem is listed as `campaigns validate` lists it
    # (cli.main reports pipeline.InvalidRecords), and Jira is not asked.
    config = repo / "notebook.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "snapshot: jira-snapshot.json", "snapshot: ../outside.json"
        ),
        encoding="utf-8",
    )
    result = cli("jira", "fetch")
    assert result.code != 0
    assert "notebook.yaml:7:13: error: jira.snapshot '../outside.json' is outside" in result.out
    assert "name a file inside the repository" in result.out
    assert "1 error(s); Jira was not asked" in result.err
    assert "Traceback" not in result.err
    assert jira.requests == []  # Jira was not asked
    assert not (repo.parent / "outside.json").exists()
