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
