"""Values that must be safe before anything uses them: URLs, list names, file names, symlinks.

The schema side (what validate says) is in the case folders (cases/invalid/unsafe-*,
dataid-list-unsafe-name, jira-snapshot-*); here: the Python rule agrees with the schema,
problem lines stay one printable line, and validate and the build agree on symlinks.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import Problem
from generator.linktemplates import expand
from generator.records import LinkTemplate
from generator.reporting import format_github, format_text, printable
from generator.repository import list_name_problem
from generator.schemas import load_schema, validator
from generator.urls import (
    PERCENT_ENCODE_HINT,
    SAFE_BRANCH,
    SAFE_URL,
    is_safe_url,
    mask_userinfo,
    url_problem,
)

BASE = Path(__file__).parent / "cases" / "base"


def test_the_url_rule_is_the_schemas_rule() -> None:
    assert load_schema("common")["definitions"]["url"]["pattern"] == SAFE_URL.pattern
    assert load_schema("common")["definitions"]["url"]["x-hint"] == PERCENT_ENCODE_HINT
    edit_branch = load_schema("notebook")["properties"]["edit_branch"]["pattern"]
    assert edit_branch == SAFE_BRANCH.pattern


SAFE = [
    "https://example.org",
    "http://example.org:8080/a/b?c=d&e=%20#f",
    "https://en.wikipedia.org/wiki/Foo_(bar)",
    "https://usdf-panda-bigmon.slac.stanford.edu:8443/tasks/?taskname=x*",
]
UNSAFE = [
    "javascript:alert(1)",
    "data:text/html,<script>",
    "//example.org/a",
    "https://",
    "https:///path",
    "HTTPS://example.org",
    "https://example.org/a b",
    'https://example.org/"onclick=x',
    "https://example.org/'x",
    "https://example.org/<svg>",
    "https://jira.example.org|x",
    "https://example.org/{x}",
    "https://example.org\\@evil.org",
    "https://example.org/\x1b[2J",
    "https://example.org/a\nb",
    "https://example.org/\u2028",
    "https://example.org/\u202egnp.exe",
    " https://example.org",
]


@pytest.mark.parametrize("url", SAFE + UNSAFE)
def test_python_and_schema_agree(url: str) -> None:
    schema_ok = not list(validator("production").iter_errors(_production_with_link(url)))
    assert is_safe_url(url) == schema_ok == (url in SAFE)
    assert (url_problem(url) is None) == (url in SAFE)


@given(st.text(max_size=40))
def test_python_and_schema_agree_on_any_text(tail: str) -> None:
    url = "https://example.org/" + tail
    schema_ok = not list(validator("production").iter_errors(_production_with_link(url)))
    assert is_safe_url(url) == schema_ok


def _production_with_link(url: str) -> dict[str, object]:
    return {
        "id": "p",
        "name": "P",
        "description": "d",
        "links": [{"title": "t", "url": url}],
    }


def test_url_problems_name_the_character() -> None:
    assert url_problem("https://example.org/a b") == "contains U+0020 (a space)"
    assert url_problem("https://example.org/<") == "contains '<'"
    assert url_problem("https://example.org/\x1b") == "contains U+001B (a control character)"
    assert url_problem("ftp://example.org") == "is not an absolute http:// or https:// URL"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("HTTP://user:pass@host/x", "HTTP://***@host/x"),
        ("see hTTpS://a:b@c.org and ftp://u@d", "see hTTpS://***@c.org and ftp://***@d"),
        ("https://a:p@ss@host/", "https://***@host/"),
        ("https://host/path@x", "https://host/path@x"),
        ("mail ana@example.org", "mail ana@example.org"),
    ],
)
def test_userinfo_is_masked_whatever_the_scheme_case(text: str, masked: str) -> None:
    assert mask_userinfo(text) == masked


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("dataids/exclusions.ecsv", None),
        ("../dataids/v1.2_final-list.csv", None),
        ("dataids/s)<svg>.ecsv", "contains ')'"),
        ("dataids/a b.csv", "contains U+0020 (a space)"),
        ("dataids/a\nb.csv", "contains U+000A (whitespace)"),
        ("/etc/x.csv", "has an empty, '.' or inner '..' part"),
        ("dataids/../x.csv", "has an empty, '.' or inner '..' part"),
        ("./x.csv", "has an empty, '.' or inner '..' part"),
    ],
)
def test_list_names(name: str, problem: str | None) -> None:
    found = list_name_problem(name)
    assert (found is None) if problem is None else (found is not None and problem in found)


def test_a_link_template_expanding_to_an_unsafe_url_is_left_out() -> None:
    good = LinkTemplate("ok", "https://panda.example.org/?id={run_id}", "status", ())
    bad = LinkTemplate("bad", 'https://panda.example.org/"{run_id}', "status", ())
    links = expand((good, bad), {"run_id": '1" onmouseover="x'})
    assert [link.url for link in links] == [
        "https://panda.example.org/?id=1%22%20onmouseover%3D%22x"
    ]


def test_problem_lines_never_carry_raw_control_characters() -> None:
    problem = Problem("campaigns/a\nb\x1b[2J\u202e.yaml", 3, 1, "bad 'x\ty'", "fix\r\nit")
    for line in (format_text(problem), format_github(problem)):
        assert "\n" not in line and "\x1b" not in line and "\r" not in line
        assert "\u202e" not in line and "\t" not in line
    assert format_text(problem).startswith("campaigns/a\\nb\\x1b[2J\\u202e.yaml:3:1: error: ")
    assert printable("ok é ü") == "ok é ü"


def test_a_file_named_with_a_newline_and_escape_stays_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    name = "evil\n2026-01-01: error: forged\x1b[2J"
    (root / "campaigns" / f"{name}.yaml").write_text("id: [unclosed\n", encoding="utf-8")

    code = main(["validate", "--root", str(root)])

    out = capsys.readouterr().out
    assert code == 1
    assert "\x1b" not in out
    lines = [line for line in out.splitlines() if " files checked: " not in line]  # the summary
    assert len(lines) == 1, lines
    assert lines[0].startswith("campaigns/evil\\n2026-01-01: error: forged\\x1b[2J.yaml:")


def test_a_record_symlinked_out_of_the_repository_is_refused_by_validate_and_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "repo"
    shutil.copytree(BASE, root)
    outside = tmp_path / "outside.yaml"
    shutil.copyfile(BASE / "campaigns" / "dev-a.yaml", outside)
    outside.write_text(outside.read_text().replace("dev-a", "outside"), encoding="utf-8")
    (root / "campaigns" / "outside.yaml").symlink_to(outside)
    inside = root / "campaigns" / "dev-a-link.yaml"
    inside.symlink_to(root / "campaigns" / "dev-a.yaml")  # inside: not this rule's business

    validated = main(["validate", "--root", str(root)])
    validate_out = capsys.readouterr().out
    built = main(["generate", "--root", str(root), "--out", str(tmp_path / "out")])
    build_out = capsys.readouterr().out

    expected = (
        f"campaigns/outside.yaml: error: record file resolves outside the repository (to {outside})"
    )
    assert (validated, built) == (1, 1)
    assert expected in validate_out and expected in build_out
    assert not (tmp_path / "out").exists()
