"""Golden files: the example records in, the expected Markdown (and JSON export) out.

After an intended change, ``make golden`` rewrites tests/site/golden/; review its diff like code.
"""

from __future__ import annotations

import difflib
import gzip
import shutil
from pathlib import Path

from generator.site.build import build_notebook
from tests.site.conftest import GOLDEN, fixed_now


def generated_files(root: Path) -> dict[str, bytes]:
    """Every file the generator writes itself (copied assets and hand-written docs left out)."""
    notebook = build_notebook(root, fixed_now())
    files = {path: text.encode() for path, text in notebook.pages.items()}
    for path, content in notebook.files.items():
        # Kept unpacked (``<id>.json``), so that a change reads as a diff.
        if path.endswith(".gz"):
            files[path.removesuffix(".gz")] = gzip.decompress(content)
        else:
            files[path] = content
    return files


def test_golden_pages_match_the_example_records(notebook_root: Path, update_golden: bool) -> None:
    produced = generated_files(notebook_root)
    if update_golden:
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, content in produced.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(content)
    expected = {
        path.relative_to(GOLDEN).as_posix(): path.read_bytes()
        for path in sorted(GOLDEN.rglob("*"))
        if path.is_file()
    }
    assert sorted(produced) == sorted(expected), "pages added or removed; run `make golden`"
    differing = [path for path in produced if produced[path] != expected[path]]
    if differing:
        first = differing[0]
        diff = difflib.unified_diff(
            expected[first].decode().splitlines(),
            produced[first].decode().splitlines(),
            f"golden/{first}",
            f"generated/{first}",
            lineterm="",
        )
        raise AssertionError(
            f"{len(differing)} page(s) differ from the golden files: {', '.join(differing)}\n"
            + "\n".join(list(diff)[:60])
            + "\n(if intended, run `make golden` and review the diff)"
        )
