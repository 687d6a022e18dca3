"""The one rendering path for Markdown that people write (purpose, reason, journal entries,
production descriptions, notes): parse, sanitize, embed.

1. **Parse** with markdown-it-py, a CommonMark parser, with raw HTML off (``<script>`` is text),
   no ``attr_list``, no images (they would load from outside the site), and only the features
   records use: tables, fenced and indented code, emphasis, strikethrough, lists, quotes, links and
   admonitions (``!!! note``, collapsible ``???``). The parser decides what is code, never a regex;
   and it is linear in the input (an unclosed fence is code to the end of the text).
2. **Sanitize** the HTML with nh3 (the ammonia sanitizer): an allow-list of tags, attributes,
   classes and style properties; links only to http(s), mailto or a relative path inside the site.
   Text that is only paragraphs of plain words skips both: what they would write for it is
   written directly (``render_html``; the tests compare the two on random text).
3. **Embed** it in the page's Markdown as one line of raw HTML,
   ``<div class="cn-user-text">...</div>``, with every newline written as ``&#10;`` (and TAB as ``&#9;``): a raw HTML
   block that Python-Markdown (MkDocs, Zensical) passes through untouched, so no Markdown
   extension of the site (``attr_list``, ``md_in_html``, superfences ...) ever sees user text.
"""

from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin

from generator.escaping import strip_controls

USER_TEXT_CLASS = "cn-user-text"
EMBED_OPEN = f'<div class="{USER_TEXT_CLASS}">'
EMBED_CLOSE = "</div>"
# A heading in a record sits under a section heading (## Purpose, ## Journal): # becomes <h3>.
HEADING_SHIFT = 2

ADMONITION_KINDS = frozenset(
    [
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    ]
)
_LANGUAGE_CLASS = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
ALLOWED_TAGS = frozenset(
    [
        "p",
        "br",
        "hr",
        "h3",
        "h4",
        "h5",
        "h6",
        "strong",
        "em",
        "s",
        "del",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "a",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
        "details",
        "summary",
    ]
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "code": {"class"},
    "div": {"class"},
    "p": {"class"},
    "details": {"class", "open"},
    "th": {"style"},
    "td": {"style"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _allowed_classes(tag: str, value: str) -> str | None:
    if tag == "code":
        kept = [c for c in value.split() if _LANGUAGE_CLASS.fullmatch(c)]
    elif tag == "p":
        kept = [c for c in value.split() if c == "admonition-title"]
    else:  # div and details: admonitions
        kept = [c for c in value.split() if c == "admonition" or c in ADMONITION_KINDS]
    return " ".join(kept) or None


def is_site_relative(url: str) -> bool:
    """A relative link that stays inside the site: no scheme, no ``//host`` (nor ``/\\host``,
    which browsers read the same), no whitespace or control characters a browser would drop."""
    if not url or url.startswith("//") or "\\" in url:
        return False
    if any(ord(c) <= 0x20 or 0x7F <= ord(c) <= 0x9F for c in url):
        return False
    before_path = re.split(r"[/?#]", url, maxsplit=1)[0]
    return ":" not in before_path


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        return _allowed_classes(tag, value)
    if attribute == "href":
        scheme = value.split(":", 1)[0].lower() if ":" in value else ""
        if scheme in URL_SCHEMES and not value.lower().startswith(f"{scheme}:\\"):
            return value
        return value if is_site_relative(value) else None
    if attribute == "start":
        return value if value.isdigit() and len(value) < 10 else None
    return value


_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_filter_attribute,
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer nofollow",
    filter_style_properties={"text-align"},
    strip_comments=True,
)


def _shift_headings_and_collapse(state: StateCore) -> None:
    """Headings one level below the page's sections; ``???`` admonitions as <details>."""
    open_admonitions: list[bool] = []
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + HEADING_SHIFT)}"
        elif token.type == "admonition_open":
            collapsible = token.markup.startswith("???")
            open_admonitions.append(collapsible)
            if collapsible:
                token.tag = "details"
                kinds = [
                    c for c in str(token.attrs.get("class", "")).split() if c in ADMONITION_KINDS
                ]
                token.attrs = {"class": " ".join(kinds)}
                if token.markup == "???+":
                    token.attrs["open"] = ""
        elif token.type == "admonition_close" and open_admonitions:
            if open_admonitions.pop():
                token.tag = "details"
        elif (
            token.type in ("admonition_title_open", "admonition_title_close")
            and open_admonitions
            and open_admonitions[-1]
        ):
            token.tag = "summary"
            token.attrs = {}


# A Jira key in running text (not in code, not already in a link): DM-51300, SITCOM-1455.
JIRA_KEY = re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{1,9}-[0-9]{1,7})(?![\w-])")


def _link_jira_keys(state: StateCore) -> None:
    """Jira keys in text become links to ``env["jira_browse"]`` + key (when a Jira server is
    known). The links are made as tokens before rendering, so the sanitizer checks them too."""
    browse = state.env.get("jira_browse", "") if isinstance(state.env, dict) else ""
    if not browse:
        return
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        in_link = 0
        for token in block.children:
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            if token.type != "text" or in_link or not JIRA_KEY.search(token.content):
                children.append(token)
                continue
            position = 0
            for match in JIRA_KEY.finditer(token.content):
                if match.start() > position:
                    children.append(_text(token.content[position : match.start()]))
                opening = Token("link_open", "a", 1)
                opening.attrs = {"href": browse + match.group(1)}
                children += [opening, _text(match.group(1)), Token("link_close", "a", -1)]
                position = match.end()
            if position < len(token.content):
                children.append(_text(token.content[position:]))
        block.children = children


def _text(content: str) -> Token:
    token = Token("text", "", 0)
    token.content = content
    return token


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    parser.disable(["image", "html_block", "html_inline"])
    parser.use(admon_plugin)
    parser.core.ruler.push("cn_headings_details", _shift_headings_and_collapse)
    parser.core.ruler.push("cn_jira_keys", _link_jira_keys)
    return parser


_PARSER = _parser()


# Text that is only paragraphs of words: letters, digits, spaces and punctuation no Markdown rule
# reads (no * _ ` [ ! < & \\ | ~ # > = + " and no tab); a line starts with a letter, a digit
# (not an ordered-list marker such as "1." or "2)") or "(" and ends without a space (a trailing
# space can make a line break); paragraphs are one blank line apart. Most journal entries are
# such text, and for it the parser and the sanitizer write each paragraph as it is, inside <p>.
_LINE = r"(?!\d{1,9}[.)](?:[ \n]|$))[A-Za-z0-9(][A-Za-z0-9 .,;:()'%/?-]*(?<! )"
_PARAGRAPH = rf"{_LINE}(?:\n{_LINE})*"
_PLAIN_PARAGRAPHS = re.compile(rf"\n*{_PARAGRAPH}(?:\n\n{_PARAGRAPH})*\n*")


def render_html(source: str, jira_browse: str = "") -> str:
    """Record Markdown as sanitized HTML; ``jira_browse`` (``https://jira.../browse/``) turns
    Jira keys in the text into links."""
    if _PLAIN_PARAGRAPHS.fullmatch(source):
        # What the parser and the sanitizer write for it (tests/site/test_usertext.py checks).
        body: str | None = source.strip("\n")
        if jira_browse and JIRA_KEY.search(source):
            link = _jira_link_parts(jira_browse)
            body = JIRA_KEY.sub(lambda key: key.group(1).join(link), source) if link else None
        if body is not None:
            return "\n".join(f"<p>{paragraph}</p>" for paragraph in body.strip("\n").split("\n\n"))
    rendered: str = _PARSER.render(strip_controls(source), {"jira_browse": jira_browse})
    return str(_CLEANER.clean(rendered)).strip()


_SAMPLE_KEY = "ZZ-0"


@functools.lru_cache(maxsize=8)  # one Jira server per build
def _jira_link_parts(jira_browse: str) -> tuple[str, ...] | None:
    """The link the parser and the sanitizer make of a Jira key in text, as the three parts
    around the key (in the href and as the text); None when the sample key does not split it so
    (then the text takes the parser's path)."""
    made = _parsed_html(_SAMPLE_KEY, jira_browse)
    if not (made.startswith("<p>") and made.endswith("</p>")):
        return None
    parts = tuple(made[3:-4].split(_SAMPLE_KEY))
    return parts if len(parts) == 3 else None


def _parsed_html(source: str, jira_browse: str = "") -> str:
    """``render_html`` without its fast path (for the tests that check it)."""
    rendered: str = _PARSER.render(strip_controls(source), {"jira_browse": jira_browse})
    return str(_CLEANER.clean(rendered)).strip()


def embed(sanitized: str) -> str:
    """Sanitized HTML as one raw-HTML line for a Markdown page (see the module docstring)."""
    # Python-Markdown expands tabs and splits lines: neither may touch the sanitized HTML.
    one_line = sanitized.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")
    return EMBED_OPEN + one_line + EMBED_CLOSE


@functools.lru_cache(maxsize=8192)  # journal lines such as "step3 submitted." repeat
def user_markdown(source: str, jira_browse: str = "") -> str:
    """Record Markdown for a page: empty text stays empty."""
    if not source.strip():
        return ""
    return embed(render_html(source, jira_browse))
