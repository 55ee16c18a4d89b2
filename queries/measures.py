"""Aggregates over `portfolio_month` shared by the portfolio and overdue queries, and ratios.

Thresholds map to DPD buckets (docs/domain.md §3): DPD > 0 is every bucket but M0, > 30 is M2 and
worse, > 60 is M3 and worse, > 90 is M4 and worse. Ratios are computed from the exact Decimal
sums after the database has aggregated them; a zero denominator gives None, never 0.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import sqlalchemy as sa

from warehouse.schema import DPD_BUCKETS, NPL_CLASSES, portfolio_month

THRESHOLDS: tuple[int, ...] = (0, 30, 60, 90)
_FIRST_BUCKET = {0: 1, 30: 2, 60: 3, 90: 4}


def buckets_over(threshold: int) -> tuple[str, ...]:
    """The DPD buckets of contracts with DPD > `threshold` (0, 30, 60 or 90)."""
    if threshold not in _FIRST_BUCKET:
        raise ValueError(f"threshold must be one of {THRESHOLDS}")
    return DPD_BUCKETS[_FIRST_BUCKET[threshold] :]


def total(expr: sa.ColumnElement, name: str) -> sa.Label:
    """SUM(expr) with 0 for no rows."""
    return sa.func.coalesce(sa.func.sum(expr), 0).label(name)


def when(cond: sa.ColumnElement[bool], expr: sa.ColumnElement, name: str) -> sa.Label:
    """SUM(expr) over the rows where `cond` holds (0 when none)."""
    return total(sa.case((cond, expr), else_=0), name)


def columns(t: sa.Table | sa.Alias = portfolio_month) -> list[sa.Label]:
    """Every measure the portfolio pages need, as aggregates over a `portfolio_month` selection."""
    cols = [
        total(t.c.contracts, "open_contracts"),
        total(t.c.outstanding, "outstanding"),
        total(t.c.overdue_principal, "overdue_principal"),
        total(t.c.overdue_interest, "overdue_interest"),
        total(t.c.provision, "provision"),
        total(t.c.provision_estimated, "provision_estimated"),
        when(t.c.risk_class.in_(NPL_CLASSES), t.c.outstanding, "npl_outstanding"),
        total(t.c.new_contracts, "new_contracts"),
        total(t.c.new_principal, "new_principal"),
        total(t.c.receipts, "receipts"),
        total(t.c.writeoff_contracts, "writeoff_contracts"),
        total(t.c.writeoff_amount, "writeoff_amount"),
    ]
    for x in THRESHOLDS:
        over = t.c.dpd_bucket.in_(buckets_over(x))
        cols += [
            when(over, t.c.outstanding, f"outstanding_dpd{x}"),
            when(over, t.c.contracts, f"contracts_dpd{x}"),
        ]
    return cols


def ratio(num: object, den: object) -> Decimal | None:
    """num ÷ den as a Decimal; None when the denominator is zero or missing."""
    if num is None or den is None or pd.isna(den) or Decimal(den) == 0:
        return None
    quotient = Decimal(num) / Decimal(den)
    return quotient if quotient != 0 else Decimal(0)


def add_ratio(frame: pd.DataFrame, name: str, num: str | list[str], den: str) -> None:
    """Add column `name` = sum of `num` columns ÷ `den`, row by row (None on zero)."""
    nums = [num] if isinstance(num, str) else num
    # Plain lists, not a DataFrame per row: this runs ~15 times per query on every page.
    columns = [frame[n].tolist() for n in nums]
    values = [
        ratio(sum((Decimal(v) for v in row[:-1]), Decimal(0)), row[-1])
        for row in zip(*columns, frame[den].tolist(), strict=True)
    ]
    frame[name] = pd.Series(values, index=frame.index, dtype=object)


def add_portfolio_ratios(frame: pd.DataFrame) -> pd.DataFrame:
    """The docs/domain.md §5 indicators from the `columns()` sums, each named with its basis."""
    for x in THRESHOLDS:
        add_ratio(frame, f"overdue_rate_balance_dpd{x}", f"outstanding_dpd{x}", "outstanding")
        add_ratio(frame, f"overdue_rate_count_dpd{x}", f"contracts_dpd{x}", "open_contracts")
    add_ratio(frame, "overdue_rate_amount_principal", "overdue_principal", "outstanding")
    add_ratio(
        frame, "overdue_rate_amount", ["overdue_principal", "overdue_interest"], "outstanding"
    )
    add_ratio(frame, "npl_ratio", "npl_outstanding", "outstanding")
    add_ratio(frame, "provision_coverage", "provision", "npl_outstanding")
    add_ratio(frame, "provision_rate", "provision", "outstanding")
    add_ratio(frame, "deviation_90", "outstanding_dpd90", "npl_outstanding")
    add_ratio(frame, "provision_estimated_share", "provision_estimated", "provision")
    return frame
