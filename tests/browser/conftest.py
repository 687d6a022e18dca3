"""One built notebook site, one HTTP server and one headless Chromium for the whole session.

The site is built once from the example records, served on 127.0.0.1 by a threaded
http.server, and every page runs in a browser context that refuses any request leaving the
loopback interface: the notebook must work on an air-gapped network, and these tests prove it.

Without Playwright or Chromium the browser tests skip with the reason, except under CI=true,
where they fail: a CI run that silently skipped them would prove nothing. CN_CHROMIUM names
another Chromium binary (default: `chromium` on PATH, else /usr/bin/chromium).
"""

from __future__ import annotations

import html
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
# Headless, and nothing that phones home: no QUIC, no component updates, no sync.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Reports every Content-Security-Policy violation of the page to the test (through a Playwright
# binding, which the page's own policy does not restrict). Registered before any page script runs.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cnReportViolation(
    event.effectiveDirective + " blocked " + (event.blockedURI || "inline") + " at " +
    (event.sourceFile || document.location.href) + ":" + event.lineNumber
  );
});
"""


@dataclass
class BuiltSite:
    root: Path
    site_url: str  # the configured site_url ("" when unset): absolute links to it are internal
    html_files: list[Path]  # every page the build wrote, before any test added its own


@dataclass
class ServedSite:
    site: BuiltSite
    base_url: str  # ends with "/"

    def url(self, path: str = "") -> str:
        return self.base_url + path


@dataclass
class NetworkLog:
    blocked: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_violations: list[str] = field(default_factory=list)
    navigations_blocked: list[str] = field(default_factory=list)  # links followed outside
    # Answers of 400 and up from the site itself: a file a page asks for that the build did not
    # write (Material's bundle once fetched feeds/sitemap.xml on every page, a 404 each time).
    error_responses: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        """Checked after every browser context closes: the site asked for nothing outside, followed
        no link outside, no script threw, every file it asked for exists, and nothing it does
        needed more than its own Content-Security-Policy allows."""
        assert self.blocked == [], f"the site tried to reach the network: {self.blocked}"
        assert self.navigations_blocked == [], self.navigations_blocked
        assert self.page_errors == [], f"JavaScript errors: {self.page_errors}"
        assert self.error_responses == [], (
            f"the site asked for files it does not have: {self.error_responses}"
        )
        assert self.csp_violations == [], (
            f"Content-Security-Policy violations: {self.csp_violations}"
        )


def new_guarded_context(browser: Any, log: NetworkLog, **options: Any) -> Any:
    """A browser context that may only reach the loopback interface and that records every
    Content-Security-Policy violation and uncaught script error of its pages into ``log``."""
    context = browser.new_context(service_workers="block", **options)
    context.set_default_timeout(15_000)

    def loopback_only(route: Any) -> None:
        host = urlsplit(route.request.url).hostname or ""
        if host in LOOPBACK_HOSTS:
            route.continue_()
        else:
            if route.request.is_navigation_request():
                log.navigations_blocked.append(route.request.url)
            else:
                log.blocked.append(route.request.url)
            route.abort("internetdisconnected")

    context.route("**/*", loopback_only)
    context.expose_function("__cnReportViolation", lambda text: log.csp_violations.append(text))
    context.add_init_script(CSP_LISTENER)
    context.on("weberror", lambda error: log.page_errors.append(str(error.error)))
    context.on(
        "response",
        lambda response: (
            log.error_responses.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )
    return context


def build_site(root: Path, out: Path, **env: str) -> None:
    """``mkdocs build --strict`` of the notebook repository at ``root`` into ``out``, as `make
    site` does; ``env`` adds environment variables (such as CAMPAIGNS_NOW)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)]
    result = subprocess.run(
        command,
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"building the notebook site failed ({result.returncode}):\n{result.stdout}{result.stderr}"
        )


def build_notebook_site(out: Path) -> None:
    """Build the example notebook exactly as `make site` does, into `out`."""
    build_site(REPO_ROOT, out)


def configured_site_url() -> str:
    from mkdocs.config import load_config

    config = load_config(str(REPO_ROOT / "mkdocs.yml"))
    return str(config.get("site_url") or "")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    root = tmp_path_factory.mktemp("notebook-site") / "site"
    build_notebook_site(root)
    return BuiltSite(
        root=root, site_url=configured_site_url(), html_files=sorted(root.rglob("*.html"))
    )


LARGE_INDEX_ROWS = 5_000
LARGE_INDEX_STATUSES = ["defined", "running", "paused", "completed", "failed"]


@pytest.fixture(scope="session")
def large_index_path(built_site: BuiltSite) -> str:
    """The built index page with its rows replaced by 5,000 synthetic campaigns.

    Building 5,000 campaign pages would take a minute; the index page alone is what the browser
    has to cope with. The copy sits at the same depth as campaigns/ so its relative links work;
    it is not in `html_files`, so the link checker does not judge it.
    """
    source = (built_site.root / "campaigns" / "index.html").read_text(encoding="utf-8")
    keys = re.findall(r'<th[^>]* data-key="([^"]+)"', source)
    rows = []
    for number in range(LARGE_INDEX_ROWS):
        status = LARGE_INDEX_STATUSES[number % len(LARGE_INDEX_STATUSES)]
        values = {
            "id": f"synthetic-{number:05d}",
            "name": f"Synthetic campaign {number}",
            "production": f"production-{number % 7}",
            "kind": "nightly" if number % 3 else "mini-drp",
            "status": status,
            "start": f"2026-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
            "jira": f"DM-{60000 + number}",
        }
        cells = "".join(f"<td>{html.escape(values.get(key, ''))}</td>" for key in keys)
        rows.append(
            f'<tr data-status="{status}" data-kind="{values["kind"]}" '
            f'data-production="{values["production"]}">{cells}</tr>'
        )
    table_start = source.index('id="campaign-index"')
    body_start = source.index("<tbody>", table_start) + len("<tbody>")
    body_end = source.index("</tbody>", body_start)
    page = source[:body_start] + "\n".join(rows) + source[body_end:]
    target = built_site.root / "cn-test-5000" / "index.html"
    target.parent.mkdir()
    target.write_text(page, encoding="utf-8")
    return "cn-test-5000/"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve_folder(folder: Path, name: str) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1 from a thread while the block runs; yields its base URL."""
    handler = partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name=name, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def served_site(built_site: BuiltSite) -> Iterator[ServedSite]:
    with serve_folder(built_site.root, "notebook-site") as base_url:
        yield ServedSite(site=built_site, base_url=base_url)


def browser_unavailable_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium is not installed at {CHROMIUM} (bash scripts/ensure-chromium.sh)"
    return None


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = browser_unavailable_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"browser tests cannot run under CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright gives every launch a fresh temporary user-data-dir and removes it afterwards.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def network_log() -> NetworkLog:
    return NetworkLog()


@pytest.fixture
def page(browser: Any, served_site: ServedSite, network_log: NetworkLog) -> Iterator[Any]:
    """A fresh page (the site's Content-Security-Policy in force, never bypassed) whose requests
    may only reach the loopback interface."""
    context = new_guarded_context(browser, network_log)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
    network_log.assert_clean()
