"""`campaigns dataids effective CAMPAIGN [--json]`: a campaign's lists, combined."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from dataclasses import asdict
from pathlib import Path

from generator.dataids import effective_selection
from generator.errors import UserError
from generator.records import Campaign
from generator.reporting import report_problems
from generator.repository import Repository, find_root, load_repository


def _find(repository: Repository, root: Path, wanted: str) -> Campaign:
    campaign = repository.campaigns.get(wanted)
    if campaign is not None:
        return campaign
    path = Path(wanted).resolve()
    for candidate in repository.campaigns.values():
        if (root / candidate.path).resolve() == path:
            return candidate
    close = difflib.get_close_matches(wanted, list(repository.campaigns), n=1)
    raise UserError(
        f"no campaign {wanted!r}",
        hint=f"did you mean {close[0]!r}?" if close else "give a campaign id or file",
    )


def run(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    repository = load_repository(root, with_rules=False)
    campaign = _find(repository, root, args.campaign)
    selection = effective_selection(repository, campaign)
    if args.json:
        document = asdict(selection)
        document["problems"] = [p.message for p in selection.problems]
        sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
        return 0
    out = [f"{campaign.id}: {campaign.name}"]
    out.append(f"query: {' AND '.join(campaign.selection.query) or '(none)'}")
    if selection.included is None:
        out.append("included: everything the query selects (no inclusion list)")
    else:
        out.append(
            f"included: {selection.included:,} DataIds from {', '.join(selection.include_paths)}"
        )
        out.extend(
            f"  {count:>9,}  {reason or '(no reason)'}"
            for reason, count in selection.included_by_reason.items()
        )
    if selection.exclude_paths:
        out.append(
            f"excluded: {selection.excluded:,} DataIds from {', '.join(selection.exclude_paths)}"
        )
        out.extend(
            f"  {count:>9,}  {reason or '(no reason)'}"
            for reason, count in selection.excluded_by_reason.items()
        )
    else:
        out.append("excluded: nothing (no exclusion list)")
    if selection.included is not None and selection.exclude_paths:
        out.append(f"overlap: {selection.overlap:,} included DataIds are excluded")
        out.extend(
            f"  {count:>9,}  {reason}" for reason, count in selection.removed_by_reason.items()
        )
        out.extend(f"  e.g. {example}" for example in selection.overlap_examples)
    if selection.selected is not None:
        out.append(f"selected: {selection.selected:,} DataIds")
    sys.stdout.write("\n".join(out) + "\n")
    if selection.problems:
        report_problems(selection.problems, stream=sys.stderr, files_checked=0)
    return 1 if any(p.is_error for p in selection.problems) else 0
