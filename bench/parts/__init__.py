"""The parts of the benchmark (startup, validate, site, browser, lists, jira, bps), by theme."""

from __future__ import annotations

from collections.abc import Callable

from bench.parts import bps, lists, site, validate
from bench.parts import jira as jira_part
from bench.parts.core import Bench

RUNNERS: dict[str, Callable[[Bench], None]] = {
    "startup": validate.startup,
    "validate": validate.validate,
    "site": site.site,
    "browser": site.browser,
    "lists": lists.lists,
    "jira": jira_part.jira,
    "bps": bps.bps,
}


def run_part(bench: Bench, name: str) -> None:
    RUNNERS[name](bench)


__all__ = ["RUNNERS", "Bench", "run_part"]
