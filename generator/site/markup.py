"""Page-building helpers: every value from YAML, git or Jira reaches a page through them.

Plain values (names, ids, file names, URLs, commit metadata, config values) are escaped by
``generator.escaping``, re-exported here under the names the page modules use; Markdown written
by people goes through the one rendering path of ``generator.site.usertext``. Nothing in the page
modules concatenates a user value into a page without one of these functions.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from generator.escaping import (
    code_block,
    encode_path,
    escape_html,
    href,
    is_safe_url,
    markdown_text,
    one_line,
)
from generator.escaping import code_span as code
from generator.render.markdown import table
from generator.site.usertext import user_markdown

__all__ = [
    "code",
    "code_block",
    "encode_path",
    "escape_html",
    "href",
    "is_safe_url",
    "one_line",
    "table",
    "user_markdown",
]

text = markdown_text
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
# "closed": done without the work being done (Won't Fix, Duplicate …), never a green tick.
JIRA_CATEGORY_ICONS = {"new": "○", "indeterminate": "◐", "done": "✔", "closed": "⊘", "unknown": "?"}


def site_link(label: str, path: str) -> str:
    """A Markdown link to a page of the site (``path`` relative to the current page, ending in
    ``.md``, so MkDocs checks and rewrites it); the path percent-encoded, the label escaped."""
    return f"[{text(label)}]({encode_path(path)})"


def campaign_link(campaign_id: str, to_campaigns: str = "") -> str:
    """A Markdown link to a campaign page; ``to_campaigns`` is the way from the page to campaigns/."""
    return site_link(campaign_id, f"{to_campaigns}{campaign_id}.md")


def badge(
    status: str, icons: Mapping[str, str], category: str | None = None, *, markdown: bool = False
) -> str:
    """A status as icon and word (never colour alone), the one badge of every page.

    Our own status words (campaign, workflow): CSS class ``cn-status-<status>``. A Jira status is
    free text, so it comes with its ``category`` (a known word: new, indeterminate, done, closed,
    unknown), which picks the icon and the class ``cn-jira-<category>``; its text is escaped for
    a Markdown cell when ``markdown`` is true, for raw HTML otherwise."""
    if category is None:
        word = escape_html(status)
        return (
            # No title: the word beside the icon says it (a title would be read twice).
            f'<span class="cn-status cn-status-{word}">{icons.get(status, "?")} {word}</span>'
        )
    category = category if category in icons else "unknown"
    shown = markdown_text(status) if markdown else escape_html(one_line(status))
    return (
        f'<span class="cn-status cn-jira-{category}" title="{category}">'
        f"{icons.get(category, '?')} {shown}</span>"
    )


def front_matter(fields: dict[str, Any]) -> str:
    """YAML front matter; every value written as JSON, which YAML reads back unchanged.

    The theme puts ``title`` into the page (``<title>``, header, navigation) without escaping, so
    a ``title`` must already be HTML-escaped: use ``page_title``."""
    lines = ["---"]
    lines.extend(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in fields.items())
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def page_title(value: str) -> str:
    return escape_html(one_line(value))


def when(moment: datetime | None) -> str:
    """``YYYY-MM-DD HH:MM``. Formatting the numbers takes a third of the time of strftime
    (tens of thousands of table cells); before year 1000 strftime's text (``999-…``) is kept."""
    if not moment:
        return ""
    if moment.year < 1000:
        return moment.strftime("%Y-%m-%d %H:%M")
    return "%d-%02d-%02d %02d:%02d" % (  # noqa: UP031  (a third faster than an f-string)
        moment.year,
        moment.month,
        moment.day,
        moment.hour,
        moment.minute,
    )


def day(moment: datetime | None) -> str:
    """``YYYY-MM-DD`` (as ``when``)."""
    if not moment:
        return ""
    if moment.year < 1000:
        return moment.strftime("%Y-%m-%d")
    return "%d-%02d-%02d" % (moment.year, moment.month, moment.day)  # noqa: UP031


_MINUTE = timedelta(minutes=1)


def duration(start: datetime | None, end: datetime | None) -> str:
    if not start or not end:
        return ""
    minutes = int((end - start) / _MINUTE)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    return f"{days}d {hours}h {minutes:02d}m" if days else f"{hours}h {minutes:02d}m"


def stale_warning(
    what: str, age_hours: float, limit_hours: float, consequence: str, command: str
) -> str:
    """The warning admonition shown when a snapshot (Jira, workflow status) is older than its
    configured limit; empty when it is fresh enough."""
    if age_hours <= limit_hours:
        return ""
    return (
        f'\n\n!!! warning "{what} may be out of date"\n    The snapshot is {int(age_hours)} hours '
        f"old (more than {limit_hours}); {consequence} Run `{command}`."
    )
