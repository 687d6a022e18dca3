"""`campaigns dataids`: placeholder until its issue lands."""

from __future__ import annotations

import argparse
from typing import Any

from generator.errors import UserError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("dataids", help="(not yet available)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    raise UserError("'campaigns dataids' is not available yet")
