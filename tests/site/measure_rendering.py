"""Timing of the user-Markdown path at hostile sizes (a script, not a test).

    .venv/bin/python tests/site/measure_rendering.py [--fences N] [--journal N]

Times (1) the generator turning the text into page Markdown and (2) the Markdown pass MkDocs runs
on that page (Python-Markdown with the extensions of mkdocs.yml), for a purpose of N ``~~~x``
lines and for a journal of N entries.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator.site.markup import user_markdown
from tests.site.conftest import mkdocs_markdown


def timed(label: str, source: str) -> None:
    start = time.perf_counter()
    page = user_markdown(source)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    mkdocs_markdown().convert(page)
    converted = time.perf_counter() - start
    print(f"{label}: generator {generated:.2f} s, MkDocs Markdown pass {converted:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fences", type=int, default=80_000)
    parser.add_argument("--journal", type=int, default=10_000)
    args = parser.parse_args()
    if args.fences:
        timed(f"purpose of {args.fences:,} '~~~x' lines", "~~~x\n" * args.fences)
    if args.journal:
        entries = [
            f"Entry {n}: **step{n % 5}** done, see [DM-{n}](https://jira.example.org/DM-{n}) and `x_{n}`."
            for n in range(args.journal)
        ]
        start = time.perf_counter()
        pages = "\n\n".join(user_markdown(entry) for entry in entries)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        mkdocs_markdown().convert(pages)
        converted = time.perf_counter() - start
        print(
            f"journal of {args.journal:,} entries: generator {generated:.2f} s, "
            f"MkDocs Markdown pass {converted:.2f} s"
        )


if __name__ == "__main__":
    main()
