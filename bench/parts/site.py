"""The site: `campaigns generate`, the full build, plain `mkdocs build` on the same Markdown,
and the site as a reader meets it in Chromium."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import statistics
from pathlib import Path

from bench.inputs import write_plain_mkdocs_config
from bench.measure import (
    PYTHON,
    ROOT,
    Row,
    Run,
    campaigns_command,
    campaigns_label,
    cli_offers,
    fmt_bytes,
    fmt_seconds,
    folder_bytes,
    remove,
)
from bench.pageweight import shell_and_content
from bench.parts.core import Bench
from generator.site.searchindex import EXCLUDED_SELECTORS


def site(bench: Bench) -> None:
    why = cli_offers(["generate"], "--out")
    if not why and "campaign-notebook" not in {
        e.name for e in importlib.metadata.entry_points(group="mkdocs.plugins")
    }:
        why = "the campaign-notebook MkDocs plugin is not installed (pip install -e .)"
    if not why and "campaign-notebook" not in (ROOT / "mkdocs.yml").read_text(encoding="utf-8"):
        why = "mkdocs.yml does not use the campaign-notebook plugin"
    for campaigns in bench.settings.scales:
        label = campaigns_label(campaigns)
        if why:
            for what in (
                "campaigns generate (Markdown)",
                "mkdocs build with the plugin (full site)",
                "mkdocs build alone on the generated Markdown",
            ):
                bench.missing("site", what, label, why)
            continue
        site_at(bench, campaigns, label)


def site_at(bench: Bench, campaigns: int, label: str) -> None:
    repository = bench.repository(campaigns)
    root = repository.root
    repeats = bench.settings.repeats()
    generated = bench.settings.work / f"generated-{campaigns}"
    built = bench.settings.work / f"site-{campaigns}"
    plain = bench.settings.work / f"site-plain-{campaigns}"
    remove(generated)
    gen = bench.timed(
        "site",
        "campaigns generate (Markdown)",
        label,
        campaigns_command("generate", "--root", str(root), "--out", str(generated)),
        root,
        repeats,
    )
    full = bench.timed(
        "site",
        "mkdocs build with the plugin (full site)",
        label,
        [
            PYTHON,
            "-m",
            "mkdocs",
            "build",  # not -q: the plugin's INFO lines say what the generator and Pagefind cost
            "-f",
            str(root / "mkdocs.yml"),
            "-d",
            str(built),
        ],
        root,
        repeats,
        before=lambda: remove(built),
    )
    alone = search = None
    if gen:
        config = write_plain_mkdocs_config(
            root, generated, bench.settings.work / f"mkdocs-plain-{campaigns}.yml"
        )
        alone = bench.timed(
            "site",
            "mkdocs build alone on the generated Markdown",
            label,
            [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(config), "-d", str(plain)],
            root,
            repeats,
            before=lambda: remove(plain),
        )
    if alone:
        # What the plugin runs after the build, timed on its own on the plain build's pages.
        search = bench.timed(
            "site",
            "Pagefind indexing the built site",
            label,
            [PYTHON, "-m", "pagefind", "--site", str(plain), "--quiet"]
            + [a for s in EXCLUDED_SELECTORS for a in ("--exclude-selectors", s)],
            root,
            repeats,
            before=lambda: remove(plain / "pagefind"),
        )
    if gen:
        size, files = folder_bytes(generated)
        gen.other = f"{fmt_bytes(size)} in {files:,} files; {fmt_seconds(gen.median_cpu() / campaigns)} CPU, {fmt_bytes(size / campaigns)} per campaign"
        gen.meaning = f"Turns {campaigns:,} records into Markdown pages, list downloads and the JSON export: the generator's own work, no HTML yet."
    if full:
        size, files = folder_bytes(built)
        full.other = f"site {fmt_bytes(size)} in {files:,} files; {fmt_seconds(full.median_cpu() / campaigns)} CPU, {fmt_bytes(size / campaigns)} per campaign"
        full.meaning = "What `make site` costs: the plugin generates the pages in memory and MkDocs (Material) renders them to HTML."
        if alone:
            engine = alone.median_cpu() + (search.median_cpu() if search else 0.0)
            share = max(0.0, 1 - engine / full.median_cpu())
            full.meaning += (
                f" The generator's share (this row minus the two below) is about {share:.0%}"
                " of its CPU time"
            )
            if search:
                full.meaning += (
                    f"; Pagefind's {search.median_cpu() / full.median_cpu():.0%}; MkDocs and "
                    f"Material alone {alone.median_cpu() / full.median_cpu():.0%}"
                )
            full.meaning += "."
        reported = own_shares(full)
        if reported:
            full.meaning += (
                f" Timed inside the same build by the plugin itself (steadier: no subtraction of"
                f" two large figures), the generator took {reported[0]:.0%} of the build's CPU and"
                f" Pagefind {reported[1]:.0%}."
            )
    if alone:
        size, files = folder_bytes(plain)
        alone.other = f"site {fmt_bytes(size)} in {files:,} files; {fmt_seconds(alone.median_cpu() / campaigns)} CPU per campaign"
        alone.meaning = "MkDocs and Material alone rendering the same pages (same theme and extensions, no plugin): the floor any generator on this engine pays."
    if search:
        search.meaning = (
            "Pagefind (the search index the plugin writes after every build) alone on the "
            "plain build's pages, with the plugin's exclusions."
        )
    if full and "browser" in bench.settings.parts:  # the browser part opens this very site
        remove(browser_site(bench, campaigns))
        built.rename(browser_site(bench, campaigns))
    for folder in (generated, built, plain):
        remove(folder)


def browser_site(bench: Bench, campaigns: int) -> Path:
    return bench.settings.work / f"site-browser-{campaigns}"


def build_for_browser(bench: Bench, root: Path, built: Path, label: str) -> bool:
    """The full site for the browser, when the site part did not leave one (``--only browser``)."""
    build = bench.timed(
        "browser",
        "mkdocs build with the plugin (for the browser)",
        label,
        [PYTHON, "-m", "mkdocs", "build", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(built)],
        root,
        1,
    )
    return build is not None


def browser(bench: Bench) -> None:
    """Search, page weight and site size as a reader meets them, in headless Chromium."""
    from bench.browser import CHROMIUM, SEARCH_REPEATS, measure_site

    why = ""
    if bench.settings.quick:
        why = "not run by the quick benchmark (a full build and a browser per scale)"
    elif importlib.util.find_spec("playwright") is None or not Path(CHROMIUM).exists():
        why = "Playwright or Chromium is not installed"
    for campaigns in bench.settings.scales:
        label = campaigns_label(campaigns)
        if why:
            bench.add(Row("browser", "search in Chromium", label, status="skipped", detail=why))
            continue
        repository = bench.repository(campaigns)
        built = browser_site(bench, campaigns)
        if not built.is_dir() and not build_for_browser(bench, repository.root, built, label):
            continue
        size, _ = folder_bytes(built)
        # The DataId list downloads are data the benchmark sizes on purpose (a million rows):
        # the pages' own weight is the rest.
        downloads = sum(
            p.stat().st_size
            for p in (built / "dataids").rglob("*")
            if p.is_file() and p.suffix != ".html"
        )
        pages = [built / "campaigns" / p.stem / "index.html" for p in repository.campaign_files]
        page_bytes = sum(p.stat().st_size for p in pages) / len(pages)
        shell, content = shell_and_content(pages[-1].read_text(encoding="utf-8"))
        repeats = 1 if bench.settings.quick else SEARCH_REPEATS
        figures = measure_site(built, repository.campaign_files[-1].stem, repeats=repeats)
        row = Row(
            "browser",
            "search in Chromium (home page → first result)",
            label,
            [Run(seconds, seconds, 0) for seconds in figures.search_samples],
        )
        row.other = (
            f"{fmt_bytes(figures.search_bytes)} fetched (median); JS on a page without diagrams "
            f"{fmt_bytes(figures.js_bytes)}; site {fmt_bytes(size / campaigns)} per campaign "
            f"({fmt_bytes((size - downloads) / campaigns)} without the DataId list downloads); "
            f"campaign page {fmt_bytes(page_bytes)} on average (one: shell {fmt_bytes(shell)}, "
            f"content {fmt_bytes(content)}); {figures.requests_outside} requests outside"
        )
        row.meaning = (
            "Seconds from the last key typed to the first result, in headless Chromium on "
            "127.0.0.1; bytes fetched from opening the home page to that result. Medians of "
            f"{repeats} search(es), each in a new browser context (cold cache). The page's "
            "shell is everything outside its <article> (bench/pageweight.py)."
        )
        bench.add(row)
        remove(built)


def own_shares(full: Row) -> tuple[float, float] | None:
    """The generator's and Pagefind's share of the full build as the plugin timed them in the same
    process (its "… in N s of CPU" log lines), median over the runs; None if it did not say."""
    generator, search = [], []
    for run in full.runs:
        pages = run.reported_cpu.get("pages generated")
        if pages is None or not run.cpu_seconds:
            continue
        generator.append(pages / run.cpu_seconds)
        search.append(run.reported_cpu.get("search index built", 0.0) / run.cpu_seconds)
    if not generator:
        return None
    return statistics.median(generator), statistics.median(search)
