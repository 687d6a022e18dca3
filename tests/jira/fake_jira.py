"""A small Jira-compatible HTTP server for tests: stateful, threaded, on 127.0.0.1.

It speaks the REST v2 endpoints the client uses, in two modes:

- ``"dc"`` (Data Center / Server): ``serverInfo.deploymentType == "Server"``, bearer personal
  access token, ``/search`` with offset paging; ``/search/jql`` does not exist (404); one unknown
  key inside ``key in (...)`` fails the whole search with 400 (query validation is on).
- ``"cloud"``: ``deploymentType == "Cloud"``, basic auth (e-mail + API token), ``/search/jql``
  with ``nextPageToken`` paging; the removed ``/search`` answers 410; unknown keys are skipped.

Both: ``/myself`` (401 without valid credentials, while an unauthenticated search answers an
empty list), a non-empty ``/field``, single issues (a moved issue answers by its new key, a
missing one 404), remote links with ``globalId`` upsert and delete, and the admin-only applinks
endpoint answering 403. Scripted faults (``Fault``) answer 401, 403 with the lock-out header,
404, 429/503 with any ``Retry-After`` (0, -1, nan, huge...), slowly, with an HTML page and
status 200, or with a body or header echoing the request's ``Authorization`` header (``ECHO``).

Usage (also what the benchmark uses)::

    with serve("cloud", invented_issues(1000)) as jira:
        os.environ.update(jira.environment())   # JIRA_SERVER, JIRA_TOKEN, JIRA_USER
        ...
        jira.request_count, jira.requests_to("/search")
"""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

Mode = Literal["dc", "cloud"]
API = "/rest/api/2/"
DEFAULT_TOKEN = "fake-jira-token"
DEFAULT_USER = "ana.souza@example.org"
PAGE_LIMIT = 100
LOCKOUT_HEADER = "X-Authentication-Denied-Reason"
NOT_FOUND = "Issue does not exist or you do not have permission to see it."
SYSTEM_FIELDS = (
    "assignee", "comment", "created", "description", "fixVersions", "issuelinks", "issuetype",
    "labels", "parent", "priority", "reporter", "resolution", "status", "summary", "updated",
)  # fmt: skip


@dataclass
class Fault:
    """Answer matching requests this way, ``times`` times (None: always)."""

    status: int = 200
    path: str = ""  # substring of the request path; "" matches every request
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    content_type: str = "application/json"
    delay: float = 0.0  # seconds to wait first; with status 200 the request is then served normally
    times: int | None = None
    # ECHO in body or header values becomes the request's Authorization header, as a careless
    # proxy or server echoing the request would send it back

    @classmethod
    def unauthorized(cls, path: str = "") -> Fault:
        return cls(401, path, body=json.dumps({"errorMessages": ["You are not authenticated."]}))

    @classmethod
    def locked_out(cls, path: str = "") -> Fault:
        return cls(
            403,
            path,
            headers={
                LOCKOUT_HEADER: "CAPTCHA_CHALLENGE; login-url=https://jira.example.org/login.jsp"
            },
            body="<html><body>CAPTCHA required</body></html>",
            content_type="text/html",
        )

    @classmethod
    def not_found(cls, path: str = "") -> Fault:
        return cls(
            404, path, body="<html><body>Page not found</body></html>", content_type="text/html"
        )

    @classmethod
    def rate_limited(cls, retry_after: str, times: int | None = None, path: str = "") -> Fault:
        return cls(
            429,
            path,
            headers={"Retry-After": retry_after},
            times=times,
            body=json.dumps({"errorMessages": ["Rate limit exceeded."]}),
        )

    @classmethod
    def unavailable(cls, retry_after: str, times: int | None = None, path: str = "") -> Fault:
        return cls(
            503,
            path,
            headers={"Retry-After": retry_after},
            times=times,
            body=json.dumps({"errorMessages": ["Service unavailable."]}),
        )

    @classmethod
    def slow(cls, seconds: float, path: str = "", times: int | None = None) -> Fault:
        return cls(200, path, delay=seconds, times=times)

    @classmethod
    def html_page(cls, path: str = "") -> Fault:
        return cls(
            200,
            path,
            body="<!DOCTYPE html><html><head><title>Log in</title></head><body>SSO</body></html>",
            content_type="text/html;charset=UTF-8",
        )


ECHO = "{authorization}"


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any


def make_issue(
    key: str,
    summary: str,
    *,
    status: str = "In Progress",
    category: str = "indeterminate",
    issue_type: str = "Task",
    assignee: str | None = "Ana Souza",
    priority: str = "Major",
    created: str = "2026-10-01T09:00:00.000+0000",
    updated: str = "2026-11-20T14:03:11.000+0200",
    resolution: str | None = None,
    labels: Iterable[str] = (),
    fix_versions: Iterable[str] = (),
    parent: str = "",
    links: Iterable[tuple[str, str, str]] = (),  # (link type name, "outward"|"inward", key)
) -> dict[str, Any]:
    """A realistic issue as Jira returns it, including what the snapshot must drop
    (e-mail addresses, avatars, descriptions, ids)."""
    link_types = {
        "Blocks": ("blocks", "is blocked by"),
        "Relates": ("relates to", "relates to"),
        "Cloners": ("clones", "is cloned by"),
    }
    fields: dict[str, Any] = {
        "summary": summary,
        "description": "Long description that the snapshot does not keep.",
        "status": {
            "name": status,
            "statusCategory": {"key": category, "colorName": "yellow", "id": 4},
            "iconUrl": "https://jira.example.org/images/icons/status.png",
        },
        "issuetype": {"name": issue_type, "subtask": False},
        "assignee": None
        if assignee is None
        else {
            "displayName": assignee,
            "emailAddress": assignee.lower().replace(" ", ".") + "@example.org",
            "avatarUrls": {"48x48": "https://jira.example.org/avatar.png"},
            "active": True,
        },
        "reporter": {"displayName": "Reporter", "emailAddress": "reporter@example.org"},
        "priority": {"name": priority},
        "created": created,
        "updated": updated,
        "resolution": {"name": resolution} if resolution else None,
        "labels": list(labels),
        "fixVersions": [{"name": name, "released": False} for name in fix_versions],
        "issuelinks": [
            {
                "id": str(index),
                "type": {
                    "name": name,
                    "outward": link_types[name][0],
                    "inward": link_types[name][1],
                },
                f"{direction}Issue": {"key": other, "fields": {"summary": "…"}},
            }
            for index, (name, direction, other) in enumerate(links, start=1)
        ],
    }
    if parent:
        fields["parent"] = {"key": parent, "fields": {"summary": "Parent"}}
    return {"id": str(zlib.crc32(key.encode()) % 10**6), "key": key, "fields": fields}


def invented_issues(count: int, project: str = "DM", first: int = 60000) -> list[dict[str, Any]]:
    return [make_issue(f"{project}-{first + n}", f"Invented issue {n}") for n in range(count)]


class FakeJira:
    def __init__(
        self,
        mode: Mode,
        issues: Iterable[dict[str, Any]] = (),
        *,
        moved: dict[str, str] | None = None,
        token: str = DEFAULT_TOKEN,
        user: str = DEFAULT_USER,
        strict_keys: bool | None = None,
    ) -> None:
        self.mode = mode
        self.issues = {issue["key"]: issue for issue in issues}
        self.moved = dict(moved or {})  # old key -> new key
        self.token = token
        self.user = user
        self.strict_keys = mode == "dc" if strict_keys is None else strict_keys
        self.faults: list[Fault] = []
        self.requests: list[RecordedRequest] = []
        self.remote_links: dict[str, list[dict[str, Any]]] = {}
        self._next_link_id = 10000
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.url = ""

    # --- what tests read -------------------------------------------------------------------
    @property
    def request_count(self) -> int:
        return len(self.requests)

    def requests_to(self, suffix: str, method: str | None = None) -> list[RecordedRequest]:
        return [
            r
            for r in self.requests
            if r.path.endswith(suffix) and (method is None or r.method == method)
        ]

    def environment(self) -> dict[str, str]:
        env = {"JIRA_SERVER": self.url, "JIRA_TOKEN": self.token}
        if self.mode == "cloud":
            env["JIRA_USER"] = self.user
        return env

    def add_fault(self, fault: Fault) -> None:
        with self.lock:
            self.faults.append(fault)

    # --- request handling ------------------------------------------------------------------
    def take_fault(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.path in path and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def authenticated(self, header: str | None) -> bool | None:
        """True: valid credentials; False: wrong ones; None: none given."""
        if not header:
            return None
        if self.mode == "dc":
            return header == f"Bearer {self.token}"
        expected = base64.b64encode(f"{self.user}:{self.token}".encode()).decode()
        return header == f"Basic {expected}"

    def resolve(self, key: str) -> dict[str, Any] | None:
        key = self.moved.get(key, key)
        return self.issues.get(key)

    def handle(
        self, method: str, path: str, query: dict[str, list[str]], body: Any, auth: str | None
    ) -> tuple[int, dict[str, str], Any]:
        if path.startswith("/rest/applinks/"):
            return 403, {}, {"errorMessages": ["You must be an administrator."]}
        if not path.startswith(API):
            return 404, {}, {"errorMessages": ["Not found"]}
        route = path[len(API) :]
        who = self.authenticated(auth)
        if who is False:
            return 401, {}, {"errorMessages": ["You are not authenticated."]}
        if route == "serverInfo":
            return 200, {}, self.server_info()
        if route == "myself":
            if not who:
                return 401, {}, {"errorMessages": ["You are not authenticated."]}
            identity = {"accountId": "557058:abc"} if self.mode == "cloud" else {"name": "asouza"}
            return 200, {}, {**identity, "displayName": "Ana Souza", "emailAddress": self.user}
        if route == "field":
            return 200, {}, [
                {"id": name, "name": name, "clauseNames": [name.lower()], "custom": False}
                for name in SYSTEM_FIELDS
            ]  # fmt: skip
        if route in ("search", "search/jql"):
            return self.search(route, method, query, body, who)
        match = re.fullmatch(r"issue/([^/]+)(/remotelink(?:/(\d+))?)?", route)
        if match:
            if not who:
                return 404, {}, {"errorMessages": [NOT_FOUND], "errors": {}}
            key, links, link_id = match.groups()
            issue = self.resolve(key)
            if issue is None:
                return 404, {}, {"errorMessages": [NOT_FOUND], "errors": {}}
            if links:
                return self.remote_link(method, issue["key"], link_id, query, body)
            if method != "GET":
                return 405, {}, {"errorMessages": ["Method not allowed"]}
            return 200, {}, self.shaped(issue, self.requested_fields(query.get("fields", [])))
        return 404, {}, {"errorMessages": ["No such resource"]}

    def server_info(self) -> dict[str, Any]:
        if self.mode == "cloud":
            return {
                "baseUrl": self.url,
                "version": "1001.0.0-SNAPSHOT",
                "versionNumbers": [1001, 0, 0],
                "deploymentType": "Cloud",
                "serverTitle": "Jira",
            }
        return {
            "baseUrl": self.url,
            "version": "9.12.15",
            "versionNumbers": [9, 12, 15],
            "deploymentType": "Server",
            "buildNumber": 9120015,
            "serverTitle": "Jira",
        }

    def search(
        self, route: str, method: str, query: dict[str, list[str]], body: Any, who: bool | None
    ) -> tuple[int, dict[str, str], Any]:
        if route == "search" and self.mode == "cloud":
            return (
                410,
                {},
                {
                    "errorMessages": [
                        "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API."
                    ]
                },
            )
        if route == "search/jql" and self.mode == "dc":
            return 404, {}, {"errorMessages": ["null for uri: /rest/api/2/search/jql"]}
        params: dict[str, Any] = (
            body
            if method == "POST" and isinstance(body, dict)
            else {name: values[-1] for name, values in query.items()}
        )
        if method == "GET":
            params["fields"] = query.get("fields", [])
        try:
            matches = self.evaluate(str(params.get("jql", "")))
        except ValueError as error:
            return 400, {}, {"errorMessages": [str(error)], "errors": {}}
        if not who:
            matches = []  # anonymous: sees nothing, and Jira says so with a 200
        fields = self.requested_fields(params.get("fields") or [])
        limit = min(int(params.get("maxResults") or 50), PAGE_LIMIT)
        if route == "search":
            start = int(params.get("startAt") or 0)
            page = matches[start : start + limit]
            return (
                200,
                {},
                {
                    "startAt": start,
                    "maxResults": limit,
                    "total": len(matches),
                    "issues": [self.shaped(issue, fields) for issue in page],
                },
            )
        token = params.get("nextPageToken")
        start = int(base64.b64decode(token).decode()) if token else 0
        page = matches[start : start + limit]
        answer: dict[str, Any] = {
            "issues": [self.shaped(issue, fields) for issue in page],
            "isLast": start + limit >= len(matches),
        }
        if not answer["isLast"]:
            answer["nextPageToken"] = base64.b64encode(str(start + limit).encode()).decode()
        return 200, {}, answer

    def evaluate(self, jql: str) -> list[dict[str, Any]]:
        """A tiny JQL: ``key in (...)``, ``key = K``, ``labels = L``,
        ``issue in issuesWithRemoteLinksByGlobalId(...)``, optional ORDER BY."""
        text = re.split(r"\s+order\s+by\s+", jql.strip(), flags=re.IGNORECASE)[0].strip()
        function = re.fullmatch(r"issue\s+in\s+issuesWithRemoteLinksByGlobalId\((.*)\)", text)
        if function:
            wanted = set(json.loads(f"[{function.group(1)}]"))
            with self.lock:
                keys = [
                    k
                    for k, links in self.remote_links.items()
                    if wanted & {link.get("globalId") for link in links}
                ]
            return [self.issues[key] for key in sorted(keys)]
        match = re.fullmatch(r"(key|labels)\s*(=|in)\s*(.+)", text, flags=re.IGNORECASE)
        if not match:
            raise ValueError(f"Error in the JQL Query: cannot understand {jql!r}.")
        name, operator, rest = (
            match.group(1).lower(),
            match.group(2).lower(),
            match.group(3).strip(),
        )
        if operator == "in":
            if not (rest.startswith("(") and rest.endswith(")")):
                raise ValueError("Error in the JQL Query: expected a list in parentheses.")
            values = [
                v.strip().strip('"').replace('\\"', '"') for v in rest[1:-1].split(",") if v.strip()
            ]
        else:
            values = [rest.strip('"')]
        if name == "labels":
            return [
                i
                for key, i in sorted(self.issues.items())
                if set(values) & set(i["fields"]["labels"])
            ]
        found: dict[str, dict[str, Any]] = {}
        for value in values:
            issue = self.resolve(value)
            if issue is None:
                if self.strict_keys:
                    raise ValueError(f"An issue with key '{value}' does not exist for field 'key'.")
                continue
            found[issue["key"]] = issue
        return list(found.values())

    @staticmethod
    def requested_fields(raw: Any) -> set[str] | None:
        """Fields as a list or comma-separated, possibly repeated; None means all."""
        items = raw if isinstance(raw, list) else [raw]
        names = {name.strip() for item in items for name in str(item).split(",") if name.strip()}
        return None if not names or "*all" in names else names

    def shaped(self, issue: dict[str, Any], fields: set[str] | None) -> dict[str, Any]:
        selected = {k: v for k, v in issue["fields"].items() if fields is None or k in fields}
        return {
            "id": issue["id"],
            "key": issue["key"],
            "self": f"{self.url}{API}issue/{issue['id']}",
            "fields": selected,
        }

    def remote_link(
        self, method: str, key: str, link_id: str | None, query: dict[str, list[str]], body: Any
    ) -> tuple[int, dict[str, str], Any]:
        with self.lock:
            links = self.remote_links.setdefault(key, [])
            if method == "GET" and not link_id:
                return 200, {}, links
            if method == "POST" and not link_id:
                if not isinstance(body, dict) or "object" not in body:
                    return 400, {}, {"errorMessages": [], "errors": {"object": "required"}}
                for index, link in enumerate(links):
                    if body.get("globalId") and link.get("globalId") == body["globalId"]:
                        # upsert: the whole link is replaced, fields left out are gone
                        links[index] = {"id": link["id"], "self": link["self"], **body}
                        return 200, {}, {"id": link["id"], "self": link["self"]}
                self._next_link_id += 1
                new_id = self._next_link_id
                link = {
                    "id": new_id,
                    "self": f"{self.url}{API}issue/{key}/remotelink/{new_id}",
                    **body,
                }
                links.append(link)
                return 201, {}, {"id": new_id, "self": link["self"]}
            if method == "DELETE":
                global_id = query.get("globalId", [None])[-1]
                kept = [
                    link
                    for link in links
                    if str(link["id"]) != link_id
                    and not (global_id and link.get("globalId") == global_id)
                ]
                if len(kept) == len(links):
                    return 404, {}, {"errorMessages": ["No remote link with that id."]}
                self.remote_links[key] = kept
                return 204, {}, None
        return 405, {}, {"errorMessages": ["Method not allowed"]}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes; without this, Nagle's algorithm and the
        # client's delayed ACK add 40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def _serve(self) -> None:
        jira = self.server.jira
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw_body) if raw_body else None
        except ValueError:
            body = raw_body.decode(errors="replace")
        query = parse_qs(parts.query, keep_blank_values=True)
        with jira.lock:
            jira.requests.append(RecordedRequest(self.command, parts.path, query, body))
        fault = jira.take_fault(parts.path)
        if fault and fault.delay:
            jira.stopping.wait(fault.delay)
        if fault and (fault.status != 200 or fault.body):
            echoed = self.headers.get("Authorization") or ""
            headers = {name: value.replace(ECHO, echoed) for name, value in fault.headers.items()}
            body = fault.body.replace(ECHO, echoed)
            self._send(fault.status, headers, body.encode(), fault.content_type)
            return
        status, headers, answer = jira.handle(
            self.command, parts.path, query, body, self.headers.get("Authorization")
        )
        payload = b"" if answer is None else json.dumps(answer).encode()
        self._send(status, headers, payload, "application/json;charset=UTF-8")

    def _send(
        self, status: int, headers: dict[str, str], payload: bytes, content_type: str
    ) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): nothing to answer

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, jira: FakeJira) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.jira = jira


@contextmanager
def serve(mode: Mode, issues: Iterable[dict[str, Any]] = (), **options: Any) -> Iterator[FakeJira]:
    """Run a FakeJira on a free port for the duration of the ``with`` block."""
    jira = FakeJira(mode, issues, **options)
    server = _Server(jira)
    jira.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, name="fake-jira", daemon=True
    )
    thread.start()
    try:
        yield jira
    finally:
        jira.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
