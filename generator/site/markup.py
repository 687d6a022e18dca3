"""Turning record and Jira text into Markdown that shows it as text, never as markup or script.

Everything that comes from YAML or Jira passes through one of these functions before it reaches a
page. HTML is always escaped (``<script>`` shows as text); Markdown written by users (purpose,
reason, journal) keeps its formatting but loses raw HTML and links with unsafe schemes.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]|])")
# Characters that start a block (heading, list, quote) only matter at the start of the text.
_BLOCK_START = re.compile(r"^([#+-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
_WHITESPACE = re.compile(r"\s+")
# [label](destination ...) and [label]: destination (reference definitions)
_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REFERENCE_LINK = re.compile(r"^(\s{0,3})\[([^\]]+)\]:\s*<?(\S*)", re.MULTILINE)
# Fenced blocks and code spans: their content is shown verbatim by Markdown itself.
_CODE = re.compile(r"(?ms)^(`{3,}|~{3,})[^\n]*\n.*?^\1[ \t]*$|(`+)(?!`).+?(?<!`)\2(?!`)")
_MERMAID_UNSAFE = re.compile(r"[^\w ./+-]", re.UNICODE)

CAMPAIGN_STATUS_ICONS = {
    "defined": "✎",
    "running": "▶",
    "paused": "‖",
    "completed": "✔",
    "failed": "✖",
}
WORKFLOW_STATUS_ICONS = {
    "planned": "◌",
    "unknown": "?",
    "misfit": "⚠",
    "unready": "…",
    "ready": "◔",
    "pending": "◷",
    "running": "▶",
    "deleted": "⊘",
    "held": "‖",
    "succeeded": "✔",
    "failed": "✖",
    "pruned": "✂",
}
JIRA_CATEGORY_ICONS = {"new": "○", "indeterminate": "◐", "done": "✔", "unknown": "?"}


def escape_html(value: str) -> str:
    return html.escape(value, quote=True)


@functools.lru_cache(maxsize=65536)  # names, statuses and steps repeat on every page
def text(value: str) -> str:
    """Plain text for inline Markdown (a table cell, a list item, a heading): one line, no markup."""
    one_line = _WHITESPACE.sub(" ", value).strip()
    escaped = _MARKDOWN_PUNCTUATION.sub(r"\\\1", escape_html(one_line))
    return _ORDERED_START.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", escaped))


def code(value: str) -> str:
    """Inline code that shows ``value`` verbatim, whatever backticks it holds."""
    one_line = _WHITESPACE.sub(" ", value).strip()
    if not one_line:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", one_line)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {one_line} " if one_line.startswith("`") or one_line.endswith("`") else one_line
    return f"{fence}{padded}{fence}"


def code_block(content: str, language: str = "") -> str:
    """A fenced block that ``content`` cannot close early: the fence outgrows any backtick run."""
    longest = max((len(run) for run in re.findall(r"`{3,}", content)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{content.rstrip()}\n{fence}"


def is_safe_url(url: str) -> bool:
    lowered = url.strip().lower()
    return lowered.startswith(SAFE_URL_SCHEMES)


def link(label: str, url: str) -> str:
    """A Markdown link to an outside URL; unsafe URLs (``javascript:`` ...) become plain text."""
    if not is_safe_url(url):
        return text(label)
    return f"[{text(label)}](<{url.strip().replace('>', '%3E').replace(' ', '%20')}>)"


def user_markdown(value: str) -> str:
    """Markdown written in a record: formatting kept; raw HTML shown as text; links kept only to
    http(s) and mailto (``javascript:`` and relative links, which would break the build, become text).
    Code spans and fenced blocks are left alone: Markdown already shows their content verbatim."""
    parts: list[str] = []
    position = 0
    for match in _CODE.finditer(value):
        parts.append(_neutralise(value[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(_neutralise(value[position:]))
    return "".join(parts).strip()


def _neutralise(prose: str) -> str:
    escaped = escape_html(prose).replace("&quot;", '"').replace("&#x27;", "'")

    def inline(match: re.Match[str]) -> str:
        if is_safe_url(html.unescape(match.group(1))):
            return match.group(0)
        return "]\\(" + match.group(0)[2:]

    def reference(match: re.Match[str]) -> str:
        if is_safe_url(html.unescape(match.group(3))):
            return match.group(0)
        return f"{match.group(1)}\\[{match.group(2)}\\]: {match.group(3)}"

    return _REFERENCE_LINK.sub(reference, _INLINE_LINK.sub(inline, escaped))


FACT_HEADERS = ("Field", "Value")  # two-column tables of facts about one record


def table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A Markdown table; cells must already be Markdown (made with ``text``, ``link`` ...)."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def badge(status: str, icons: dict[str, str]) -> str:
    """A status as icon and word (never colour alone); CSS class ``cn-status-<status>``."""
    icon = icons.get(status, "?")
    word = escape_html(status)
    return f'<span class="cn-status cn-status-{word}" title="status: {word}">{icon} {word}</span>'


def mermaid_label(value: str) -> str:
    """Text Mermaid shows literally: letters, digits, spaces and ``./+-_`` only."""
    return _MERMAID_UNSAFE.sub(" ", value).strip() or "?"


def front_matter(fields: dict[str, Any]) -> str:
    """YAML front matter; every value written as JSON, which YAML reads back unchanged.

    The theme puts ``title`` into the page (``<title>``, header, navigation) without escaping, so
    a ``title`` must already be HTML-escaped: use ``page_title``."""
    lines = ["---"]
    lines.extend(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items())
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def page_title(value: str) -> str:
    return escape_html(_WHITESPACE.sub(" ", value).strip())


def when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else ""


def day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d") if moment else ""


def duration(start: datetime | None, end: datetime | None) -> str:
    if not start or not end:
        return ""
    minutes = int((end - start) / timedelta(minutes=1))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return f"{days}d {hours}h {minutes:02d}m" if days else f"{hours}h {minutes:02d}m"
