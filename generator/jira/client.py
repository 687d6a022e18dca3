"""Every conversation with Jira, and the only module in the project that does network I/O.

Uses the ``jira`` library over HTTP, with its sharp edges filed off:

- credentials come only from the environment (``JIRA_SERVER``, ``JIRA_TOKEN``, ``JIRA_USER``);
- Cloud or Data Center is read from ``serverInfo`` (the library does that when constructed);
  Cloud searches ``POST /search/jql`` (cursor paging), Data Center ``POST /search`` (offsets);
- every request has a timeout; the library's own retries are off (its delays reach minutes and
  double ``Retry-After``), so 429 and 503 are retried here. ``Retry-After`` is clamped to
  1..60 s (0, negative, ``nan`` or non-numeric values cannot make us hammer the server, a huge
  one cannot stall the run), and all waits of a run add up against one budget;
- a run makes at most ``Limits.max_requests`` requests (``request_cap`` scales it with the
  number of keys), whatever the server answers;
- every failure becomes a ``JiraFailure`` with a one-line reason. ``str(JIRAError)`` carries
  every request and response header, so it is never shown; error bodies are reduced to Jira's
  own short messages, and no message contains the token, the ``Authorization`` header value
  (the base64 form of e-mail and token) or credentials in a URL.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import requests
from jira import JIRA, JIRAError
from requests.adapters import HTTPAdapter

from generator.errors import ExitCode, UserError
from generator.urls import mask_userinfo, url_problem

T = TypeVar("T")

SEARCH_PAGE_SIZE = 100
LOCKOUT_HEADER = "X-Authentication-Denied-Reason"
RETRIED_STATUSES = (429, 503)
MIN_RETRY_DELAY = 1.0  # seconds; also what Retry-After: 0 (or -1, nan, "soon") becomes
MAX_RETRY_DELAY = 60.0  # seconds; a longer Retry-After is waited this long, within the budget
# The most requests one run may make: a few to connect, then per key at most a search share, a
# retry or two and a single-issue read (see request_cap). Generous for a healthy Jira, and a
# hard stop for one that keeps answering 429 or a loop we did not foresee.
BASE_REQUESTS = 200
REQUESTS_PER_KEY = 5


def request_cap(keys: int) -> int:
    """The request cap of a run over ``keys`` keys (tickets for ``jira link``)."""
    return BASE_REQUESTS + REQUESTS_PER_KEY * keys


class JiraFailure(UserError):
    """Jira could not be asked or refused to answer: the command stops, nothing is written."""


class JiraRefusal(Exception):
    """An answer the caller said it can handle (a rejected query, a missing issue)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message

    @property
    def summary(self) -> str:
        """The message cut to fit a line (``message`` is whole: it may name every bad key)."""
        return self.message[:200] + ("…" if len(self.message) > 200 else "")

    @property
    def reason(self) -> str:
        """Why Jira would not give an issue, in our words (kept in the snapshot, shown on pages:
        no text from the error body is stored)."""
        return {
            # Jira's usual wording, as a constant of ours
            403: "You do not have permission to see this issue.",
            404: "Issue does not exist or you do not have permission to see it.",
        }.get(self.status, _reason(self.status))


@dataclass(frozen=True)
class Credentials:
    server: str
    token: str = field(repr=False)
    # set: basic auth (Cloud e-mail + API token); empty: bearer token (Data Center PAT)
    user: str = ""

    @classmethod
    def from_environment(
        cls, configured_server: str, environ: Mapping[str, str] = os.environ
    ) -> Credentials:
        server = (environ.get("JIRA_SERVER") or configured_server).strip().rstrip("/")
        if not server:
            raise UserError(
                "no Jira server: JIRA_SERVER is not set and notebook.yaml has no jira.server",
                hint="export JIRA_SERVER=https://your-site.atlassian.net (or set jira.server)",
                exit_code=ExitCode.USAGE,
            )
        parts = urlsplit(server)
        if "@" in parts.netloc:  # checked first: no message below may show the password
            raise UserError(
                "the Jira server URL must not contain credentials",
                hint="put the token in JIRA_TOKEN (and the e-mail in JIRA_USER for Cloud)",
                exit_code=ExitCode.USAGE,
            )
        # HTTPS://Jira.Example.org works, and is kept as https://Jira.Example.org
        server = urlunsplit(parts._replace(scheme=parts.scheme.lower()))
        problem = url_problem(server)
        if problem:
            raise UserError(
                f"the Jira server {mask_userinfo(server)!r} {problem}",
                hint="write it like https://your-site.atlassian.net",
                exit_code=ExitCode.USAGE,
            )
        token = environ.get("JIRA_TOKEN", "").strip()
        if not token:
            raise UserError(
                "JIRA_TOKEN is not set",
                hint="export JIRA_TOKEN: an API token with JIRA_USER=<e-mail> for Jira Cloud, "
                "or a personal access token alone for Jira Data Center",
                exit_code=ExitCode.USAGE,
            )
        return cls(server=server, token=token, user=environ.get("JIRA_USER", "").strip())


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0  # seconds per request (connect and read)
    retry_budget: float = 120.0  # total seconds a run may wait for 429/503 before giving up
    max_requests: int = BASE_REQUESTS  # requests one run may make; see request_cap
    sleep: Callable[[float], None] = time.sleep


class JiraConnection:
    """A checked connection: construction reads serverInfo (Cloud or not) and checks /myself."""

    def __init__(self, credentials: Credentials, limits: Limits | None = None) -> None:
        self.credentials = credentials
        self.limits = limits or Limits()
        self.server = credentials.server
        self.requests_made = 0
        self.waited = 0.0  # seconds, over the whole run: the retry budget is for the run
        self._secrets = _secret_forms(credentials)
        if not credentials.user and (urlsplit(self.server).hostname or "").endswith(
            ".atlassian.net"
        ):
            raise _cloud_needs_user(self.server)
        auth: dict[str, Any] = (
            {"basic_auth": (credentials.user, credentials.token)}
            if credentials.user
            else {"token_auth": credentials.token}
        )

        def connect() -> JIRA:
            self._count_request()  # the library's one request while constructed: serverInfo
            return JIRA(
                server=credentials.server,
                timeout=self.limits.timeout,
                max_retries=0,  # retries are ours: bounded, and honouring Retry-After as given
                logging=False,  # the library logs response bodies; keep them out of our output
                get_server_info=True,
                **auth,
            )

        self._jira: JIRA = self._call("reading serverInfo", connect)
        # Every later request, including those the library makes on its own, is counted.
        counting = _CountingAdapter(self._count_request)
        for prefix in ("http://", "https://"):
            self._jira._session.mount(prefix, counting)
        self.deployment = "Cloud" if self._jira.deploymentType == "Cloud" else "Server"
        if self.is_cloud and not credentials.user:
            raise _cloud_needs_user(self.server)
        # Cloud answers an unauthenticated search with an empty list: check who we are first.
        self._call("checking the credentials (/myself)", self._jira.myself)

    @property
    def is_cloud(self) -> bool:
        return self.deployment == "Cloud"

    def close(self) -> None:
        self._jira.close()  # type: ignore[no-untyped-call]

    def search(self, jql: str, fields: tuple[str, ...]) -> list[dict[str, Any]]:
        """Every issue matching ``jql`` (all pages), as raw JSON. 400 raises JiraRefusal."""
        what = "searching"
        issues: list[dict[str, Any]] = []
        if self.is_cloud:
            token: str | None = None
            while True:
                page = self._call(
                    what,
                    lambda token=token: self._jira.enhanced_search_issues(  # type: ignore[misc]
                        jql,
                        nextPageToken=token,
                        maxResults=SEARCH_PAGE_SIZE,
                        fields=list(fields),  # a fresh list: the library edits it in place
                        json_result=True,
                        use_post=True,
                    ),
                    refusals=(400,),
                )
                issues.extend(page.get("issues") or [])
                next_token = page.get("nextPageToken")
                if page.get("isLast") or not next_token or next_token == token:
                    return issues
                token = next_token
        start = 0
        while True:
            page = self._call(
                what,
                lambda start=start: self._jira.search_issues(  # type: ignore[misc]
                    jql,
                    startAt=start,
                    maxResults=SEARCH_PAGE_SIZE,
                    fields=list(fields),
                    json_result=True,
                    use_post=True,
                ),
                refusals=(400,),
            )
            received = page.get("issues") or []
            issues.extend(received)
            start += len(received)
            if not received or start >= int(page.get("total", 0)):
                return issues

    def issue(self, key: str, fields: tuple[str, ...]) -> dict[str, Any]:
        """One issue by key (a moved issue answers with its new key). 403/404 raise JiraRefusal."""
        found = self._call(
            f"reading {key}",
            lambda: self._jira.issue(key, fields=",".join(fields)),
            refusals=(403, 404),
        )
        raw: dict[str, Any] = found.raw
        return raw

    def remote_links(self, key: str) -> list[dict[str, Any]]:
        """The remote links on an issue, as raw JSON. 403/404 raise JiraRefusal."""
        links = self._call(
            f"listing remote links of {key}",
            lambda: self._jira.remote_links(key),
            refusals=(403, 404),
        )
        return [link.raw for link in links]

    def save_remote_link(self, key: str, link: dict[str, Any]) -> None:
        """Create or update (the server upserts on globalId) a remote link.

        A raw POST through the library's session: ``add_remote_link`` first asks an admin-only
        applinks endpoint on every call, which fails for ordinary accounts.
        """
        url = self._jira._get_url(f"issue/{key}/remotelink")
        self._call(
            f"saving a remote link on {key}",
            lambda: self._jira._session.post(url, data=json.dumps(link)),
            refusals=(403, 404),
        )

    def delete_remote_link(self, key: str, link_id: int | str) -> None:
        url = self._jira._get_url(f"issue/{key}/remotelink/{link_id}")
        self._call(
            f"deleting remote link {link_id} of {key}",
            lambda: self._jira._session.delete(url),
            refusals=(403, 404),
        )

    def _call(self, what: str, operation: Callable[[], T], refusals: tuple[int, ...] = ()) -> T:
        """Run one request: retry 429/503 within the budget, turn every failure into one line."""
        try:
            return self._attempts(what, operation, refusals)
        except JiraFailure as failure:
            failure.message = self._scrub(failure.message)
            failure.hint = self._scrub(failure.hint) if failure.hint else failure.hint
            raise

    def _attempts(self, what: str, operation: Callable[[], T], refusals: tuple[int, ...]) -> T:
        attempt = 0
        while True:
            try:
                return operation()
            except _RequestCapReached:
                raise JiraFailure(
                    f"stopped after {self.requests_made} requests to Jira while {what}: "
                    "the most one run may make",
                    hint="a Jira that keeps refusing, or more keys than expected; try again "
                    "later, or raise --max-requests",
                ) from None
            except JIRAError as error:
                status = error.status_code or 0
                if status in RETRIED_STATUSES:
                    delay = retry_delay(error, attempt)
                    if self.waited + delay > self.limits.retry_budget:
                        raise JiraFailure(
                            f"Jira kept answering HTTP {status} ({_reason(status)}) while {what}; "
                            f"gave up after waiting {self.waited:g} s in all",
                            hint=f"try again later (the next wait, {delay:g} s, would go over "
                            f"the {self.limits.retry_budget:g} s of --retry-budget)",
                        ) from None
                    self.limits.sleep(delay)
                    self.waited += delay
                    attempt += 1
                    continue
                raise self._failure(what, error, refusals) from None
            except requests.Timeout:
                raise JiraFailure(
                    f"Jira at {self.server} did not answer within {self.limits.timeout:g} s "
                    f"while {what}",
                    hint="try again later, or raise --timeout",
                ) from None
            except requests.ConnectionError:
                raise JiraFailure(
                    f"cannot reach Jira at {self.server} while {what}",
                    hint="check JIRA_SERVER (or jira.server in notebook.yaml) and the network",
                ) from None
            except ValueError:  # requests' JSONDecodeError: a login page or proxy answered
                raise JiraFailure(
                    f"Jira at {self.server} answered with a page that is not JSON while {what} "
                    "(a single-sign-on or proxy page?)",
                    hint="check that JIRA_SERVER is the Jira base URL and that tokens are "
                    "accepted without a browser login",
                ) from None
            except requests.RequestException as error:
                raise JiraFailure(
                    f"the request to Jira at {self.server} failed while {what} "
                    f"({type(error).__name__})"
                ) from None
            except (KeyError, TypeError):  # serverInfo without versionNumbers
                raise JiraFailure(
                    f"{self.server} does not answer like Jira while {what}",
                    hint="check JIRA_SERVER: it must be the Jira base URL",
                ) from None

    def _failure(
        self, what: str, error: JIRAError, refusals: tuple[int, ...]
    ) -> JiraFailure | JiraRefusal:
        status = error.status_code or 0
        headers = error.response.headers if error.response is not None else {}
        if status == 403 and LOCKOUT_HEADER in headers:
            return JiraFailure(
                f"Jira locked the account out (HTTP 403, {LOCKOUT_HEADER}: "
                f"{self._one_line(headers[LOCKOUT_HEADER])}) while {what}",
                hint="log in once in a browser to clear the CAPTCHA, or use a personal "
                "access token",
            )
        if status in refusals:  # the caller reads the whole message (it may name bad keys)
            return JiraRefusal(status, self._safe(error, limit=4000) or _reason(status))
        message = self._safe(error)
        detail = f": {message}" if message else ""
        if status == 401:
            return JiraFailure(
                f"Jira refused the credentials (HTTP 401) while {what}",
                hint="check JIRA_TOKEN and JIRA_USER (your Atlassian e-mail); tokens expire"
                if self.credentials.user
                else "check JIRA_TOKEN (tokens expire); for Jira Cloud set JIRA_USER=<e-mail> too",
            )
        if status == 403:
            return JiraFailure(
                f"Jira forbids this account (HTTP 403) while {what}{detail}",
                hint="ask a Jira admin for browse access to the projects",
            )
        if status == 404:
            return JiraFailure(
                f"no such Jira REST resource at {self.server} (HTTP 404) while {what}",
                hint="check JIRA_SERVER: it must be the Jira base URL",
            )
        return JiraFailure(f"Jira answered HTTP {status} ({_reason(status)}) while {what}{detail}")

    def _count_request(self) -> None:
        if self.requests_made >= self.limits.max_requests:
            raise _RequestCapReached
        self.requests_made += 1

    def _safe(self, error: JIRAError, limit: int = 200) -> str:
        """Jira's own short messages from an error body, fit for one line, or "".

        Only the ``errorMessages`` and ``errors`` of a JSON body are read: an HTML page, a proxy's
        answer or anything else is never shown. Credentials are masked even there (a server or
        proxy may echo the request's headers), control characters dropped, the length capped.
        """
        return self._one_line(" ".join(_jira_messages(error.response)), limit)

    def _one_line(self, text: str, limit: int = 200) -> str:
        text = _UNPRINTABLE.sub("", " ".join(text.split()))
        text = self._scrub(text)
        return text[:limit] + ("…" if len(text) > limit else "")

    def _scrub(self, text: str) -> str:
        """``text`` with the token, the Authorization header value and URL userinfo masked."""
        text = _AUTH_HEADER.sub(r"\1***", text)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return mask_userinfo(text)


class _RequestCapReached(Exception):
    """Raised before sending a request over the cap (not a requests error: nothing retries it)."""


class _CountingAdapter(HTTPAdapter):
    """The session's transport, counting (and capping) requests before they are sent."""

    def __init__(self, count: Callable[[], None]) -> None:
        super().__init__(max_retries=0)
        self._count = count

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        self._count()
        return super().send(request, *args, **kwargs)


def _cloud_needs_user(server: str) -> JiraFailure:
    return JiraFailure(
        f"{server} is Jira Cloud, which needs basic auth: JIRA_USER is not set",
        hint="export JIRA_USER=<your Atlassian e-mail> with JIRA_TOKEN=<API token>",
    )


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
_AUTH_HEADER = re.compile(r"(?i)\b(basic|bearer)\s+[A-Za-z0-9+/=._~-]{8,}")


def _secret_forms(credentials: Credentials) -> list[str]:
    """Every form in which the credentials could come back: the token, the base64 of
    ``user:token`` (the Basic header value), and the base64 of the token alone."""
    forms = {credentials.token}
    for raw in (f"{credentials.user}:{credentials.token}", credentials.token):
        encoded = base64.b64encode(raw.encode()).decode()
        forms.update({encoded, encoded.rstrip("=")})
    return sorted((form for form in forms if len(form) >= 4), key=len, reverse=True)


def _jira_messages(response: requests.Response | None) -> list[str]:
    """Jira's ``errorMessages`` and ``errors`` values, from a JSON error body."""
    if response is None or "json" not in response.headers.get("Content-Type", ""):
        return []
    try:
        body = response.json()
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    messages = [m for m in body.get("errorMessages") or () if isinstance(m, str)]
    errors = body.get("errors")
    if isinstance(errors, dict):
        messages += [f"{k}: {v}" for k, v in errors.items() if isinstance(v, str)]
    return messages


def retry_delay(error: JIRAError, attempt: int) -> float:
    """Seconds to wait before retrying, always within MIN_RETRY_DELAY..MAX_RETRY_DELAY.

    Retry-After in seconds or as an HTTP date; 0, negative or past values become 1 s, ``nan``
    or unreadable ones (and none) 1, 2, 4... s, huge ones 60 s: no answer can make us retry at
    once, or wait for hours.
    """
    value = error.response.headers.get("Retry-After") if error.response is not None else None
    seconds: float | None = None
    if value:
        try:
            seconds = float(value)
        except ValueError:
            try:
                moment = parsedate_to_datetime(value)
            except (TypeError, ValueError, IndexError):
                moment = None
            if moment is not None:
                moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
                seconds = (moment - datetime.now(UTC)).total_seconds()
    if seconds is None or math.isnan(seconds):
        seconds = float(2 ** min(attempt, 10))
    return min(max(seconds, MIN_RETRY_DELAY), MAX_RETRY_DELAY)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase.lower()
    except ValueError:
        return "unexpected"
