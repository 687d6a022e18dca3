"""The page shell around the content, made lighter after the theme renders it.

Material's templates indent every nested include: on a campaign page about 10 KB of the shell
(header, navigation, table of contents, footer) was spaces and blank lines, repeated on each of
thousands of pages. ``compact_shell`` folds every run of white space that holds a line break
into one line break, outside the page's ``<article>`` only: the content (record text, code
blocks, tables) is left byte for byte as the engine wrote it. A line break is white space in
HTML wherever a run of white space is, so the page renders the same.

``is_unused_theme_file`` names what Material copies into every site that no page here loads:
its search (the notebook searches with Pagefind, so Material's search plugin is off), and the
source maps a browser fetches only with its developer tools open. About 2.2 MB per site.
"""

from __future__ import annotations

import re

_BREAK_RUN = re.compile(r"[ \t\r]*\n\s*")

# Material's search: lunr and its language files, and the worker that runs it.
_UNUSED_THEME_FOLDERS = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
_THEME_FOLDERS = ("assets/javascripts/", "assets/stylesheets/")  # Material's own, with maps


def is_unused_theme_file(site_path: str) -> bool:
    """Whether the theme file at ``site_path`` (a path in the site, with ``/``) goes unused."""
    return site_path.startswith(_UNUSED_THEME_FOLDERS) or (
        site_path.startswith(_THEME_FOLDERS) and site_path.endswith(".map")
    )


def compact_shell(html: str) -> str:
    """``html`` with the white space of its shell folded (unchanged without an ``<article>``)."""
    start = html.find("<article")
    end = html.rfind("</article>")
    if start < 0 or end < start:
        return html
    return _BREAK_RUN.sub("\n", html[:start]) + html[start:end] + _BREAK_RUN.sub("\n", html[end:])
