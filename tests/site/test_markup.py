"""Record text made safe for Markdown, and Jira freshness notices."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from generator.site.context import load_context
from generator.site.jira_pages import snapshot_notice
from generator.site.markup import code, code_block, text, user_markdown
from generator.site.templating import environment
from tests.site.conftest import fixed_now


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<b>x</b> & y", "&lt;b&gt;x&lt;/b&gt; &amp; y"),
        ("a|b *c* _d_ [e](f)", "a\\|b \\*c\\* \\_d\\_ \\[e\\](f)"),
        ("- not a list", "\\- not a list"),
        ("12. not a list", "12\\. not a list"),
        ("two\nlines", "two lines"),
    ],
)
def test_text_shows_markup_as_text(raw: str, expected: str) -> None:
    assert text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (
            "**bold** <script>x</script>",
            "<p><strong>bold</strong> &lt;script&gt;x&lt;/script&gt;</p>",
        ),
        (
            "[ok](https://example.org)",
            '<p><a href="https://example.org" rel="noopener noreferrer nofollow">ok</a></p>',
        ),
        ("[bad](javascript:alert(1))", "<p>[bad](javascript:alert(1))</p>"),
        (
            "[relative](../x/)",
            '<p><a href="../x/" rel="noopener noreferrer nofollow">relative</a></p>',
        ),
        ("[far](//evil.example/x)", '<p><a rel="noopener noreferrer nofollow">far</a></p>'),
        ("[r]: javascript:x\n\n[r]", "<p>[r]: javascript:x</p>&#10;<p>[r]</p>"),
        ("`a < b` and a < b", "<p><code>a &lt; b</code> and a &lt; b</p>"),
        ("# Title", "<h3>Title</h3>"),
        (
            "![x](https://example.org/x.png)",
            '<p>!<a href="https://example.org/x.png" rel="noopener noreferrer nofollow">x</a></p>',
        ),
    ],
)
def test_user_markdown_keeps_formatting_but_not_html_or_unsafe_links(
    raw: str, expected: str
) -> None:
    assert user_markdown(raw) == f'<div class="cn-user-text">{expected}</div>'


def link(title: str, url: str) -> str:
    """The pages' one outside-link builder: the ``link`` macro of ``_macros.md.j2``."""
    macros = environment().get_template("_macros.md.j2").module
    return str(macros.link(title, url))  # type: ignore[attr-defined]


def test_links_with_unsafe_schemes_become_text() -> None:
    assert link("x", "javascript:alert(1)") == "x"
    assert link("x", "https://a.org/b c") == '<a href="https://a.org/b%20c">x</a>'
    # Nothing in a URL can end the attribute, a Markdown link or a table cell.
    assert link("x", 'https://a.org/)"|`[<]') == (
        '<a href="https://a.org/%29%22%7C%60%5B%3C%5D">x</a>'
    )


def test_code_cannot_be_closed_early() -> None:
    assert code("a ` b") == "``a ` b``"
    assert code_block("```\nx", "sh").startswith("````sh\n")


def test_jira_notice_warns_when_the_snapshot_is_old(notebook_root: Path) -> None:
    context = load_context(notebook_root, fixed_now())
    assert "Jira data as of 2026-11-24 06:00 UTC" in snapshot_notice(context, "x.md")
    assert "out of date" not in snapshot_notice(context, "x.md")
    assert "out of date" in snapshot_notice(
        replace(context, now=fixed_now() + timedelta(days=3)), "x.md"
    )
    # Without a snapshot: one notice on the Jira page, none on the other pages.
    without = replace(context, snapshot=None)
    assert "No Jira data" in snapshot_notice(without, "x.md", on_index=True)
    assert snapshot_notice(without, "x.md") == ""
