"""Problems found in user input, and the one error type users ever see.

Problems are data: loaders and checks collect them across every file and return them, so one
bad file never hides the others. Reporters (``generator.reporting``) do all the printing. The CLI
maps ``UserError`` and the presence of problems to exit codes in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from typing import Literal

Severity = Literal["error", "warning"]


class ExitCode(IntEnum):
    OK = 0
    INVALID_INPUT = 1  # the user's files (or a remote service) are wrong
    USAGE = 2  # the command line is wrong
    INTERNAL = 3  # a bug in this program
    INTERRUPTED = 130


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file.

    ``line`` and ``col`` are 1-based; 0 means "the whole file" (for example a missing file).
    ``hint`` says what to do about it, when we know.
    """

    path: str
    line: int
    col: int
    message: str
    hint: str | None = None
    severity: Severity = "error"
    rule: str = field(default="", compare=False)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_problems(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.col, p.message))


class UserError(Exception):
    """Something the user can fix; printed as ``path:line:col: error: message`` without a traceback.

    A command raises it for a single fatal mistake (bad option, unreadable file, Jira refused us);
    many problems at once travel as a list of ``Problem`` instead.
    """

    def __init__(
        self,
        message: str,
        *,
        hint: str | None = None,
        path: str = "",
        line: int = 0,
        col: int = 0,
        exit_code: ExitCode = ExitCode.INVALID_INPUT,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.path = path
        self.line = line
        self.col = col
        self.exit_code = exit_code

    def as_problem(self) -> Problem:
        return Problem(self.path or "campaigns", self.line, self.col, self.message, self.hint)


class UsageError(UserError):
    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint, exit_code=ExitCode.USAGE)


class InvalidRecords(UserError):
    """The records have errors, so a command that needs valid records stops before its work.

    The problems travel with the error: ``cli.main`` reports every one of them (as ``campaigns
    validate`` would), and the MkDocs plugin shows them in the served page."""

    def __init__(self, problems: list[Problem], files_checked: int, *, not_done: str) -> None:
        errors = sum(1 for p in problems if p.is_error)
        super().__init__(
            f"the records have {errors} error(s); {not_done}",
            hint="fix them (campaigns validate lists them) and run the command again",
        )
        self.problems = problems
        self.files_checked = files_checked
