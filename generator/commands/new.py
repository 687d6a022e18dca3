"""`campaigns new`: start a valid campaign record, from scratch or from an existing campaign."""

from __future__ import annotations

import argparse
from typing import Any

HELP = """\
Create a campaign record and print its path. The id is readable and unique even when two people
create campaigns on two branches at once: <name>-<yyyymmdd>-<4 random characters>.

With --from ID the new campaign reruns an existing one with modifications: the definition is
copied, derived_from is set, and run-specific fields (workflow runs, times, journal, Jira keys,
output collection) are cleared."""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "new",
        help="create a campaign record",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--production", help="production id (required unless --from)")
    parser.add_argument("--name", help="short name (required unless --from)")
    parser.add_argument(
        "--kind", help="campaign kind (required unless --from), e.g. development, drp"
    )
    parser.add_argument(
        "--from", dest="source", metavar="ID", help="rerun this campaign with modifications"
    )
    parser.add_argument("--definer", help="who defines it (default: git user.name)")
    parser.add_argument(
        "--purpose", default="", help="what the campaign is for (Markdown; edit the file for more)"
    )
    parser.add_argument("--id", dest="campaign_id", help="use this id instead of generating one")
    parser.add_argument(
        "--dir",
        default="campaigns",
        help="folder under the repository root to write to (default: campaigns)",
    )
    parser.add_argument("--root", help="repository root (default: found from the current folder)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from generator.newcampaign import create_campaign

    path = create_campaign(args)
    print(path)
    return 0
