"""`campaigns validate --format github`: workflow commands GitHub parses back to what we meant.

GitHub reads ``::error file=F,line=L,col=C,title=T::message``: properties are split at ``,``
and ``=``, the message ends at the line's end. So ``%``, CR and LF are escaped everywhere, and
``:`` and ``,`` also inside property values. ``decode`` below is how the runner undoes it.
"""

from __future__ import annotations

import re
import shutil
from functools import partial
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.errors import Problem
from generator.reporting import format_github, printable

PROJECT = Path(__file__).resolve().parents[2]
COMMAND = re.compile(
    r"^::(error|warning) ([^:]*)::(.*)$"
)  # ':' never survives unescaped in properties


def _unescape(value: str, *, property_value: bool) -> str:
    pairs = [("%0D", "\r"), ("%0A", "\n")] + (
        [("%3A", ":"), ("%2C", ",")] if property_value else []
    )
    for escaped, plain in pairs:
        value = value.replace(escaped, plain)
    return value.replace("%25", "%")


def decode(line: str) -> tuple[str, dict[str, str], str]:
    """(command, properties, message) as the Actions runner reads one workflow command."""
    assert "\n" not in line and "\r" not in line
    match = COMMAND.match(line)
    assert match, line
    command, properties, message = match.groups()
    pairs = [item.split("=", 1) for item in properties.split(",")]
    assert all(len(pair) == 2 for pair in pairs), properties
    # '%' is only ever the start of one of our escapes.
    assert not re.search(r"%(?!25|0D|0A|3A|2C)", line), line
    decoded = {key: _unescape(value, property_value=True) for key, value in pairs}
    return command, decoded, _unescape(message, property_value=False)


texts = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs", "Cc")), max_size=40
)


@given(
    path=texts,
    message=texts,
    hint=st.none() | texts,
    rule=texts,
    line=st.integers(0, 10**6),
    col=st.integers(0, 500),
)
def test_every_problem_round_trips_through_githubs_syntax(
    path: str, message: str, hint: str | None, rule: str, line: int, col: int
) -> None:
    problem = Problem(path, line, col, message, hint, "error", rule)
    command, properties, text = decode(format_github(problem))
    # control characters other than CR and LF (escape sequences...) arrive in visible form
    seen = partial(printable, keep="\r\n")
    assert command == "error"
    assert properties["file"] == seen(path)
    assert properties.get("line") == (str(line) if line else None)
    assert properties.get("col") == (str(col) if col else None)
    title = f"campaigns validate: {seen(rule)}" if rule else "campaigns validate"
    assert properties["title"] == title
    assert text == seen(message) + (f"\nhint: {seen(hint)}" if hint else "")
    assert not re.search(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]", format_github(problem))


def test_the_escapes_github_documents() -> None:
    problem = Problem(
        "campaigns/a,b:c%.yaml", 3, 5, "50% done\r\nnext", "use: a, b", "warning", "rules"
    )
    assert format_github(problem) == (
        "::warning file=campaigns/a%2Cb%3Ac%25.yaml,line=3,col=5,title=campaigns validate%3A rules"
        "::50%25 done%0D%0Anext%0Ahint: use: a, b"
    )


def test_validate_prints_one_annotation_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(PROJECT / "notebook.yaml", tmp_path / "notebook.yaml")
    shutil.copytree(PROJECT / "campaigns", tmp_path / "campaigns")
    nightly = tmp_path / "campaigns" / "nightly-20261123-k9rm.yaml"
    # A file name with ',', ':' and '%' that does not match the id, and an unknown production.
    text = nightly.read_text(encoding="utf-8").replace(
        "production: alert-production", "production: alert-prod"
    )
    nightly.unlink()
    (tmp_path / "campaigns" / "night,1:100%.yaml").write_text(text, encoding="utf-8")
    code = main(["validate", "--root", str(tmp_path), "--format", "github"])
    out = capsys.readouterr().out
    assert code == 1
    annotations = [decode(line) for line in out.splitlines()]
    by_title = {
        properties["title"]: (command, properties, message)
        for command, properties, message in annotations
    }
    command, properties, message = by_title["campaigns validate: file-name"]
    assert command == "error"
    assert properties["file"] == "campaigns/night,1:100%.yaml"
    assert message.startswith(
        "file name 'night,1:100%.yaml' does not match id 'nightly-20261123-k9rm'\nhint: "
    )
    command, properties, message = by_title["campaigns validate: reference"]
    assert (properties["line"], properties["col"]) == ("4", "13")
    assert message.startswith("production 'alert-prod' does not exist\nhint: ")
