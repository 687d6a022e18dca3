"""A small real Butler repository (lsst-daf-butler, SQLite registry) for running where strings.

Dimension records follow lsst/daf/butler/configs/dimensions.yaml: instrument, physical_filter
(with its band), detector, day_obs (with a timespan), group and exposure (which implies
physical_filter, group and day_obs).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

INSTRUMENT = "LSSTCam"
DAYS = (20250418, 20250419, 20250420)
EXPOSURES_PER_DAY = 700
DETECTORS = 12
FILTERS = {"u_24": "u", "g_6": "g", "r_57": "r", "i_39": "i", "z_20": "z", "y_10": "y"}


def exposure_ids() -> list[int]:
    return [day * 100000 + seq for day in DAYS for seq in range(1, EXPOSURES_PER_DAY + 1)]


def filter_of(exposure: int) -> str:
    return list(FILTERS)[exposure % len(FILTERS)]


def make_repository(root: Path) -> Any:
    import astropy.time
    from astropy import units
    from lsst.daf.butler import Butler, Timespan

    Butler.makeRepo(str(root))
    butler = Butler(str(root), writeable=True)
    registry = butler.registry
    registry.insertDimensionData(
        "instrument",
        {
            "name": INSTRUMENT,
            "visit_max": 2**40,
            "visit_system": 0,
            "exposure_max": 2**40,
            "detector_max": 200,
            "class_name": "lsst.obs.lsst.LsstCam",
        },
    )
    registry.insertDimensionData(
        "physical_filter",
        *[{"instrument": INSTRUMENT, "name": name, "band": band} for name, band in FILTERS.items()],
    )
    registry.insertDimensionData(
        "detector",
        *[{"instrument": INSTRUMENT, "id": i, "full_name": f"R{i:02d}"} for i in range(DETECTORS)],
    )
    start = astropy.time.Time("2025-04-18T12:00:00", scale="tai")
    registry.insertDimensionData(
        "day_obs",
        *[
            {
                "instrument": INSTRUMENT,
                "id": day,
                "timespan": Timespan(start + i * units.day, start + (i + 1) * units.day),
            }
            for i, day in enumerate(DAYS)
        ],
    )
    exposures = exposure_ids()
    registry.insertDimensionData(
        "group", *[{"instrument": INSTRUMENT, "name": f"g{e}"} for e in exposures]
    )
    registry.insertDimensionData(
        "exposure",
        *[
            {
                "instrument": INSTRUMENT,
                "id": e,
                "obs_id": f"MC_O_{e}",
                "physical_filter": filter_of(e),
                "group": f"g{e}",
                "day_obs": e // 100000,
            }
            for e in exposures
        ],
    )
    return Butler(str(root))
