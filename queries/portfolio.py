"""Portfolio KPIs, 24-month trends and breakdowns (docs/domain.md §5), from the portfolio summaries.

Balance figures exclude written-off rows; open contracts are rows neither closed nor written off;
new business is the contracts whose start month is the month (MOB 0) at original principal;
receipts are the month's increase of `received_to_date`. Every ratio column names its basis
(`_balance_`, `_count_`, `_amount`) and is None when its denominator is zero. Provisions are of
open contracts (the loan-level detail's population); `provision_estimated` is the part the build
estimated at the class rates (docs/domain.md §5), `provision_estimated_share` its share.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures, tiers
from queries.execute import fetch_frame
from queries.filters import Filters, dimension, where
from warehouse.months import month_end_of
from warehouse.schema import month_ends

# KPI cards: metric -> basis shown beside it.
KPI_BASIS: dict[str, str] = {
    "outstanding": "balance",
    "open_contracts": "count",
    "new_contracts": "count",
    "new_principal": "amount",
    "receipts": "amount",
    "overdue_rate_balance_dpd0": "balance",
    "overdue_rate_balance_dpd30": "balance",
    "overdue_rate_balance_dpd60": "balance",
    "overdue_rate_balance_dpd90": "balance",
    "overdue_rate_amount": "amount",
    "overdue_rate_count_dpd30": "count",
    "npl_outstanding": "balance",
    "npl_ratio": "balance",
    "provision": "amount",
    "provision_estimated": "amount",
    "provision_estimated_share": "amount",
    "provision_coverage": "balance",
    "provision_rate": "balance",
    "deviation_90": "balance",
}


def monthly_statement(filters: Filters, month_idxs: Iterable[int]) -> sa.Select:
    """Per month-end in `month_idxs` (those the book spans): every measure of `measures`."""
    t = tiers.portfolio_table(filters)
    idxs = sorted(set(month_idxs))
    agg = (
        sa.select(t.c.month_idx, *measures.columns(t))
        .where(t.c.month_idx.in_(idxs), *where(filters, t))
        .group_by(t.c.month_idx)
        .subquery("agg")
    )
    zero_filled = [sa.func.coalesce(c, 0).label(c.name) for c in agg.c if c.name != "month_idx"]
    return (
        sa.select(month_ends.c.month_end, *zero_filled)
        .select_from(month_ends.outerjoin(agg, agg.c.month_idx == month_ends.c.month_idx))
        .where(month_ends.c.month_idx.in_(idxs))
        .order_by(month_ends.c.month_end)
    )


def trend(engine: Engine, filters: Filters, months: int = 24) -> pd.DataFrame:
    """One row per month-end of the `months` ending at the as-of: sums and §5 ratios."""
    last = filters.as_of_idx
    frame = fetch_frame(engine, monthly_statement(filters, range(last - months + 1, last + 1)))
    return measures.add_portfolio_ratios(frame)


def kpis(engine: Engine, filters: Filters) -> pd.DataFrame:
    """One row per KPI: value at the as-of, a month and a year before, and the changes.

    Columns: metric, basis, value, previous_month, previous_year, mom_change, yoy_change (value −
    earlier value; ratios change in ratio points). A month before the book began gives None.
    """
    now = filters.as_of_idx
    frame = measures.add_portfolio_ratios(
        fetch_frame(engine, monthly_statement(filters, (now, now - 1, now - 12)))
    )
    by_month = {r["month_end"]: r for r in frame.to_dict("records")}
    current = by_month.get(filters.as_of, {})
    month_ago = by_month.get(month_end_of(now - 1), {})
    year_ago = by_month.get(month_end_of(now - 12), {})
    rows = []
    for metric, basis in KPI_BASIS.items():
        value = current.get(metric)
        prev_m, prev_y = month_ago.get(metric), year_ago.get(metric)
        rows.append(
            {
                "metric": metric,
                "basis": basis,
                "value": value,
                "previous_month": prev_m,
                "previous_year": prev_y,
                "mom_change": None if value is None or prev_m is None else value - prev_m,
                "yoy_change": None if value is None or prev_y is None else value - prev_y,
            }
        )
    return pd.DataFrame(rows, dtype=object)


def breakdown_statement(filters: Filters, by: str) -> sa.Select:
    """At the as-of: every measure grouped by the allow-listed dimension `by`."""
    t = tiers.portfolio_table(filters, by)
    key = dimension(t, by).label(by)
    return (
        sa.select(key, *measures.columns(t))
        .where(t.c.month_idx == filters.as_of_idx, *where(filters, t))
        .group_by(key)
        .order_by(key)
    )


def breakdown(engine: Engine, filters: Filters, by: str) -> pd.DataFrame:
    """One row per value of dimension `by` at the as-of: sums, §5 ratios and share of balance."""
    frame = fetch_frame(engine, breakdown_statement(filters, by))
    frame = measures.add_portfolio_ratios(frame)
    book = sum(frame["outstanding"], start=0)
    frame["share_of_outstanding"] = [measures.ratio(v, book) for v in frame["outstanding"]]
    return frame
