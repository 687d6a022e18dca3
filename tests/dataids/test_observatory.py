"""The observatory's own dialect: comma plus space, exposure/comment, no kind, quoted reasons.

The fixture is written as the public per-camera ``bad.ecsv`` files are; astropy is the reference
reader (the pipelines read these files with it), and a maintainer reviewing a rewrite must see
only the rows that changed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from astropy.table import Table

from generator.cli import main
from generator.dataids import FORMATS, list_stats, load_list, write_list, write_text

from .conftest import CASES

OBSERVATORY = CASES / "observatory" / "bad.ecsv"
WHITESPACE = CASES / "observatory" / "whitespace.ecsv"


def _astropy_rows(path: Path) -> list[tuple[int, str]]:
    table = Table.read(path, format="ascii.ecsv")
    return [(int(row["exposure"]), str(row["comment"])) for row in table]


def _data_lines(text: str) -> list[str]:
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return lines[1:]  # after the column names


@pytest.mark.parametrize("path", [OBSERVATORY, WHITESPACE], ids=["observatory", "whitespace"])
def test_read_exactly_as_astropy_reads_it(path: Path) -> None:
    dataids, problems = load_list(path)
    assert problems == [] and dataids is not None
    assert [(row[0], reason) for row, reason in dataids.items()] == _astropy_rows(path)
    assert dataids.kind == "unspecified"


def test_summary_counts_each_reason_once_sorted_with_a_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    dataids, _ = load_list(OBSERVATORY)
    assert dataids is not None
    assert list(list_stats(dataids).by_reason.items())[:1] == [("trailed", 3)]
    assert main(["dataids", "summary", str(OBSERVATORY)]) == 0
    out = capsys.readouterr().out
    assert "unspecified list, 10 rows" in out
    assert "per reason (6 reasons, 10 rows):" in out
    counts = out.split("per reason")[1].split("per day_obs")[0].splitlines()[1:]
    assert [line.split()[0] for line in counts] == ["3", "3", "1", "1", "1", "1"]
    assert counts[0].split(None, 1)[1] == "trailed"  # the largest first, no ' trailed' twin


def test_an_unchanged_round_trip_changes_no_line(tmp_path: Path) -> None:
    original = OBSERVATORY.read_text(encoding="utf-8")
    dataids, _ = load_list(OBSERVATORY)
    assert dataids is not None
    assert write_text(dataids, "ecsv") == original  # header too: nothing added, nothing lost


@pytest.mark.parametrize("format_name", FORMATS)
def test_every_format_round_trips_to_the_same_data_lines(tmp_path: Path, format_name: str) -> None:
    dataids, _ = load_list(OBSERVATORY)
    assert dataids is not None
    middle = tmp_path / f"middle.{format_name}"
    write_list(dataids, middle)
    back, problems = load_list(middle)
    assert problems == [] and back is not None
    again = tmp_path / "again.ecsv"
    write_list(back, again)
    assert _data_lines(again.read_text(encoding="utf-8")) == _data_lines(
        OBSERVATORY.read_text(encoding="utf-8")
    )
    assert _astropy_rows(OBSERVATORY) == [
        (int(r["exposure"]), str(r[Table.read(again, format="ascii.ecsv").colnames[1]]))
        for r in Table.read(again, format="ascii.ecsv")
    ]


def test_an_edit_changes_only_the_edited_row(tmp_path: Path) -> None:
    dataids, _ = load_list(OBSERVATORY)
    assert dataids is not None
    position = dataids.reasons.index("messy PSF")
    dataids.reasons[position] = "messy PSF, bad seeing"
    before = OBSERVATORY.read_text(encoding="utf-8").splitlines()
    after = write_text(dataids, "ecsv").splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [("2025042100005, messy PSF", '2025042100005, "messy PSF, bad seeing"')]


def test_convert_sets_the_kind(tmp_path: Path) -> None:
    target = tmp_path / "bad.yaml"
    assert (
        main(["dataids", "convert", str(OBSERVATORY), "--kind", "exclusion", "-o", str(target)])
        == 0
    )
    dataids, _ = load_list(target)
    assert dataids is not None and dataids.kind == "exclusion"
    assert "kind: exclusion" in target.read_text(encoding="utf-8")


def test_empty_list_declares_integer_dimensions(tmp_path: Path) -> None:
    dataids, _ = load_list(OBSERVATORY)
    assert dataids is not None
    dataids.rows, dataids.reason_index = [], []
    path = tmp_path / "empty.ecsv"
    write_list(dataids, path)
    assert "{name: exposure, datatype: uint64}" in path.read_text(encoding="utf-8")
    table = Table.read(path, format="ascii.ecsv")
    assert len(table) == 0 and table["exposure"].dtype.kind == "u"
    fresh = tmp_path / "fresh.ecsv"
    from generator.dataids import DataIdList

    write_list(DataIdList(("instrument", "exposure", "detector"), [], [], []), fresh)
    text = fresh.read_text(encoding="utf-8")
    assert (
        "{name: exposure, datatype: int64}" in text and "{name: detector, datatype: int64}" in text
    )


def test_csv_download_neutralises_formulas_and_reads_back(tmp_path: Path) -> None:
    from generator.dataids import DataIdList

    reasons = ['=HYPERLINK("http://x")', "+1", "-2 sigma", "@SUM(A1)", "\tTAB", "'=already", "ok"]
    dataids = DataIdList.from_items(
        ("instrument", "exposure"),
        [(("-LSSTCam", 2025041800600 + i), r) for i, r in enumerate(reasons)],
    )
    text = write_text(dataids, "csv")
    cells = [cell for line in text.splitlines()[1:] for cell in line.split(",")]
    assert not any(cell.lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    path = tmp_path / "list.csv"
    path.write_text(text, encoding="utf-8")
    back, _ = load_list(path)
    assert back is not None and back.same_content(dataids)
    assert '"=HYPERLINK' in write_text(dataids, "json")  # the other formats stay exact
