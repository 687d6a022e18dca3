"""The dataQuery `campaigns bps config` writes runs in a real Butler (SQLite registry) and, joined
with its data-ID table as pipetask joins it, selects what the record's selection says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from astropy.table import Table

from tests.bps.conftest import DEMO, Notebook
from tests.bps.test_config import _bps_config

pytestmark = pytest.mark.slow

# The test records' inclusion list (tests/bps/repo/campaigns/dataids/visits.yaml) and exclusions.
INCLUDED = {
    *range(2026040300171, 2026040300176),
    *range(2026040700710, 2026040700713),
    2026041100837,
}
EXCLUDED = {2026040300173, 2026040300174, 2026040700711}
# In the registry, besides those: one exposure before April (the query's day_obs cut keeps it
# out), one in April outside the inclusion list, one in May (outside step2-group1's range).
OTHERS = {2026033000001, 2026040300180, 2026050100001}


def make_butler(root: Path) -> Any:
    from lsst.daf.butler import Butler

    Butler.makeRepo(str(root))
    butler = Butler(str(root), writeable=True)
    registry = butler.registry
    registry.insertDimensionData(
        "instrument",
        {
            "name": "LSSTCam",
            "visit_max": 10**14,
            "visit_system": 0,
            "exposure_max": 10**14,
            "detector_max": 200,
            "class_name": "lsst.obs.lsst.LsstCam",
        },
    )
    registry.insertDimensionData(
        "physical_filter", {"instrument": "LSSTCam", "name": "r_57", "band": "r"}
    )
    days: set[int] = set()
    for exposure in sorted(INCLUDED | OTHERS):
        day = exposure // 100_000
        if day not in days:
            registry.insertDimensionData("day_obs", {"instrument": "LSSTCam", "id": day})
            registry.insertDimensionData("group", {"instrument": "LSSTCam", "name": f"g{day}"})
            days.add(day)
        registry.insertDimensionData(
            "exposure",
            {
                "instrument": "LSSTCam",
                "id": exposure,
                "obs_id": f"MC_O_{exposure}",
                "physical_filter": "r_57",
                "group": f"g{day}",
                "day_obs": day,
            },
        )
    return butler


def test_data_query_and_table_select_the_records_selection(
    notebook: Notebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = notebook.campaigns("bps", "config", DEMO, "--workflow", "step2-group1", "-o", "s.yaml")
    assert result.code == 0, result.err
    config = _bps_config(notebook.root / "s.yaml", monkeypatch)
    query = config.search("dataQuery", opt={"searchobj": config["payload"]})[1]
    butler = make_butler(tmp_path / "butler")
    found = {
        row["exposure"]
        for row in butler.query_data_ids(
            ["exposure"], where=query, instrument="LSSTCam", limit=None
        )
    }
    # The query: April (or the one named exposure), the group's range, no excluded exposure.
    assert found == (INCLUDED | {2026040300180}) - EXCLUDED
    # pipetask joins the data-ID table on its dimension columns: what the record selects.
    table = Table.read(notebook.root / "visits.data-id-table.ecsv", format="ascii.ecsv")
    selected = found & {int(e) for e in table["exposure"]}
    assert selected == INCLUDED - EXCLUDED
