"""Reporters: the only place that prints problems. Text, GitHub annotations, or JSON."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable
from dataclasses import replace
from typing import Literal, TextIO

from generator.errors import Problem, sort_problems
from generator.urls import mask_userinfo

OutputFormat = Literal["text", "github", "json"]

# Characters that would break a problem line or act on a terminal: C0 and C1 controls (ESC
# starts terminal escape sequences), DEL, Unicode line separators, and bidirectional overrides
# (which make a line read differently than it is).
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(character: str) -> str:
    code = ord(character)
    return _NAMED.get(character) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def printable(text: str, keep: str = "") -> str:
    """``text`` safe for one line of a terminal or log: control characters shown as ``\\x1b``,
    ``\\n``..., and any credentials in a URL (``https://user:pass@host``) masked. Characters
    in ``keep`` are left for the caller to encode."""

    def visible(match: re.Match[str]) -> str:
        character = match.group()
        return character if character in keep else _visible(character)

    return _UNPRINTABLE.sub(visible, mask_userinfo(text))


def _clean(problem: Problem, keep: str = "") -> Problem:
    return replace(
        problem,
        path=printable(problem.path, keep),
        message=printable(problem.message, keep),
        hint=printable(problem.hint, keep) if problem.hint else problem.hint,
    )


def format_text(problem: Problem) -> str:
    """``path:line:col: error: message (hint: ...)``, the form editors and CI logs understand.

    Without a position (a whole file, or the command line) it is ``path: error: message``.
    File names and values inside messages come from users: they are made printable here, so a
    file name with a newline or an escape sequence cannot forge or hide a line.
    """
    problem = _clean(problem)
    location = problem.path
    if problem.line or problem.col:
        location += f":{problem.line}:{problem.col}"
    text = f"{location}: {problem.severity}: {problem.message}"
    if problem.hint:
        text += f" (hint: {problem.hint})"
    return text


def _escape_github_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_github_property(value: str) -> str:
    return _escape_github_data(value).replace(":", "%3A").replace(",", "%2C")


def format_github(problem: Problem) -> str:
    """A GitHub Actions workflow command: ``::error file=F,line=L,col=C,title=T::message``."""
    # CR and LF are GitHub's to encode (%0D, %0A: never raw, and lossless); others are shown.
    problem = _clean(problem, keep="\r\n")
    command = "error" if problem.is_error else "warning"
    properties = [f"file={_escape_github_property(problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    if problem.col:
        properties.append(f"col={problem.col}")
    title = f"campaigns validate: {problem.rule}" if problem.rule else "campaigns validate"
    title = printable(title, keep="\r\n")
    properties.append(f"title={_escape_github_property(title)}")
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return f"::{command} {','.join(properties)}::{_escape_github_data(message)}"


def problem_as_json(problem: Problem) -> dict[str, object]:
    """JSON escapes control characters itself; only credentials in URLs are masked."""
    hint = mask_userinfo(problem.hint) if problem.hint else problem.hint
    problem = replace(problem, path=mask_userinfo(problem.path), hint=hint)
    problem = replace(problem, message=mask_userinfo(problem.message))
    return {
        "path": problem.path,
        "line": problem.line,
        "col": problem.col,
        "severity": problem.severity,
        "rule": problem.rule,
        "message": problem.message,
        "hint": problem.hint,
    }


def summary_line(problems: list[Problem], files_checked: int) -> str:
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    noun = "file" if files_checked == 1 else "files"
    if not problems:
        return f"{files_checked} {noun} checked: all valid"
    return f"{files_checked} {noun} checked: {errors} error(s), {warnings} warning(s)"


def report_problems(
    problems: Iterable[Problem],
    *,
    output_format: OutputFormat = "text",
    files_checked: int = 0,
    stream: TextIO | None = None,
    summary_stream: TextIO | None = None,
) -> None:
    """Print every problem in a stable order, then (for text) a one-line summary after them."""
    out = stream or sys.stdout
    ordered = sort_problems(list(problems))
    if output_format == "json":
        document = {
            "files_checked": files_checked,
            "errors": sum(1 for p in ordered if p.is_error),
            "warnings": sum(1 for p in ordered if not p.is_error),
            "problems": [problem_as_json(p) for p in ordered],
        }
        out.write(json.dumps(document, indent=2) + "\n")
        return
    formatter = format_github if output_format == "github" else format_text
    for problem in ordered:
        out.write(formatter(problem) + "\n")
    if output_format == "text":
        # The summary goes with the problems (one stream, whole lines): written to another stream
        # it can land in the middle of the last problem's line when both are read together.
        (summary_stream or out).write(summary_line(ordered, files_checked) + "\n")
        out.flush()
