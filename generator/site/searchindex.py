"""The site's search index: Pagefind run over the built HTML (a chunked static index).

Pagefind reads every page's ``data-pagefind-body`` (the content, set by overrides/main.html) and
writes ``pagefind/`` into the site: a small entry file, then index chunks and page fragments that
a query fetches only when it needs them, so a search costs kilobytes at any number of campaigns.
Its binary comes with the PyPI package ``pagefind[bin]``; we run it as ``python -m pagefind``.
Any engine can do the same after its own build: ``python -m pagefind --site site``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from generator.errors import UserError

# Not worth finding, and noise in snippets: diagram source (Mermaid in teams' own pages) and
# the lineage drawing (the list under it is indexed), code blocks (the copyable commands),
# permalink anchors, the "last updated" line, timelines (labels the tables beside them hold) and
# notes for readers without JavaScript.
# Of a campaign's workflow table only the workflow names (first cell), notes and run ids are
# indexed: not its header, step rows, group ranges, status badges, times, durations, details
# summaries, link labels or code (submit directories, software versions, DataId list paths).
# (Pagefind's selectors take :nth-child(An+B).)
EXCLUDED_SELECTORS = (
    ".mermaid",
    ".cn-lg",
    "pre",
    ".headerlink",
    ".md-source-file",
    ".cn-timeline",
    ".cn-workflows thead",
    ".cn-step-row",
    ".cn-workflows tr[id] td:nth-child(n+2)",
    ".cn-workflows span",
    ".cn-workflows summary",
    ".cn-workflows a",
    ".cn-workflows code",
    "noscript",
)


# Pagefind writes all its user interfaces; search.js loads pagefind-ui.js/.css (and through them
# pagefind.js, its worker and WebAssembly), never these.
UNUSED_OUTPUT = (
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-highlight.js",
)


def index_site(site_dir: Path) -> None:
    """Write ``site_dir/pagefind/``; a failure is a UserError with Pagefind's own message."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--quiet"]
    for selector in EXCLUDED_SELECTORS:
        command += ["--exclude-selectors", selector]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as error:
        raise UserError(
            f"cannot run Pagefind to index the site: {error}",
            hint="pip install 'pagefind[bin]' (it is a dependency of campaign-notebook)",
        ) from None
    if result.returncode != 0:
        output = (result.stderr or result.stdout).strip().splitlines()[-5:]
        raise UserError(
            "Pagefind could not index the site: " + " / ".join(output),
            hint="pip install 'pagefind[bin]' (it is a dependency of campaign-notebook)",
        )
    for name in UNUSED_OUTPUT:
        (site_dir / "pagefind" / name).unlink(missing_ok=True)
