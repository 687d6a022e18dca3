"""The lineage graph drawn at build time as inline SVG (no client-side library; timelines are
HTML: timeline.py).

The graph is a star around the page's campaign: what it comes from on the left (its parent, the
campaigns whose collections it reads), the campaign itself in the middle (bold, thick border),
what comes from it on the right (its children, the campaigns that read its output). Each side is
a column of boxes, one per related campaign; a campaign related in several ways (a child that
also reads the output) gets one box as tall as its edges, each edge one horizontal arrow:
dashed for derivation, solid and labelled with the collection for data.

There are no font metrics at build time, so labels are drawn in a monospace font (set in
notebook.css) and boxes sized by character cells (0.6 em each; two for anything but ASCII);
a text that could be wider than its box in some other font also gets ``textLength`` (the
browser squeezes it into its box). A long collection takes two lines, one above and one below
its arrow; very long texts are shortened in the middle with "…": the list under the graph has
them whole. Colours, lines and fonts are CSS classes (``.cn-lg`` in
notebook.css), so dark mode and print restyle the drawing; the SVG holds no ``style``, script
or link. Record text reaches it only through ``escaping.escape_html``.

The list under the graph names every relation with a link, so the drawing is ``aria-hidden``:
a screen reader would only hear the same names twice, without the links.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from generator.escaping import escape_html

FONT_PX = 12  # campaign ids (notebook.css: .cn-lg)
LABEL_PX = 11  # collections on the arrows (notebook.css: .cn-lg .l)
# px per character cell: monospace fonts draw ASCII 0.6 em wide (DejaVu Sans Mono, Liberation
# Mono, Menlo 0.602 em; Consolas 0.55 em); a little more, so that textLength rarely stretches.
CELL = 0.61 * FONT_PX
LABEL_CELL = 0.61 * LABEL_PX
BOX = 26  # box height
ROW = 34  # one edge per row: a box and the space under it (even: rows centre on whole pixels)
PAD = 8  # inside a box, each side of its text
MIN_BOX = 96
MIN_GAP = 56  # between columns: room for an arrow
MARGIN = 3  # around the drawing: half the focus box's 3 px border lies outside it
BELOW = 4  # more under the last row: room for the descenders of a label's second line
MAX_ID_CELLS = 48
# A collection longer than a line is split in two, at the "/" (or "." "_" "-") nearest its
# middle: one line above its arrow, one below, so that the column between boxes stays narrow.
LABEL_LINE_CELLS = 24
MAX_LABEL_CELLS = 32  # of each line
SEPARATORS = "/._-"
ARROW = (
    '<marker id="cn-la" viewBox="0 0 6 6" refX="6" refY="3" markerWidth="6" markerHeight="6"'
    ' orient="auto"><path d="M0 0L6 3 0 6z"/></marker>'
)


@dataclass(frozen=True, slots=True)
class Edge:
    """One relation of the page's campaign, drawn as one arrow."""

    other: str  # the related campaign's id
    outgoing: bool  # from the page's campaign (children, readers of its output), else into it
    label: str = ""  # the collection; "" for derivation
    dashed: bool = False  # derivation


def cells(value: str) -> int:
    """Character cells ``value`` takes in a monospace font, counted generously: one per
    printable ASCII character, none for combining and invisible format characters, two for
    anything else (East Asian wide ones take two; others are wider in many fallback fonts)."""
    if value.isascii():
        return len(value)
    count = 0
    for character in value:
        if character.isascii():
            count += 1
        elif unicodedata.combining(character) or unicodedata.category(character) == "Cf":
            continue
        else:
            count += 2
    return count


def shortened(value: str, limit: int) -> str:
    """``value`` in at most ``limit`` cells: its start and its end with "…" between (the end of a
    collection or an id is as telling as its start)."""
    if cells(value) <= limit:
        return value
    room = limit - 2  # "…" counts two cells (not ASCII)
    head: list[str] = []
    tail: list[str] = []
    used = 0
    for character in value:
        if used + cells(character) > (room + 1) // 2:
            break
        head.append(character)
        used += cells(character)
    for character in reversed(value[len(head) :]):
        if used + cells(character) > room:
            break
        tail.append(character)
        used += cells(character)
    return "".join(head) + "…" + "".join(reversed(tail))


def label_lines(label: str) -> list[str]:
    """A collection as one or two lines, each at most ``MAX_LABEL_CELLS``."""
    if cells(label) <= LABEL_LINE_CELLS:
        return [label]
    middle = len(label) / 2
    cuts = [index + 1 for index, character in enumerate(label[:-1]) if character in SEPARATORS]
    cut = min(cuts, key=lambda index: abs(index - middle), default=round(middle))
    return [shortened(label[:cut], MAX_LABEL_CELLS), shortened(label[cut:], MAX_LABEL_CELLS)]


def _text(x: int, y: int, value: str, cell: float, font: int, room: int, css: str = "") -> str:
    """A ``<text>`` centred on (x, y); given ``textLength`` when it could be wider than ``room``
    in a font other than the monospace one it was sized for (up to 1 em a character)."""
    width = round(cells(value) * cell)
    fit = (
        f' textLength="{width}" lengthAdjust="spacingAndGlyphs"'
        if cells(value) * font > room
        else ""
    )
    attributes = f' class="{css}"' if css else ""
    return f'<text{attributes} x="{x}" y="{y}"{fit}>{escape_html(value)}</text>'


def _side(edges: list[Edge]) -> dict[str, list[Edge]]:
    """Edges grouped by the related campaign, in the order of their first edge."""
    grouped: dict[str, list[Edge]] = {}
    for edge in edges:
        grouped.setdefault(edge.other, []).append(edge)
    return grouped


def lineage_svg(focus: str, edges: list[Edge]) -> str:
    """The graph of ``focus`` (the page's campaign id) and its ``edges``, as one line of SVG."""
    left = _side([edge for edge in edges if not edge.outgoing])
    right = _side([edge for edge in edges if edge.outgoing])
    focus_text = shortened(focus, MAX_ID_CELLS)
    names = {other: shortened(other, MAX_ID_CELLS) for other in [*left, *right]}
    labels = {edge: label_lines(edge.label) for edge in edges if edge.label}

    def column(side: dict[str, list[Edge]]) -> int:
        widest = max((cells(names[other]) for other in side), default=0)
        return max(MIN_BOX, round(widest * CELL) + 2 * PAD) if side else 0

    def gap(side: dict[str, list[Edge]]) -> int:
        widest = max(
            (cells(line) for es in side.values() for e in es for line in labels.get(e, [])),
            default=0,
        )
        return max(MIN_GAP, round(widest * LABEL_CELL) + 2 * PAD) if side else 0

    left_width, right_width = column(left), column(right)
    left_gap, right_gap = gap(left), gap(right)
    focus_width = max(MIN_BOX, round(cells(focus_text) * CELL) + 2 * PAD)
    rows = max(sum(map(len, left.values())), sum(map(len, right.values())), 1)
    focus_x = MARGIN + left_width + left_gap
    right_x = focus_x + focus_width + right_gap
    width = right_x + right_width + MARGIN
    height = 2 * MARGIN + BELOW + (rows - 1) * ROW + BOX
    focus_height = (rows - 1) * ROW + BOX
    parts = [
        f'<svg class="cn-lg" viewBox="0 0 {width} {height}" width="{width}" height="{height}"'
        f' aria-hidden="true">{ARROW}',
        f'<rect class="f" x="{focus_x}" y="{MARGIN}" width="{focus_width}"'
        f' height="{focus_height}"/>',
        _text(
            focus_x + focus_width // 2,
            MARGIN + focus_height // 2,
            focus_text,
            CELL,
            FONT_PX,
            focus_width - 4,
            "f",
        ),
    ]
    for side, box_x, box_width, gap_x, gap_width in (
        (left, MARGIN, left_width, MARGIN + left_width, left_gap),
        (right, right_x, right_width, focus_x + focus_width, right_gap),
    ):
        # The shorter side is centred against the longer one (ROW is even: whole pixels).
        y = MARGIN + (rows - sum(map(len, side.values()))) * ROW // 2
        for other, its_edges in side.items():
            box_height = (len(its_edges) - 1) * ROW + BOX
            parts.append(f'<rect x="{box_x}" y="{y}" width="{box_width}" height="{box_height}"/>')
            parts.append(
                _text(
                    box_x + box_width // 2,
                    y + box_height // 2,
                    names[other],
                    CELL,
                    FONT_PX,
                    box_width - 4,
                )
            )
            for number, edge in enumerate(its_edges):
                line_y = y + number * ROW + BOX // 2
                # Arrows end just outside the box they point at (the focus border is 3 px).
                start, end = gap_x + 1, gap_x + gap_width - 2
                dashed = ' class="d"' if edge.dashed else ""
                parts.append(f'<path{dashed} d="M{start} {line_y}H{end}"/>')
                # Above the arrow, and a second line below it (rows leave room for both).
                for line, offset in zip(labels.get(edge, []), (-8, 9), strict=False):
                    parts.append(
                        _text(
                            gap_x + gap_width // 2,
                            line_y + offset,
                            line,
                            LABEL_CELL,
                            LABEL_PX,
                            gap_width - 4,
                            "l",
                        )
                    )
            y += len(its_edges) * ROW
    parts.append("</svg>")
    return "".join(parts)
