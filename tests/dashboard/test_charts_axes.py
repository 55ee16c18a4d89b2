"""Chart axes: a month-end sits at its own month, labels read the same in both languages."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from dashboard.charts import analytics, monitoring
from dashboard.charts.axes import month_label, whole_step

SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)


def _months_of(fig) -> list[str]:
    return list(fig.layout.xaxis.categoryarray)


def test_month_label_is_the_month_of_the_month_end() -> None:
    assert month_label(OCT) == "2026-10"
    assert month_label(pd.Timestamp("2026-10-31")) == "2026-10"
    assert month_label("2026-12-31") == "2026-12"
    assert month_label(None) is None


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_trend_point_of_october_31_sits_at_2026_10(lang: str) -> None:
    frame = pd.DataFrame(
        {"month_end": [SEP, OCT], "outstanding": [10000, 20000], "npl_ratio": [0.01, 0.02]}
    )
    fig = analytics.trend_lines(frame, ["npl_ratio"], lang, percent=True)
    assert list(fig.data[0].x) == ["2026-09", "2026-10"]
    assert fig.layout.xaxis.type == "category"
    assert _months_of(fig) == ["2026-09", "2026-10"]  # no "Oct", "Nov" in either language


def test_bucket_bar_of_october_31_sits_at_2026_10_in_calendar_order() -> None:
    # M1 has no September row: the axis still runs September, October (not first-seen order).
    frame = pd.DataFrame(
        {
            "month_end": [OCT, SEP, OCT],
            "dpd_bucket": ["M0", "M0", "M1"],
            "outstanding": [90000, 100000, 10000],
            "contracts": [9, 10, 1],
            "balance_share": [0.9, 1.0, 0.1],
        }
    )
    fig = analytics.bucket_stack(frame, "balance_share", "en")
    assert [list(bar.x) for bar in fig.data] == [["2026-10", "2026-09"], ["2026-10"]]
    assert _months_of(fig) == ["2026-09", "2026-10"]


def test_migration_rate_point_sits_at_its_period_end_month() -> None:
    frame = pd.DataFrame(
        {
            "end": [OCT],
            "normal_migration_rate": [0.01],
            "normal_migration_rate_numerator": [100],
            "normal_migration_rate_denominator": [10000],
        }
    )
    fig = analytics.rate_trend(frame, ["normal_migration_rate"], "zh")
    assert list(fig.data[0].x) == ["2026-10"] and fig.layout.xaxis.type == "category"


def test_monitoring_bars_of_october_31_sit_at_2026_10() -> None:
    frame = pd.DataFrame(
        {"month_end": [SEP, OCT], "channel": ["phone", "phone"], "actions": [3, 4]}
    )
    fig = monitoring.stacked_months(frame, "channel", "actions", "zh")
    assert list(fig.data[0].x) == ["2026-09", "2026-10"] and fig.layout.xaxis.type == "category"
    rates = pd.DataFrame({"month_end": [OCT], "contact_rate": [0.5]})
    assert list(monitoring.rate_lines(rates, ["contact_rate"], "en").data[0].x) == ["2026-10"]
    devices = pd.DataFrame(
        {"month_end": [OCT], "geofence_exits": [2], "abnormal_stops": [1], "offline_rate": [0.25]}
    )
    fig = monitoring.bars_and_rate(
        devices, ["geofence_exits", "abnormal_stops"], "offline_rate", "zh"
    )
    assert [list(trace.x) for trace in fig.data] == [["2026-10"]] * 3


@pytest.mark.parametrize(
    ("top", "step"), [(None, 1), (0, 1), (2, 1), (6, 1), (7, 2), (30, 5), (95, 20), (1234, 500)]
)
def test_whole_step_is_a_whole_number_giving_about_six_ticks(top: float | None, step: int) -> None:
    assert whole_step(top) == step


def test_a_long_month_axis_labels_every_half_year_back_from_the_latest() -> None:
    months = pd.date_range("2024-11-30", periods=24, freq="ME")  # 2024-11 … 2026-10
    frame = pd.DataFrame({"month_end": months, "npl_ratio": [0.01] * 24})
    axis = analytics.trend_lines(frame, ["npl_ratio"], "zh", percent=True).layout.xaxis
    # every 6th month back from 2026-10, level
    assert list(axis.tickvals) == ["2025-04", "2025-10", "2026-04", "2026-10"]
    assert axis.tickangle == 0 and len(axis.categoryarray) == 24
