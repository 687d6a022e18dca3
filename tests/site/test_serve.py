"""`mkdocs serve` (as `make serve` runs it) on a copy of the notebook: saving an invalid record
shows its problems, escaped and with file:line, in the page instead of a request that never
answers; the next good save brings the page back. Pagefind indexes the first build only; later
rebuilds reuse that index, so search keeps working without indexing on every save."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.site.conftest import NOW_TEXT

pytestmark = pytest.mark.slow

RECORD = "campaigns/nightly-20261123-k9rm.yaml"
PAGE = "campaigns/nightly-20261123-k9rm/"
HOSTILE_STATUS = "<img src=x onerror=alert(1)>"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
        return body.decode("utf-8")


def wait_until(url: str, condition: Callable[[str], bool], seconds: float = 90) -> str:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        try:
            last = fetch(url)
            if condition(last):
                return last
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last = str(error)
        time.sleep(0.5)
    raise AssertionError(f"{url} never met the condition; last answer: {last[:2000]}")


def test_serve_shows_problems_and_recovers(notebook_root: Path, tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CAMPAIGNS_NOW": NOW_TEXT}
    log = tmp_path / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=notebook_root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    # mkdocs serve serves the site under the path of its site_url.
    site_url = re.search(r"^site_url: *(\S+)", (notebook_root / "mkdocs.yml").read_text(), re.M)
    prefix = urlsplit(site_url.group(1)).path if site_url else "/"
    url = f"http://127.0.0.1:{port}{prefix}{PAGE}"
    record = notebook_root / RECORD
    good = record.read_text(encoding="utf-8")
    try:
        wait_until(url, lambda body: "Alert reprocessing" in body)

        lines = good.splitlines(keepends=True)
        status_line = next(n for n, line in enumerate(lines, 1) if line.startswith("status:"))
        record.write_text(
            good.replace(lines[status_line - 1], f'status: "{HOSTILE_STATUS}"\n'), encoding="utf-8"
        )
        broken = wait_until(url, lambda body: 'id="cn-build-error"' in body)
        banner = broken[broken.index('id="cn-build-error"') :]
        banner = banner[: banner.index("</div>")]
        assert f"{RECORD}:{status_line}:" in banner, banner
        assert "&lt;img src=x onerror=alert(1)&gt;" in banner, banner
        assert "<img" not in banner
        assert "Alert reprocessing" in broken  # the last good page, still there

        record.write_text(good, encoding="utf-8")
        wait_until(url, lambda body: "cn-build-error" not in body and "Alert reprocessing" in body)
        # Search still works after the rebuilds: the first build's index, copied back, not redone.
        entry = fetch(f"http://127.0.0.1:{port}{prefix}pagefind/pagefind-entry.json")
        assert '"languages"' in entry
        assert "the index of the first build, reused" in log.read_text(encoding="utf-8")
    finally:
        server.terminate()
        server.wait(timeout=30)
