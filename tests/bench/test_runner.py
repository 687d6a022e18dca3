"""The runner's building blocks: measuring a child, failing loudly, reporting missing pieces."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

import pytest
import yaml

from bench.inputs import write_plain_mkdocs_config
from bench.measure import (
    TABLE_END,
    TABLE_START,
    CommandFailed,
    Row,
    Run,
    cli_offers,
    measure,
    run_once,
)
from bench.results import markdown_table, merged_results, replace_results


def test_a_run_reports_wall_time_and_the_childs_own_peak_memory(tmp_path: Path) -> None:
    grow = "block = bytearray(64 * 1024 * 1024); block[::4096] = b'x' * len(block[::4096])"
    big = run_once([sys.executable, "-c", grow], tmp_path)
    small = run_once([sys.executable, "-c", "pass"], tmp_path)
    assert big.seconds > 0 and small.seconds > 0
    assert big.peak_kib - small.peak_kib > 60 * 1024  # the 64 MiB block
    # An interpreter doing nothing: the figure does not include the (larger) test process.
    assert small.peak_kib < 20 * 1024


def test_a_figure_repeats_until_its_runs_or_its_budget_run_out(tmp_path: Path) -> None:
    sleep = [sys.executable, "-c", "import time; time.sleep(0.2)"]
    # The budget (wall seconds) stops the repeats after the run that spends it...
    assert len(measure(sleep, tmp_path, repeats=5, budget=0.1)) == 1
    # ...and a larger one (--figure-budget) lets all the runs asked for (--runs) happen.
    assert len(measure(sleep, tmp_path, repeats=3, budget=60)) == 3


def test_a_failing_command_raises_with_its_output(tmp_path: Path) -> None:
    command = [sys.executable, "-c", "import sys; print('broken record'); sys.exit(3)"]
    with pytest.raises(CommandFailed) as failure:
        run_once(command, tmp_path)
    assert failure.value.code == 3
    assert "broken record" in failure.value.output


def test_a_missing_cli_option_is_reported_as_not_available() -> None:
    assert cli_offers(["validate"], "--root") is None
    why = cli_offers(["validate"], "--no-such-option")
    assert why == "`campaigns validate` has no `--no-such-option` yet"


def test_missing_and_measured_rows_both_make_table_lines() -> None:
    rows = [
        Row(
            "validate", "campaigns validate", "100 campaigns", [Run(2.0, 1.5, 40 * 1024)], "x", "y"
        ),
        Row(
            "site",
            "campaigns generate",
            "100 campaigns",
            status="failed",
            detail="missing: z",
        ),
    ]
    lines = markdown_table(rows).splitlines()
    assert len(lines) == 4
    assert "| 2.00 s | 1.50 s | 40 MiB | x | y |" in lines[2]
    assert "missing: z" in lines[3]


def test_the_results_block_is_replaced_and_the_prose_kept(tmp_path: Path) -> None:
    page = tmp_path / "benchmarks.md"
    page.write_text(
        f"# B\n\nIntro.\n\n{TABLE_START}\nold\n{TABLE_END}\n\n## Where the time goes\n\nProse.\n"
    )
    replace_results(page, f"{TABLE_START}\nnew\n{TABLE_END}")
    text = page.read_text()
    assert "old" not in text
    assert text.startswith("# B\n\nIntro.\n\n")
    assert text.endswith("new\n" + TABLE_END + "\n\n## Where the time goes\n\nProse.\n")


def test_the_plain_mkdocs_config_drops_only_the_notebook_plugin(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: N\nplugins:\n  - search\n  - tags: {tags_file: tags.md}\n  - campaign-notebook\n"
        "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
        "        - name: mermaid\n          format: !!python/name:pymdownx.superfences.fence_code_format\n"
    )
    config = write_plain_mkdocs_config(tmp_path, tmp_path / "generated", tmp_path / "plain.yml")
    settings = yaml.safe_load(config.read_text())
    assert settings == {
        "INHERIT": str(tmp_path / "mkdocs.yml"),
        "docs_dir": str(tmp_path / "generated"),
        "plugins": ["search", {"tags": {"tags_file": "tags.md"}}],
    }


def test_separate_runs_merge_into_one_table_in_part_and_scale_order(tmp_path: Path) -> None:
    def result(date: str, commit: str, rows: list[Row]) -> Path:
        path = tmp_path / f"{commit}.json"
        machine = {"cores": 2, "memory_gib": 8, "cpu": "x", "python": "3.11", "system": "Linux"}
        content = {
            "machine": {**machine, "date": date, "commit": commit},
            "scales": sorted({row.campaigns for row in rows}),
            "list_rows": 1000,
            "rows": [asdict(row) for row in rows],
        }
        path.write_text(json.dumps(content))
        return path

    run = [Run(1.0, 1.0, 1024)]
    site = result("2026-11-24 22:50 UTC", "bbb", [Row("site", "generate", "5,000 campaigns", run)])
    first = result(
        "2026-11-24 22:38 UTC",
        "aaa",
        [
            Row("site", "generate", "1,000 campaigns", run),
            Row("validate", "campaigns validate", "100 campaigns", run),
        ],
    )
    rows, info, scales, list_rows = merged_results([site, first])
    assert [(row.part, row.scale) for row in rows] == [
        ("validate", "100 campaigns"),
        ("site", "1,000 campaigns"),
        ("site", "5,000 campaigns"),
    ]
    assert scales == [100, 1000, 5000] and list_rows == 1000
    assert info["commit"] == "bbb, aaa"
    assert info["date"] == "2 runs from 2026-11-24 22:38 UTC to 2026-11-24 22:50 UTC"


def test_the_plain_mkdocs_config_keeps_hooks_where_they_are(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: N\nhooks:\n  - overrides/hooks/page_shell.py\nplugins:\n  - campaign-notebook\n"
    )
    config = write_plain_mkdocs_config(tmp_path, tmp_path / "generated", tmp_path / "p.yml")
    settings = yaml.safe_load(config.read_text())
    assert settings["hooks"] == [str(tmp_path / "overrides" / "hooks" / "page_shell.py")]


def test_the_browser_part_counts_bytes_at_the_server(tmp_path: Path) -> None:
    """Every response body the benchmark's server sends is counted, whoever asked for it (a
    page, or Pagefind's web worker, whose requests Playwright does not report)."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.request import urlopen

    from bench.browser import BytesSent, served

    (tmp_path / "a.txt").write_bytes(b"x" * 1000)
    (tmp_path / "b.bin").write_bytes(b"y" * 2345)
    sent = BytesSent()
    with served(tmp_path, sent) as base:
        with ThreadPoolExecutor(4) as pool:
            bodies = list(
                pool.map(lambda name: urlopen(base + name).read(), ["a.txt", "b.bin"] * 3)
            )
        assert sent.total == 3 * (1000 + 2345) == sum(len(body) for body in bodies)
