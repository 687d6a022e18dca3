"""The MkDocs adapter: hands the generator's pages to MkDocs in memory (``File.generated``).

A convenience only: the pages are plain Markdown that ``campaigns generate`` also writes to disk
for engines that run no MkDocs plugins (Zensical). Invalid records fail the build with every
problem printed as ``path:line:col: error: ...`` (no traceback), before MkDocs empties site_dir.

Under ``mkdocs serve`` invalid records do not stop the build (a failed rebuild would leave every
browser request waiting forever): the last good pages are served with the problems, escaped,
at the top of every page, and the next good save brings the pages back. After the build, Pagefind
indexes the site (generator/site/searchindex.py).

Under ``mkdocs serve`` Pagefind runs once, on the first good build (about 6 s at 1,000
campaigns), and every later rebuild puts a copy of that index back into the fresh site in
milliseconds: saves show at once, and search works, finding pages as they were when the server
started (restart it to index again, or set ``reindex_on_serve: true`` to index on every save).
"""

from __future__ import annotations

import logging
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from generator.errors import InvalidRecords, Problem, UserError
from generator.escaping import escape_html
from generator.loading.repository import CONFIG_FILE, RECORDS_DIR
from generator.reporting import format_text, report_problems
from generator.site.build import Notebook, build_notebook
from generator.site.context import resolve_now
from generator.site.searchindex import index_site


class CampaignNotebookConfig(Config):  # type: ignore[no-untyped-call]  # MkDocs is untyped here
    root = config_options.Type(str, default=".")  # the records' repository, relative to mkdocs.yml
    now = config_options.Type(str, default="")  # like --now; empty: $CAMPAIGNS_NOW or the clock
    search_index = config_options.Type(bool, default=True)  # run Pagefind after the build
    # mkdocs serve: index on every rebuild (slow at scale), not only on the first good one
    reindex_on_serve = config_options.Type(bool, default=False)


INDEX_FOLDER = "pagefind"  # what Pagefind writes into the site
log = logging.getLogger(f"mkdocs.plugins.{__name__}")


class CampaignNotebookPlugin(BasePlugin[CampaignNotebookConfig]):  # type: ignore[no-untyped-call]
    notebook: Notebook | None = None
    watched: tuple[Path, ...] = ()
    serving = False
    problems: list[Problem]
    index_copy: Path | None = None  # serve: the first good build's search index, reused

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # `mkdocs serve` injects an inline live-reload script; overrides/main.html lets it run
        # only then (the published site never allows inline scripts).
        config.extra["cn_serving"] = self.serving
        return config

    def _root(self, config: MkDocsConfig) -> Path:
        return (Path(config.config_file_path).parent / self.config.root).resolve()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Generate before MkDocs empties site_dir: invalid records then leave the old site alone.
        self.problems = []
        started = time.process_time()
        try:
            self.notebook = build_notebook(self._root(config), resolve_now(self.config.now or None))
            log.info(
                "Campaign Notebook: %s pages generated in %.1f s of CPU",
                f"{len(self.notebook.pages):,}",
                time.process_time() - started,
            )
        except InvalidRecords as invalid:
            report_problems(
                invalid.problems, files_checked=invalid.files_checked, stream=sys.stderr
            )
            if not self.serving:
                raise PluginError(f"{invalid.message} (hint: {invalid.hint})") from None
            self.problems = [p for p in invalid.problems if p.is_error] or invalid.problems
        except UserError as error:
            if not self.serving:
                raise PluginError(format_text(error.as_problem())) from None
            self.problems = [error.as_problem()]
        if self.notebook is None:  # serving, and no good build yet: the user's own docs only
            self.notebook = Notebook()
        self.watched = tuple({*self.watched, *self.notebook.inputs})

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        notebook = self.notebook
        assert notebook is not None, "on_pre_build generates the notebook first"
        for path, text in notebook.pages.items():
            files.append(File.generated(config, path, content=text))
        for path, content in notebook.files.items():
            files.append(File.generated(config, path, content=content))
        for path, source in notebook.copies.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        # notebook.user_docs are the files MkDocs already read from docs_dir.
        return files

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        """While serving with invalid records: the problems on top of every page."""
        if not self.problems:
            return output
        lines = "".join(
            f"<li><code>{escape_html(format_text(p))}</code></li>" for p in self.problems
        )
        banner = (
            '<div class="cn-build-error" role="alert" id="cn-build-error">'
            f"<p><strong>The records have {len(self.problems)} problem(s); these pages are from"
            " the last good build.</strong> Fix them and save: the page reloads.</p>"
            f"<ul>{lines}</ul></div>"
        )
        start = output.find("<body")
        start = output.find(">", start) + 1 if start >= 0 else 0
        return output[:start] + banner + output[start:]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if not self.config.search_index:
            return
        site = Path(config.site_dir)
        if self.index_copy is not None and not self.config.reindex_on_serve:
            shutil.copytree(self.index_copy, site / INDEX_FOLDER, dirs_exist_ok=True)
            log.info("Search: the index of the first build, reused (restart to index again)")
            return
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        try:
            index_site(site)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            log.info(
                "Campaign Notebook: search index built in %.1f s of CPU",
                after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime,
            )
        except UserError as error:
            raise PluginError(format_text(error.as_problem())) from None
        if self.serving and not self.problems and not self.config.reindex_on_serve:
            self.index_copy = Path(tempfile.mkdtemp(prefix="campaign-notebook-search-"))
            shutil.copytree(site / INDEX_FOLDER, self.index_copy, dirs_exist_ok=True)

    def on_shutdown(self) -> None:
        if self.index_copy is not None:
            shutil.rmtree(self.index_copy, ignore_errors=True)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        root = self._root(config)
        # Watched even before the first successful build, so fixing a record triggers a rebuild.
        for path in {*self.watched, root / RECORDS_DIR, root / CONFIG_FILE}:
            if path.exists():
                server.watch(str(path))
        return server
