"""The notebook site: records (+ Jira snapshot, + git history) in, Markdown pages and files out.

Flow: ``context.load_context`` (load, validate, cross-reference) → the page renderers
(``home_page``, ``campaign_index``, ``production_pages``, ``operators_page``, ``campaign_page``, ``jira_pages``, ``dataid_pages``; text made safe by
``markup``, diagrams by ``diagrams``) → ``build.generate`` collects a ``Notebook`` (path →
content) → ``build.write_notebook`` writes it (``campaigns generate``), or the MkDocs plugin
(``mkdocs_plugin``) hands the same pages to MkDocs in memory. The Markdown is the portable
contract: it needs no MkDocs plugin, so any engine reading ``mkdocs.yml`` (Zensical) builds it.
URL layout and the browser-script contract: ``README-contract.md``.
"""
