"""From a clicked bar, point or matrix cell to the contract list's parameters."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import drill
from dashboard.page.matrix_links import cell_params, matrix_table
from dashboard.views.monitoring import FINDING_LISTS


def link(**extra: str) -> dict:
    """A stand-in for `PageContext.link`: the page's filters plus the drill keys."""
    return {"product": "loan", "lang": "en", **extra}


def test_a_bucket_bar_drills_to_its_bucket_at_its_month() -> None:
    to = drill.bucket(link)
    point = {"x": "2026-10", "y": 12.5, "curve_number": 3, "customdata": [1.2, 4, "M3"]}
    assert to(point) == {"product": "loan", "lang": "en", "bucket": "M3", "as_of": "2026-10"}


def test_a_segment_bar_drills_to_its_value_and_others_to_nothing() -> None:
    to = drill.segment(link, "industry", 1, threshold="60")
    assert to({"x": "建筑业", "customdata": ["3 / 10", "E"]}) == {
        "product": "loan",
        "lang": "en",
        "segment": "industry:E",
        "threshold": "60",
    }
    assert to({"x": "其他（3 项）", "customdata": ["1 / 2", None]}) is None


def test_forged_points_drill_nowhere() -> None:
    to = drill.bucket(link)
    assert to({}) is None
    assert to({"x": "2026-10", "customdata": "M3"}) is None
    assert to({"x": 7, "customdata": [0, 0, "M3"]}) is None
    assert drill.segment(link, "region", 2)({"customdata": [1, 2]}) is None


CELLS = pd.DataFrame(
    {
        "from_bucket": ["M0", "M0", "M1", "M1"],
        "to_bucket": ["M0", "M1", "M0", "M1"],
        "contracts": [9, 1, 0, 2],
        "count_share": [0.9, 0.1, 0, 1],
    }
)


def test_matrix_table_is_rows_by_columns_as_shown() -> None:
    table = matrix_table(CELLS, "from_bucket", "to_bucket", "count_share")
    assert list(table.columns) == ["_row", "M0", "M1"]
    assert table.values.tolist() == [["M0", "90.00%", "10.00%"], ["M1", "0.00%", "100.00%"]]


def test_a_cell_drills_to_its_row_and_column_and_an_empty_cell_nowhere() -> None:
    def params(src: str, dst: str) -> dict:
        return link(roll=f"{src}:{dst}")

    assert cell_params(CELLS, "from_bucket", "to_bucket", (1, "M1"), params)["roll"] == "M1:M1"
    assert cell_params(CELLS, "from_bucket", "to_bucket", [0, "M1"], params)["roll"] == "M0:M1"
    # M1 -> M0 holds no contract; the row names, a row past the end and junk are no cells
    for cell in [(1, "M0"), (0, "_row"), (2, "M0"), (-1, "M0"), ("0", "M0"), None, (0,)]:
        assert cell_params(CELLS, "from_bucket", "to_bucket", cell, params) is None


def test_a_trend_point_drills_to_the_contracts_behind_it_at_its_month() -> None:
    to = drill.trend(link)
    rate = {"x": "2026-09", "customdata": "overdue_rate_balance_dpd90"}
    assert to(rate) == {"product": "loan", "lang": "en", "as_of": "2026-09", "threshold": "90"}
    book = {"x": "2026-09", "customdata": "outstanding"}
    assert to(book) == {"product": "loan", "lang": "en", "as_of": "2026-09"}
    # NPL is three classes at once: no list of its own; forged metrics and months drill nowhere
    for point in [
        {"x": "2026-09", "customdata": "npl_ratio"},
        {"x": "2026-09", "customdata": "__class__"},
        {"x": None, "customdata": "outstanding"},
        {"x": "2026-09", "customdata": ["outstanding"]},
    ]:
        assert to(point) is None


def test_a_vintage_point_drills_to_its_cohort_at_its_mob_and_month() -> None:
    """Cohort 2024-03 at MOB 5 is the month-end 2024-08; quarter cohort 2024Q1 at MOB 2 is
    mature (and listed) at the month its last start month, March, reaches MOB 2: 2024-05."""
    month = drill.vintage(link, 1)
    assert month({"x": 5, "y": 1.5, "customdata": "2024-03"}) == {
        "product": "loan",
        "lang": "en",
        "vintage": "2024-03:5",
        "as_of": "2024-08",
    }
    quarter = drill.vintage(link, 3)
    assert quarter({"x": 2.0, "customdata": "2024Q1"})["as_of"] == "2024-05"
    for point in [
        {"x": 5, "customdata": "2024-3"},
        {"x": "5", "customdata": "2024-03"},
        {"x": -1, "customdata": "2024-03"},
        {"x": True, "customdata": "2024-03"},
        {"x": 5, "customdata": ["2024-03"]},
        {"x": 5},
    ]:
        assert month(point) is None


def test_a_concentration_bar_drills_to_its_exposure() -> None:
    to = drill.exposure(link)
    assert to({"y": "单一集团 · G1", "customdata": ["group", "G1"]})["exposure"] == "group:G1"
    total = to({"customdata": ["related_parties_total", None]})
    assert total["exposure"] == "related_parties_total:"
    for point in [{}, {"customdata": "group"}, {"customdata": ["group", 7]}, {"customdata": [1]}]:
        assert to(point) is None


def test_a_monitoring_bar_drills_to_its_measures_list_at_its_month() -> None:
    """geofence exits of 2026-09 -> contracts with geofence exits in that month; a measure
    without a list of its own (fitted devices) and forged points drill nowhere."""
    to = drill.month_lists(link, {"geofence_exits": {"device": "geofence_exit"}})
    assert to({"x": "2026-09", "customdata": "geofence_exits"}) == {
        "product": "loan",
        "lang": "en",
        "as_of": "2026-09",
        "device": "geofence_exit",
    }
    for point in [
        {"x": "2026-09", "customdata": "devices"},
        {"x": "2026-09", "customdata": ["geofence_exits"]},
        {"x": 9, "customdata": "geofence_exits"},
        {},
    ]:
        assert to(point) is None


def test_a_vintage_triangle_cell_drills_like_its_curve_point() -> None:
    """Cohort 2024-03 × MOB 2 (mature) -> vintage=2024-03:2 at 2024-05; its immature MOB 3
    cell holds no list."""
    frame = pd.DataFrame(
        {
            "cohort": ["2024-03", "2024-03", "2024-03"],
            "mob": [1, 2, 3],
            "mature": [True, True, False],
            "cohort_contracts": [4, 4, 4],
            "ever30_rate": [0.0, 0.25, None],
        }
    )
    cells = drill.vintage_cells(frame, "ever30_rate")
    assert list(cells["contracts"]) == [4, 4, 0]
    params = drill.vintage_cell(link, 1)
    assert cell_params(cells, "cohort", "mob", (0, "2"), params) == {
        "product": "loan",
        "lang": "en",
        "vintage": "2024-03:2",
        "as_of": "2024-05",
    }
    assert cell_params(cells, "cohort", "mob", (0, "3"), params) is None
    table = matrix_table(cells, "cohort", "mob", "ever30_rate")
    assert table.values.tolist() == [["2024-03", "0.00%", "25.00%", "—"]]


def test_a_findings_bar_drills_to_its_status_at_its_month() -> None:
    to = drill.month_lists(link, FINDING_LISTS)
    assert to({"x": "2026-08", "customdata": "missing"})["finding"] == "missing"
    assert to({"x": "2026-08", "customdata": "normal"}) is None  # not drawn, no list
