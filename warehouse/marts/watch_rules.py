"""The committee's watch rules over the source tables, and the statement the build stores.

Signals, IoT events, inspections, promises to pay and lessee financials (docs/monitoring.md,
`queries.at_risk` lists the rules). Each builder returns one small keyed subquery (contracts or
lessees that meet a rule at the as-of); `only` (a contract id) restricts it to that contract or
its lessee, so one dossier's rules cost a few index-sized reads. Windows are aggregates (GROUP
BY), never window functions, because they are cheaper on both engines. Settings are
`WatchParams` (the `watch.*` settings).

`live_flags` joins them to `contract_month`; the build writes `source_flags_statement` to
`contract_watch` (`warehouse.marts.watch`) and `queries.at_risk` flags live with the same
`live_flags` when the stored flags do not answer, so the two cannot disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa

from warehouse import schema
from warehouse.marts import promises
from warehouse.settings import SETTINGS

SOURCE_RULES: tuple[str, ...] = schema.WATCH_SOURCE_RULES
ONE, ZERO = sa.literal_column("1"), sa.literal_column("0")

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
    """Contracts with a promise to pay made on or before the as-of, its promised date in the
    window, that receipts did not keep (`warehouse.marts.promises`; a promise with no promised
    date is never in the window)."""
    col, rc = schema.SOURCE_TABLES["collections"], schema.receipts
    made = (
        sa.select(
            col.c.action_id,
            col.c.contract_id,
            promises.made_on(col.c.action_time).label("made"),
            col.c.promised_date,
            col.c.promised_amount,
        )
        .where(
            col.c.outcome == promises.PROMISE,
            col.c.promised_date >= since(as_of, p.promise_days),
            col.c.promised_date <= as_of,
            # A promise recorded after the as-of was not known then.
            promises.made_on(col.c.action_time) <= as_of,
            *_only(col, "contract_id", only),
        )
        .subquery("promises")
    )
    # Only receipts dated inside the window of some promise.
    first = sa.select(sa.func.min(made.c.made)).scalar_subquery()
    rel = (
        sa.select(rc.c.contract_id, rc.c.received_date, rc.c.amount)
        .where(
            rc.c.received_date >= first,
            rc.c.received_date <= as_of,
            *_only(rc, "contract_id", only),
        )
        .subquery("promise_receipts")
    )
    # Summed to 0, not NULL, without receipts: a promise of 0 is kept without one.
    paid = sa.func.coalesce(sa.func.sum(rel.c.amount), 0)
    towards = promises.counts_towards(rel.c.received_date, made.c.made, made.c.promised_date, as_of)
    each = (
        sa.select(made.c.contract_id)
        .select_from(made.outerjoin(rel, sa.and_(rel.c.contract_id == made.c.contract_id, towards)))
        .group_by(made.c.action_id, made.c.contract_id, made.c.promised_amount)
        .having(sa.not_(promises.kept(paid, made.c.promised_amount)))
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


def flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    """1 where `condition` holds, else 0 (NULL counts as not met)."""
    return sa.case((sa.func.coalesce(condition, sa.false()), ONE), else_=ZERO)


def live_flags(
    cm: sa.Table, as_of: date, p: WatchParams, only: str | None
) -> tuple[sa.FromClause, dict[str, sa.ColumnElement[bool]]]:
    """The source-table rules (`SOURCE_RULES`) as subqueries joined to `cm`, and their
    conditions."""
    k = schema.contracts
    # Only contracts above the inspection threshold need their start date.
    big = (
        sa.select(k.c.contract_id, k.c.start_date)
        .where(k.c.principal > p.inspection_min_asset_value)
        .subquery("big")
    )
    sig_c = high_signals(as_of, p, "contract_id", only)
    sig_l = high_signals(as_of, p, "lessee_id", only)
    iot, ins = iot_alerts(as_of, p, only), last_inspection(as_of, only)
    promise = broken_promises(as_of, p, only)
    fin = financial_flags(as_of, p, only)
    due_since = as_of - timedelta(days=p.inspection_interval_days)
    joined = (
        cm.outerjoin(big, big.c.contract_id == cm.c.contract_id)
        .outerjoin(sig_c, sig_c.c.contract_id == cm.c.contract_id)
        .outerjoin(sig_l, sig_l.c.lessee_id == cm.c.lessee_id)
        .outerjoin(iot, iot.c.contract_id == cm.c.contract_id)
        .outerjoin(ins, ins.c.contract_id == cm.c.contract_id)
        .outerjoin(promise, promise.c.contract_id == cm.c.contract_id)
        .outerjoin(fin, fin.c.lessee_id == cm.c.lessee_id)
    )
    flags = {
        "signal": sa.or_(sig_c.c.contract_id.isnot(None), sig_l.c.lessee_id.isnot(None)),
        "iot": iot.c.contract_id.isnot(None),
        "inspection_abnormal": ins.c.abnormal == ONE,
        "inspection_overdue": sa.and_(
            big.c.contract_id.isnot(None),
            sa.func.coalesce(ins.c.last_date, big.c.start_date) <= due_since,
        ),
        "promise_broken": promise.c.contract_id.isnot(None),
        "debt_ratio": fin.c.debt == ONE,
        "cash_flow": fin.c.cash == ONE,
        "revenue_drop": fin.c.revenue == ONE,
    }
    return joined, flags


def source_flags_statement(as_of: date, params: WatchParams) -> sa.Select:
    """The open contracts at `as_of` meeting any source-table rule, with 0/1 `f_<rule>` for
    each (what the build writes to `contract_watch`)."""
    cm = schema.contract_month
    joined, flags = live_flags(cm, as_of, params, None)
    f = (
        sa.select(cm.c.contract_id, *(flag(flags[r]).label(f"f_{r}") for r in SOURCE_RULES))
        .select_from(joined)
        .where(cm.c.month_end == as_of, sa.not_(cm.c.closed), sa.not_(cm.c.written_off))
        .subquery("flagged")
    )
    return sa.select(f.c.contract_id, *(f.c[f"f_{r}"] for r in SOURCE_RULES)).where(
        sa.or_(*(f.c[f"f_{r}"] == ONE for r in SOURCE_RULES))
    )


MART_RULES: tuple[str, ...] = ("dpd", "class", "observation")
# The rules the build can flag (all but the portal's watchlist), in `queries.at_risk.RULES` order.
BUILD_RULES: tuple[str, ...] = ("score", *MART_RULES, *SOURCE_RULES)
# What the at-risk list shows and filters on, from `contract_month` (`at_risk_rows`' columns).
ROW_COLUMNS: tuple[str, ...] = (
    "contract_id",
    "lessee_id",
    "lessee_type",
    "product",
    "industry",
    "region",
    "branch",
    "asset_category",
    "cohort_month",
    "outstanding_principal",
    "overdue_principal",
    "dpd",
    "risk_class",
    "class_reason",
)


def stored_joined(cm: sa.Table) -> tuple[sa.FromClause, dict[str, sa.ColumnElement[bool]]]:
    """The source-table rules as flagged by the build (`contract_watch`), joined to `cm`."""
    cw = schema.contract_watch
    joined = cm.outerjoin(cw, cw.c.contract_id == cm.c.contract_id)
    return joined, {r: cw.c[f"f_{r}"] == ONE for r in SOURCE_RULES}


def with_score(
    joined: sa.FromClause,
    cm: sa.Table,
    source: Mapping[str, sa.ColumnElement[bool]],
    cutoff: Decimal,
) -> tuple[sa.FromClause, dict[str, sa.ColumnElement[bool]], sa.Table]:
    """`joined` with the contract's early-warning score at its month (`ew_scores`) and the
    conditions of `BUILD_RULES`: the score at or above `cutoff`, DPD > 0, a class worse than
    normal, a restructuring observation period, then the source-table rules `source`."""
    ew = schema.ew_scores
    joined = joined.outerjoin(
        ew, sa.and_(ew.c.contract_id == cm.c.contract_id, ew.c.month_idx == cm.c.month_idx)
    )
    conditions = {
        "score": ew.c.score >= float(cutoff),
        "dpd": cm.c.dpd > 0,
        "class": cm.c.risk_class != "normal",
        "observation": cm.c.in_observation,
        **source,
    }
    return joined, conditions, ew


def at_risk_rows_statement(as_of: date, cutoff: Decimal) -> sa.Select:
    """The open contracts at `as_of` meeting any of `BUILD_RULES` (source-table rules as the
    build flagged them in `contract_watch`, the score rule at `cutoff`), with `ROW_COLUMNS`,
    the score, its top reason and 0/1 `f_<rule>` (what the build writes to `at_risk_rows`)."""
    cm = schema.contract_month
    joined, source = stored_joined(cm)
    joined, conditions, ew = with_score(joined, cm, source, cutoff)
    return (
        sa.select(
            *(cm.c[c] for c in ROW_COLUMNS),
            ew.c.score,
            ew.c.reason_1.label("score_reason"),
            *(flag(conditions[r]).label(f"f_{r}") for r in BUILD_RULES),
        )
        .select_from(joined)
        .where(
            cm.c.month_end == as_of,
            sa.not_(cm.c.closed),
            sa.not_(cm.c.written_off),
            sa.or_(*conditions.values()),
        )
    )
