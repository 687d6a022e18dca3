"""ECSV interoperability with astropy, both ways (astropy is a test dependency only)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from astropy.table import Table
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from generator.dataids import DataIdList, Dimension, ListMetadata, load_list, write_list

from .conftest import REPOSITORY

# astropy reads a field of only spaces as missing, and strips fields: realistic reasons have neither.
reasons = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=20
).filter(lambda r: r == r.strip() != "")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["LSSTCam", "LSSTComCam"]),
            st.integers(2024100100000, 2034010100000),
            reasons,
        ),
        min_size=1,
        max_size=20,
        unique_by=lambda r: r[:2],
    ),
)
def test_astropy_reads_the_ecsv_we_write(tmp_path: Path, rows: list[tuple[str, int, str]]) -> None:
    metadata = ListMetadata(
        kind="exclusion", description="from a notebook", author="Ana Souza", how="by eye"
    )
    dataids = DataIdList.from_items(
        ("instrument", "exposure"), [((i, e), r) for i, e, r in rows], metadata
    )
    path = tmp_path / "list.ecsv"
    write_list(dataids, path)
    table = Table.read(path, format="ascii.ecsv")
    assert table.colnames == ["instrument", "exposure", "reason"]
    assert [(str(r["instrument"]), int(r["exposure"]), str(r["reason"])) for r in table] == rows
    assert table["exposure"].dtype == np.int64
    assert dict(table.meta) == {
        "kind": "exclusion",
        "description": "from a notebook",
        "author": "Ana Souza",
        "generated_by": {"how": "by eye"},
    }


def test_without_reasons_an_inclusion_list_is_a_pure_data_id_table(tmp_path: Path) -> None:
    dataids = DataIdList.from_items(
        ("instrument", "visit"), [(("LSSTCam", 2026041800610 + i), "good seeing") for i in range(4)]
    )
    path = tmp_path / "table.ecsv"
    write_list(dataids, path, with_reasons=False)
    table = Table.read(path, format="ascii.ecsv")
    assert table.colnames == ["instrument", "visit"]  # every column a dimension, as pipetask wants
    assert list(table["visit"]) == [2026041800610, 2026041800611, 2026041800612, 2026041800613]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.tuples(st.integers(2024100100000, 2034010100000), reasons),
        min_size=1,
        max_size=20,
        unique_by=lambda r: r[0],
    )
)
def test_we_read_the_ecsv_astropy_writes(tmp_path: Path, rows: list[tuple[int, str]]) -> None:
    table = Table(
        [np.array([e for e, _ in rows], dtype=np.uint64), [r for _, r in rows]],
        names=["exposure", "comment"],  # the column names of older exclusion files
    )
    table.meta["kind"] = "exclusion"
    table.meta["description"] = "written by astropy"
    table.meta["generated_by"] = {"how": "Table.write", "commit": "3f2a9c1"}
    path = tmp_path / "astropy.ecsv"
    table.write(path, format="ascii.ecsv", overwrite=True)
    dataids, problems = load_list(path, universe={"exposure": Dimension("exposure", "int")})
    assert [p for p in problems if p.is_error] == []
    assert dataids is not None
    assert list(dataids.items()) == [((e,), r) for e, r in rows]
    assert dataids.metadata == ListMetadata(
        kind="exclusion", description="written by astropy", how="Table.write", commit="3f2a9c1"
    )


def test_astropy_reads_the_example_exclusion_list() -> None:
    table = Table.read(
        REPOSITORY / "campaigns/dataids/lsstcam-exclusions.ecsv", format="ascii.ecsv"
    )
    assert table.colnames == ["exposure", "reason"]
    assert len(table) >= 50
    assert table.meta["kind"] == "exclusion"


# --- reading exactly as astropy reads, whatever the whitespace and quoting -------------------

_cell_text = st.text(alphabet=st.sampled_from(list('ab ,"#\tx')), min_size=1, max_size=8)
_padding = st.text(alphabet=st.sampled_from([" ", "\t"]), max_size=2)


@st.composite
def _written_cell(draw: st.DrawFn) -> str:
    value = draw(_cell_text)
    if draw(st.booleans()) or any(c in value for c in ',"#') or value.strip() != value:
        value = '"' + value.replace('"', '""') + '"'
    return draw(_padding) + value + draw(_padding)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(st.tuples(_padding, _written_cell()), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", " "]),
)
@example(cells=[("", "a"), ("", "a ")], delimiter=" ")  # a trailing space: one more field
@example(cells=[("", "a\x0b")], delimiter=",")  # astropy strips every whitespace at line ends
def test_we_read_any_whitespace_and_quoting_as_astropy_does(
    tmp_path: Path, cells: list[tuple[str, str]], delimiter: str
) -> None:
    from astropy.io.ascii.core import InconsistentTableError

    header = (
        "# %ECSV 1.0\n# ---\n# datatype:\n# - {name: exposure, datatype: int64}\n"
        "# - {name: comment, datatype: string}\n"
        + ("# delimiter: ','\n" if delimiter == "," else "")
        + "# schema: astropy-2.0\n"
        + f"exposure{delimiter}comment\n"
    )
    lines = [f"{pad}{2025041800600 + i}{delimiter}{cell}" for i, (pad, cell) in enumerate(cells)]
    path = tmp_path / "list.ecsv"
    path.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    try:
        table = Table.read(path, format="ascii.ecsv")
    except (InconsistentTableError, ValueError):
        ours, problems = load_list(path)
        assert ours is None or any(p.is_error for p in problems)  # both refuse
        return
    expected = [
        (int(row["exposure"]), "" if np.ma.is_masked(row["comment"]) else str(row["comment"]))
        for row in table
    ]
    ours, problems = load_list(path)
    assert ours is not None, problems
    assert [(row[0], reason) for row, reason in ours.items()] == expected
