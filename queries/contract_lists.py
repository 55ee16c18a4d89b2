"""The contracts inside one cell of the migration views (docs/domain.md §7), one page at a time.

- `roll_cell`: contracts open at t−1 (the month before the as-of) in DPD bucket `from_bucket`
  whose state at t is `to_bucket` — a bucket, `closed` (closed at t, or no row) or `written_off`
  — the same reading as `queries.migration.roll_rates`.
- `migration_cell`: for the period (`month`, `quarter`, `ytd`) ending at the as-of, contracts
  open at the beginning in `begin_class` that are open at the end in `end_class`, or, with
  `end_class="reduced"`, no longer open at the end; `begin_class="new_business"` gives contracts
  open at the end that were not open at the beginning — as `queries.migration.migration_matrix`.
Each row carries both month-ends' bucket/class and balance; `total_rows` counts before paging
(`queries.paging`: a count of its own, not `count(*) OVER ()`).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, is_open, where
from queries.migration import NEW_BUSINESS, PERIODS, ROLL_TARGETS, period_begin, was_open_at
from queries.overdue import IDENTITY_COLUMNS
from queries.paging import page_with_total
from warehouse.extract_spec import RISK_CLASSES
from warehouse.months import month_end_of
from warehouse.schema import DPD_BUCKETS, contract_month

MAX_PAGE = 1000


def _page(stmt: sa.Select, order: list, limit: int, offset: int) -> sa.Select:
    return page_with_total(stmt, order, limit, offset, cap=MAX_PAGE)


def _pair(filters: Filters, begin_idx: int) -> tuple[sa.Alias, sa.Alias, sa.Join]:
    b, e = contract_month.alias("b"), contract_month.alias("e")
    on = sa.and_(e.c.contract_id == b.c.contract_id, e.c.month_end == filters.as_of)
    joined = b.outerjoin(e, on)
    return b, e, joined


def _columns(b: sa.Alias, e: sa.Alias, begin: str) -> list:
    return [
        *(b.c[c] for c in IDENTITY_COLUMNS),
        b.c[begin].label(f"begin_{begin}"),
        b.c.outstanding_principal.label("begin_balance"),
        e.c.dpd.label("end_dpd"),
        e.c.dpd_bucket.label("end_dpd_bucket"),
        e.c.risk_class.label("end_risk_class"),
        sa.case((is_open(e), e.c.outstanding_principal), else_=0).label("end_balance"),
    ]


def roll_cell_statement(
    filters: Filters, from_bucket: str, to_bucket: str, limit: int = 100, offset: int = 0
) -> sa.Select:
    """Contracts of the roll-rate cell from_bucket (t−1) → to_bucket (t)."""
    if from_bucket not in DPD_BUCKETS or to_bucket not in ROLL_TARGETS:
        raise ValueError(f"unknown roll cell {from_bucket!r} → {to_bucket!r}")
    b, e, joined = _pair(filters, filters.as_of_idx - 1)
    # The state at t as plain conditions, not a CASE compared with the target: PostgreSQL can
    # then estimate them and read a big cell's first page in order instead of joining it whole.
    if to_bucket == "closed":  # closed at t, or no row at t
        landed = sa.or_(e.c.contract_id.is_(None), sa.and_(~e.c.written_off, e.c.closed))
    elif to_bucket == "written_off":
        landed = sa.and_(e.c.contract_id.is_not(None), e.c.written_off)
    else:
        landed = sa.and_(e.c.contract_id.is_not(None), is_open(e), e.c.dpd_bucket == to_bucket)
    stmt = (
        sa.select(*_columns(b, e, "dpd_bucket"))
        .select_from(joined)
        .where(
            b.c.month_end == month_end_of(filters.as_of_idx - 1),
            is_open(b),
            b.c.dpd_bucket == from_bucket,
            landed,
            *where(filters, b),
        )
    )
    return _page(stmt, [b.c.outstanding_principal.desc(), b.c.contract_id], limit, offset)


def roll_cell(
    engine: Engine,
    filters: Filters,
    from_bucket: str,
    to_bucket: str,
    limit: int = 100,
    offset: int = 0,
) -> pd.DataFrame:
    """One page of the contracts in roll-rate cell from_bucket → to_bucket, largest first."""
    return fetch_frame(engine, roll_cell_statement(filters, from_bucket, to_bucket, limit, offset))


def _new_business_statement(filters: Filters, begin_idx: int, end_class: str) -> sa.Select:
    e = contract_month.alias("e")
    return sa.select(
        *(e.c[c] for c in IDENTITY_COLUMNS),
        sa.null().label("begin_risk_class"),
        sa.null().label("begin_balance"),
        e.c.dpd.label("end_dpd"),
        e.c.dpd_bucket.label("end_dpd_bucket"),
        e.c.risk_class.label("end_risk_class"),
        e.c.outstanding_principal.label("end_balance"),
    ).where(
        e.c.month_end == filters.as_of,
        is_open(e),
        ~was_open_at(e, begin_idx),
        e.c.risk_class == end_class,
        *where(filters, e),
    )


def migration_cell_statement(
    filters: Filters,
    period: str,
    begin_class: str,
    end_class: str,
    limit: int = 100,
    offset: int = 0,
) -> sa.Select:
    """Contracts of the G12 cell begin_class → end_class for the period ending at the as-of."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    begin_idx = period_begin(filters.as_of_idx, period)
    if begin_class == NEW_BUSINESS and end_class in RISK_CLASSES:
        stmt = _new_business_statement(filters, begin_idx, end_class)
        order = [sa.literal_column("end_balance").desc(), sa.literal_column("contract_id")]
        return _page(stmt, order, limit, offset)
    if begin_class not in RISK_CLASSES or end_class not in (*RISK_CLASSES, "reduced"):
        raise ValueError(f"unknown migration cell {begin_class!r} → {end_class!r}")
    b, e, joined = _pair(filters, begin_idx)
    if end_class == "reduced":
        landed = sa.or_(e.c.contract_id.is_(None), sa.not_(is_open(e)))
    else:
        landed = sa.and_(is_open(e), e.c.risk_class == end_class)
    stmt = (
        sa.select(*_columns(b, e, "risk_class"))
        .select_from(joined)
        .where(
            b.c.month_end == month_end_of(begin_idx),
            is_open(b),
            b.c.risk_class == begin_class,
            landed,
            *where(filters, b),
        )
    )
    order = [b.c.outstanding_principal.desc(), b.c.contract_id]
    return _page(stmt, order, limit, offset)


def migration_cell(
    engine: Engine,
    filters: Filters,
    period: str,
    begin_class: str,
    end_class: str,
    limit: int = 100,
    offset: int = 0,
) -> pd.DataFrame:
    """One page of the contracts in migration cell begin_class → end_class, largest first."""
    stmt = migration_cell_statement(filters, period, begin_class, end_class, limit, offset)
    return fetch_frame(engine, stmt)
