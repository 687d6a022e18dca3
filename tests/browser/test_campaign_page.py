"""A campaign page draws its lineage graph as SVG written by the generator: visible, in light and
dark mode, every text inside its box, a wide graph scrolling in its own box on a phone, and no
Mermaid anywhere (a team's docs page with a Mermaid fence is test_hostile.py's). The helpers for
Mermaid diagrams (drawn into closed shadow roots) are shared with that test."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

RERUN_PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"

# Material draws each Mermaid diagram into a *closed* shadow root, out of reach of selectors.
# Record the roots it creates so a test can look inside; the page behaves exactly as for a reader.
EXPOSE_SHADOW_ROOTS = """
window.__cnShadowRoots = [];
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) {
  const root = attachShadow.call(this, init);
  window.__cnShadowRoots.push(root);
  return root;
};
"""

RENDERED_DIAGRAMS = """() => window.__cnShadowRoots
  .filter(root => root.host.classList.contains('mermaid'))
  .map(root => {
    const svg = root.querySelector('svg');
    return {svg: Boolean(svg), shapes: svg ? svg.querySelectorAll('rect, path, line').length : 0,
            text: root.textContent};
  })"""

RENDER_ALL = """async (sources) => {
  const failures = [];
  for (const [index, source] of sources.entries()) {
    try {
      await window.mermaid.render(`cn-check-${index}`, source);
    } catch (error) {
      failures.push(`${error.message || error}\\n${source}`);
    }
  }
  return failures;
}"""

# The drawing as the browser lays it out: each text with the box it sits in (the rect before it),
# the arrows with their dash pattern and arrowhead, the colours the stylesheet gave them.
LINEAGE_GRAPH = """() => {
  const svg = document.querySelector('article svg.cn-lg');
  if (!svg) return null;
  const box = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll('text')].map(text => {
    const rect = text.classList.contains('l') ? null : text.previousElementSibling.getBBox();
    const own = text.getBBox();
    return {text: text.textContent, label: text.classList.contains('l'),
            left: own.x, right: own.x + own.width, top: own.y, bottom: own.y + own.height,
            box: rect && {left: rect.x, right: rect.x + rect.width, top: rect.y,
                          bottom: rect.y + rect.height},
            fill: getComputedStyle(text).fill, family: getComputedStyle(text).fontFamily};
  });
  const arrows = [...svg.querySelectorAll(':scope > path')].map(path => ({
    dashed: getComputedStyle(path).strokeDasharray !== 'none',
    marker: getComputedStyle(path).markerEnd, stroke: getComputedStyle(path).stroke}));
  const scroller = svg.parentElement;
  return {width: box.width, height: box.height, visible: box.width > 0 && box.height > 0,
          hidden: svg.getAttribute('aria-hidden'), focusable: svg.querySelectorAll('a, [tabindex]').length,
          texts, arrows, background: getComputedStyle(document.body).backgroundColor,
          scrolls: scroller.scrollWidth > scroller.clientWidth,
          pageOverflows: document.documentElement.scrollWidth > window.innerWidth + 1};
}"""


def luminance(colour: str) -> float:
    """Relative luminance of a computed ``rgb(r, g, b)`` / ``rgba(...)`` colour."""
    numbers = colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]

    def channel(value: str) -> float:
        c = float(value) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(n) for n in numbers)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_lineage_graph_is_drawn_in_the_page(
    page: Any, served_site: ServedSite, scheme: str
) -> None:
    source = (served_site.site.root / RERUN_PAGE / "index.html").read_text(encoding="utf-8")
    assert "mermaid" not in source  # no diagram source, no script tag
    assert not (served_site.site.root / "assets" / "notebook" / "vendor").exists()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(served_site.url(RERUN_PAGE))
    if scheme == "slate":  # Material's toggle (test_dark_and_print) sets this attribute
        page.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'slate')")
    graph = page.evaluate(LINEAGE_GRAPH)
    assert graph and graph["visible"], graph
    # The list under the graph carries the relations, with links: the drawing is hidden from
    # assistive technology and holds nothing to focus.
    assert graph["hidden"] == "true" and graph["focusable"] == 0
    names = [t["text"] for t in graph["texts"] if not t["label"]]
    assert names == [
        "dr1-mini-drp-rerun-20261103-t5hw",
        "dr1-mini-drp-20261006-q8nc",
        "dr1-full-drp-20261120-w2yd",
    ]
    labels = [t["text"] for t in graph["texts"] if t["label"]]
    assert labels == ["LSSTCam/runs/DRP/DR1/", "w_2026_44/DM-51300"]  # two lines, at a "/"
    assert not graph["scrolls"], graph["width"]  # a usual graph fits a laptop's page
    for text in graph["texts"]:
        assert "mono" in text["family"].lower() or "consolas" in text["family"].lower(), text
        if text["box"]:  # drawn inside its box, whatever font the browser picked
            assert text["box"]["left"] <= text["left"] and text["right"] <= text["box"]["right"]
            assert text["box"]["top"] <= text["top"] and text["bottom"] <= text["box"]["bottom"]
    # Parent and child: dashed; the collection read: solid. Each with its arrowhead.
    assert [arrow["dashed"] for arrow in graph["arrows"]] == [True, True, False]
    assert all("cn-la" in arrow["marker"] for arrow in graph["arrows"]), graph["arrows"]
    # Text that reads on the scheme's background: dark on light, light on dark.
    text_light = luminance(graph["texts"][0]["fill"])
    background_light = luminance(graph["background"])
    assert (text_light < 0.2) if scheme == "default" else (text_light > 0.5), graph
    assert abs(text_light - background_light) > 0.5
    assert not [url for url in requests if "mermaid" in url]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("article svg.cn-lg").screenshot(path=str(SCREENSHOTS / f"lineage-{scheme}.png"))


def test_a_wide_lineage_graph_scrolls_in_its_box_on_a_phone(
    page: Any, served_site: ServedSite
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(served_site.url(RERUN_PAGE))
    graph = page.evaluate(LINEAGE_GRAPH)
    assert graph["width"] > 390  # drawn at its size, text readable ...
    assert graph["scrolls"] and not graph["pageOverflows"]  # ... in a box that scrolls sideways
