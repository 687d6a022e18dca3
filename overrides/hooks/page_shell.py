"""MkDocs hook (mkdocs.yml ``hooks:``): the theme's page shell with its white space folded, and
none of the theme's files that no page loads.

A hook, not part of the campaign-notebook plugin, so that a build of the generated Markdown
without the plugin (``campaigns generate --out``, then ``mkdocs build``) writes the same pages.
The work is ``generator.site.pageshell.compact_shell``. MkDocs does not copy ``.py`` files of the
theme folder into the site.
"""

from __future__ import annotations

from typing import Any

from generator.site.pageshell import compact_shell, is_unused_theme_file


def on_files(files: Any, /, *, config: Any) -> Any:
    for file in [f for f in files if is_unused_theme_file(f.src_uri)]:
        files.remove(file)
    return files


def on_post_page(output: str, /, *, page: Any, config: Any) -> str:
    return compact_shell(output)
