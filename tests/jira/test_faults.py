"""Jira answering like an attacker or a broken proxy would: odd Retry-After values, a server that
never stops refusing, credentials in URLs and in echoed error bodies, a snapshot path that leads
out of the repository. Each against the fake Jira over HTTP, counting the requests it received.

Test time stays small: Retry-After is clamped to at least 1 s, and --retry-budget is 2 s here.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from jira import JIRAError

from generator.jira.client import MAX_RETRY_DELAY, MIN_RETRY_DELAY, request_cap, retry_delay
from generator.jira.snapshot import load_snapshot
from tests.jira.conftest import MOVED, NAMED_KEYS, SENTINEL_TOKEN, CliResult, seed_issues
from tests.jira.fake_jira import DEFAULT_USER, ECHO, FakeJira, Fault, Mode, serve

PREVIOUS = '{"format": 1, "note": "the previous snapshot"}\n'
# serverInfo and myself to connect; the library asks for /field before its first search
OTHER_REQUESTS = 3


@pytest.fixture
def dc(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeJira]:
    """One mode is enough where the behaviour is ours, not the deployment's."""
    with serve("dc", seed_issues(), moved=MOVED, token=SENTINEL_TOKEN) as server:
        _point_at(server, monkeypatch)
        yield server


def _point_at(server: FakeJira, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("JIRA_SERVER", "JIRA_TOKEN", "JIRA_USER"):
        monkeypatch.delenv(name, raising=False)
    for name, value in server.environment().items():
        monkeypatch.setenv(name, value)


def secrets_of(jira: FakeJira) -> list[str]:
    """The token and every encoded form of it a client sends (the Basic header value)."""
    basic = base64.b64encode(f"{jira.user}:{jira.token}".encode()).decode()
    return [jira.token, basic, base64.b64encode(jira.token.encode()).decode()]


def assert_no_secret(jira: FakeJira, result: CliResult, repo: Path, log: str = "") -> None:
    for secret in secrets_of(jira):
        assert secret not in result.out + result.err + log
        for path in repo.rglob("*"):
            if path.is_file():
                assert secret not in path.read_text(encoding="utf-8", errors="replace"), path


# Retry-After as sent -> searches the fake receives before a 2 s budget runs out.
# 0, -1 and a past date are waited 1 s each (1 + 1 = 2 s, then the third wait is over budget);
# unreadable values back off 1 s then 2 s (over budget after the first); huge ones are clamped
# to 60 s, which is over budget at once.
RETRY_AFTER = {
    "0": 3,
    "-1": 3,
    "-0.000001": 3,
    "Wed, 21 Oct 2015 07:28:00 GMT": 3,  # in the past
    "nan": 2,
    "soon": 2,
    "inf": 1,
    "1e308": 1,
    "99999999999999999999999": 1,
}


@pytest.mark.parametrize("retry_after", RETRY_AFTER, ids=list(RETRY_AFTER))
def test_retry_after_is_clamped_and_counted_against_the_budget(
    retry_after: str, dc: FakeJira, cli: Any, repo: Path
) -> None:
    dc.add_fault(Fault.rate_limited(retry_after, path="/search"))
    (repo / "jira-snapshot.json").write_text(PREVIOUS, encoding="utf-8")
    started = time.monotonic()

    result = cli("jira", "fetch", "--retry-budget", "2")

    elapsed = time.monotonic() - started
    searches = RETRY_AFTER[retry_after]
    assert result.code == 1
    assert "Jira kept answering HTTP 429 (too many requests) while searching" in result.err
    assert len(dc.requests_to("/search")) == searches
    assert dc.request_count == OTHER_REQUESTS + searches
    assert elapsed >= MIN_RETRY_DELAY * (searches - 1)  # never retried at once
    assert elapsed < 10
    assert (repo / "jira-snapshot.json").read_text(encoding="utf-8") == PREVIOUS


def test_a_server_that_always_refuses_meets_the_request_cap(
    dc: FakeJira, cli: Any, repo: Path
) -> None:
    dc.add_fault(Fault.rate_limited("1", path="/search"))

    result = cli("jira", "fetch", "--retry-budget", "1000", "--max-requests", "5")

    assert result.code == 1
    assert "stopped after 5 requests to Jira while searching" in result.err
    assert dc.request_count == 5  # serverInfo, myself, field, two searches; the sixth is not sent
    assert not (repo / "jira-snapshot.json").exists()


def test_the_request_cap_counts_every_request_of_the_run(dc: FakeJira, cli: Any) -> None:
    # serverInfo, myself, field, one search (rejected: DM-299 is unknown); the second search,
    # without DM-299, is not sent
    result = cli("jira", "fetch", "--max-requests", "4")

    assert result.code == 1 and "stopped after 4 requests to Jira while searching" in result.err
    assert dc.request_count == 4


def test_the_default_cap_scales_with_the_keys_and_admits_a_normal_fetch(
    dc: FakeJira, cli: Any
) -> None:
    assert request_cap(0) < request_cap(1000) == request_cap(0) + 5 * 1000
    assert cli("jira", "fetch").code == 0
    assert dc.request_count <= request_cap(len(NAMED_KEYS))


def test_retry_delays_stay_in_range() -> None:
    assert (MIN_RETRY_DELAY, MAX_RETRY_DELAY) == (1.0, 60.0)


@pytest.mark.parametrize(
    "server",
    [
        "HTTP://ana:s3cret-pw@{host}",
        "hTTpS://ana:s3cret-pw@{host}",
        "http://ana%40example.org:s3cret-pw@{host}",
        "http://s3cret-pw@{host}",
    ],
)
def test_userinfo_in_the_server_url_is_never_shown(
    server: str, dc: FakeJira, cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_SERVER", server.format(host=dc.url.split("://")[1]))

    result = cli("jira", "fetch")

    assert result.code == 2 and "must not contain credentials" in result.err
    assert "s3cret-pw" not in result.out + result.err and "ana" not in result.err
    assert dc.request_count == 0


def test_userinfo_in_jira_server_of_notebook_yaml_is_masked_by_validate(
    cli: Any, repo: Path
) -> None:
    config = repo / "notebook.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("https://jira.example.org", "HTTP://ana:s3cret-pw@j.org"))

    result = cli("validate")

    assert result.code == 1 and "'HTTP://***@j.org' has the wrong form" in result.out
    assert "s3cret-pw" not in result.out + result.err


def test_an_upper_case_scheme_works_and_is_stored_in_lower_case(
    dc: FakeJira, cli: Any, repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIRA_SERVER", dc.url.replace("http://", "HTTP://"))

    result = cli("jira", "fetch")

    assert result.code == 0, result.err
    snapshot = load_snapshot(repo / "jira-snapshot.json")
    assert snapshot is not None and snapshot.server == dc.url


ECHOES = {
    "json 500": Fault(
        500, "/search", body=json.dumps({"errorMessages": [f"bad header Authorization: {ECHO}"]})
    ),
    "json 403": Fault(
        403, "/search", body=json.dumps({"errors": {"Authorization": f"{ECHO} is not allowed"}})
    ),
    "html 502 from a proxy": Fault(
        502,
        "/search",
        body=f"<html><pre>Authorization: {ECHO}</pre></html>",
        content_type="text/html",
    ),
    "plain text 500": Fault(500, "/search", body=f"echo {ECHO}", content_type="text/plain"),
    "lock-out header": Fault(
        403, "/myself", headers={"X-Authentication-Denied-Reason": f"CAPTCHA; {ECHO}"}
    ),
}


@pytest.mark.parametrize("fault", ECHOES, ids=list(ECHOES))
def test_echoed_credentials_never_reach_output_logs_or_files(
    fault: str, jira: FakeJira, cli: Any, repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    jira.add_fault(ECHOES[fault])

    result = cli("jira", "fetch")

    assert result.code == 1
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "<html>" not in result.err and "echo" not in result.err  # summarised, not verbatim
    assert_no_secret(jira, result, repo, caplog.text)


def test_echoed_credentials_in_refusals_are_not_stored(
    jira: FakeJira, cli: Any, repo: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A missing issue's reason is ours, not the body's: the snapshot is published."""
    caplog.set_level(logging.DEBUG)
    body = json.dumps({"errorMessages": [f"no such issue; you sent {ECHO}"]})
    jira.add_fault(Fault(404, "/issue/DM-299", body=body))

    result = cli("jira", "fetch")

    assert result.code == 0, result.err
    snapshot = load_snapshot(repo / "jira-snapshot.json")
    assert snapshot is not None
    assert snapshot.missing == {
        "DM-299": "Issue does not exist or you do not have permission to see it. (HTTP 404)"
    }
    assert "you sent" not in (repo / "jira-snapshot.json").read_text(encoding="utf-8")
    assert_no_secret(jira, result, repo, caplog.text)


def test_a_rejected_query_shows_jiras_message_with_credentials_masked(
    jira: FakeJira, cli: Any, repo: Path
) -> None:
    config = repo / "notebook.yaml"
    config.write_text(config.read_text().replace("labels = campaign-notebook", "labels = x"))
    body = json.dumps({"errorMessages": [f"Field 'labels' is bad\nheader: {ECHO}"]})
    jira.add_fault(Fault(400, "/search", body=body, times=None))
    # every search is refused: the key batches are split down to single keys, then the query
    result = cli("jira", "fetch")

    assert result.code == 1 and "Jira rejected the query" in result.err
    assert "Field 'labels' is bad header: " in result.err and "***" in result.err
    assert_no_secret(jira, result, repo)


@pytest.mark.parametrize(
    ("snapshot", "message"),
    [
        ("../outside.json", "is outside the repository"),
        ("/tmp/jira-snapshot.json", "is not a path relative to the repository"),
        ("link.json", "is outside the repository"),  # a symbolic link leading out
    ],
)
def test_the_snapshot_path_must_stay_inside_the_repository(
    snapshot: str, message: str, dc: FakeJira, cli: Any, repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside.json"
    (repo / "link.json").symlink_to(outside)
    config = repo / "notebook.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("snapshot: jira-snapshot.json", f"snapshot: {snapshot}"))

    validated = cli("validate")
    fetched = cli("jira", "fetch")

    assert validated.code == 1 and f"jira.snapshot {snapshot!r} {message}" in validated.out
    assert fetched.code == 1
    assert not outside.exists() and not Path("/tmp/jira-snapshot.json").exists()
    assert dc.request_count == 0  # refused before asking Jira anything


@pytest.mark.parametrize("mode", ["dc", "cloud"])
def test_the_fake_echoes_what_the_client_sends(mode: Mode) -> None:
    """The echo fault works, so the tests above could fail."""
    import requests

    with serve(mode, token=SENTINEL_TOKEN) as jira:
        jira.add_fault(Fault(500, "/search", body=f"you sent {ECHO}", content_type="text/plain"))
        auth = (DEFAULT_USER, SENTINEL_TOKEN) if mode == "cloud" else None
        headers = {} if auth else {"Authorization": f"Bearer {SENTINEL_TOKEN}"}
        answer = requests.post(
            jira.url + "/rest/api/2/search", json={}, auth=auth, headers=headers, timeout=5
        )
    assert answer.status_code == 500
    assert any(secret in answer.text for secret in secrets_of(jira))


@given(st.text(max_size=60) | st.floats().map(str) | st.integers().map(str))
def test_any_retry_after_is_waited_between_one_and_sixty_seconds(value: str) -> None:
    response = requests.Response()
    response.status_code = 429
    response.headers["Retry-After"] = value
    for attempt in (0, 5, 100):
        delay = retry_delay(JIRAError(429, response=response), attempt)
        assert MIN_RETRY_DELAY <= delay <= MAX_RETRY_DELAY


def test_an_unsafe_snapshot_fails_validate_and_fetch_replaces_it(
    dc: FakeJira, cli: Any, repo: Path
) -> None:
    snapshot = repo / "jira-snapshot.json"
    snapshot.write_text(
        json.dumps({"format": 1, "fetched_at": "2026-11-24T06:00:00Z", "server": "https://j|x"}),
        encoding="utf-8",
    )

    validated = cli("validate")
    fetched = cli("jira", "fetch")

    assert validated.code == 1
    assert "jira-snapshot.json: error: Jira snapshot is unreadable: server" in validated.out
    assert fetched.code == 0, fetched.err
    assert cli("validate").code == 0
