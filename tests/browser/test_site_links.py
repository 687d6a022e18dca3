"""No broken internal link anywhere in the built site: every href and src, anchors included.

Plain Python over the built HTML, no browser: links that scripts build at run time (search
results, the compare table) are covered by the browser tests instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urljoin, urlsplit

if TYPE_CHECKING:
    from conftest import BuiltSite

# Stands in for the site's address when site_url is unset; never contacted.
PLACEHOLDER_SITE_URL = "http://notebook.invalid/"


class PageLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.anchors.add(value)
            elif name in ("href", "src"):
                self.links.append(value)


@dataclass
class LinkReport:
    checked: int = 0
    broken: list[str] = field(default_factory=list)


def parse_page(path: Path) -> PageLinks:
    parser = PageLinks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def check_internal_links(root: Path, pages: list[Path], site_url: str = "") -> LinkReport:
    """Check every internal href/src in `pages` (files under `root`), with its #fragment.

    Internal means relative, root-relative, or absolute under `site_url` (canonical links).
    """
    base = (
        site_url
        if site_url.endswith("/")
        else (site_url + "/" if site_url else PLACEHOLDER_SITE_URL)
    )
    parsed: dict[Path, PageLinks] = {}

    def links_of(path: Path) -> PageLinks:
        if path not in parsed:
            parsed[path] = parse_page(path)
        return parsed[path]

    report = LinkReport()
    for page in pages:
        page_url = base + page.relative_to(root).as_posix()
        for link in links_of(page).links:
            parts = urlsplit(link)
            if parts.scheme in ("mailto", "tel", "data", "javascript"):
                continue
            target = urljoin(page_url, link)
            if not target.startswith(base):
                if not (parts.scheme or parts.netloc):
                    report.broken.append(f"{page.relative_to(root)}: {link} leads outside the site")
                continue  # external: not ours to check, and the tests run offline
            report.checked += 1
            problem = missing_target(root, target[len(base) :], links_of)
            if problem:
                report.broken.append(f"{page.relative_to(root)}: {link} {problem}")
    return report


def missing_target(root: Path, site_path: str, links_of: Callable[[Path], PageLinks]) -> str | None:
    parts = urlsplit(site_path)
    path = root / unquote(parts.path)
    if parts.path == "" or parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    if not path.is_file():
        return f"-> {path.relative_to(root)} does not exist"
    fragment = unquote(parts.fragment)
    if fragment and path.suffix == ".html" and fragment not in links_of(path).anchors:
        return f"-> no id {fragment!r} in {path.relative_to(root)}"
    return None


def test_built_site_has_no_broken_internal_links(built_site: BuiltSite) -> None:
    report = check_internal_links(built_site.root, built_site.html_files, built_site.site_url)
    assert report.broken == [], "\n".join(report.broken)
    # Guard against a checker that silently looks at nothing.
    assert report.checked > 10 * len(built_site.html_files)


def test_link_checker_finds_missing_pages_and_anchors(tmp_path: Path) -> None:
    (tmp_path / "campaigns" / "c1").mkdir(parents=True)
    (tmp_path / "campaigns" / "c1" / "index.html").write_text(
        '<h2 id="jira">Jira</h2>', encoding="utf-8"
    )
    (tmp_path / "index.html").write_text(
        '<a href="campaigns/c1/">ok</a> <a href="campaigns/c1/#jira">ok</a>'
        ' <a href="campaigns/c2/">missing page</a> <a href="campaigns/c1/#journal">missing anchor</a>'
        ' <a href="#top">missing anchor here</a> <a id="self" href="#self">ok</a>'
        ' <a href="https://jira.example.org/browse/DM-1">external</a> <a href="mailto:a@b.c">mail</a>'
        ' <link rel="canonical" href="https://example.org/nb/campaigns/c1/">'
        ' <a href="/nb/campaigns/c1/">root-relative ok</a> <a href="../../elsewhere/">outside</a>'
        ' <img src="assets/logo%20one.png">',
        encoding="utf-8",
    )
    report = check_internal_links(tmp_path, [tmp_path / "index.html"], "https://example.org/nb/")
    assert report.broken == [
        "index.html: campaigns/c2/ -> campaigns/c2/index.html does not exist",
        "index.html: campaigns/c1/#journal -> no id 'journal' in campaigns/c1/index.html",
        "index.html: #top -> no id 'top' in index.html",
        "index.html: ../../elsewhere/ leads outside the site",
        "index.html: assets/logo%20one.png -> assets/logo one.png does not exist",
    ]
    assert report.checked == 9


def test_the_site_publishes_no_file_that_nothing_loads(built_site: BuiltSite) -> None:
    """Material's own search (lunr, its worker), the theme's source maps and Pagefind's unused
    user interfaces are left out; what the pages do load is there."""
    root = built_site.root
    published = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
    unused = sorted(
        path
        for path in published
        if path.startswith(("assets/javascripts/lunr/", "assets/javascripts/workers/"))
        or path.endswith(".map")
        or path.startswith(("pagefind/pagefind-component-ui", "pagefind/pagefind-modular-ui"))
        or path == "pagefind/pagefind-highlight.js"
    )
    assert unused == []
    for needed in ("pagefind/pagefind-ui.js", "pagefind/pagefind-ui.css", "pagefind/pagefind.js"):
        assert needed in published
    assert any(p.startswith("assets/javascripts/bundle.") for p in published)
    assert any(p.startswith("assets/stylesheets/main.") for p in published)


class FeedLinks(HTMLParser):
    """The <link> elements of a page whose rel has the word "alternate" (rel is a set of words)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.alternates: list[dict[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and "alternate" in values.get("rel", "").lower().split():
            self.alternates.append(values)


def test_every_page_announces_the_feed_without_material_taking_it_for_a_translation(
    built_site: BuiltSite,
) -> None:
    """Feed readers find the Atom feed from any page (rel has "alternate", type Atom), and the
    rel is not exactly "alternate": Material's bundle fetches sitemap.xml next to every
    link[rel=alternate] (a translation of the site, to it), a 404 on every page. The browser
    tests fail on any answer of 400 and up (conftest.NetworkLog.error_responses)."""
    base = built_site.site_url.rstrip("/") + "/" if built_site.site_url else PLACEHOLDER_SITE_URL
    production_pages = 0
    for page in built_site.html_files:
        parser = FeedLinks()
        parser.feed(page.read_text(encoding="utf-8"))
        feeds = [a for a in parser.alternates if a.get("type") == "application/atom+xml"]
        assert feeds, f"{page}: no feed autodiscovery link"
        assert all(a["rel"] != "alternate" for a in parser.alternates), page
        page_url = base + page.relative_to(built_site.root).as_posix()
        # 404.html names the feed from the site's root (it is served at any depth)
        targets = {urljoin(page_url, a["href"]).removeprefix(base) for a in feeds}
        assert "feeds/all.atom.xml" in targets, (page, targets)
        production_pages += any(t.startswith("feeds/productions/") for t in targets)
        for target in targets:
            assert (built_site.root / target).is_file(), (page, target)
    assert production_pages >= 1  # a production's page also announces its own feed
