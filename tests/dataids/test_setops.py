"""Set algebra keeps reasons and records provenance; where expressions; effective selections."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.dataids import (
    DataIdList,
    DimensionMismatch,
    ListMetadata,
    diff,
    effective_selection,
    intersect,
    subtract,
    union,
    where_expression,
)
from generator.repository import load_repository

from .conftest import REPOSITORY


def _list(
    dimensions: tuple[str, ...],
    items: list[tuple[tuple[object, ...], str]],
    source: str,
    kind: str = "inclusion",
) -> DataIdList:
    dataids = DataIdList.from_items(dimensions, items, ListMetadata(kind=kind))  # type: ignore[arg-type]
    dataids.source = source
    return dataids


A = _list(("exposure",), [((1,), "good"), ((2,), "good"), ((3,), "template")], "a.yaml")
B = _list(("exposure",), [((3,), "trailed"), ((4,), "donuts")], "b.ecsv", "exclusion")


def test_union_keeps_the_first_lists_reason_and_records_provenance() -> None:
    result = union([A, B])
    assert list(result.items()) == [
        ((1,), "good"),
        ((2,), "good"),
        ((3,), "template"),
        ((4,), "donuts"),
    ]
    assert result.metadata.inputs == ("a.yaml", "b.ecsv")
    assert result.metadata.how == "campaigns dataids union a.yaml b.ecsv"
    assert result.metadata.created.endswith("Z")


def test_intersect_and_subtract() -> None:
    assert list(intersect([A, B]).items()) == [((3,), "template")]
    assert list(subtract(A, B).items()) == [((1,), "good"), ((2,), "good")]
    assert subtract(A, B).metadata.description == "subtract of a.yaml, b.ecsv"


def test_subtracting_fewer_dimensions_removes_every_matching_row() -> None:
    detectors = _list(
        ("exposure", "detector"), [((e, d), "ok") for e in (1, 2) for d in (0, 1)], "d.yaml"
    )
    exposures = _list(("exposure",), [((2,), "donuts")], "x.ecsv", "exclusion")
    assert list(subtract(detectors, exposures).rows) == [(1, 0), (1, 1)]
    with pytest.raises(DimensionMismatch):
        subtract(exposures, detectors)


def test_union_reorders_dimensions_and_refuses_different_ones() -> None:
    one = _list(("instrument", "exposure"), [(("LSSTCam", 1), "a")], "1.yaml")
    two = _list(("exposure", "instrument"), [((2, "LSSTCam"), "b")], "2.yaml")
    assert union([one, two]).rows == [("LSSTCam", 1), ("LSSTCam", 2)]
    with pytest.raises(DimensionMismatch):
        union([one, A])


def test_diff_counts_added_removed_and_changed_reasons() -> None:
    new = _list(("exposure",), [((2,), "good"), ((3,), "messy PSF"), ((5,), "good")], "new.yaml")
    result = diff(A, new)
    assert result.added == [((5,), "good")]
    assert result.removed == [((1,), "good")]
    assert result.reason_changed == [((3,), "template", "messy PSF")]
    assert result.counts("removed") == {"good": 1}
    assert not result.unchanged


def test_where_collapses_consecutive_ids_into_ranges() -> None:
    dataids = _list(
        ("instrument", "exposure"),
        [(("LSSTCam", 2025041800610 + i), "r") for i in range(6)]
        + [(("LSSTCam", 2025041800700), "r")],
        "w.yaml",
    )
    assert (
        where_expression(dataids)
        == "instrument = 'LSSTCam' AND exposure IN (2025041800610..2025041800615, 2025041800700)"
    )
    assert where_expression(dataids, negate=True) == (
        "(instrument != 'LSSTCam' OR exposure NOT IN (2025041800610..2025041800615, 2025041800700))"
    )


def test_where_groups_several_varying_dimensions() -> None:
    dataids = _list(
        ("visit", "detector"), [((10, 1), "r"), ((10, 2), "r"), ((9, 5), "r")], "w.yaml"
    )
    assert (
        where_expression(dataids)
        == "visit IN (9..10) AND (visit != 9 OR detector = 5) AND (visit != 10 OR detector IN (1..2))"
    )
    assert where_expression(dataids, negate=True) == (
        "(visit != 9 OR detector != 5) AND (visit != 10 OR detector NOT IN (1..2))"
    )


def test_effective_selection_of_the_example_rerun() -> None:
    repository = load_repository(REPOSITORY, with_rules=False)
    campaign = repository.campaigns["dr1-mini-drp-rerun-20261103-t5hw"]
    selection = effective_selection(repository, campaign)
    assert selection.problems == []
    assert selection.included is not None and 1200 <= selection.included <= 1300
    assert 50 <= selection.excluded <= 70
    assert selection.overlap == sum(selection.removed_by_reason.values()) > 0
    assert selection.selected == selection.included - selection.overlap
    assert len(selection.overlap_examples) == min(5, selection.overlap)
    assert sum(selection.included_by_reason.values()) == selection.included


def test_effective_selection_without_an_inclusion_list() -> None:
    repository = load_repository(REPOSITORY, with_rules=False)
    selection = effective_selection(repository, repository.campaigns["dr1-full-drp-20261120-w2yd"])
    assert selection.included is None and selection.selected is None
    assert selection.excluded > 0 and selection.overlap == 0


def test_write_all_formats_offers_every_format(tmp_path: Path) -> None:
    from generator.dataids import load_list, write_all_formats

    written = write_all_formats(A, tmp_path, "visits")
    assert sorted(written) == ["csv", "ecsv", "json", "yaml"]
    for path in written.values():
        back, problems = load_list(path)
        assert problems == [] and back is not None
        assert back.same_content(A)
