"""What a built page's bytes are made of: the theme's shell (head, header, navigation, table of
contents, footer and scripts) and the content (the ``<article>``), for the benchmark's
``browser`` part and for anyone weighing a page by hand::

    python bench/pageweight.py site/campaigns/<id>/index.html
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

# Where each part of a Material page starts, in page order; a part runs to the next one found.
MARKS = (
    ("head", "<head"),
    ("header", '<header class="md-header'),
    ("navigation", '<div class="md-sidebar md-sidebar--primary'),
    ("table of contents", '<div class="md-sidebar md-sidebar--secondary'),
    ("content", '<article class="md-content__inner'),
    ("footer and scripts", "</article>"),
)
SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def breakdown(html: str) -> dict[str, int]:
    """Bytes (UTF-8) per part of the page, plus the inline SVG they hold; parts in page order."""
    found = sorted((html.find(mark), name) for name, mark in MARKS if html.find(mark) >= 0)
    parts: dict[str, int] = {}
    if found and found[0][0] > 0:
        parts["doctype"] = len(html[: found[0][0]].encode())
    for (start, name), (end, _) in zip(found, [*found[1:], (len(html), "")], strict=True):
        parts[name] = len(html[start:end].encode())
    parts["inline SVG (within the above)"] = sum(len(s.encode()) for s in SVG.findall(html))
    return parts


def shell_and_content(html: str) -> tuple[int, int]:
    parts = breakdown(html)
    content = parts.get("content", 0)
    total = len(html.encode())
    return total - content, content


def main(argv: list[str]) -> int:
    for name in argv:
        html = Path(name).read_text(encoding="utf-8")
        print(f"{name}: {len(html.encode()):,} bytes")
        for part, size in breakdown(html).items():
            print(f"  {part:32s}{size:>9,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
