"""The one rendering path for record Markdown: parsed, sanitized, and embedded so that the site's
own Markdown pass (Python-Markdown with the extensions of mkdocs.yml) leaves it untouched."""

from __future__ import annotations

import html
import random
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.site.usertext import (
    _PLAIN_PARAGRAPHS,
    ALLOWED_ATTRIBUTES,
    ALLOWED_TAGS,
    EMBED_CLOSE,
    EMBED_OPEN,
    _parsed_html,
    is_site_relative,
    render_html,
    user_markdown,
)
from tests.site.conftest import mkdocs_markdown

# Text that means something to Markdown, to Python-Markdown's extensions or to HTML.
TRICKY = [
    "a\n\n\n    indented\n\n  * [x] item\n",
    "```\nfence\n\n\n```\n~~~x\n~~~x\n",
    "`code\n\nspan` and \\`not code` `` ` ``",
    "{: onclick=alert(1) } *emph*{: .x }\n\n# H {: #id onclick=x}",
    '<div markdown="1">*x*</div>\n\n</div><script>alert(1)</script>',
    "| a | b |\n|---|---|\n| <img src=x onerror=alert(1)> | `|` |",
    "[x]: javascript:alert(1)\n\n[y][x] [z](<javascript:alert(1)>)",
    "&lt;script&gt; &#x3C;svg onload=alert(1)&#x3E; &amp;",
    '!!! note "<b>t</b>"\n    body\n\n??? danger\n    hidden\n',
    "\x02wzxhzdk:0\x03 placeholder",
    "line  \ntrailing spaces\\\nbackslash break",
    "1. one\n2. two\n\n10) ten",
    "> quote\n> > nested\n\n---\n\n***",
    "<!-- comment --> <![CDATA[x]]> <?php x ?>",
    "~~~\nunclosed fence\n\n# not a heading",
]


@pytest.fixture(scope="module")
def site_markdown():  # type: ignore[no-untyped-def]
    return mkdocs_markdown()


def embedded(site_markdown, source: str) -> str:  # type: ignore[no-untyped-def]
    """The HTML the site shows for ``source`` (as a page section), read back out of the page."""
    site_markdown.reset()
    page = site_markdown.convert(f"## Purpose\n\n{user_markdown(source)}\n\n## After\n")
    start = page.index(EMBED_OPEN)
    end = page.rindex(EMBED_CLOSE, start, page.index('<h2 id="after"'))
    return page[start : end + len(EMBED_CLOSE)]


@pytest.mark.parametrize("source", TRICKY)
def test_the_site_markdown_pass_leaves_user_text_untouched(site_markdown, source: str) -> None:  # type: ignore[no-untyped-def]
    assert embedded(site_markdown, source) == user_markdown(source)
    # And the newlines we wrote as &#10; are the sanitizer's own.
    assert html.unescape(user_markdown(source)[len(EMBED_OPEN) : -len(EMBED_CLOSE)]).replace(
        "\n", ""
    ) == html.unescape(render_html(source)).replace("\n", "")


def test_honest_markdown_keeps_its_formatting() -> None:
    source = (
        "Intro with **bold**, *emphasis*, `code` and a [link](https://example.org/a_b).\n\n"
        "- one\n- two\n\n1. first\n2. second\n\n"
        "| Step | Quanta |\n|:-----|-------:|\n| step1 | 1,024 |\n\n"
        "```python\nprint('x')\n```\n\n"
        '!!! warning "Known problem"\n    Edge residuals remain.\n'
    )
    out = render_html(source)
    for fragment in (
        "<strong>bold</strong>",
        "<em>emphasis</em>",
        "<code>code</code>",
        '<a href="https://example.org/a_b" rel="noopener noreferrer nofollow">link</a>',
        "<ul>\n<li>one</li>",
        "<ol>\n<li>first</li>",
        '<th style="text-align:left">Step</th>',
        '<td style="text-align:right">1,024</td>',
        "<pre><code class=\"language-python\">print('x')\n</code></pre>",
        '<div class="admonition warning">\n<p class="admonition-title">Known problem</p>',
    ):
        assert fragment in out, fragment


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))


PIECES = st.sampled_from(
    [
        "<script>",
        "</script>",
        "<svg onload=alert(1)>",
        "<img src=x onerror=alert(1)>",
        "<details open ontoggle=alert(1)>",
        "<iframe src=javascript:alert(1)>",
        "<a href='javascript:alert(1)'>",
        "[x](",
        "](",
        ")",
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil",
        "https://ok.example/",
        "mailto:a@b.example",
        "vbscript:x",
        "&#106;avascript:",
        "&#x3C;",
        "[r]: ",
        "[r]",
        "<",
        ">",
        '"',
        "'",
        "`",
        "```",
        "~~~",
        "\n",
        "\n\n",
        "    ",
        "*",
        "_",
        "{: onclick=alert(1) }",
        "!!! note ",
        "??? ",
        "| a |",
        "|---|",
        "# ",
        "- ",
        "1. ",
        "> ",
        "\t",
        "\x00",
        " onmouseover=alert(1) ",
        "x",
    ]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join))
def test_no_handler_or_unsafe_url_survives(source: str) -> None:
    collector = _Collector()
    collector.feed(render_html(source))
    collector.close()
    for tag, attributes in collector.elements:
        assert tag in ALLOWED_TAGS, tag
        for name, value in attributes:
            assert not name.startswith("on"), (tag, name, value)
            assert name in ALLOWED_ATTRIBUTES.get(tag, set()) | {"rel"}, (tag, name)
            if name == "href":
                assert value is not None
                lowered = value.lower()
                assert lowered.startswith(("http://", "https://", "mailto:")) or is_site_relative(
                    value
                ), value
                assert not lowered.startswith("//"), value


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map("".join))
def test_random_text_survives_the_site_markdown_pass(source: str) -> None:
    if source.strip():
        assert embedded(_SITE_MARKDOWN, source) == user_markdown(source)


_SITE_MARKDOWN = mkdocs_markdown()


def test_jira_keys_in_text_become_links_but_not_in_code_or_links() -> None:
    browse = "https://jira.example.org/browse/"
    html = render_html(
        "Fixed by DM-51260 (see `DM-1` and [DM-2](https://x.example.org/)).\n\n"
        "```\nDM-3\n```\n\nXDM-4x and DM-5-6 stay text.",
        browse,
    )
    assert html.count("<a ") == 2
    assert '<a href="https://jira.example.org/browse/DM-51260"' in html
    assert "<code>DM-1</code>" in html and "DM-3" in html and "browse/DM-3" not in html
    assert 'browse/DM-4"' not in html and 'browse/DM-5"' not in html
    assert "<a " not in render_html("Fixed by DM-51260.").replace("<a href", "")
    assert "href" not in render_html("Fixed by DM-51260.")
    # A server that is not http(s) links nothing: the sanitizer drops the href.
    assert "javascript" not in render_html("DM-1", "javascript:alert(1)//")


# Text on render_html's fast path (paragraphs of plain words) and text just off it: Markdown
# block starts (lists, ordered lists, headings, quotes, admonitions), inline markup, line
# breaks made by trailing spaces, blank lines, Jira keys (linked by the fast path too).
FAST_PATH_ALPHABETS = (
    [*"aDM19 .)(-\n'?:/%", "DM-5", "AB1-23", "x-DM-1", "DM-1a", "SITCOM-1455", "DM-12345678"],
    list("aZ09 .,;:()'%/?-\n*_`[!<&\\|~#>=+\"\t"),
)
NEAR_MISSES = [
    "1. a list",
    "2) a list",
    "1234567890. not a list",
    "a line  \nwith a break",
    "two\n\n\nblank lines",
    "\n\nleading and trailing\n\n",
    "- item",
    "a\n---",
    "a\n===",
    "(parenthesis) first",
    "!!! note",
    "??? note",
    "DM-51300 is a Jira key",
    "Checked tract 5330: as expected.\n\nPlots are linked below.\n",
]
# Jira servers: the usual one, one with a query (its '&' escaped in the link), one the
# sanitizer refuses (the link loses its href: the parser's path), one holding the sample key.
BROWSE = (
    "",
    "https://jira.example.org/browse/",
    "https://jira.example.org/issues/?a=1&key=",
    "javascript:alert(1)//",
    "https://ZZ-0.example.org/",
)


def test_the_plain_text_fast_path_writes_what_the_parser_and_sanitizer_write() -> None:
    rng = random.Random(17)
    texts = list(NEAR_MISSES)
    for alphabet in FAST_PATH_ALPHABETS:
        texts += [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 12))) for _ in range(3_000)
        ]
    taken = 0
    for text in texts:
        taken += bool(_PLAIN_PARAGRAPHS.fullmatch(text))
        for browse in BROWSE:
            assert render_html(text, browse) == _parsed_html(text, browse), (text, browse)
    assert taken > 1_000  # the fast path is taken, not only skipped
