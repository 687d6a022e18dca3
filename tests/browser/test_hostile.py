"""The hostile corpus (hostile.py) built once with real `mkdocs build`, loaded in headless Chromium:
no script from a record, a list file, a config value, a Jira snapshot or a commit ever runs.

Every page is checked twice: as published (with its Content-Security-Policy) and with the policy
bypassed, so that the sanitizer and the escaping are proven on their own. On each page every
link, button and summary is hovered and clicked (navigations to other documents answered with
204, so the page stays and a `javascript:` URL would run here); then no dialog may have opened,
no payload global may be set, no element may carry an event-handler attribute or a script URL,
no script may be other than the site's own files, and every diagram must have been drawn.
The workflow system's answers (run names, task labels, submit paths, operators) come in through a
real `campaigns bps sync`; they must reach the campaign pages, shown as the text they are.
"""

from __future__ import annotations

import contextlib
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import NetworkLog, build_site, new_guarded_context, serve_folder
from tests.browser.hostile import (
    HOSTILE_LIST_NAME,
    TEAM_PAGE,
    WMS_TEXT,
    HostileRepository,
    build_hostile_repository,
)
from tests.browser.test_campaign_page import EXPOSE_SHADOW_ROOTS, RENDER_ALL, RENDERED_DIAGRAMS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NOW = "2026-11-24T12:00Z"


@dataclass
class HostileSite:
    repository: HostileRepository
    root: Path  # the built site
    base_url: str

    def pages(self) -> list[str]:
        """Every page that shows something from the corpus (relative URLs)."""
        ids = self.repository.campaign_ids
        stem = HOSTILE_LIST_NAME.rsplit(".", 1)[0]
        return [
            "",
            "campaigns/",
            *[f"campaigns/{c}/" for c in ids],
            "productions/",
            "productions/hostile/",
            "dataids/",
            "dataids/hostile-reasons/",
            # Refused by validate (its name has unsafe characters) unless the rules change.
            *([f"dataids/{stem}/"] if (self.root / "dataids" / stem).is_dir() else []),
            "jira/",
            "operators/",
            "compare/?a=hostile-20261124-h000&b=hostile-20261124-h001",
            "tags/",
            f"{TEAM_PAGE}/",  # a team's docs page with a Mermaid diagram
            # The search (Pagefind's UI) shows parts of the pages as HTML: search for the payloads.
            "?q=pwned",
            "?q=onerror+script",
        ]


@pytest.fixture(scope="session")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HostileSite]:
    work = tmp_path_factory.mktemp("hostile")
    repository = build_hostile_repository(work / "repo")
    site = work / "site"
    build_site(repository.root, site, CAMPAIGNS_NOW=NOW)
    with serve_folder(site, "hostile-site") as base_url:
        yield HostileSite(repository, site, base_url)


def test_validate_refuses_what_the_build_leaves_out(hostile_site: HostileSite) -> None:
    refused = hostile_site.repository.refused
    # javascript:/data: and upper-case schemes in links: refused by validate, with the field.
    assert "campaigns/hostile-20261124-h902.yaml" in refused
    assert any(
        "javascript:" in message for message in refused["campaigns/hostile-20261124-h902.yaml"]
    )
    # Everything else validate accepts, so it is in the build.
    # (The campaigns with unsafe URLs, refs or list names, h900-h902, are refused above.)
    assert len(hostile_site.repository.campaign_ids) >= 6
    for path, messages in refused.items():
        assert messages, path


def test_the_workflow_systems_text_is_shown_as_text(
    browser: Any, hostile_site: HostileSite
) -> None:
    """What `campaigns bps sync` heard is on the campaign page, every character as it was sent.

    (That nothing in it runs is test_no_script_from_the_corpus_runs, on the same pages.)"""
    campaign = hostile_site.repository.campaign_ids[0]
    built = (hostile_site.root / "campaigns" / campaign / "index.html").read_text(encoding="utf-8")
    assert 'id="live-progress"' in built and 'id="runs-not-in-the-record-yet"' in built
    assert "<b onmouseover" not in built and "<img src=x" not in built
    log = NetworkLog()
    context = new_guarded_context(browser, log)
    try:
        page = context.new_page()
        page.goto(f"{hostile_site.base_url}campaigns/{campaign}/")
        shown = page.locator("article").inner_text()
    finally:
        context.close()
    expected = {**WMS_TEXT, "unlisted_id": WMS_TEXT["unlisted_id"] + "0"}
    missing = {field: value for field, value in expected.items() if value not in shown}
    assert missing == {}, f"not shown as text: {missing}"
    log.assert_clean()


# Hover and click everything a reader could: links, buttons, summaries, form controls, and any
# element that somehow carries a handler. Run in the page, so a closed dialog cannot block it.
INTERACT = """async () => {
  const selector = 'a, button, summary, label, input, select, [tabindex], [onclick], [onmouseover]';
  const elements = Array.from(document.querySelectorAll(selector));
  for (const element of elements) {
    for (const type of ['pointerover', 'mouseover', 'mouseenter', 'mousemove', 'focus', 'focusin']) {
      element.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true}));
    }
    try { element.focus(); } catch (error) {}
    element.click();
    element.dispatchEvent(new MouseEvent('mouseout', {bubbles: true}));
  }
  await new Promise(resolve => setTimeout(resolve, 100));
  return elements.length;
}"""

# What the DOM must never hold, whatever a record says.
DOM_FINDINGS = """(siteOrigin) => {
  const findings = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.trim().toLowerCase().replace(/[\\s\\u0000-\\u001f]/g, '');
      if (name.startsWith('on')) findings.push(`${element.tagName} ${name}=${attribute.value}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'srcdoc'].includes(name)
          && /^(javascript|data|vbscript):/.test(value)) {
        findings.push(`${element.tagName} ${name}=${attribute.value}`);
      }
    }
  }
  for (const tag of ['iframe', 'frame', 'object', 'embed', 'base', 'meta[http-equiv=refresh]']) {
    for (const element of document.querySelectorAll(tag)) findings.push(`<${tag}> ${element.outerHTML.slice(0, 120)}`);
  }
  for (const script of document.querySelectorAll('script')) {
    if (script.type === 'application/json') continue;
    const src = script.getAttribute('src');
    if (!src || new URL(src, location.href).origin !== siteOrigin || !/\\.js$/.test(new URL(src, location.href).pathname)) {
      findings.push(`script ${script.outerHTML.slice(0, 120)}`);
    }
  }
  return findings;
}"""


def _stay_on_page(route: Any) -> None:
    """After the first load, a navigation is answered 204 No Content: the browser stays."""
    route.fulfill(status=204, body="")


@pytest.mark.parametrize("policy", ["as published", "CSP bypassed"])
def test_no_script_from_the_corpus_runs(
    browser: Any, hostile_site: HostileSite, policy: str
) -> None:
    log = NetworkLog()
    context = new_guarded_context(browser, log, bypass_csp=policy == "CSP bypassed")
    dialogs: list[str] = []
    findings: dict[str, list[str]] = {}
    origin = hostile_site.base_url.rstrip("/")
    try:
        context.add_init_script(EXPOSE_SHADOW_ROOTS)
        context.on(
            "page",
            lambda popup: popup.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss())),
        )
        page = context.new_page()
        for path in hostile_site.pages():
            url = hostile_site.base_url + path
            page.goto(url)
            # Material swaps the <pre class="mermaid"> out at once: count them in the built file.
            built = hostile_site.root / path.split("?")[0] / "index.html"
            expected = built.read_text(encoding="utf-8").count('<pre class="mermaid">')
            if "?q=" in path:
                page.locator("#cn-search .pagefind-ui__result").first.wait_for()
            if expected:
                page.wait_for_function(
                    "(n) => window.__cnShadowRoots.filter(r => r.host.classList.contains('mermaid')"
                    " && r.querySelector('svg')).length >= n",
                    arg=expected,
                )
                for diagram in page.evaluate(RENDERED_DIAGRAMS):
                    assert "Syntax error" not in diagram["text"], (path, diagram["text"])
            page.route(
                "**/*",
                lambda route: (
                    _stay_on_page(route)
                    if route.request.is_navigation_request()
                    else route.fallback()
                ),
            )
            page.evaluate(INTERACT)
            # Real pointer hovers too, on what a reader's mouse would meet first.
            for locator in page.locator("article a:visible, article summary:visible").all()[:3]:
                # An element that moved away meanwhile cannot be hovered: skipped.
                with contextlib.suppress(Exception):
                    locator.hover(timeout=300, force=True)
            pwned = page.evaluate("() => [typeof window.__pwned, String(window.__pwned)]")
            assert pwned == ["undefined", "undefined"], f"{path}: a payload ran ({pwned})"
            page_findings = page.evaluate(DOM_FINDINGS, origin)
            if page_findings:
                findings[path] = page_findings
            page.unroute("**/*")
    finally:
        context.close()
    assert dialogs == [], f"a payload opened a dialog: {dialogs}"
    assert findings == {}, f"dangerous markup in the DOM: {findings}"
    # Clicking the theme's footer link starts a navigation outside, which is refused and allowed.
    log.navigations_blocked.clear()
    log.assert_clean()
    assert not Path("/tmp/cn-pwned").exists()


MERMAID_SOURCE = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.DOTALL)


TIMELINE_LABEL = re.compile(r'<p>(<a [^>]*>.*?</a>|<span>.*?</span>)<i class="')


def test_lineage_is_drawn_as_svg_and_only_a_team_page_gets_mermaid(
    browser: Any, hostile_site: HostileSite
) -> None:
    """Campaign pages draw their lineage graphs themselves (SVG, no Mermaid source, no script);
    Mermaid is shipped for the team's docs page that has a Mermaid fence, loaded there only,
    from the site, and its diagram is drawn and valid."""
    campaigns = list((hostile_site.root / "campaigns").glob("*/index.html"))
    graphs = [page for page in campaigns if '<svg class="cn-lg"' in page.read_text("utf-8")]
    assert len(graphs) >= 5
    assert not [page for page in campaigns if "mermaid" in page.read_text("utf-8")]
    assert (hostile_site.root / "assets" / "notebook" / "vendor" / "mermaid.min.js").is_file()
    # The diagram keywords of the corpus (in campaign and workflow names) reach the timelines,
    # which are HTML drawn at build time: there they are text, escaped like any other value.
    labels = [
        html.unescape(re.sub(r"<[^>]+>", "", label))
        for path in hostile_site.root.rglob("*.html")
        for label in TIMELINE_LABEL.findall(path.read_text(encoding="utf-8"))
    ]
    assert any("click c0 href" in label or "classDef" in label for label in labels), labels[:5]
    team_page = (hostile_site.root / TEAM_PAGE / "index.html").read_text(encoding="utf-8")
    sources = [html.unescape(match) for match in MERMAID_SOURCE.findall(team_page)]
    assert len(sources) == 1 and sources[0].startswith("flowchart LR")
    log = NetworkLog()
    context = new_guarded_context(browser, log)
    requests: list[str] = []
    try:
        context.add_init_script(EXPOSE_SHADOW_ROOTS)
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.goto(
            hostile_site.base_url + graphs[0].parent.relative_to(hostile_site.root).as_posix() + "/"
        )
        assert page.locator("article svg.cn-lg").is_visible()
        assert not [url for url in requests if "mermaid" in url]
        page.goto(f"{hostile_site.base_url}{TEAM_PAGE}/")
        page.wait_for_function(
            "() => window.__cnShadowRoots.some(r => r.host.classList.contains('mermaid')"
            " && r.querySelector('svg'))"
        )
        (diagram,) = page.evaluate(RENDERED_DIAGRAMS)
        assert diagram["svg"] and diagram["shapes"] > 0, diagram
        assert "Syntax error" not in diagram["text"] and "coadds" in diagram["text"], diagram
        assert page.locator("pre.mermaid").count() == 0, "the diagram was left as source text"
        mermaid = [url for url in requests if "mermaid" in url]
        assert [url.rsplit("/", 1)[-1] for url in mermaid] == ["mermaid.min.js"]
        assert mermaid[0].startswith(hostile_site.base_url + "assets/")
        assert page.evaluate(RENDER_ALL, sources) == []
    finally:
        context.close()
    log.assert_clean()


def test_the_csp_listener_catches_an_inline_script(browser: Any, hostile_site: HostileSite) -> None:
    """The guard itself can fail: a page of the site with an inline script added is reported."""
    page_source = (hostile_site.root / "tags" / "index.html").read_text(encoding="utf-8")
    probe = hostile_site.root / "cn-csp-probe" / "index.html"
    probe.parent.mkdir(exist_ok=True)
    probe.write_text(
        page_source.replace("</body>", "<script>window.__pwned=1</script></body>"),
        encoding="utf-8",
    )
    log = NetworkLog()
    context = new_guarded_context(browser, log)
    try:
        page = context.new_page()
        page.goto(hostile_site.base_url + "cn-csp-probe/")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => typeof window.__pwned") == "undefined"
    finally:
        context.close()
    assert any("script-src" in violation for violation in log.csp_violations), log.csp_violations
    log.csp_violations.clear()
    log.assert_clean()  # and nothing else went wrong
