"""DataId lists of a million rows: convert, validate and subtract in every format."""

from __future__ import annotations

from bench.inputs import write_list_inputs
from bench.measure import (
    LIST_FORMATS,
    ROOT,
    campaigns_command,
    cli_offers,
    fmt_bytes,
    remove,
    run_once,
)
from bench.parts.core import Bench


def lists(bench: Bench) -> None:
    rows = bench.settings.list_rows
    label = f"{rows:,} rows"
    checks = {
        "validate": cli_offers(["dataids", "validate"], "--root"),
        "convert": cli_offers(["dataids", "convert"], "--to"),
        "subtract": cli_offers(["dataids", "subtract"], "--to"),
    }
    if any(checks.values()):
        for operation, why in checks.items():
            for fmt in LIST_FORMATS:
                bench.missing(
                    "lists",
                    f"dataids {operation} ({fmt.upper()})",
                    label,
                    why or "needs convert to make its input",
                )
        return
    folder = bench.settings.work / "lists"
    remove(folder)
    folder.mkdir(parents=True)
    source, exclusions = write_list_inputs(folder, rows)
    (folder / "notebook.yaml").write_text(
        (ROOT / "notebook.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    repeats = min(3, bench.settings.repeats())
    for fmt in LIST_FORMATS:
        target = folder / f"included.{fmt}"
        excluded = folder / f"excluded.{fmt}"
        convert = bench.timed(
            "lists",
            f"dataids convert (ECSV → {fmt.upper()})",
            label,
            campaigns_command(
                "dataids", "convert", "--root", str(folder), str(source), "-o", str(target)
            ),
            folder,
            repeats,
        )
        if convert is None:
            continue
        run_once(
            campaigns_command(
                "dataids",
                "convert",
                "--root",
                str(folder),
                str(exclusions),
                "-o",
                str(excluded),
            ),
            folder,
        )
        size = target.stat().st_size
        convert.other = f"{fmt.upper()} file {fmt_bytes(size)}"
        convert.meaning = f"Reads the ECSV list, checks it and writes it as {fmt.upper()}."
        if fmt == "yaml":
            convert.meaning += (
                " The YAML form writes runs of consecutive values as ranges, so this very"
                " regular list (every detector of consecutive exposures) becomes tiny."
            )
        check = bench.timed(
            "lists",
            f"dataids validate ({fmt.upper()})",
            label,
            campaigns_command("dataids", "validate", "--root", str(folder), str(target)),
            folder,
            repeats,
        )
        if check:
            check.other = f"{fmt.upper()} file {fmt_bytes(size)}"
            check.meaning = f"Loads the {fmt.upper()} list and checks every row: dimensions, types and ranges, duplicates."
        result = folder / f"result.{fmt}"
        subtract = bench.timed(
            "lists",
            f"dataids subtract ({fmt.upper()})",
            label,
            campaigns_command(
                "dataids",
                "subtract",
                "--root",
                str(folder),
                str(target),
                str(excluded),
                "-o",
                str(result),
            ),
            folder,
            repeats,
        )
        if subtract:
            subtract.other = f"{fmt_bytes(result.stat().st_size)} written"
            subtract.meaning = f"Inclusion list minus an exclusion list of 500 exposures (all their detectors go), both {fmt.upper()}, result written as {fmt.upper()}."
    remove(folder)
