"""The one escaping module: every user value that is not Markdown written by a person goes through
here on its way into a page, a pull-request summary or a shell command.

Names, ids, file names, URLs, commit metadata and config values are untrusted (they come from
pull requests, list files, git and Jira). Each function turns one such value into text that the
target language (HTML and the SVG inside it, Markdown, a URL, a POSIX shell) can only show, never
interpret.
Markdown that people write (purpose, journal ...) has its own path: ``generator.site.usertext``.
"""

from __future__ import annotations

import functools
import html
import re
import shlex

SAFE_URL_SCHEMES = ("http://", "https://", "mailto:")
# C0 and C1 control characters except TAB and LF, and the Unicode line and paragraph separators.
# Python-Markdown uses STX/ETX in its own placeholders; nothing a person writes needs them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
# Characters Python-Markdown (MkDocs, Zensical) reads as inline markup, and the table pipe.
_PY_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]|])")
# GitHub-flavoured Markdown (pull-request comments): any ASCII punctuation may be escaped;
# '~' strikes through, '#' and '@' link issues and people, '!' starts an image.
_GFM_PUNCTUATION = re.compile(r"([\\`*_\[\]{}|~#!@])")
_BLOCK_START = re.compile(r"^([#+-])")
_ORDERED_START = re.compile(r"^(\d+)([.)])")
_BACKTICKS = re.compile(r"`+")
_FENCE_RUNS = re.compile(r"`{3,}")
# Characters a URL may keep as they are: RFC 3986 reserved and unreserved ones, minus those that
# Markdown, HTML attributes or a table row would read ( ( ) [ ] * ' and the pipe).
_URL_SAFE = "/:?#=&%@!$+,;~._-"
_DOLLAR = re.compile(r"\$(\{[A-Za-z_][A-Za-z0-9_]*\}|[A-Za-z_][A-Za-z0-9_]*)")
_LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_HEX_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def strip_controls(value: str) -> str:
    """``value`` without control characters (TAB and newline kept)."""
    # Most values hold none (a str subclass such as Markup still goes through re.sub, which
    # returns a plain str: Markup's methods would escape what later steps add).
    if type(value) is str and value.isprintable():
        return value
    return _CONTROL.sub("", value)


def one_line(value: str) -> str:
    """Every run of whitespace one space, none at the ends (``str.split`` and the ``\\s`` of
    ``re`` know the same whitespace), control characters removed first."""
    return " ".join(strip_controls(value).split())


def escape_html(value: str) -> str:
    """Text for HTML element content or a double-quoted attribute value."""
    return html.escape(strip_controls(value), quote=True)


@functools.lru_cache(maxsize=65536)  # names, statuses and steps repeat on every page
def markdown_text(value: str) -> str:
    """Plain text for inline Python-Markdown (a table cell, a list item, a heading): one line, no
    markup, no HTML. What MkDocs and Zensical pages use."""
    escaped = _PY_MARKDOWN_PUNCTUATION.sub(r"\\\1", escape_html(one_line(value)))
    return _ORDERED_START.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", escaped))


def gfm_text(value: str, limit: int | None = None) -> str:
    """Plain text for GitHub-flavoured Markdown (pull-request comments, job summaries)."""
    flat = one_line(value)
    if limit is not None and len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    escaped = _GFM_PUNCTUATION.sub(r"\\\1", html.escape(flat, quote=False))
    return _ORDERED_START.sub(r"\1\\\2", _BLOCK_START.sub(r"\\\1", escaped))


def project_markdown_cell(value: str) -> str:
    """Markdown the project itself wrote (schema descriptions) for one table cell: formatting
    kept, HTML shown as text, one line, pipes escaped so they cannot split the row."""
    return html.escape(one_line(value), quote=False).replace("|", "\\|")


def code_span(value: str) -> str:
    """Inline code that shows ``value`` verbatim (one line), whatever backticks it holds."""
    line = one_line(value)
    if not line:
        return ""
    if "`" not in line:  # nearly every value: no backtick run to outgrow
        return f"`{line}`"
    longest = max((len(run) for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {line} " if line.startswith("`") or line.endswith("`") else line
    return f"{fence}{padded}{fence}"


def table_code_span(value: str) -> str:
    """A code span inside a table row: a pipe ends a cell even inside code, so it is escaped
    (Python-Markdown and GFM both show ``\\|`` in a cell's code span as ``|``)."""
    return code_span(value).replace("|", "\\|")


def code_block(content: str, language: str = "") -> str:
    """A fenced block that ``content`` cannot close early: the fence outgrows any backtick run."""
    content = strip_controls(content)
    longest = 2
    if "```" in content:  # rarely: a look for a substring, not a search for every run
        longest = max(len(run) for run in _FENCE_RUNS.findall(content))
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{content.rstrip()}\n{fence}"


def is_safe_url(url: str) -> bool:
    """An absolute http(s) or mailto URL (any case), nothing a browser could run."""
    return strip_controls(url).strip().lower().startswith(SAFE_URL_SCHEMES)


@functools.lru_cache(maxsize=8)  # a few ``safe`` sets, each used for thousands of values
def _unsafe_runs(safe: str) -> re.Pattern[str]:
    """Runs of what ``urllib.parse.quote`` encodes with ``safe``: anything but its always-safe
    letters, digits and ``_.-~`` and the ``safe`` characters."""
    return re.compile(r"[^A-Za-z0-9_.\-~" + re.escape(safe) + "]+")


def _percent_encoded(run: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in run.group().encode())


def quote(value: str, safe: str) -> str:
    """The text of ``urllib.parse.quote(value, safe=safe)`` (UTF-8, upper-case hex), encoding
    only the runs that need it instead of looking at every byte in Python (most of a link's
    time). Lone surrogates raise ``UnicodeEncodeError``, as ``quote`` does."""
    return _unsafe_runs(safe).sub(_percent_encoded, value)


def encode_url(url: str) -> str:
    """``url`` percent-encoded wherever it holds a character that HTML, Markdown or a table row
    would read (spaces, quotes, brackets, parentheses, backticks, pipes, non-ASCII ...)."""
    return quote(strip_controls(url).strip(), _URL_SAFE)


# A URL made only of characters ``encode_url`` keeps (no control character, space or non-ASCII):
# most links are, and they need no stripping or encoding, only '&' escaped for the attribute.
_PLAIN_URL = re.compile(r"[A-Za-z0-9/:?#=&%@!$+,;~._-]*")


@functools.lru_cache(maxsize=16384)  # a page asks for each link's href twice (test, then value)
def href(url: str) -> str | None:
    """The value of an ``href`` attribute for an outside URL, escaped for a double-quoted
    attribute; None for anything but http(s) and mailto."""
    if _PLAIN_URL.fullmatch(url):
        return url.replace("&", "&amp;") if url.lower().startswith(SAFE_URL_SCHEMES) else None
    if not is_safe_url(url):
        return None
    return html.escape(encode_url(url), quote=True)


def encode_path(path: str) -> str:
    """A relative path inside the site for a link target: every character but letters, digits and
    ``/._-~`` percent-encoded (MkDocs decodes it again to find the page)."""
    return quote(strip_controls(path), "/")


def is_commit_id(value: str) -> bool:
    """A full git commit id (SHA-1 or SHA-256), lower-case hex."""
    return bool(_HEX_COMMIT.fullmatch(value))


# The words shlex.quote returns unquoted (it quotes any character outside this set, and "").
_SHELL_PLAIN = re.compile(r"[\w@%+=:,./-]+", re.ASCII)


def shell_word(word: str) -> str:
    """One word for a POSIX shell command a reader copies: quoted so that it stays one word and
    runs nothing. Double quotes when they suffice, so ``${DRP_PIPE_DIR}`` expands as it would when
    typed; single quotes whenever the word holds a character special inside double quotes."""
    if _SHELL_PLAIN.fullmatch(word):  # what shlex.quote leaves alone: most words
        return word
    if _LINE_BREAKING.search(word):
        # One visible line per option: a newline inside quotes would look like a command of its
        # own to a reader. ANSI-C quoting (bash, zsh, POSIX.1-2024 sh) keeps the exact value.
        return "$'" + "".join(_ansi_c(character) for character in word) + "'"
    quoted = shlex.quote(word)
    if quoted == word or any(c in word for c in '"`\\!\n\t'):
        return quoted
    # Inside double quotes only plain variable references may expand: never $(...) or $((...)).
    if _DOLLAR.sub("", word).count("$"):
        return quoted
    return f'"{word}"'


def _ansi_c(character: str) -> str:
    if character in "\\'":
        return "\\" + character
    if character == "\n":
        return "\\n"
    if character == "\t":
        return "\\t"
    if ord(character) < 0x20 or 0x7F <= ord(character) <= 0x9F or character in "\u2028\u2029":
        return f"\\x{ord(character):02x}" if ord(character) < 0x100 else f"\\u{ord(character):04x}"
    return character


def shell_comment(value: str) -> str:
    """Text for a ``# ...`` comment line of a shell block: one line, so it cannot end the
    comment and start a command."""
    return one_line(value)
