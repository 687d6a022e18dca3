"""The page shell around the content, made lighter after the theme renders it.

Material's templates indent every nested include: on a campaign page about 10 KB of the shell
(header, navigation, table of contents, footer) was spaces and blank lines, repeated on each of
thousands of pages. ``compact_shell`` folds every run of white space that holds a line break
into one line break, outside the page's ``<article>`` only: the content (record text, code
blocks, tables) is left byte for byte as the engine wrote it. A line break is white space in
HTML wherever a run of white space is, so the page renders the same.
"""

from __future__ import annotations

import re

_BREAK_RUN = re.compile(r"[ \t\r]*\n\s*")


def compact_shell(html: str) -> str:
    """``html`` with the white space of its shell folded (unchanged without an ``<article>``)."""
    start = html.find("<article")
    end = html.rfind("</article>")
    if start < 0 or end < start:
        return html
    return _BREAK_RUN.sub("\n", html[:start]) + html[start:end] + _BREAK_RUN.sub("\n", html[end:])
