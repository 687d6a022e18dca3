"""Fixtures for the DataId list tests: the example repository's dimension universe."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.dataids import Dimension, universe_from_config
from generator.loading.repository import load_config

REPOSITORY = Path(__file__).resolve().parents[2]
CASES = Path(__file__).resolve().parent / "cases"


@pytest.fixture(scope="session")
def universe() -> dict[str, Dimension]:
    """The universe of the example notebook.yaml (with ranges, e.g. detector 0..188)."""
    problems: list[object] = []
    config = load_config(REPOSITORY, problems)  # type: ignore[arg-type]
    assert not problems
    return universe_from_config(config.dimensions)
