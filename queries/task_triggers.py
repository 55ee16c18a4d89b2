"""What makes a task at a month-end, read from the warehouse set-based (docs/tasks.md, "Triggers").

Every statement reads one month-end (`as_of`, its month `as_idx`) and returns one row per open
trigger with the contract it is about: the open book at the as-of (`contract_month` rows neither
closed nor written off), so a contract that closed or left the book ends its triggers.

- `past_due`: contracts with DPD ≥ 1; `tasks.strategy` picks the band.
- `device_alerts`: contracts with a device event of `tasks.iot_events` in the as-of month
  (`device_alert_month`, the table of the 预警与租赁物 page), with the first month of the unbroken
  run of months with such events (the episode).
- `inspection_findings`: contracts whose latest inspection up to the as-of found one of
  `tasks.inspection_statuses`.
- `financial_deterioration`: lessees whose latest statement up to the as-of shows a debt ratio
  above the line, up by the margin on the statement a year earlier, operating cash flow below the
  floor, or revenue down by the share year on year; on the lessee's largest open contract.
- `external_signals`: warning signals of `tasks.signal_sources` and `tasks.signal_severities`
  dated within `tasks.signal_days` of the as-of; on the signal's contract, else on the lessee's
  largest open contract.

Lessee-level triggers carry the lessee's exposure (its open contracts' outstanding principal).
These are not in `queries.registry` (the queries pages ask for by name): no page runs them, the
sync does (`tasks.triggers`), through `fetch_frame` like every query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from warehouse import schema
from warehouse.months import month_idx

CONTRACT_COLUMNS = ("contract_id", "lessee_id", "branch", "product", "dpd", "exposure")


@dataclass(frozen=True)
class TriggerParams:
    """The `tasks.*` settings that define the triggers beyond DPD."""

    iot_events: tuple[str, ...]
    inspection_statuses: tuple[str, ...]
    debt_ratio: Decimal
    debt_ratio_rise: Decimal
    revenue_drop_share: Decimal
    cash_flow_floor: Decimal
    signal_sources: tuple[str, ...]
    signal_severities: tuple[str, ...]
    signal_days: int


def open_book(as_of: date) -> sa.Subquery:
    """The contracts on the book at the as-of month-end, with their DPD and exposure."""
    cm = schema.contract_month
    return (
        sa.select(
            cm.c.contract_id,
            cm.c.lessee_id,
            cm.c.branch,
            cm.c.product,
            cm.c.dpd,
            cm.c.outstanding_principal.label("exposure"),
            cm.c.month_end,
        )
        .where(
            cm.c.month_idx == month_idx(as_of),
            sa.not_(cm.c.closed),
            sa.not_(cm.c.written_off),
        )
        .subquery("book")
    )


def _contract(book: sa.Subquery) -> list[sa.ColumnElement]:
    return [book.c[name] for name in CONTRACT_COLUMNS]


def lessee_contracts(book: sa.Subquery, lessees: sa.Select) -> sa.Subquery:
    """Per lessee of `lessees` (a one-column select) on the book: its largest open contract
    (ties: the smaller id) and the lessee's exposure (all its open contracts). Ranking only
    those lessees' contracts, not the whole book, is what keeps this cheap at a million."""
    rank = sa.func.row_number().over(
        partition_by=book.c.lessee_id, order_by=(book.c.exposure.desc(), book.c.contract_id)
    )
    ranked = (
        sa.select(
            *(book.c[n] for n in CONTRACT_COLUMNS if n != "exposure"),
            sa.func.sum(book.c.exposure).over(partition_by=book.c.lessee_id).label("exposure"),
            rank.label("rank"),
        )
        .where(book.c.lessee_id.in_(lessees))
        .subquery("ranked")
    )
    return (
        sa.select(*(ranked.c[n] for n in CONTRACT_COLUMNS))
        .where(ranked.c.rank == 1)
        .subquery("lessee_book")
    )


def past_due(as_of: date) -> sa.Select:
    """Contracts on the book at the as-of with DPD ≥ 1, and the month-end they were read at."""
    book = open_book(as_of)
    return (
        sa.select(*_contract(book), book.c.month_end)
        .where(book.c.dpd >= 1)
        .order_by(book.c.contract_id)
    )


def device_alerts(as_of: date, p: TriggerParams) -> sa.Select:
    """Contracts with a `p.iot_events` device event in the as-of month, per event type, with
    `run_start` (month index): the first month of the unbroken run of months with one."""
    dam, as_idx = schema.device_alert_month, month_idx(as_of)
    order = sa.func.row_number().over(
        partition_by=(dam.c.contract_id, dam.c.event_type), order_by=dam.c.month_idx
    )
    months = (
        sa.select(
            dam.c.contract_id,
            dam.c.event_type,
            dam.c.month_idx,
            (dam.c.month_idx - order).label("island"),
        )
        .where(dam.c.event_type.in_(p.iot_events), dam.c.month_idx <= as_idx)
        .subquery("iot_months")
    )
    runs = (
        sa.select(
            months.c.contract_id,
            months.c.event_type,
            sa.func.min(months.c.month_idx).label("run_start"),
            sa.func.max(months.c.month_idx).label("run_last"),
        )
        .group_by(months.c.contract_id, months.c.event_type, months.c.island)
        .subquery("iot_runs")
    )
    book = open_book(as_of)
    return (
        sa.select(*_contract(book), runs.c.event_type, runs.c.run_start)
        .join_from(book, runs, runs.c.contract_id == book.c.contract_id)
        .where(runs.c.run_last == as_idx)
        .order_by(book.c.contract_id, runs.c.event_type)
    )


def inspection_findings(as_of: date, p: TriggerParams) -> sa.Select:
    """Contracts whose latest inspection up to the as-of found a `p.inspection_statuses`."""
    ins = schema.SOURCE_TABLES["inspections"]
    latest = sa.func.row_number().over(
        partition_by=ins.c.contract_id,
        order_by=(ins.c.inspection_date.desc(), ins.c.inspection_id.desc()),
    )
    ranked = (
        sa.select(
            ins.c.contract_id,
            ins.c.inspection_id,
            ins.c.inspection_date,
            ins.c.asset_status,
            latest.label("rank"),
        )
        .where(ins.c.inspection_date <= as_of)
        .subquery("inspections_ranked")
    )
    book = open_book(as_of)
    return (
        sa.select(
            *_contract(book),
            ranked.c.inspection_id,
            ranked.c.inspection_date,
            ranked.c.asset_status,
        )
        .join_from(book, ranked, ranked.c.contract_id == book.c.contract_id)
        .where(ranked.c.rank == 1, ranked.c.asset_status.in_(p.inspection_statuses))
        .order_by(book.c.contract_id)
    )


def _ratio(liabilities: sa.ColumnElement, assets: sa.ColumnElement) -> sa.ColumnElement:
    # A ratio, not money: compared in floating point (assets of 0 give no ratio).
    return sa.cast(liabilities, sa.Float) / sa.func.nullif(sa.cast(assets, sa.Float), 0.0)


def financial_deterioration(as_of: date, p: TriggerParams) -> sa.Select:
    """Lessees on the book whose latest statement up to the as-of meets a deterioration rule
    (`debt`, `rise`, `cash`, `revenue` 0/1), on the lessee's largest open contract."""
    lf = schema.SOURCE_TABLES["lessee_financials"]
    latest = (
        sa.select(lf.c.lessee_id, sa.func.max(lf.c.period_end).label("period_end"))
        .where(lf.c.period_end <= as_of)
        .group_by(lf.c.lessee_id)
        .subquery("statement_last")
    )
    cur, prev = lf.alias("statement_now"), lf.alias("statement_year_ago")
    year_ago = sa.extract("year", cur.c.period_end) * 12 + sa.extract("month", cur.c.period_end)
    on_prev = sa.and_(
        prev.c.lessee_id == cur.c.lessee_id,
        sa.extract("year", prev.c.period_end) * 12 + sa.extract("month", prev.c.period_end)
        == year_ago - 12,
    )

    def flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
        return sa.case((sa.func.coalesce(condition, sa.false()), 1), else_=0)

    flags = (
        sa.select(
            cur.c.lessee_id,
            cur.c.period_end,
            flag(cur.c.total_liabilities > cur.c.total_assets * p.debt_ratio).label("debt"),
            flag(
                _ratio(cur.c.total_liabilities, cur.c.total_assets)
                - _ratio(prev.c.total_liabilities, prev.c.total_assets)
                >= float(p.debt_ratio_rise)
            ).label("rise"),
            flag(cur.c.operating_cash_flow < p.cash_flow_floor).label("cash"),
            flag(
                sa.and_(
                    prev.c.revenue > 0,
                    cur.c.revenue <= prev.c.revenue * (1 - p.revenue_drop_share),
                )
            ).label("revenue"),
        )
        .select_from(
            latest.join(
                cur,
                sa.and_(
                    cur.c.lessee_id == latest.c.lessee_id,
                    cur.c.period_end == latest.c.period_end,
                ),
            ).outerjoin(prev, on_prev)
        )
        .subquery("deterioration")
    )
    lessees = lessee_contracts(open_book(as_of), sa.select(latest.c.lessee_id))
    return (
        sa.select(
            *_contract(lessees),
            flags.c.period_end,
            flags.c.debt,
            flags.c.rise,
            flags.c.cash,
            flags.c.revenue,
        )
        .join_from(lessees, flags, flags.c.lessee_id == lessees.c.lessee_id)
        .where(flags.c.debt + flags.c.rise + flags.c.cash + flags.c.revenue > 0)
        .order_by(lessees.c.lessee_id)
    )


def external_signals(as_of: date, p: TriggerParams) -> sa.Select:
    """Signals of the chosen sources and severities within `p.signal_days` of the as-of, on
    their contract when it is on the book, else on the lessee's largest open contract."""
    ws = schema.SOURCE_TABLES["warning_signals"]
    book = open_book(as_of)
    first = as_of - timedelta(days=max(p.signal_days, 1) - 1)
    chosen = (
        ws.c.signal_date >= first,
        ws.c.signal_date <= as_of,
        ws.c.source.in_(p.signal_sources),
        ws.c.severity.in_(p.signal_severities),
    )
    lessees = lessee_contracts(book, sa.select(ws.c.lessee_id).where(*chosen))
    own = book.alias("signal_contract")
    pick = {n: sa.func.coalesce(own.c[n], lessees.c[n]).label(n) for n in CONTRACT_COLUMNS}
    pick["lessee_id"] = ws.c.lessee_id.label("lessee_id")
    return (
        sa.select(
            *pick.values(),
            ws.c.signal_id,
            ws.c.signal_date,
            ws.c.source,
            ws.c.severity,
        )
        .select_from(
            ws.outerjoin(own, own.c.contract_id == ws.c.contract_id).outerjoin(
                lessees, lessees.c.lessee_id == ws.c.lessee_id
            )
        )
        .where(
            *chosen,
            sa.or_(own.c.contract_id.isnot(None), lessees.c.contract_id.isnot(None)),
        )
        .order_by(ws.c.signal_id)
    )


def trigger_frames(engine: Engine, as_of: date, p: TriggerParams) -> dict[str, pd.DataFrame]:
    """Every trigger kind's rows at the as-of, by kind (`dpd`, `iot`, `inspection`,
    `financial`, `signal`)."""
    return {
        "dpd": fetch_frame(engine, past_due(as_of)),
        "iot": fetch_frame(engine, device_alerts(as_of, p)),
        "inspection": fetch_frame(engine, inspection_findings(as_of, p)),
        "financial": fetch_frame(engine, financial_deterioration(as_of, p)),
        "signal": fetch_frame(engine, external_signals(as_of, p)),
    }
