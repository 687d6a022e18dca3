"""What a URL or a branch name from a record, a config file or Jira must look like to be used.

The same rules as the schemas (``schemas/common.schema.json#/definitions/url``): an absolute
``http``/``https`` URL with a host and none of the characters that can end a link or an
attribute, a Markdown table cell, or hide what a reader sees — whitespace, quotes, ``<``,
``>``, ``|``, backslashes, control characters (and ``{``, ``}``, ``^``, which RFC 3986 does not
allow either). Such characters are written percent-encoded (a space is ``%20``). Checked
where values enter: schemas for records, here for values read from the Jira snapshot, link
templates expanded with record values, and server URLs given in the environment.
"""

from __future__ import annotations

import re

# Keep in step with schemas/common.schema.json "url" (tests/records/test_urls.py compares them).
UNSAFE_URL_CHARACTER = re.compile(
    r"""[\s"'<>\\`|{}^\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]"""
)
SAFE_URL = re.compile(
    r"""^https?://[^\s"'<>\\`|{}^/?#\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]+(?:[/?#][^\s"'<>\\`|{}^\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]*)?$"""
)
PERCENT_ENCODE_HINT = (
    "write an absolute http(s) URL with spaces, quotes, <, >, |, backslashes and control "
    'characters percent-encoded (a space is %20, " is %22, < is %3C, > is %3E, | is %7C)'
)
# A git branch name that is safe in a URL path and a shell word: git's own rules, narrowed.
SAFE_BRANCH = re.compile(
    r"^(?!-)(?!.*\.\.)(?!.*//)(?!.*@\{)(?!.*\.lock$)(?!.*[/.]$)[A-Za-z0-9._/-]+$"
)
USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")


def is_safe_url(value: str) -> bool:
    return bool(SAFE_URL.match(value))


def url_problem(value: str) -> str | None:
    """Why ``value`` is not a safe http(s) URL (one short clause), or None when it is."""
    if is_safe_url(value):
        return None
    bad = UNSAFE_URL_CHARACTER.search(value)
    if bad:
        return f"contains {describe_character(bad.group())}"
    if not re.match(r"^https?://", value):
        return "is not an absolute http:// or https:// URL"
    return "has no host"


def describe_character(character: str) -> str:
    """``'<'``, or ``U+000A (a control character)`` for one that would not show."""
    if character.isprintable() and not character.isspace():
        return repr(character)
    kind = (
        "a space"
        if character == " "
        else "whitespace"
        if character.isspace()
        else "a control character"
    )
    return f"U+{ord(character):04X} ({kind})"


def is_safe_branch(value: str) -> bool:
    return bool(SAFE_BRANCH.match(value))


def mask_userinfo(text: str) -> str:
    """``HTTP://user:pass@host`` → ``HTTP://***@host``, whatever the scheme and its case."""
    return USERINFO.sub(r"\1***@", text)
