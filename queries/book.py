"""Headline figures of the book at one month-end, from the `contract_month` mart.

Open contracts are the month-end rows neither closed nor written off in that month
(docs/domain.md §2: a closed contract's last row has outstanding 0; a written-off one leaves
balance figures that month). Money is summed in the database as NUMERIC and returned as
Decimal. The user's branch scope (`BookFilter.scope`) applies as in `queries.filters.where`:
None = every branch, () = none.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import BookFilter, is_open, scope_clause
from warehouse.schema import MONEY_TYPE, contract_month

HEADLINE_COLUMNS = ("open_contracts", "lessees", "outstanding_principal", "contracts_dpd_gt_0")


def headline_statement(flt: BookFilter) -> sa.Select:
    """One row: open contracts, distinct lessees, outstanding principal, contracts with DPD > 0."""
    cm = contract_month
    open_at_month_end = sa.and_(cm.c.month_end == flt.month_end, is_open(cm))
    scoped = scope_clause(flt.scope, cm)
    if scoped is not None:
        open_at_month_end = sa.and_(open_at_month_end, scoped)
    return sa.select(
        sa.func.count().label("open_contracts"),
        sa.func.count(sa.distinct(cm.c.lessee_id)).label("lessees"),
        sa.cast(sa.func.coalesce(sa.func.sum(cm.c.outstanding_principal), 0), MONEY_TYPE).label(
            "outstanding_principal"
        ),
        sa.func.coalesce(sa.func.sum(sa.case((cm.c.dpd > 0, 1), else_=0)), 0).label(
            "contracts_dpd_gt_0"
        ),
    ).where(open_at_month_end)


def headline(engine: Engine, flt: BookFilter) -> pd.DataFrame:
    """The headline counts of the book at `flt.month_end`, as a one-row DataFrame."""
    return fetch_frame(engine, headline_statement(flt))


def mart_rows_statement() -> sa.Select:
    """The number of contract-month rows in the mart."""
    return sa.select(sa.func.count().label("rows")).select_from(contract_month)


def mart_rows(engine: Engine) -> int:
    """How many contract-month rows the mart holds (the build's unit of work)."""
    return int(fetch_frame(engine, mart_rows_statement())["rows"].iloc[0])
