"""A campaign page renders its Mermaid diagrams offline, from the script bundled with the site."""

from __future__ import annotations

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


def test_campaign_page_renders_every_mermaid_diagram(page: Any, served_site: ServedSite) -> None:
    source = (served_site.site.root / RERUN_PAGE / "index.html").read_text(encoding="utf-8")
    expected = source.count('<pre class="mermaid">')
    assert expected >= 1, "the campaign page should carry at least its workflow timeline"

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
