"""Every format is a lossless round trip of the model (property tests over random lists)."""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.dataids import FORMATS, DataIdList, Dimension, ListMetadata, write_text
from generator.dataids.formats import parse_text

ONE_LINE = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"))
one_line_text = st.text(alphabet=ONE_LINE, max_size=15)
multi_line_text = st.text(alphabet=st.one_of(ONE_LINE, st.just("\n")), max_size=40)
# Small integers make runs that the YAML form writes as ranges; large ones look like exposure ids.
integers = st.one_of(st.integers(0, 40), st.integers(-(10**15), 10**15))

metadata = st.builds(
    ListMetadata,
    kind=st.sampled_from(["inclusion", "exclusion"]),
    description=multi_line_text,
    author=one_line_text,
    created=one_line_text,
    how=multi_line_text,
    query=multi_line_text,
    notebook=one_line_text,
    commit=one_line_text,
    inputs=st.lists(one_line_text.filter(bool), max_size=3).map(tuple),
)


@st.composite
def dataid_lists(draw: st.DrawFn) -> tuple[DataIdList, dict[str, Dimension]]:
    types = draw(st.lists(st.sampled_from(["int", "str"]), min_size=1, max_size=3))
    names = [f"dim{i}" for i in range(len(types))]
    universe = {name: Dimension(name, kind) for name, kind in zip(names, types, strict=True)}  # type: ignore[arg-type]
    row = st.tuples(*(integers if kind == "int" else one_line_text for kind in types))
    rows = draw(st.lists(row, max_size=30, unique=True))
    reasons = draw(st.lists(one_line_text, min_size=1, max_size=4))
    items = [(r, draw(st.sampled_from(reasons))) for r in rows]
    return DataIdList.from_items(names, items, draw(metadata)), universe


@settings(max_examples=100, deadline=None)
@given(case=dataid_lists(), format_name=st.sampled_from(FORMATS))
def test_every_format_round_trips(
    case: tuple[DataIdList, dict[str, Dimension]], format_name: str
) -> None:
    original, universe = case
    if format_name == "ecsv":  # astropy strips spaces around ECSV values: the writer refuses them
        texts = [
            *original.reasons,
            *(v for row in original.rows for v in row if isinstance(v, str)),
        ]
        assume(all(text == text.strip() for text in texts))
    text = write_text(original, format_name)
    back, problems = parse_text(text, format_name, f"list.{format_name}", universe)
    assert problems == []
    assert back is not None
    assert back.same_content(original), text
    assert write_text(back, format_name) == text  # writing is stable: a second trip changes nothing


@settings(max_examples=60, deadline=None)
@given(case=dataid_lists())
def test_yaml_fast_reader_agrees_with_the_full_parser(
    case: tuple[DataIdList, dict[str, Dimension]],
) -> None:
    original, universe = case
    text = write_text(original, "yaml")
    fast, fast_problems = parse_text(text, "yaml", "list.yaml", universe)
    # A trailing comment is outside the layout the fast reader accepts: the full parser takes over.
    slow, slow_problems = parse_text(text + "# the end\n", "yaml", "list.yaml", universe)
    assert fast_problems == slow_problems == []
    assert fast is not None and slow is not None
    assert fast.same_content(slow)
    assert list(fast.lines or []) == list(slow.lines or [])


def test_yaml_ranges_expand_to_every_combination() -> None:
    text = (
        "kind: inclusion\ndimensions: [instrument, exposure, detector]\ngroups:\n"
        "  - reason: all detectors of three exposures\n    rows:\n"
        "      - [LSSTCam, 2026041800610..2026041800612, 0..188]\n"
    )
    universe = {
        "instrument": Dimension("instrument", "str"),
        "exposure": Dimension("exposure", "int"),
        "detector": Dimension("detector", "int"),
    }
    dataids, problems = parse_text(text, "yaml", "list.yaml", universe)
    assert problems == []
    assert dataids is not None
    assert len(dataids) == 3 * 189
    assert dataids.rows[0] == ("LSSTCam", 2026041800610, 0)
    assert dataids.rows[-1] == ("LSSTCam", 2026041800612, 188)
    # Written back, the product collapses to the same single row.
    assert "      - [LSSTCam, 2026041800610..2026041800612, 0..188]\n" in write_text(
        dataids, "yaml"
    )


def test_yaml_in_another_layout_is_read_by_the_full_parser() -> None:
    # Keys in another order, flow style, comments: not the writer's layout, same meaning.
    text = (
        "groups:\n"
        "- {reason: 'donuts', rows: [2026041800615, 2026041800620..2026041800621]}  # by eye\n"
        "kind: exclusion\n"
        "dimensions: [exposure]\n"
    )
    dataids, problems = parse_text(
        text, "yaml", "list.yaml", {"exposure": Dimension("exposure", "int")}
    )
    assert problems == []
    assert dataids is not None
    assert dataids.kind == "exclusion"
    assert list(dataids.items()) == [
        ((2026041800615,), "donuts"),
        ((2026041800620,), "donuts"),
        ((2026041800621,), "donuts"),
    ]
    assert list(dataids.lines or []) == [2, 2, 2]
