"""The site as a reader meets it, in headless Chromium (the benchmark's `browser` part).

On a site built at one scale and served on 127.0.0.1: the bytes fetched from opening the home
page to the first search result, the seconds from typing a query to that result, the JavaScript
bytes of a page without diagrams, and the built site's bytes per campaign. Works with the
Pagefind search (the header's dialog) and, for before/after figures, with Material's own search.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class BrowserFigures:
    search_bytes: int  # home page opened, one query typed, first result shown
    search_seconds: float  # from the last key typed to the first result
    js_bytes: int  # JavaScript fetched by a page without diagrams
    requests_outside: int  # requests that left 127.0.0.1 (must be 0)
    search_samples: list[float] = field(default_factory=list)  # every search's seconds


class BytesSent:
    """Response body bytes the server sent, counted by the server: Pagefind fetches index chunks
    and fragments from its web worker in some runs, and Playwright's page and context events do
    not see a dedicated worker's requests (those runs looked 166 KB lighter at 5,000 campaigns)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.total = 0

    def add(self, count: int) -> None:
        with self._lock:
            self.total += count


class _Quiet(http.server.SimpleHTTPRequestHandler):
    sent: BytesSent

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        outputfile.write(data)
        self.sent.add(len(data))


@contextmanager
def served(site: Path, sent: BytesSent | None = None) -> Iterator[str]:
    counting = type("_Counting", (_Quiet,), {"sent": sent or BytesSent()})
    handler = functools.partial(counting, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


SEARCH_REPEATS = 3  # the time to a first result varied 0.35-0.85 s between identical runs


def measure_site(
    site: Path, query: str, page_without_diagrams: str = "", repeats: int = SEARCH_REPEATS
) -> BrowserFigures:
    """The figures on ``site``; the search is made ``repeats`` times, each in a new browser context
    (cold cache), and its seconds and bytes are the medians (``search_samples`` keeps them all)."""
    from playwright.sync_api import sync_playwright

    pagefind = (site / "pagefind").is_dir()
    sent = BytesSent()
    with served(site, sent) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        outside: list[str] = []
        try:

            def new_context() -> Any:
                context = browser.new_context(service_workers="block")

                def guard(route: Any) -> None:
                    if route.request.url.startswith(base):
                        route.continue_()
                    else:
                        outside.append(route.request.url)
                        route.abort()

                context.route("**/*", guard)
                return context

            searches = [
                _search(new_context(), base, query, pagefind, sent) for _ in range(max(1, repeats))
            ]
            js: list[int] = []
            other = new_context().new_page()
            other.on(
                "requestfinished",
                lambda request: js.append(
                    _body_size(request) if request.resource_type == "script" else 0
                ),
            )
            other.goto(base + page_without_diagrams)
            other.wait_for_load_state("networkidle")
            return BrowserFigures(
                int(statistics.median(b for b, _ in searches)),
                statistics.median(s for _, s in searches),
                sum(js),
                len(outside),
                [s for _, s in searches],
            )
        finally:
            browser.close()


def _search(
    context: Any, base: str, query: str, pagefind: bool, sent: BytesSent
) -> tuple[int, float]:
    """(bytes fetched, seconds from the last key to the first result) of one search; the bytes
    are what the server sent meanwhile (``BytesSent``: the worker's fetches included)."""
    page = context.new_page()
    page.set_default_timeout(300_000)
    before = sent.total
    page.goto(base)
    page.wait_for_load_state("networkidle")
    if pagefind:
        page.keyboard.press("/")
        page.locator("#cn-search input").wait_for()
        field, result = "#cn-search input", "#cn-search .pagefind-ui__result"
    else:
        # Material opens its search on "/" too (its header label is hidden at some widths).
        page.keyboard.press("/")
        page.locator(".md-search__input").wait_for()
        field, result = ".md-search__input", ".md-search-result__item"
    page.locator(field).press_sequentially(query[:-1])
    started = time.perf_counter()
    page.locator(field).press(query[-1])
    page.locator(result).first.wait_for()
    seconds = time.perf_counter() - started
    page.wait_for_load_state("networkidle")
    context.close()
    return sent.total - before, seconds


def _body_size(request: Any) -> int:
    response = request.response()
    if response is None:
        return 0
    try:
        return len(response.body())
    except Exception:  # a redirect or an aborted body has none
        return 0
