"""Reporters: the only place that prints problems. Text, GitHub annotations, or JSON."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Literal, TextIO

from generator.errors import Problem, sort_problems

OutputFormat = Literal["text", "github", "json"]


def format_text(problem: Problem) -> str:
    """``path:line:col: error: message (hint: ...)``, the form editors and CI logs understand.

    Without a position (a whole file, or the command line) it is ``path: error: message``.
    """
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
    command = "error" if problem.is_error else "warning"
    properties = [f"file={_escape_github_property(problem.path)}"]
    if problem.line:
        properties.append(f"line={problem.line}")
    if problem.col:
        properties.append(f"col={problem.col}")
    title = f"campaigns validate: {problem.rule}" if problem.rule else "campaigns validate"
    properties.append(f"title={_escape_github_property(title)}")
    message = problem.message + (f"\nhint: {problem.hint}" if problem.hint else "")
    return f"::{command} {','.join(properties)}::{_escape_github_data(message)}"


def problem_as_json(problem: Problem) -> dict[str, object]:
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
