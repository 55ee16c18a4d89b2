"""Long category lists: the largest N drawn and the rest as one "others" bar, worked by hand."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from dashboard.charts import analytics
from dashboard.charts.topn import top_and_others


def _regions() -> pd.DataFrame:
    # 5 regions; with top=2, "others" = R3 + R4 + R5.
    return pd.DataFrame(
        {
            "region": ["R1", "R2", "R3", "R4", "R5"],
            "outstanding": [10000, 50000, 30000, 20000, 40000],
            "npl_outstanding": [0, 5000, 3000, 0, 6000],
            "outstanding_dpd30": [0, 5000, 6000, 2000, 6000],
            "npl_ratio": [0, 0.1, 0.1, 0, 0.15],
            "overdue_rate_balance_dpd30": [0, 0.1, 0.2, 0.1, 0.15],
        }
    )


def test_breakdown_draws_the_top_two_and_the_other_three_summed() -> None:
    fig = analytics.breakdown_bar(_regions(), "region", "zh", top=2)
    bar = fig.data[0]
    assert list(bar.x) == ["R2", "R5", "其他（3 项）"]
    # others: 30,000 + 20,000 + 10,000 = 60,000 = 6.00 万元
    assert list(bar.y) == [5.0, 4.0, 6.0]
    # NPL 3,000 + 0 + 0 = 3,000 ÷ 60,000 = 5.00%; 30+ 6,000 + 2,000 + 0 = 8,000 ÷ 60,000 = 13.33%
    others = bar.customdata[-1]
    assert others[0] == 5.0 and round(others[1], 2) == 13.33 and others[2] is None
    assert [c[2] for c in bar.customdata[:2]] == ["R2", "R5"]


def test_a_short_list_is_drawn_whole_largest_first() -> None:
    fig = analytics.breakdown_bar(_regions(), "region", "en", top=4)
    # 5 rows ≤ top + 1: an "others" bar of one row would hide a name for nothing
    assert list(fig.data[0].x) == ["R2", "R5", "R3", "R4", "R1"]


def test_segment_rate_others_is_summed_numerators_over_summed_denominators() -> None:
    frame = pd.DataFrame(
        {
            "branch": ["A", "B", "C", "D"],
            "numerator": [1, 2, 3, 0],
            "denominator": [10, 40, 20, 5],
            "rate": [0.1, 0.05, 0.15, 0],
        }
    )
    fig = analytics.segment_rate_bar(frame, "branch", "en", top=2)
    assert list(fig.data[0].x) == ["B", "C", "Others (2)"]
    # others: (1 + 0) ÷ (10 + 5) = 6.67%
    assert [round(v, 2) for v in fig.data[0].y] == [5.0, 15.0, 6.67]
    assert [c[0] for c in fig.data[0].customdata] == ["2 / 40", "3 / 20", "1 / 15"]
    # a click drills by the bar's value; the "others" bar has none
    assert [c[1] for c in fig.data[0].customdata] == ["B", "C", None]


def test_top_and_others_keeps_exact_sums_and_a_zero_denominator_gap() -> None:
    frame = pd.DataFrame({"k": ["a", "b", "c", "d"], "n": [3, 2, 0, 0], "d": [3, 2, 0, 0]})
    rows, rest = top_and_others(frame, "d", ["n", "d"], {"r": ("n", "d")}, n=2)
    assert rest == 2 and list(rows["k"]) == ["a", "b", None]
    assert rows.iloc[-1]["d"] == Decimal(0) and rows.iloc[-1]["r"] is None


def _exposures(count: int) -> pd.DataFrame:
    # lessee i has ratio i% against a 10% limit; group G has 20% against 50%; L12 breaches
    rows = [
        {"kind": "lessee", "key": f"L{i}", "name": f"L{i}", "ratio": i / 100, "limit": 0.1}
        for i in range(1, count + 1)
    ]
    rows.append({"kind": "group", "key": "G", "name": None, "ratio": 0.2, "limit": 0.5})
    frame = pd.DataFrame(rows)
    frame["breach"] = [r > lim for r, lim in zip(frame["ratio"], frame["limit"], strict=True)]
    return frame


def test_concentration_draws_the_top_n_nearest_their_limit_and_every_breach() -> None:
    frame = _exposures(12)  # 13 exposures: L12 and L11 breach (12%, 11% > 10%)
    fig = analytics.concentration_bar(frame, "zh", top=3)
    bars = fig.data[0]
    # ratio ÷ limit: L12 1.2, L11 1.1, L10 1.0, L9 0.9 … G 0.4
    assert list(bars.y) == ["单一承租人 · L12", "单一承租人 · L11", "单一承租人 · L10"]
    assert list(bars.marker.color) == ["#d32f2f", "#d32f2f", "#1565c0"]
    # the 10 not drawn: L1 … L9 and G; the largest of their ratios is G's 20%
    assert fig.layout.title.text == "另有 10 项未绘出（最高占比 20.00%），见下表"


def test_concentration_keeps_a_breach_beyond_the_top_n() -> None:
    frame = _exposures(12)
    fig = analytics.concentration_bar(frame, "en", top=1)
    assert len(fig.data[0].y) == 2  # L12 (top 1) and L11, also over its limit
    assert fig.layout.title.text == "11 more not drawn (largest ratio 20.00%): see the table"


def test_industry_and_region_bars_are_named_by_their_standard_names() -> None:
    # R2 (50,000) and R5 (40,000) coded as GB/T 2260 440100 and 110100
    regions = _regions().iloc[[1, 4]].assign(region=["440100", "110100"])
    assert list(analytics.breakdown_bar(regions, "region", "zh").data[0].x) == ["广州市", "北京市"]
    industries = regions.rename(columns={"region": "industry"}).assign(industry=["E", "C"])
    fig = analytics.breakdown_bar(industries, "industry", "en")
    assert list(fig.data[0].x) == ["Construction", "Manufacturing"]
    # the drill keeps the code
    assert [c[2] for c in fig.data[0].customdata] == ["E", "C"]
