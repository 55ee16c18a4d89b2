"""Vintage curves: a readable number of cohorts by default, a legend beside the plot."""

from __future__ import annotations

import pandas as pd

from dashboard.charts import analytics
from dashboard.charts.topn import latest


def _curves(cohorts: list[str]) -> pd.DataFrame:
    rows = [
        {"cohort": c, "mob": mob, "ever30_rate": 0.01 * mob} for c in cohorts for mob in range(3)
    ]
    return pd.DataFrame(rows)


def test_the_latest_twelve_of_fifteen_monthly_cohorts_are_drawn() -> None:
    # 2023-10 … 2024-12: 15 cohorts; the latest 12 start at 2024-01
    months = [f"2023-{m}" for m in ("10", "11", "12")] + [f"2024-{m:02d}" for m in range(1, 13)]
    fig = analytics.vintage_lines(latest(_curves(months), "cohort", 12), "ever30_rate", "zh")
    assert [line.name for line in fig.data] == [f"2024-{m:02d}" for m in range(1, 13)]
    assert fig.layout.legend.orientation == "v" and fig.layout.legend.x == 1.02
    # time order in shade: the oldest line lightest, the newest darkest, all different
    assert len({line.line.color for line in fig.data}) == 12


def test_latest_sorts_quarters_by_time() -> None:
    quarters = ["2024Q2", "2023Q4", "2024Q1", "2023Q3"]
    assert sorted(set(latest(_curves(quarters), "cohort", 2)["cohort"])) == ["2024Q1", "2024Q2"]


def test_immature_mobs_are_left_off_and_each_point_carries_its_cohort() -> None:
    """2024-05 is mature at MOB 0-1 only (None after): its curve is 2 points, each with its
    cohort for a click's drill, so the axis ends at the data and not at MOB 3."""
    frame = pd.DataFrame(
        {
            "cohort": ["2024-04"] * 4 + ["2024-05"] * 4,
            "mob": [0, 1, 2, 3] * 2,
            "ever30_rate": [0, 0.01, 0.02, None, 0, 0.05, None, None],
        }
    )
    older, newer = analytics.vintage_lines(frame, "ever30_rate", "zh").data
    assert (list(older.x), list(older.y)) == ([0, 1, 2], [0, 1, 2])
    assert (list(newer.x), list(newer.y), list(newer.customdata)) == (
        [0, 1],
        [0, 5],
        ["2024-05"] * 2,
    )
