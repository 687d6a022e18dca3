"""`campaigns generate --out DIR`: write the notebook's Markdown pages and files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

HELP = """\
Write the notebook site's source: one Markdown page per campaign, production and DataId list,
the index, dashboard, Jira, operators and compare pages, the JSON exports (api/campaigns.json
and one api/campaigns/<id>.json.gz per campaign, read by the compare page), the Atom feeds,
the browser assets and the hand-written docs/. Build it with any engine reading mkdocs.yml (point docs_dir at DIR). The same records
give byte-identical output. DIR is replaced as a whole only when everything was generated; on
any error the previous DIR stays as it was.

"now" (for stale campaigns and shifts) is --now, else $CAMPAIGNS_NOW, else the current minute.

exit status: 0 written, 1 the records have errors (listed as path:line:col), 2 usage error"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="write the notebook site's Markdown pages",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("build/docs"),
        help="output folder, replaced on success (default: build/docs)",
    )
    parser.add_argument(
        "--root", type=Path, help="repository root (default: found from the current folder)"
    )
    parser.add_argument(
        "--now",
        help="the time to build as of, e.g. 2026-11-24T12:00Z (default: $CAMPAIGNS_NOW or now)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.errors import ExitCode
    from generator.loading.repository import find_root
    from generator.site.build import build_notebook, write_notebook
    from generator.site.context import resolve_now

    root = args.root.resolve() if args.root else find_root(Path.cwd())
    notebook = build_notebook(root, resolve_now(args.now))  # InvalidRecords: cli reports them
    write_notebook(notebook, args.out)
    print(f"wrote {len(notebook.paths())} files to {args.out}")
    return ExitCode.OK
