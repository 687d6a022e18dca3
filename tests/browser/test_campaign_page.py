"""A campaign page renders its Mermaid diagrams offline, from the script bundled with the site."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import ServedSite

pytestmark = pytest.mark.browser

RERUN_PAGE = "campaigns/dr1-mini-drp-rerun-20261103-t5hw/"

# Material draws each diagram into a *closed* shadow root, out of reach of selectors. Record the
# roots it creates so the test can look inside; the page itself behaves exactly as for a reader.
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


MERMAID_SCRIPT_TAG = re.compile(r'<script src="[^"]*/vendor/mermaid\.min\.js"></script>')


def test_campaign_page_renders_every_mermaid_diagram(page: Any, served_site: ServedSite) -> None:
    source = (served_site.site.root / RERUN_PAGE / "index.html").read_text(encoding="utf-8")
    expected = source.count('<pre class="mermaid">')
    assert expected >= 1, "the campaign page should carry at least its workflow timeline"

    mermaid_requests: list[str] = []
    page.on(
        "request",
        lambda request: mermaid_requests.append(request.url) if "mermaid" in request.url else None,
    )
    # overrides/main.html adds the script to pages with a diagram, and only to them.
    assert len(MERMAID_SCRIPT_TAG.findall(source)) == 1
    page.add_init_script(EXPOSE_SHADOW_ROOTS)
    page.goto(served_site.url(RERUN_PAGE))
    page.wait_for_function(
        f"() => window.__cnShadowRoots.filter(r => r.host.classList.contains('mermaid')).length >= {expected}"
    )
    diagrams = page.evaluate(RENDERED_DIAGRAMS)
    assert len(diagrams) == expected
    for diagram in diagrams:
        assert diagram["svg"] and diagram["shapes"] > 0, diagram
        # Mermaid draws a parse failure as an SVG too, saying so in words.
        assert "Syntax error" not in diagram["text"], diagram["text"]
    assert page.locator("pre.mermaid").count() == 0, "a diagram was left as source text"
    assert [url.rsplit("/", 1)[-1] for url in mermaid_requests] == ["mermaid.min.js"]
    assert mermaid_requests[0].startswith(served_site.url("assets/"))


MERMAID_SOURCE = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.DOTALL)

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


def test_every_diagram_in_the_site_is_valid_mermaid(page: Any, served_site: ServedSite) -> None:
    """Production timelines and lineage graphs too: one page renders every diagram source."""
    sources = [
        html.unescape(match)
        for path in served_site.site.html_files
        for match in MERMAID_SOURCE.findall(path.read_text(encoding="utf-8"))
    ]
    kinds = {source.split(None, 1)[0] for source in sources}
    assert kinds == {"flowchart"}, kinds  # timelines are drawn at build time, not by Mermaid
    # A page with a diagram: overrides/main.html gives it the Mermaid script.
    page.goto(served_site.url(RERUN_PAGE))
    page.wait_for_function("() => window.mermaid && window.mermaid.render")
    assert page.evaluate(RENDER_ALL, sources) == []
