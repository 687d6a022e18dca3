"""Row values said once on the table (generator/site/shared_values.py): joining the table's
attributes with a row's own gives back that row's values, whatever the rows; the browser does the
same join (tests/browser/test_workflow_links.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from generator.site.shared_values import join, readable_prefix, share

FIELDS = ["system", "run_name", "workflow_output", "run_id"]

# Values drawn from a few stems so rows often share a prefix or the whole value, and from any
# text (empty, quotes, "&", "<", non-ASCII) so the rest is anything.
STEMS = ["", "panda", "LSSTCam/runs/DRP/", "LSSTCam/runs/DRP/DM-1_", "a&b<\"c'/", "é/ü-"]
VALUES = st.builds(lambda stem, tail: stem + tail, st.sampled_from(STEMS), st.text(max_size=6))
ROWS = st.lists(st.dictionaries(st.sampled_from(FIELDS), VALUES), max_size=8)


def full(row: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in row.items() if value}


def split_and_join(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    shared = share(rows, FIELDS)
    table = dict(shared.table_attributes())
    return [join(table, dict(shared.row_attributes(full(row).items()))) for row in rows]


@given(ROWS)
def test_joining_gives_back_every_rows_values(rows: list[dict[str, str]]) -> None:
    assert split_and_join(rows) == [full(row) for row in rows]


@given(ROWS)
def test_what_the_table_says_saves_bytes(rows: list[dict[str, str]]) -> None:
    def size(pairs: list[tuple[str, str]]) -> int:
        return sum(len(f' data-{name}=""') + len(value) for name, value in pairs)

    shared = share(rows, FIELDS)
    before = sum(size(list(full(row).items())) for row in rows)
    after = size(shared.table_attributes()) + sum(
        size(shared.row_attributes(full(row).items())) for row in rows
    )
    assert after <= before
    if shared.every or shared.prefixes:
        assert after < before


def test_a_value_every_row_has_is_said_once() -> None:
    rows = [{"system": "panda", "run_id": str(n)} for n in range(5)]
    shared = share(rows, FIELDS)
    assert shared.table_attributes() == [("cn-all-system", "panda")]
    assert shared.row_attributes([("system", "panda"), ("run_id", "3")]) == [("run_id", "3")]


def test_a_row_without_the_value_never_gets_the_shared_one() -> None:
    output = "LSSTCam/runs/DRP/DR1/v30_0_0/DM-50255/"
    rows = [{"workflow_output": output + f"2025013{n}T030000Z"} for n in range(4)]
    rows += [{}, {"workflow_output": ""}, {"workflow_output": output}]
    shared = share(rows, FIELDS)
    assert shared.prefixes == {"workflow_output": output}
    assert not shared.every  # not every row has it
    table = dict(shared.table_attributes())
    assert shared.row_attributes([]) == []
    assert join(table, {}) == {}  # the rows without a value stay empty
    assert shared.row_attributes([("workflow_output", output)]) == [("workflow_output", "")]
    assert join(table, {"workflow_output": ""}) == {"workflow_output": output}
    assert shared.row_attributes([("workflow_output", output + "20250131T030000Z")]) == [
        ("workflow_output", "20250131T030000Z")
    ]


def test_one_value_shared_by_some_rows_only_is_not_said_for_all() -> None:
    rows = [{"system": "panda"}] * 5 + [{}]
    assert share(rows, FIELDS).every == {}


def test_the_prefix_ends_after_a_non_alphanumeric_character() -> None:
    assert readable_prefix(["LSSTCam_step1-group01_2025", "LSSTCam_step2-group01_2025"]) == (
        "LSSTCam_"
    )
    assert readable_prefix(["850696", "850697"]) == ""
    assert readable_prefix(["a/b/c", "a/b/c"]) == "a/b/"
    assert readable_prefix(["é/ü1", "é/ü2"]) == "é/"


def test_a_short_prefix_is_not_worth_an_attribute() -> None:
    assert share([{"run_name": "a_1"}, {"run_name": "a_2"}], FIELDS).prefixes == {}


def parsed(value: str) -> str:
    """An attribute value as an HTML parser reads it: "\r\n" and a lone "\r" become "\n"."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def test_a_prefix_never_ends_on_a_carriage_return() -> None:
    # Cut after "\r", the prefix "x\r" and a rest "\n1" would each become "\n" in the browser,
    # joining as "x\n\n1" where the value "x\r\n1" reads "x\n1".
    assert readable_prefix(["a/x\r\n1", "a/x\r2"]) == "a/"
    assert readable_prefix(["a/\r\n1", "a/\r2"]) == "a/"
    assert readable_prefix(["a/\r\n1", "a/\r\n2"]) == "a/\r\n"  # whole, "\r\n" is one newline
    rows = [{"run_name": "LSSTCam/runs/x\r" + ("\n" if n % 2 else "") + str(n)} for n in range(6)]
    shared = share(rows, FIELDS)
    assert shared.prefixes == {"run_name": "LSSTCam/runs/"}
    table = {name: parsed(value) for name, value in shared.table_attributes()}
    for row in rows:
        own = {name: parsed(value) for name, value in shared.row_attributes(row.items())}
        assert join(table, own) == {"run_name": parsed(row["run_name"])}


# Values with carriage returns and newlines where rows' common prefixes end.
CR_VALUES = st.builds(
    lambda stem, tail: stem + tail,
    st.sampled_from(["LSSTCam/runs/DRP\r", "LSSTCam/runs/DRP/\r\n", "\r"]),
    st.text("\r\nb/", max_size=4),
)


@given(st.lists(st.dictionaries(st.sampled_from(FIELDS), CR_VALUES), max_size=8))
def test_joining_after_the_parser_gives_back_every_rows_values(
    rows: list[dict[str, str]],
) -> None:
    shared = share(rows, FIELDS)
    table = {name: parsed(value) for name, value in shared.table_attributes()}
    for row in rows:
        own = {name: parsed(value) for name, value in shared.row_attributes(full(row).items())}
        assert join(table, own) == {name: parsed(value) for name, value in full(row).items()}
