"""The orchestrator: load a repository, run every check on it, return what later stages reuse.

Loading (``generator.loading.repository``) reads files into records and reports the problems it meets
reading them, and ``generator.jira.snapshot`` whether the Jira snapshot reads as the build will
read it. The checks (``generator.checks.rules`` across records, ``generator.dataids`` on the lists
the campaigns name) are functions of what was loaded. ``validate`` runs them in that order and
returns one value, ``Validated``: the repository with every problem, and the DataId lists the
checks read, so the site and ``campaigns bps`` reuse them instead of reading a million rows again.
Nothing is left on the ``Repository`` for a later stage to find.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from generator.checks import rules
from generator.dataids.repository_lists import check_repository_lists
from generator.dataids.setops import ListCache
from generator.errors import InvalidRecords, Problem
from generator.jira.snapshot import snapshot_problems
from generator.loading.repository import Repository, load_repository, referenced_list_files
from generator.model.dataid_lists import gc_paused


@dataclass(frozen=True)
class Validated:
    """A loaded and checked repository: ``repository.problems`` holds every problem found."""

    repository: Repository
    lists: ListCache  # each DataId list the campaigns name, read once by the checks

    @property
    def problems(self) -> list[Problem]:
        return self.repository.problems

    @property
    def files_checked(self) -> int:
        return self.repository.files_checked

    @property
    def has_errors(self) -> bool:
        return self.repository.has_errors


def validate(root: Path) -> Validated:
    """Everything under ``root``, loaded and checked. Never raises for bad input."""
    with gc_paused():  # records stay alive; see gc_paused
        return _validate(root)


def _validate(root: Path) -> Validated:
    loaded = load_repository(root)
    lists = ListCache.of(loaded)
    problems = [*loaded.problems, *snapshot_problems(loaded), *rules.check_repository(loaded)]
    problems.extend(check_repository_lists(loaded, lists))
    checked = replace(
        loaded,
        problems=problems,
        files_checked=loaded.files_checked + len(referenced_list_files(loaded)),
    )
    return Validated(checked, lists)


def validate_or_stop(
    root: Path, *, not_done: str, ignore_rules: frozenset[str] = frozenset()
) -> Validated:
    """``validate``, for commands that need valid records: raises ``InvalidRecords`` (carrying
    the problems) when any error is left once ``ignore_rules`` are set aside; ``not_done`` says
    what was not done ("the site was not built")."""
    validated = validate(root)
    problems = [p for p in validated.problems if p.rule not in ignore_rules]
    if any(p.is_error for p in problems):
        raise InvalidRecords(problems, validated.files_checked, not_done=not_done)
    return validated
