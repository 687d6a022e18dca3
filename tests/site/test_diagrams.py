"""The lineage graph as SVG: a star of boxes and arrows, sized from character counts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from generator.escaping import strip_controls
from generator.site.diagrams import (
    CELL,
    FONT_PX,
    LABEL_CELL,
    MAX_ID_CELLS,
    MAX_LABEL_CELLS,
    Edge,
    cells,
    label_lines,
    lineage_svg,
    shortened,
)

FOCUS = "dr1-mini-drp-rerun-20261103-t5hw"
COLLECTION = "LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300"
EDGES = [
    Edge("dr1-mini-drp-20261006-q8nc", outgoing=False, dashed=True),  # parent
    Edge("calib-20260901-a1b2", outgoing=False, label="LSSTCam/calib/DM-50000"),  # read
    Edge("dr1-full-drp-20261120-w2yd", outgoing=True, dashed=True),  # child ...
    Edge("dr1-full-drp-20261120-w2yd", outgoing=True, label=COLLECTION),  # ... reads the output
    Edge("coadd-test-20261201-zz99", outgoing=True, label=COLLECTION),
]


def parse(svg: str) -> ET.Element:
    """The drawing as XML (what the page's HTML parser builds from it, for this subset)."""
    return ET.fromstring(svg)


def boxes(root: ET.Element) -> list[dict[str, int]]:
    return [
        {name: int(rect.get(name, "")) for name in ("x", "y", "width", "height")}
        for rect in root.iter("rect")
    ]


def arrows(root: ET.Element) -> list[ET.Element]:
    return root.findall("path")  # the arrowhead's path is inside <marker>


def test_the_graph_is_a_star_with_the_page_campaign_in_the_middle() -> None:
    root = parse(lineage_svg(FOCUS, EDGES))
    assert root.get("aria-hidden") == "true" and root.get("class") == "cn-lg"
    texts = [text.text for text in root.iter("text") if text.get("class") != "l"]
    # One box per related campaign and side (the child that also reads has one box), and the focus.
    assert len(boxes(root)) == 1 + 2 + 2
    assert texts[0] == FOCUS and texts.count("dr1-full-drp-20261120-w2yd") == 1
    lines = arrows(root)
    assert len(lines) == len(EDGES)
    assert [line.get("class") for line in lines].count("d") == 2  # derivation: dashed
    labels = [text.text for text in root.iter("text") if text.get("class") == "l"]
    # A long collection takes two lines, split at the "/" nearest its middle.
    assert labels == [
        "LSSTCam/calib/DM-50000",
        *["LSSTCam/runs/DRP/DR1/", "w_2026_44/DM-51300"] * 2,
    ]
    focus = boxes(root)[0]
    assert root.find("rect").get("class") == "f"  # the first box is the page's campaign
    # Left boxes end before the focus begins, right boxes start after it ends; every arrow is
    # horizontal, inside the focus box's height, and touches the focus box on its side.
    left, right = boxes(root)[1:3], boxes(root)[3:]
    assert all(box["x"] + box["width"] < focus["x"] for box in left)
    assert all(box["x"] > focus["x"] + focus["width"] for box in right)
    for line in lines:
        start, y, end = map(int, re.fullmatch(r"M(\d+) (\d+)H(\d+)", line.get("d", "")).groups())
        assert focus["y"] < y < focus["y"] + focus["height"]
        assert abs(end - focus["x"]) <= 3 or abs(start - (focus["x"] + focus["width"])) <= 3
    # The child that also reads the output: one box spanning its two arrows.
    child = right[0]
    assert child["height"] > 2 * boxes(root)[2]["height"] - 1


def test_one_sided_graphs_have_no_empty_column() -> None:
    root = parse(lineage_svg(FOCUS, [Edge("child-1", outgoing=True, dashed=True)]))
    focus, child = boxes(root)
    assert focus["x"] <= 3  # nothing on the left
    assert int(root.get("width", "")) == child["x"] + child["width"] + 3


def test_coordinates_are_whole_numbers_and_nothing_is_styled_inline() -> None:
    svg = lineage_svg(FOCUS, EDGES)
    assert not re.search(r"\d\.\d", svg)
    assert "style" not in svg and "<script" not in svg and "href" not in svg
    assert "> <" not in svg and "\n" not in svg  # bytes: no whitespace between elements


def test_boxes_are_wide_enough_for_their_text() -> None:
    long_id = "a-" * 40 + "end"
    edges = [*EDGES, Edge(long_id, outgoing=False, label="x" * 120 + "tail")]
    root = parse(lineage_svg("日本語のキャンペーン-20261103", edges))
    rects = list(root.iter("rect"))
    node_texts = [text for text in root.iter("text") if text.get("class") != "l"]
    for rect, text in zip(rects, node_texts, strict=True):
        width = int(rect.get("width", ""))
        shown = text.text or ""
        assert cells(shown) * CELL <= width - 8, shown  # the estimate, with padding
        # Whatever the font (up to 1 em a cell), a text fits: it is short, or squeezed into its box.
        if cells(shown) * FONT_PX > width - 4:
            assert int(text.get("textLength", "")) <= width
            assert text.get("lengthAdjust") == "spacingAndGlyphs"
        assert abs(int(text.get("x", "")) - (int(rect.get("x", "")) + width // 2)) <= 1
    long_labels = [text for text in root.iter("text") if "xxx" in (text.text or "")]
    assert [text.text for text in long_labels] == label_lines("x" * 120 + "tail")
    for line in long_labels:
        assert line.get("class") == "l" and "…" in (line.text or "")
        assert cells(line.text or "") <= MAX_LABEL_CELLS
        assert int(line.get("textLength", "")) <= round(MAX_LABEL_CELLS * LABEL_CELL)
    assert (long_labels[1].text or "").endswith("tail")
    assert any(text.text == shortened(long_id, MAX_ID_CELLS) for text in node_texts)


def test_long_texts_keep_their_start_and_end() -> None:
    assert shortened("short", 10) == "short"
    cut = shortened("LSSTCam/runs/DRP/DR1/w_2026_44/DM-51300/extra/parts", 30)
    assert cut.startswith("LSSTCam/runs/") and cut.endswith("/extra/parts") and "…" in cut
    assert cells(cut) <= 30
    assert cells(shortened("漢字" * 30, 20)) <= 20


def test_long_collections_take_two_lines_split_near_the_middle() -> None:
    assert label_lines("LSSTCam/calib/DM-50000") == ["LSSTCam/calib/DM-50000"]
    assert label_lines(COLLECTION) == ["LSSTCam/runs/DRP/DR1/", "w_2026_44/DM-51300"]
    assert label_lines("u_someone_tickets_DM-12345_attempt") == [
        "u_someone_tickets_",
        "DM-12345_attempt",
    ]
    assert "".join(label_lines("n" * 30)) == "n" * 30  # no separator: cut in the middle


def test_cells_count_wide_and_other_non_ascii_generously() -> None:
    assert cells("abc") == 3
    assert cells("日本") == 4
    assert cells("é") == 2 and cells("e\u0301") == 1  # a combining accent takes no cell
    assert cells("a\u200bb\u202e") == 2  # zero-width and direction marks take none


# Any text XML can hold (the test parses the SVG as XML; HTML takes these two as well).
TEXT = st.text(
    st.characters(exclude_characters="\ufffe\uffff", exclude_categories=("Cs",)), max_size=60
)


@given(st.lists(TEXT, min_size=1, max_size=6), TEXT)
def test_any_text_stays_text(names: list[str], focus: str) -> None:
    """Whatever the record holds, the SVG parses to the same elements and the text comes back."""
    edges = [
        Edge(name + str(number), outgoing=bool(number % 2), label=name, dashed=not number % 3)
        for number, name in enumerate(names)
    ]
    root = parse(lineage_svg(focus, edges))
    assert {element.tag for element in root.iter()} <= {"svg", "marker", "path", "rect", "text"}
    shown = [text.text or "" for text in root.iter("text")]
    assert shown[0] == strip_controls(shortened(focus, MAX_ID_CELLS))
    assert len(arrows(root)) == len(edges)
