"""`campaigns new [production]`: start a record, from a skeleton or from an existing campaign."""

from __future__ import annotations

import argparse
from typing import Any

HELP = """\
Create a record and print its path.

campaigns new --production P --kind K --name N
    A campaign skeleton: the fields a campaign usually needs, each with a one-line hint, the
    optional sections commented out. What cannot be guessed (purpose, reason) is a TODO
    placeholder: 'campaigns validate' warns about it, 'campaigns validate --strict' (as pull
    requests run it) refuses it. The id is readable and unique even when two people create
    campaigns on two branches at once: <name>-<yyyymmdd>-<4 random characters>, dated by
    --date, else $CAMPAIGNS_NOW, else today.

campaigns new --from ID [--name N] [--purpose TEXT --reason TEXT] [--with-workflows]
    A rerun with modifications: the parent's definition with its comments and formatting,
    derived_from set, the same definer (unless --definer), its own purpose and reason (else
    TODO placeholders; the parent's stay on the parent's page). Run-specific fields are not
    copied: times, journal, Jira keys, operators, links, output collection, and workflows
    (unless --with-workflows: then as planned, without run ids, times and rescues).

campaigns new production --name N [--id ID] [--description TEXT]
    A production skeleton in campaigns/productions/.

The new record is validated before it is kept; nothing is left behind on error."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "new",
        help="create a campaign (or production) record",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "what",
        nargs="?",
        choices=["campaign", "production"],
        default="campaign",
        help="what to create (default: campaign)",
    )
    parser.add_argument("--production", help="production id (required unless --from)")
    parser.add_argument("--name", help="short name (required unless --from)")
    parser.add_argument(
        "--kind", help="campaign kind (required unless --from), e.g. development, drp"
    )
    parser.add_argument(
        "--from", dest="source", metavar="ID", help="rerun this campaign with modifications"
    )
    parser.add_argument(
        "--definer", help="who defines it (default: git user.name; with --from: the parent's)"
    )
    parser.add_argument("--purpose", default="", help="what it is for (Markdown)")
    parser.add_argument("--reason", default="", help="why it runs now (Markdown)")
    parser.add_argument(
        "--with-workflows",
        action="store_true",
        help="with --from: copy the parent's workflows as planned",
    )
    parser.add_argument("--description", default="", help="new production: what it is (Markdown)")
    parser.add_argument("--id", dest="record_id", help="use this id instead of generating one")
    parser.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the day in the generated id (default: $CAMPAIGNS_NOW, else today)",
    )
    parser.add_argument(
        "--dir",
        default="campaigns",
        help="folder under the repository root for campaigns (default: campaigns)",
    )
    parser.add_argument("--root", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.newcampaign import create_campaign, create_production

    path = create_production(args) if args.what == "production" else create_campaign(args)
    print(path)
    return 0
