"""DataId inclusion and exclusion lists: model, formats, checks and set tools."""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator.errors import Problem

if TYPE_CHECKING:
    from generator.repository import Repository


def check_repository_lists(repository: Repository) -> list[Problem]:
    """Problems in every DataId list the campaigns reference (placeholder until lists land)."""
    return []
