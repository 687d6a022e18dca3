"""`campaigns bps config|sync`: from a record to `bps submit`, and the workflow system's answer back.

Everything heavy (the records, ctrl_bps) is imported inside the run functions, so that
`campaigns --help` stays instant. See docs/guide/bps.md.
"""

from __future__ import annotations

import argparse
from typing import Any

HELP = """\
config  write the BPS submit YAML of a campaign's workflow from its record: pipeline and step,
        project (production), campaign id, operator, site, WMS plugin, butler, collections,
        dataQuery (query AND the workflow's group AND NOT the exclusions), config overrides
        and an inclusion list as a data-ID table (written next to the YAML).
sync    ask the workflow system (through ctrl_bps's plugin) about every unfinished workflow
        with a run_id and the runs of the last --hist days, and write the status snapshot the
        site shows (bps.status_snapshot, default workflow-status.json). On any failure it
        prints one line, exits 1 and keeps the previous snapshot. --write-records also updates
        the records (status, times, runs not listed yet), keeping their formatting.

The WMS plugin is, in this order: --wms-service-class, bps.wms_service_class in notebook.yaml,
$BPS_WMS_SERVICE_CLASS, then ctrl_bps's default (HTCondor). 'sync' needs ctrl_bps:
pip install 'campaign-notebook[bps]'.

exit status: 0 done, 1 the records or the workflow system refused, 2 usage error"""

CONFIG_EXAMPLES = """\
examples:
  campaigns bps config dr1-mini-drp-rerun-20261103-t5hw --workflow step3 -o submit/step3.yaml
  campaigns bps config dr1-mini-drp-rerun-20261103-t5hw -o submit/    # every workflow
  bps submit submit/step3.yaml      # from the folder you ran 'campaigns bps config' in"""

SYNC_EXAMPLES = """\
examples:
  campaigns bps sync                                  # the plugin from notebook.yaml / $BPS_WMS_SERVICE_CLASS
  campaigns bps sync --wms-service-class lsst.ctrl.bps.panda.PanDAService --hist 14
  campaigns bps sync --campaign dr1-mini-drp-rerun-20261103-t5hw --write-records"""


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "bps",
        help="write BPS submit files from records; sync workflow status from the WMS",
        description=HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(run=_run_without_subcommand)
    actions = parser.add_subparsers(dest="bps_command", metavar="ACTION")

    config = actions.add_parser(
        "config",
        help="write the BPS submit YAML of a workflow",
        description=HELP,
        epilog=CONFIG_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    config.add_argument("campaign", metavar="CAMPAIGN_ID", help="the campaign's id")
    config.add_argument(
        "--workflow",
        metavar="NAME",
        help="the workflow (default: every workflow, one file each, into -o DIR)",
    )
    config.add_argument(
        "--status",
        action="append",
        metavar="STATUS",
        help="without --workflow: only workflows with this status (repeatable; e.g. planned)",
    )
    config.add_argument(
        "-o",
        "--output",
        metavar="PATH",
        help="the YAML file (with --workflow; default: standard output) or folder (without)",
    )
    config.add_argument(
        "--operator",
        help="the operator bps reports (default: the workflow's first operator, else the campaign's)",
    )
    config.set_defaults(run=run_config)

    sync = actions.add_parser(
        "sync",
        help="ask the workflow system, write the status snapshot",
        description=HELP,
        epilog=SYNC_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sync.add_argument(
        "--wms-service-class",
        metavar="CLASS",
        help="the ctrl_bps plugin class, e.g. lsst.ctrl.bps.panda.PanDAService",
    )
    sync.add_argument(
        "--campaign",
        action="append",
        metavar="ID",
        help="only this campaign (repeatable; default: every campaign)",
    )
    sync.add_argument(
        "--hist",
        type=float,
        default=7.0,
        metavar="DAYS",
        help="also list the runs of the last DAYS days (default: 7)",
    )
    sync.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        metavar="S",
        help="stop a plugin that has not answered after S seconds (default: 300)",
    )
    sync.add_argument(
        "--write-records",
        action="store_true",
        help="also update the records (status, times; runs not listed yet added as workflows)",
    )
    sync.add_argument("--output", help="snapshot file (default: bps.status_snapshot)")
    sync.set_defaults(run=run_sync)
    for action in (config, sync):
        action.add_argument(
            "--root", help="repository root (default: found from the current folder)"
        )


def _run_without_subcommand(args: argparse.Namespace) -> int:
    from generator.errors import UsageError

    raise UsageError(
        "say what to do: 'campaigns bps config' or 'campaigns bps sync'",
        hint="see 'campaigns bps --help'",
    )


def _load(args: argparse.Namespace) -> Any:
    from pathlib import Path

    from generator.loading.repository import find_root
    from generator.pipeline import validate_or_stop

    root = Path(args.root).resolve() if args.root else find_root(Path.cwd())
    return validate_or_stop(root, not_done="no submit file was written, no run was asked about")


def run_config(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from generator.bps.submitconfig import SubmitFile, record_origin, submit_file
    from generator.errors import UsageError
    from generator.model.records import Workflow
    from generator.writing.newfiles import write_atomically

    validated = _load(args)
    repository = validated.repository
    campaign = repository.campaigns.get(args.campaign)
    if campaign is None:
        raise UsageError(
            f"no campaign {args.campaign!r} in the records",
            hint="give the id as in the record's 'id' field",
        )
    origin = record_origin(repository, campaign)

    def configure(workflow: Workflow, table_dir: str) -> SubmitFile:
        return submit_file(
            repository,
            campaign,
            workflow,
            origin,
            operator=args.operator or "",
            table_dir=table_dir,
            lists=validated.lists,
        )

    if args.workflow:
        workflow = next((w for w in campaign.workflows if w.name == args.workflow), None)
        if workflow is None:
            names = ", ".join(w.name for w in campaign.workflows) or "none"
            raise UsageError(
                f"campaign {campaign.id} has no workflow {args.workflow!r}",
                hint=f"its workflows: {names}",
            )
        if args.status:
            raise UsageError("--status selects workflows; leave it out with --workflow")
        target = Path(args.output) if args.output and args.output != "-" else None
        table_dir = str(target.resolve().parent) if target else ""
        config = configure(workflow, table_dir)
        if target is None:
            if config.table is not None:
                raise UsageError(
                    "this workflow needs a data-ID table (its inclusion list), written next to "
                    "the YAML file",
                    hint="give -o FILE",
                )
            sys.stdout.write(config.yaml_text())
            return 0
        files = {target: config.yaml_text()}
        if config.table is not None:
            files[target.parent / config.table_name] = config.table_text()
    else:
        if not args.output or args.output == "-":
            raise UsageError(
                "without --workflow, every workflow gets its own file: give -o DIR",
                hint="or name one workflow with --workflow NAME",
            )
        folder = Path(args.output)
        if folder.exists() and not folder.is_dir():
            raise UsageError(f"{folder} is a file; without --workflow, -o names a folder")
        workflows = [w for w in campaign.workflows if not args.status or w.status in args.status]
        if not workflows:
            raise UsageError(
                f"campaign {campaign.id} has no workflows"
                + (f" with status {', '.join(args.status)}" if args.status else ""),
                hint="add them to the record's 'workflows' (status: planned)",
            )
        table_dir = str(folder.resolve())
        files = {}
        # Every file is worked out before any is written: one refusal leaves nothing half done.
        for workflow in workflows:
            config = configure(workflow, table_dir)
            files[folder / config.file_name] = config.yaml_text()
            if config.table is not None and folder / config.table_name not in files:
                files[folder / config.table_name] = config.table_text()
    for path, content in files.items():
        write_atomically(path, content)
        print(f"wrote {path}")
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from pathlib import Path

    from generator.bps.statussnapshot import snapshot_path
    from generator.bps.sync import apply_record_updates, plan_record_updates, printable, sync
    from generator.bps.wms import FINAL_STATES, choose_service_class, require_ctrl_bps
    from generator.errors import UsageError
    from generator.loading.repository import relative
    from generator.writing.newfiles import write_atomically

    if args.timeout <= 0 or args.hist < 0:
        raise UsageError("--timeout must be positive and --hist not negative")
    require_ctrl_bps()
    validated = _load(args)
    repository = validated.repository
    output = Path(args.output).resolve() if args.output else snapshot_path(repository)
    service = choose_service_class(args.wms_service_class, repository.config.bps_wms_service_class)
    result = sync(
        repository,
        service,
        campaign_ids=args.campaign or (),
        hist_days=args.hist,
        timeout=args.timeout,
        output=output,
    )
    changes = (
        plan_record_updates(repository, result.fresh, result.answer.service_class)
        if args.write_records
        else []
    )
    # Only now, with the whole answer in hand: a failure above kept the previous snapshot.
    write_atomically(output, result.snapshot.to_json())
    runs = result.snapshot.runs
    unlisted = sum(1 for run in runs if not run.listed)
    active = sum(1 for run in result.fresh if run.state not in FINAL_STATES)
    print(
        f"wrote {relative(output, repository.root)}: {len(runs)} run(s), {len(result.fresh)} "
        f"reported now ({active} not finished), {unlisted} not in the records; "
        f"{result.answer.calls} report call(s) to {result.answer.service_class} "
        f"in {result.answer.seconds:.1f} s"
    )
    for message in result.snapshot.messages:
        print("workflow system: " + printable(message))
    if args.write_records:
        for change in changes:
            print(change.describe())
        written = apply_record_updates(repository, changes) if changes else []
        print(
            f"updated {len(written)} record(s): {len(changes)} workflow change(s)"
            + ("; review with 'campaigns diff' and open a pull request" if written else "")
        )
    elif unlisted:
        print("runs not in the records: add them with 'campaigns bps sync --write-records'")
    return 0
