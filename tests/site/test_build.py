"""Building the site: strict MkDocs build, the same site without the plugin (and with Zensical),
byte-identical output, and failures that leave the previous output untouched."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.site.build import ASSETS_TARGET, build_notebook, has_mermaid_diagram, write_notebook
from generator.site.compare_export import plain_record
from tests.site.conftest import NOW_TEXT, fixed_now, mkdocs_build

BROKEN_STATUS = re.compile(r"^status: \w+$", re.MULTILINE)
CAMPAIGN = "dr1-mini-drp-rerun-20261103-t5hw"


def campaign_ids(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "campaigns").glob("*.yaml"))


def break_a_record(root: Path) -> Path:
    """Give one campaign an unknown status: a schema error at a known line."""
    record = root / "campaigns" / f"{CAMPAIGN}.yaml"
    record.write_text(
        BROKEN_STATUS.sub("status: runing", record.read_text(encoding="utf-8"), count=1),
        encoding="utf-8",
    )
    return record


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def static_config(root: Path, docs_dir: str) -> Path:
    """mkdocs.yml pointing at generated Markdown, without the plugin (as Zensical reads it)."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: docs", f"docs_dir: {docs_dir}").replace(
        "  - campaign-notebook\n", ""
    )
    config = root / "mkdocs-static.yml"
    config.write_text(text, encoding="utf-8")
    return config


def zensical_build(root: Path) -> Path:
    """Generate the notebook at ``root`` into build/docs and build it with Zensical (which runs
    no MkDocs plugin); returns the site folder. Zensical is a test dependency: CI must have it."""
    zensical = Path(sys.executable).parent / "zensical"
    if not zensical.exists():
        if os.environ.get("CI") == "true":
            pytest.fail("zensical is missing under CI=true (pip install '.[test]')")
        pytest.skip("zensical is not installed (pip install zensical)")
    write_notebook(build_notebook(root, fixed_now()), root / "build" / "docs")
    result = subprocess.run(
        [str(zensical), "build", "--config-file", str(static_config(root, "build/docs"))],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


@pytest.mark.slow
def test_strict_build_lists_every_example_campaign(notebook_root: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = mkdocs_build(notebook_root, site)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    home = (site / "index.html").read_text(encoding="utf-8")
    index = (site / "campaigns" / "index.html").read_text(encoding="utf-8")
    for campaign_id in campaign_ids(notebook_root):
        assert f"campaigns/{campaign_id}/" in home
        assert f'<a href="{campaign_id}/">{campaign_id}</a>' in index
        assert (site / "campaigns" / campaign_id / "index.html").is_file()
    assert (site / "api" / "campaigns.json").is_file()
    for campaign_id in campaign_ids(notebook_root):
        assert (site / "api" / "campaigns" / f"{campaign_id}.json.gz").is_file()
    # Each page feature's script is loaded by its page only (search.js is on every page).
    feature_scripts = {
        "campaign-index.js": "campaigns/index.html",
        "compare.js": "compare/index.html",
        "jira-filter.js": "jira/index.html",
    }
    for script, page in feature_scripts.items():
        assert (site / "assets" / "notebook" / script).is_file()
        loading = sorted(
            str(html.relative_to(site))
            for html in site.rglob("*.html")
            if f"/assets/notebook/{script}" in html.read_text(encoding="utf-8")
        )
        assert loading == [page], (script, loading)
    # Navigation stays small: no campaign page is listed in it.
    assert home.count(f"{CAMPAIGN}/") < 5
    # The page shell (overrides/, pageshell.py): a record page carries a short navigation (no
    # section toggles), no inline icon paths and no indentation; a guide page keeps Material's.
    page = (site / "campaigns" / CAMPAIGN / "index.html").read_text(encoding="utf-8")
    guide = (site / "guide" / "index.html").read_text(encoding="utf-8")
    shell = page[: page.index("<article")] + page[page.index("</article>") :]
    assert "md-nav__toggle" not in shell and "md-nav__toggle" in guide
    assert "<path" not in shell and "icons.svg#cn-search" in shell
    assert "\n  " not in shell and len(shell.encode()) < 12_000
    assert 'href="../../reference/format/"' in shell  # a section: a link to its first page
    assert (site / "assets" / "notebook-theme" / "icons.svg").is_file()
    assert not list(site.rglob("*.py"))  # the hook is not published
    assert "material-content.js" not in page  # no content tabs (pymdownx.tabbed) on this site


@pytest.mark.slow
def test_generated_markdown_builds_the_same_site_without_the_plugin(
    notebook_root: Path, tmp_path: Path
) -> None:
    assert (
        main(
            [
                "generate",
                "--root",
                str(notebook_root),
                "--out",
                str(notebook_root / "build" / "docs"),
                "--now",
                NOW_TEXT,
            ]
        )
        == 0
    )
    with_plugin, without = tmp_path / "with-plugin", tmp_path / "without"
    assert mkdocs_build(notebook_root, with_plugin).returncode == 0
    result = mkdocs_build(notebook_root, without, config=static_config(notebook_root, "build/docs"))
    assert result.returncode == 0, result.stderr
    plugin_pages, static_pages = tree(with_plugin), tree(without)
    # The search index is written by the plugin after the build; another engine's build runs
    # `python -m pagefind --site <site>` itself (generator/site/searchindex.py).
    plugin_pages = {p: c for p, c in plugin_pages.items() if not p.startswith("pagefind/")}
    assert sorted(plugin_pages) == sorted(p for p in static_pages if p != ".campaign-notebook")
    page = f"campaigns/{CAMPAIGN}/index.html"
    assert plugin_pages[page] == static_pages[page]


@pytest.mark.slow
def test_zensical_builds_the_generated_markdown(notebook_root: Path) -> None:
    site = zensical_build(notebook_root)
    page = site / "campaigns" / CAMPAIGN / "index.html"
    assert 'aria-label="Lineage graph"><svg class="cn-lg"' in page.read_text(encoding="utf-8")


def test_mermaid_is_shipped_only_when_a_page_has_a_mermaid_fence(notebook_root: Path) -> None:
    """The notebook draws its own graphs: Mermaid's 2.6 MB (assets/vendor/) goes into the site
    only for a team's docs page with a Mermaid fence."""
    vendor = f"{ASSETS_TARGET}/vendor/"

    def shipped() -> list[str]:
        notebook = build_notebook(notebook_root, fixed_now())
        return sorted(
            path.removeprefix(vendor) for path in notebook.copies if path.startswith(vendor)
        )

    assert shipped() == []
    assert not any(
        has_mermaid_diagram(page)
        for page in build_notebook(notebook_root, fixed_now()).pages.values()
    )
    guide = notebook_root / "docs" / "team" / "flow.md"
    guide.parent.mkdir(parents=True)
    guide.write_text(
        "# Flow\n\nMermaid draws this:\n\n```python\nmermaid = 1\n```\n", encoding="utf-8"
    )
    assert shipped() == []  # the word alone is not a fence
    guide.write_text(
        "# Flow\n\n- step\n\n    ~~~ mermaid\n    flowchart LR\n    a --> b\n    ~~~\n",
        encoding="utf-8",
    )
    assert shipped() == ["MERMAID-LICENSE", "SOURCE.txt", "mermaid.min.js"]


@pytest.mark.parametrize(
    "document",
    [
        '# Flow\n\n<pre class="mermaid">\nflowchart LR\n  a --> b\n</pre>\n',
        "# Flow\n\n<div class='wide mermaid'>\nflowchart LR\n</div>\n",
        "\N{BYTE ORDER MARK}```mermaid\nflowchart LR\n  a --> b\n```\n",
    ],
    ids=["pre element", "div element, two classes", "byte order mark"],
)
def test_mermaid_is_shipped_for_a_team_page_with_a_diagram_in_html_or_after_a_bom(
    notebook_root: Path, document: str
) -> None:
    """overrides/main.html loads Mermaid on every page whose HTML has class="mermaid": a
    diagram written as HTML (md_in_html) needs the script as a fence does, and MkDocs reads a
    page that starts with a byte order mark as if it did not."""
    guide = notebook_root / "docs" / "team" / "flow.md"
    guide.parent.mkdir(parents=True)
    guide.write_text(document, encoding="utf-8")
    notebook = build_notebook(notebook_root, fixed_now())
    assert f"{ASSETS_TARGET}/vendor/mermaid.min.js" in notebook.copies


@pytest.mark.parametrize(
    ("markdown", "fence"),
    [
        ("```mermaid\nflowchart LR\n```", True),
        ("text\n````mermaid\n", True),
        ("> ```{.mermaid}\n", True),
        ("~~~ mermaid\n", True),
        ("```python\nmermaid\n```", False),
        ("Mermaid and ```mermaid``` inline", False),
        ('<pre class="mermaid">a --> b</pre>', True),
        ('<div\nclass = "cn mermaid big">', True),
        ("<div class='mermaid'>", True),
        ("<div class=mermaid>", True),
        ("<div id=x class=mermaid/>", True),
        ('<div class="mermaid-like">', False),
        ('<div class="not-mermaid">', False),
        ("<div class=mermaids>", False),
        ('<div data-class="x" title="mermaid">', False),
        ('The class="Mermaid" of the theme', False),
        ("Mermaid draws a flowchart; the mermaid class marks it.", False),
    ],
)
def test_mermaid_fences_and_elements_are_found(markdown: str, fence: bool) -> None:
    assert has_mermaid_diagram(markdown) is fence


def test_two_generations_are_byte_identical(notebook_root: Path, tmp_path: Path) -> None:
    write_notebook(build_notebook(notebook_root, fixed_now()), tmp_path / "first")
    write_notebook(build_notebook(notebook_root, fixed_now()), tmp_path / "second")
    first, second = tree(tmp_path / "first"), tree(tmp_path / "second")
    assert first == second
    assert f"campaigns/{CAMPAIGN}.md" in first


def test_invalid_records_fail_generate_and_keep_the_previous_output(
    notebook_root: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    arguments = ["generate", "--root", str(notebook_root), "--out", str(out), "--now", NOW_TEXT]
    assert main(arguments) == 0
    before = tree(out)
    record = break_a_record(notebook_root)
    capsys.readouterr()
    assert main(arguments) == 1
    output = capsys.readouterr()
    line = next(
        i for i, text in enumerate(record.read_text().splitlines(), 1) if text.startswith("status:")
    )
    assert f"campaigns/{CAMPAIGN}.yaml:{line}:9: error:" in output.out
    assert "Traceback" not in output.out + output.err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebook", "out"]  # no staging left


def test_generate_refuses_to_replace_a_folder_it_did_not_make(
    notebook_root: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.tex").write_text("years of work")
    assert (
        main(["generate", "--root", str(notebook_root), "--out", str(precious), "--now", NOW_TEXT])
        == 1
    )
    assert (precious / "thesis.tex").read_text() == "years of work"


@pytest.mark.slow
def test_invalid_records_fail_mkdocs_without_traceback_and_keep_the_site(
    notebook_root: Path, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    assert mkdocs_build(notebook_root, site).returncode == 0
    before = tree(site)
    break_a_record(notebook_root)
    result = mkdocs_build(notebook_root, site)
    assert result.returncode != 0
    assert re.search(rf"campaigns/{CAMPAIGN}\.yaml:\d+:9: error: ", result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    assert tree(site) == before


def test_now_must_be_a_readable_time(
    notebook_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["generate", "--root", str(notebook_root), "--now", "yesterday"]) == 2
    assert "cannot read the time 'yesterday' (from --now)" in capsys.readouterr().err


def test_history_is_reported_missing_outside_git(notebook_root: Path) -> None:
    shutil.rmtree(notebook_root / ".git")
    page = build_notebook(notebook_root, fixed_now()).pages[f"campaigns/{CAMPAIGN}.md"]
    assert "No git history is available for this build." in page


def test_json_export_gives_back_every_record(notebook_root: Path) -> None:
    """One file per campaign serves the compare page and other tools: decoding its tree gives the
    record (its journal entries carry their compare key, ``entry``, besides)."""
    notebook = build_notebook(notebook_root, fixed_now())
    index = json.loads(notebook.files["api/campaigns.json"])
    assert [c["id"] for c in index["campaigns"]] == campaign_ids(notebook_root)
    assert "api/compare.json" not in notebook.files
    for listed in index["campaigns"]:
        exported = json.loads(gzip.decompress(notebook.files[listed["record"]]))
        record = plain_record(exported["record"])
        for entry in record["journal"]:
            assert entry.pop("entry").startswith(f"{entry['date']} {entry['author']} #")
        raw = yaml.safe_load((notebook_root / "campaigns" / f"{listed['id']}.yaml").read_text())
        raw.pop("id")
        raw.setdefault("journal", [])
        assert record == json.loads(json.dumps(raw, default=str)), listed["id"]
        assert listed["status"] == raw["status"] and listed["name"] == raw["name"]
