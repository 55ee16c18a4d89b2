"""The overdue bucket stack read without M0: shares of the overdue book, worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from dashboard.charts import analytics

SEP, OCT = date(2026, 9, 30), date(2026, 10, 31)


def _dist() -> pd.DataFrame:
    # October: M0 900,000 (90), M1 60,000 (3), M2 40,000 (1); September: nothing overdue.
    return pd.DataFrame(
        {
            "month_end": [SEP, SEP, SEP, OCT, OCT, OCT],
            "dpd_bucket": ["M0", "M1", "M2"] * 2,
            "contracts": [50, 0, 0, 90, 3, 1],
            "outstanding": [500000, 0, 0, 900000, 60000, 40000],
            "balance_share": [1, 0, 0, 0.9, 0.06, 0.04],
            "count_share": [1, 0, 0, 90 / 94, 3 / 94, 1 / 94],
        }
    )


def test_overdue_shares_of_a_three_bucket_month() -> None:
    rows = analytics.overdue_shares(_dist()).set_index(["month_end", "dpd_bucket"])
    # balance: 60,000 ÷ (60,000 + 40,000) = 60%, 40,000 ÷ 100,000 = 40%; M0 has no share
    assert rows.loc[(OCT, "M1"), "overdue_balance_share"] == Decimal("0.6")
    assert rows.loc[(OCT, "M2"), "overdue_balance_share"] == Decimal("0.4")
    assert rows.loc[(OCT, "M0"), "overdue_balance_share"] is None
    # count: 3 ÷ (3 + 1) = 75%, 1 ÷ 4 = 25%
    assert rows.loc[(OCT, "M1"), "overdue_count_share"] == Decimal("0.75")
    assert rows.loc[(OCT, "M2"), "overdue_count_share"] == Decimal("0.25")
    # September has nothing overdue: a gap, not 0%
    assert rows.loc[(SEP, "M1"), "overdue_balance_share"] is None


def test_m0_excluded_stack_draws_the_overdue_buckets_only() -> None:
    fig = analytics.bucket_stack(analytics.overdue_shares(_dist()), "overdue_balance_share", "zh")
    assert [bar.name for bar in fig.data] == ["M1", "M2"]
    assert list(fig.data[0].y) == [None, 60.0] and list(fig.data[1].y) == [None, 40.0]
    assert fig.layout.yaxis.title.text == "占逾期比 (%)"
    # M1 keeps its colour of the all-buckets view (M0's green is not handed on)
    every = analytics.bucket_stack(_dist(), "balance_share", "en")
    assert [bar.name for bar in every.data] == ["M0", "M1", "M2"]
    assert fig.data[0].marker.color == every.data[1].marker.color
    assert every.layout.yaxis.title.text == "Share (%)"
