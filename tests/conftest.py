"""Options shared by the whole suite. Folder-specific fixtures live in each folder's conftest."""

from __future__ import annotations

import pytest
from hypothesis import settings

# No per-example deadlines: speed is measured in the benchmark, not in timed tests, and on a
# busy machine (CI, several jobs on two cores) a deadline only makes property tests flaky.
settings.register_profile("notebook", deadline=None)
settings.load_profile("notebook")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="rewrite expected-output files (golden Markdown, expected messages) instead of comparing",
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))
