"""The monitoring watch rules as subqueries over the source tables (used by `queries.at_risk`).

Each builder returns one small keyed subquery (contracts or lessees that meet a rule at the
as-of); `only` (a contract id) restricts it to that contract or its lessee, so one dossier's
rules cost a few index-sized reads. Windows are aggregates (GROUP BY), never window functions,
because they are cheaper on both engines. Settings are `WatchParams` (the `watch.*` settings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from warehouse import schema
from warehouse.settings import SETTINGS

_DEFAULTS = {s.key: s.default for s in SETTINGS}


@dataclass(frozen=True)
class WatchParams:
    """The watch-rule settings in force (`watch.*`), defaults from the settings registry."""

    signal_days: int = int(_DEFAULTS["watch.signal_days"])
    iot_days: int = int(_DEFAULTS["watch.iot_days"])
    promise_days: int = int(_DEFAULTS["watch.promise_days"])
    inspection_interval_days: int = int(_DEFAULTS["watch.inspection_interval_days"])
    inspection_min_asset_value: Decimal = Decimal(_DEFAULTS["watch.inspection_min_asset_value"])
    debt_ratio: Decimal = Decimal(_DEFAULTS["watch.debt_ratio"])
    revenue_drop_share: Decimal = Decimal(_DEFAULTS["watch.revenue_drop_share"])


def params_from(values: Mapping[str, object]) -> WatchParams:
    """`WatchParams` from `watch.*` keys (text or numbers); missing keys keep the defaults."""
    chosen: dict[str, object] = {}
    for f in fields(WatchParams):
        value = values.get(f"watch.{f.name}")
        if value is not None:
            text = str(value)
            chosen[f.name] = Decimal(text) if f.type in ("Decimal", Decimal) else int(text)
    return WatchParams(**chosen)  # type: ignore[arg-type]


def build_as_of(engine: Engine) -> date | None:
    """The as-of of the last build (`build_settings`), None before any build."""
    bs = schema.build_settings
    stmt = sa.select(bs.c.value).where(bs.c.key == "as_of")
    try:
        found = fetch_frame(engine, stmt)
    except sa.exc.SQLAlchemyError:
        return None
    return date.fromisoformat(str(found.iloc[0, 0])) if len(found) else None


def watch_params(engine: Engine) -> WatchParams:
    """The watch settings recorded by the last build (`build_settings`), else the defaults."""
    bs = schema.build_settings
    stmt = sa.select(bs.c.key, bs.c.value).where(bs.c.key.like("watch.%"))
    try:
        found = dict(fetch_frame(engine, stmt).itertuples(index=False, name=None))
    except sa.exc.SQLAlchemyError:
        found = {}
    return params_from(found)


def since(as_of: date, days: int) -> date:
    """The first day of the `days` days ending on `as_of` (both counted)."""
    return as_of - timedelta(days=max(days, 1) - 1)


def _lessee_of(contract_id: str) -> sa.ScalarSelect:
    k = schema.contracts
    return sa.select(k.c.lessee_id).where(k.c.contract_id == contract_id).scalar_subquery()


def _only(table: sa.Table | sa.Alias, key: str, only: str | None) -> list[sa.ColumnElement]:
    if only is None:
        return []
    return (
        [table.c.contract_id == only]
        if key == "contract_id"
        else [table.c.lessee_id == _lessee_of(only)]
    )


def _midx(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.extract("year", column) * 12 + sa.extract("month", column)


def high_signals(as_of: date, p: WatchParams, key: str, only: str | None) -> sa.Subquery:
    """Contracts (key `contract_id`) or lessees (signals naming no contract) with a high signal."""
    ws = schema.SOURCE_TABLES["warning_signals"]
    named = ws.c.contract_id.isnot(None) if key == "contract_id" else ws.c.contract_id.is_(None)
    return (
        sa.select(ws.c[key])
        .where(
            ws.c.severity == "high",
            ws.c.signal_date >= since(as_of, p.signal_days),
            ws.c.signal_date <= as_of,
            named,
            *_only(ws, key, only),
        )
        .group_by(ws.c[key])
        .subquery(f"sig_{key}")
    )


def iot_alerts(as_of: date, p: WatchParams, only: str | None) -> sa.Subquery:
    """Contracts with any IoT event in the window."""
    de = schema.SOURCE_TABLES["device_events"]
    return (
        sa.select(de.c.contract_id)
        .where(
            de.c.event_time >= datetime.combine(since(as_of, p.iot_days), time()),
            de.c.event_time < datetime.combine(as_of + timedelta(days=1), time()),
            *_only(de, "contract_id", only),
        )
        .group_by(de.c.contract_id)
        .subquery("iot")
    )


def last_inspection(as_of: date, only: str | None) -> sa.Subquery:
    """Per inspected contract: the latest inspection date up to the as-of (`last_date`) and
    whether an inspection on that date found the asset not normal (`abnormal` 0/1), in one
    aggregate: the latest abnormal date equals the latest date."""
    ins = schema.SOURCE_TABLES["inspections"]
    last = sa.func.max(ins.c.inspection_date)
    last_bad = sa.func.max(sa.case((ins.c.asset_status != "normal", ins.c.inspection_date)))
    return (
        sa.select(
            ins.c.contract_id,
            last.label("last_date"),
            sa.case((last_bad == last, sa.literal_column("1")), else_=sa.literal_column("0")).label(
                "abnormal"
            ),
        )
        .where(ins.c.inspection_date <= as_of, *_only(ins, "contract_id", only))
        .group_by(ins.c.contract_id)
        .subquery("ins")
    )


def broken_promises(as_of: date, p: WatchParams, only: str | None) -> sa.Subquery:
    """Contracts with a promise to pay, due in the window, that receipts did not keep."""
    col, rc = schema.SOURCE_TABLES["collections"], schema.receipts
    promises = (
        sa.select(
            col.c.action_id,
            col.c.contract_id,
            sa.cast(col.c.action_time, sa.Date).label("made"),
            col.c.promised_date,
            sa.func.coalesce(col.c.promised_amount, Decimal("0.01")).label("amount"),
        )
        .where(
            col.c.outcome == "promise_to_pay",
            col.c.promised_date >= since(as_of, p.promise_days),
            col.c.promised_date <= as_of,
            *_only(col, "contract_id", only),
        )
        .subquery("promises")
    )
    # Only receipts dated inside the window of some promise.
    first = sa.select(sa.func.min(promises.c.made)).scalar_subquery()
    rel = (
        sa.select(rc.c.contract_id, rc.c.received_date, rc.c.amount)
        .where(
            rc.c.received_date >= first,
            rc.c.received_date <= as_of,
            *_only(rc, "contract_id", only),
        )
        .subquery("promise_receipts")
    )
    received = sa.func.coalesce(sa.func.sum(rel.c.amount), 0)
    each = (
        sa.select(promises.c.contract_id)
        .select_from(
            promises.outerjoin(
                rel,
                sa.and_(
                    rel.c.contract_id == promises.c.contract_id,
                    rel.c.received_date >= promises.c.made,
                    rel.c.received_date <= promises.c.promised_date,
                ),
            )
        )
        .group_by(promises.c.action_id, promises.c.contract_id, promises.c.amount)
        .having(received < promises.c.amount)
        .subquery("promise_each")
    )
    return sa.select(each.c.contract_id).distinct().subquery("promise")


def financial_flags(as_of: date, p: WatchParams, only: str | None) -> sa.Subquery:
    """Per lessee with a statement up to the as-of: `debt`, `cash`, `revenue` 0/1 flags of the
    latest one (revenue against the statement(s) twelve months earlier)."""
    lf = schema.SOURCE_TABLES["lessee_financials"]
    latest = (
        sa.select(lf.c.lessee_id, sa.func.max(lf.c.period_end).label("period_end"))
        .where(lf.c.period_end <= as_of, *_only(lf, "lessee_id", only))
        .group_by(lf.c.lessee_id)
        .subquery("fin_last")
    )
    cur, prev = lf.alias("fin_cur"), lf.alias("fin_prev")
    on_cur = sa.and_(cur.c.lessee_id == latest.c.lessee_id, cur.c.period_end == latest.c.period_end)
    on_prev = sa.and_(
        prev.c.lessee_id == cur.c.lessee_id,
        _midx(prev.c.period_end) == _midx(cur.c.period_end) - 12,
    )
    one, zero = sa.literal_column("1"), sa.literal_column("0")

    def flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.func.max(sa.case((condition, one), else_=zero))

    return (
        sa.select(
            cur.c.lessee_id,
            flag(cur.c.total_liabilities > cur.c.total_assets * p.debt_ratio).label("debt"),
            flag(cur.c.operating_cash_flow < 0).label("cash"),
            flag(
                sa.and_(
                    prev.c.revenue > 0,
                    cur.c.revenue < prev.c.revenue * (1 - p.revenue_drop_share),
                )
            ).label("revenue"),
        )
        .select_from(latest.join(cur, on_cur).outerjoin(prev, on_prev))
        .group_by(cur.c.lessee_id)
        .subquery("fin")
    )
