"""合同档案, monitoring sections: collections, inspections, IoT events, signals, financials, and
the early-warning score history.

Each statement reads one contract (or its lessee) by bound id, up to the filters' as-of, with the
scope check of `queries.dossier.permitted`, and is bounded by `MAX_ROWS`.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.dossier import MAX_ROWS, permitted
from queries.execute import fetch_frame
from queries.filters import Filters
from warehouse import schema

RATIO = sa.Numeric(12, 6)


def _table(name: str) -> sa.Table:
    return schema.SOURCE_TABLES[name]


def _until(filters: Filters) -> datetime:
    return datetime.combine(filters.as_of + timedelta(days=1), time())


def _history(
    engine: Engine,
    filters: Filters,
    contract_id: str,
    columns: list[sa.ColumnElement],
    up_to: sa.ColumnElement[bool],
    order: tuple[sa.ColumnElement, ...],
) -> pd.DataFrame:
    """One contract's rows up to the as-of (`up_to`), newest first, at most `MAX_ROWS`."""
    table = columns[0].table
    stmt = (
        sa.select(*columns)
        .where(table.c.contract_id == contract_id, up_to, permitted(filters, contract_id))
        .order_by(*order)
        .limit(MAX_ROWS)
    )
    return fetch_frame(engine, stmt)


def collections(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Collection attempts up to the as-of, newest first."""
    c = _table("collections")
    columns = [
        c.c.action_time,
        c.c.channel,
        c.c.counterparty_role,
        c.c.outcome,
        c.c.promised_amount,
        c.c.promised_date,
        c.c.collector,
    ]
    up_to = c.c.action_time < _until(filters)
    order = (c.c.action_time.desc(), c.c.action_id)
    return _history(engine, filters, contract_id, columns, up_to, order)


def inspections(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Leased-asset inspections up to the as-of, newest first."""
    i = _table("inspections")
    columns = [i.c.inspection_date, i.c.inspection_type, i.c.asset_status, i.c.note]
    up_to = i.c.inspection_date <= filters.as_of
    order = (i.c.inspection_date.desc(), i.c.inspection_id)
    return _history(engine, filters, contract_id, columns, up_to, order)


def device_events(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """IoT events of the contract's devices up to the as-of, newest first."""
    e = _table("device_events")
    columns = [
        e.c.event_time,
        e.c.device_id,
        e.c.event_type,
        e.c.latitude,
        e.c.longitude,
        e.c.run_hours,
    ]
    up_to = e.c.event_time < _until(filters)
    order = (e.c.event_time.desc(), e.c.event_id)
    return _history(engine, filters, contract_id, columns, up_to, order)


def device_event_months(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """IoT events per calendar month and event type (the chart's data)."""
    e = _table("device_events")
    year = sa.cast(sa.extract("year", e.c.event_time), sa.Integer)
    month = sa.cast(sa.extract("month", e.c.event_time), sa.Integer)
    stmt = (
        sa.select(
            year.label("year"),
            month.label("month"),
            e.c.event_type,
            sa.func.count().label("events"),
        )
        .where(
            e.c.contract_id == contract_id,
            e.c.event_time < _until(filters),
            permitted(filters, contract_id),
        )
        .group_by(year, month, e.c.event_type)
        .order_by(year, month, e.c.event_type)
    )
    return fetch_frame(engine, stmt)


def signals(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Warning signals of the contract's lessee (any of its contracts, or none named)."""
    w, k = _table("warning_signals"), schema.contracts
    lessee = sa.select(k.c.lessee_id).where(k.c.contract_id == contract_id).scalar_subquery()
    stmt = (
        sa.select(
            w.c.signal_date,
            w.c.source,
            w.c.severity,
            w.c.contract_id,
            w.c.description,
        )
        .where(
            w.c.lessee_id == lessee,
            w.c.signal_date <= filters.as_of,
            permitted(filters, contract_id),
        )
        .order_by(w.c.signal_date.desc(), w.c.signal_id)
        .limit(MAX_ROWS)
    )
    return fetch_frame(engine, stmt)


def _ratio(numerator: sa.ColumnElement, denominator: sa.ColumnElement) -> sa.ColumnElement:
    wide = sa.cast(numerator, sa.Numeric(30, 10)) / sa.cast(denominator, sa.Numeric(30, 10))
    return sa.case((denominator == 0, None), else_=sa.cast(wide, RATIO))


def _midx(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.extract("year", column) * 12 + sa.extract("month", column)


def financials(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """The lessee's statements up to the as-of, oldest first, with 资产负债率 and cash-flow ratios.

    `debt_ratio` = liabilities ÷ assets; `ocf_to_liabilities` = operating cash flow ÷ liabilities;
    `ocf_to_revenue` = operating cash flow ÷ revenue; `net_margin` = net profit ÷ revenue;
    `revenue_yoy` = revenue ÷ revenue of the statement twelve months earlier − 1 (else empty).
    """
    f, k = _table("lessee_financials"), schema.contracts
    prev = f.alias("prev")
    lessee = sa.select(k.c.lessee_id).where(k.c.contract_id == contract_id).scalar_subquery()
    on_prev = sa.and_(
        prev.c.lessee_id == f.c.lessee_id, _midx(prev.c.period_end) == _midx(f.c.period_end) - 12
    )
    stmt = (
        sa.select(
            f.c.period_end,
            f.c.total_assets,
            f.c.total_liabilities,
            f.c.revenue,
            f.c.net_profit,
            f.c.operating_cash_flow,
            _ratio(f.c.total_liabilities, f.c.total_assets).label("debt_ratio"),
            _ratio(f.c.operating_cash_flow, f.c.total_liabilities).label("ocf_to_liabilities"),
            _ratio(f.c.operating_cash_flow, f.c.revenue).label("ocf_to_revenue"),
            _ratio(f.c.net_profit, f.c.revenue).label("net_margin"),
            (_ratio(f.c.revenue, prev.c.revenue) - 1).label("revenue_yoy"),
        )
        .select_from(f.outerjoin(prev, on_prev))
        .where(
            f.c.lessee_id == lessee,
            f.c.period_end <= filters.as_of,
            permitted(filters, contract_id),
        )
        .order_by(f.c.period_end)
        .limit(MAX_ROWS)
    )
    return fetch_frame(engine, stmt)


def score_history(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """The early-warning scores the build wrote for the contract (`ew_scores`) at month-ends up
    to the as-of, newest first: score, decile, model version and the three reasons (keys)."""
    ew = schema.ew_scores
    columns = [
        ew.c.month_end,
        ew.c.score,
        ew.c.score_decile,
        ew.c.model_version,
        ew.c.reason_1,
        ew.c.reason_2,
        ew.c.reason_3,
    ]
    return _history(
        engine,
        filters,
        contract_id,
        columns,
        ew.c.month_end <= filters.as_of,
        (ew.c.month_end.desc(),),
    )
