"""Git metadata, shell commands and diagram labels built from untrusted values."""

from __future__ import annotations

import html
import os
import re
import shlex
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import gitrepo
from generator.escaping import encode_url, href, is_safe_url, shell_word
from generator.model.records import Campaign
from generator.site.campaign_page import shell_command
from generator.site.context import load_context
from generator.site.diagrams import Edge, lineage_svg
from generator.site.reproduce import LONG_QUERY, submit_commands

HOSTILE_NAMES = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "a & b &amp; c",
    "]]><script>x</script><![CDATA[",
    "<!-- x --><foreignObject><iframe src=x>",
    "\u202eevil\u200b\u200d\u05d0\u05d1",
    "%%{init: {'securityLevel': 'loose'}}%%",
    "",
]


def _git(root: Path, *args: str, **env: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "commit.gpgsign=false", *args],
        check=True,
        capture_output=True,
        env={**os.environ, "GIT_COMMITTER_NAME": "c", "GIT_COMMITTER_EMAIL": "c@x", **env},
    )


def test_commit_text_cannot_forge_a_history_row(tmp_path: Path) -> None:
    _git(tmp_path, "init", "--quiet")
    (tmp_path / "campaigns").mkdir()
    record = tmp_path / "campaigns" / "a.yaml"
    forged = "\x1e" + "f" * 40 + "\x1fMallory\x1f2026-01-01T00:00:00+00:00\x1fforged"
    authors = ["Eve\x1fX", "Eve\x1e", "Eve\n<b>"]
    for number, author in enumerate(authors):
        record.write_text(f"n: {number}\n")
        _git(tmp_path, "add", "-A")
        _git(
            tmp_path,
            "commit",
            "--quiet",
            "-m",
            f"subject {number}{forged}\n\nbody\x1e\x1f",
            GIT_AUTHOR_NAME=author,
            GIT_AUTHOR_EMAIL="e@x",
        )
    history = gitrepo.file_history(tmp_path, ["campaigns/a.yaml"])["campaigns/a.yaml"]
    assert len(history) == 3
    assert all(re.fullmatch(r"[0-9a-f]{40}", c.sha) and c.sha != "f" * 40 for c in history)
    assert [c.message.split("\x1e")[0] for c in history] == [
        "subject 2",
        "subject 1",
        "subject 0",
    ]
    assert "Mallory" not in {c.author for c in history}
    head = gitrepo.head_commit(tmp_path)
    assert head is not None and head.sha == history[0].sha
    since = gitrepo.holds_since(tmp_path, "campaigns/a.yaml", "HEAD", lambda content: True)
    assert since == history[-1]


def test_submission_commands_quote_every_value(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    context = load_context(root, datetime(2026, 11, 24, 12, tzinfo=UTC))
    campaign: Campaign = context.repository.campaigns["dr1-mini-drp-rerun-20261103-t5hw"]
    evil = "$(touch /tmp/cn-pwned)`id`\n; rm -rf ~ 'x' \"y\" ${HOME}"
    butler = replace(campaign.butler, repo=evil, output=evil)
    workflows = tuple(replace(w, name=f"{w.name}\ntouch /tmp/cn-pwned") for w in campaign.workflows)
    hostile = replace(campaign, butler=butler, workflows=workflows)
    script = submit_commands(context, hostile, "0" * 40)
    for line in script.split("\n"):
        if not line or line.startswith("#"):
            continue
        # A command line or a continuation of one: never a line that starts a command of its own.
        # (the one assignment: the submit folder, made from the campaign's id)
        starts = ("campaigns bps config", "bps submit", "pipetask", "    ")
        assert line.startswith(starts), line
    # Run by a real shell, with commands that only print their arguments: every hostile value is
    # one argument, byte for byte, and nothing else runs.
    marker = tmp_path / "pwned"
    printer = 'printf "%s\\0" "$@"; '
    result = subprocess.run(
        [
            "bash",
            "-c",
            f"bps() {{ {printer}}}\ncampaigns() {{ {printer}}}\npipetask() {{ {printer}}}\n"
            + script.replace("/tmp/cn-pwned", str(marker)),
        ],
        capture_output=True,
        check=True,
    )
    words = result.stdout.decode().split("\0")
    assert words.count("submit") == len(workflows)
    assert evil.replace("/tmp/cn-pwned", str(marker)) in words
    assert not marker.exists()


def test_shell_words_allow_variables_but_never_substitution() -> None:
    assert shell_word("${DRP_PIPE_DIR}/x.yaml") == '"${DRP_PIPE_DIR}/x.yaml"'
    assert shlex.split(shell_word("x'y")) == ["x'y"]
    for word in ["$(id)", "`id`", "$((1))", "!!", "${HOME}$(id)"]:
        assert shlex.split(shell_word(word)) == [word]
        assert not shell_word(word).startswith('"')
    assert shell_word("a\nb") == "$'a\\nb'"
    assert shell_command([("git", "show", "abc:campaigns/a b.yaml")]) == (
        'git show "abc:campaigns/a b.yaml"'
    )


# Every attribute the drawing uses: numbers and the generator's own class names, never a value.
ATTRIBUTES = {
    *("class", "x", "y", "width", "height", "d", "viewBox", "aria-hidden", "id", "orient"),
    *("textLength", "lengthAdjust", "refX", "refY", "markerWidth", "markerHeight"),
}


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_diagram_labels_stay_text(name: str) -> None:
    """A campaign id or collection holding markup is drawn as its characters: the lineage SVG has
    its own elements only, with the value as their text."""
    svg = lineage_svg(name, [Edge(name, outgoing=True, label=name), Edge(name, outgoing=False)])
    root = ET.fromstring(svg)  # well-formed: nothing ended an element or opened one
    assert {element.tag for element in root.iter()} == {"svg", "marker", "path", "rect", "text"}
    # The page's campaign, the box on each side, the label (in two lines when long): every text
    # is the value itself.
    texts = [text.text or "" for text in root.iter("text")]
    assert texts[:3] == [name] * 3 and "".join(texts[3:]) == name
    attributes = {name for element in root.iter() for name in element.attrib}
    assert attributes <= ATTRIBUTES
    assert "<script" not in svg and "<svg onload" not in svg and "]]><" not in svg


def test_urls_are_percent_encoded_for_attributes_and_markdown() -> None:
    url = "https://example.org/a)<svg onload=x>|`[b](c)\"'"
    encoded = encode_url(url)
    assert not set(encoded) & set(" <>\"'`|[]()")
    assert href(url) == encoded
    assert href("JavaScript:alert(1)") is None
    assert href("HTTPS://example.org/") == "HTTPS://example.org/"
    assert href("https://example.org/?a=1&b=2") == "https://example.org/?a=1&amp;b=2"


@given(
    st.sampled_from(["http://", "https://", "HTTPS://", "mailto:", "javascript:", " https://", ""]),
    st.text(alphabet="aZ09/:?#=&%@!$+,;~._- \t\n\"'<>()[]*|`é\x00\x7f\u2028", max_size=16),
)
def test_href_fast_path_for_plain_urls_gives_what_the_full_path_gives(
    scheme: str, rest: str
) -> None:
    url = scheme + rest
    full = html.escape(encode_url(url), quote=True) if is_safe_url(url) else None
    assert href(url) == full


def test_a_long_data_query_is_named_not_copied() -> None:
    """A query of thousands of characters (exclusion lists spelled out) stays in the submit file
    ``campaigns bps config`` writes: the page names the file instead of copying the command."""
    root = Path(__file__).resolve().parents[2]
    context = load_context(root, datetime(2026, 11, 24, 12, tzinfo=UTC))
    campaign: Campaign = context.repository.campaigns["dr1-mini-drp-rerun-20261103-t5hw"]
    short = submit_commands(context, campaign, "0" * 40)
    assert "\npipetask qgraph " in short
    exposures = ", ".join(str(2026010100000 + n) for n in range(LONG_QUERY // 10))
    predicate = f"exposure NOT IN ({exposures})"
    selection = replace(campaign.selection, query=(*campaign.selection.query, predicate))
    long = submit_commands(context, replace(campaign, selection=selection), "0" * 40)
    assert "pipetask qgraph " not in long.replace("the pipetask qgraph line", "")
    assert predicate not in long
    named = next(line for line in long.splitlines() if "createQuantumGraph" in line)
    assert named.startswith("# ") and f"submit/{campaign.id}/" in named, named
    assert short.count("\nbps submit ") == long.count("\nbps submit ")
