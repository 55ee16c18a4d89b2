"""Chart axes carry one unit each: a rate never sits on a count or money axis."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.charts import analytics, monitoring

SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)
DEVICES = pd.DataFrame(
    {
        "month_end": [SEP, OCT],
        "geofence_exits": [2, 1],
        "abnormal_stops": [1, 0],
        "offline_rate": [0.25, 0.125],
    }
)


def test_device_events_and_offline_rate_have_an_axis_each() -> None:
    fig = monitoring.bars_and_rate(
        DEVICES, ["geofence_exits", "abnormal_stops"], "offline_rate", "zh", "ch.events"
    )
    left, right = fig.layout.yaxis, fig.layout.yaxis2
    assert left.title.text == "次数" and right.title.text == "离线率 (%)"
    # counts in whole steps of 1 (the largest bar is 2); the rate axis keeps its decimals
    assert (left.tickformat, left.dtick, left.tick0) == (",d", 1, 0)
    assert right.tickformat is None and right.dtick is None and right.tickmode == "auto"
    assert [trace.yaxis for trace in fig.data] == [None, None, "y2"]
    assert list(fig.data[2].y) == [25.0, 12.5]


def test_inspection_axes_in_english() -> None:
    frame = pd.DataFrame(
        {"month_end": [OCT], "covered": [30], "overdue": [10], "not_yet_due": [5]}
    ).assign(coverage_rate=[0.75])
    bars = ["covered", "overdue", "not_yet_due"]
    fig = monitoring.bars_and_rate(frame, bars, "coverage_rate", "en", "ch.assets")
    assert fig.layout.yaxis.title.text == "Assets"
    assert fig.layout.yaxis2.title.text == "Coverage rate (%)"
    assert fig.layout.yaxis.dtick == 5  # 30 / 6 = 5: whole ticks 0, 5, 10 …


def test_count_bars_tick_in_whole_numbers() -> None:
    frame = pd.DataFrame({"band": ["d0_30", "d31_90"], "lessees": [1, 2]})
    fig = monitoring.count_bars(frame, "band", "lessees", "zh")
    assert (fig.layout.yaxis.tickformat, fig.layout.yaxis.dtick) == (",d", 1)
    assert fig.layout.yaxis.title.text == "承租人数"


def test_money_and_rate_axes_name_their_unit() -> None:
    frame = pd.DataFrame(
        {"month_end": [OCT], "outstanding": [20000], "npl_outstanding": [0], "npl_ratio": [0.02]}
    )
    money = analytics.trend_lines(frame, ["outstanding", "npl_outstanding"], "zh", percent=False)
    assert money.layout.yaxis.title.text == "余额（万元）" and list(money.data[0].y) == [2.0]
    assert money.layout.yaxis.tickformat == ",~f"  # 60,000 万元, never "60k"
    rates = analytics.trend_lines(frame, ["npl_ratio"], "en", percent=True)
    assert rates.layout.yaxis.title.text == "Rate (%)" and list(rates.data[0].y) == [2.0]
    rec = pd.DataFrame({"month_end": [OCT], "channel": ["phone"], "recovered": [15000]})
    fig = monitoring.stacked_months(rec, "channel", "recovered", "zh", money=True)
    assert fig.layout.yaxis.title.text == "30天内回款（万元）"
    assert fig.layout.yaxis.tickformat == ",~f"  # money keeps its decimals (1.5 万元), no "k"
    assert list(fig.data[0].y) == [1.5]
