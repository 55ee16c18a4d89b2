"""合同档案: one contract's story, each section one bounded statement on a bound contract id.

Every statement carries the scope check: a contract outside the user's branch scope (or not in
the warehouse) gives empty results, so a forged id shows nothing. Only month-ends up to the
filters' as-of are read. Monitoring sections (collections, inspections, IoT, signals, lessee
financials) are in `queries.dossier_monitoring`; committee decisions come from the portal store.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame, fetch_one
from queries.exposures import with_group_names
from queries.filters import Filters, is_open, scope_clause
from warehouse import schema
from warehouse.months import month_index
from warehouse.schema import MONEY_TYPE, NPL_CLASSES, contract_month

MAX_ROWS = 5000


def permitted(filters: Filters, contract_id: str) -> sa.ColumnElement[bool]:
    """True when the contract exists and lies in the filters' branch scope."""
    k = schema.contracts.alias("scope_k")
    clauses = [k.c.contract_id == contract_id]
    scoped = scope_clause(filters.scope, k)
    if scoped is not None:
        clauses.append(scoped)
    return sa.exists(sa.select(k.c.contract_id).where(*clauses))


def _latest_row(filters: Filters, contract_id: str) -> sa.Subquery:
    cm = contract_month
    last = (
        sa.select(sa.func.max(cm.c.month_end))
        .where(cm.c.contract_id == contract_id, cm.c.month_end <= filters.as_of)
        .scalar_subquery()
    )
    return (
        sa.select(cm).where(cm.c.contract_id == contract_id, cm.c.month_end == last).subquery("pos")
    )


def header_statement(filters: Filters, contract_id: str) -> sa.Select:
    """One row: the contract, its lessee, and its position at the latest month-end ≤ as-of."""
    k, les = schema.contracts, schema.lessees
    pos = _latest_row(filters, contract_id)
    return (
        sa.select(
            k.c.contract_id,
            k.c.lessee_id,
            les.c.name.label("lessee_name"),
            les.c.lessee_type,
            les.c.id_number.label("lessee_id_number"),
            les.c.industry,
            les.c.region,
            les.c.group_id,
            les.c.related_party,
            k.c.product,
            k.c.asset_category,
            k.c.start_date,
            k.c.principal,
            k.c.annual_rate,
            k.c.term_months,
            k.c.branch,
            k.c.account_manager,
            pos.c.month_end,
            pos.c.outstanding_principal,
            pos.c.overdue_principal,
            pos.c.overdue_interest,
            pos.c.dpd,
            pos.c.dpd_bucket,
            pos.c.risk_class,
            pos.c.class_reason,
            pos.c.in_observation,
            pos.c.provision,
            pos.c.provision_estimated,
            pos.c.received_to_date,
            pos.c.closed,
            pos.c.written_off,
        )
        .select_from(
            k.join(les, les.c.lessee_id == k.c.lessee_id).outerjoin(
                pos, pos.c.contract_id == k.c.contract_id
            )
        )
        .where(k.c.contract_id == contract_id, permitted(filters, contract_id))
    )


def header(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """The contract's header row (its group named, `group_name`); empty when not found or out
    of the user's scope."""
    return with_group_names(engine, fetch_frame(engine, header_statement(filters, contract_id)))


def guarantors(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """The contract's guarantors (names under the central personal-data column names)."""
    g = schema.SOURCE_TABLES["guarantors"]
    stmt = (
        sa.select(
            g.c.guarantor_id,
            g.c.name.label("guarantor_name"),
            g.c.guarantor_type,
        )
        .where(g.c.contract_id == contract_id, permitted(filters, contract_id))
        .order_by(g.c.guarantor_id)
    )
    return fetch_frame(engine, stmt)


def history(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Month-end rows up to the as-of: DPD, class and `class_reason`, `class_changed` flags."""
    cm = contract_month
    previous = sa.func.lag(cm.c.risk_class).over(order_by=cm.c.month_end)
    stmt = (
        sa.select(
            cm.c.month_end,
            cm.c.mob,
            cm.c.outstanding_principal,
            cm.c.overdue_principal,
            cm.c.overdue_interest,
            cm.c.dpd,
            cm.c.dpd_bucket,
            cm.c.risk_class,
            cm.c.class_reason,
            cm.c.in_observation,
            cm.c.provision,
            cm.c.received_to_date,
            sa.case((previous.is_(None), True), else_=previous != cm.c.risk_class).label(
                "class_changed"
            ),
        )
        .where(
            cm.c.contract_id == contract_id,
            cm.c.month_end <= filters.as_of,
            permitted(filters, contract_id),
        )
        .order_by(cm.c.month_end)
    )
    return fetch_frame(engine, stmt)


def _in_force(s: sa.Table | sa.Alias) -> sa.ColumnElement[bool]:
    """An installment counts when its version is in force on its due date (docs/domain.md §2)."""
    return sa.and_(
        sa.or_(s.c.valid_from.is_(None), s.c.valid_from <= s.c.due_date),
        sa.or_(s.c.valid_to.is_(None), s.c.due_date < s.c.valid_to),
    )


def _per_month(rows: sa.Subquery, name: str) -> sa.Subquery:
    """Sum `rows.amount` per month index (grouped outside, so both dialects accept it)."""
    total = sa.func.sum(rows.c.amount).label(name)
    return sa.select(rows.c.idx, total).group_by(rows.c.idx).subquery(name)


def payments(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Per month-end: amount due in the month (versions in force), received in it, and to date."""
    cm, s, r = contract_month, schema.schedule, schema.receipts
    due_rows = (
        sa.select(
            month_index(s.c.due_date).label("idx"),
            (s.c.principal_due + s.c.interest_due).label("amount"),
        )
        .where(s.c.contract_id == contract_id, _in_force(s))
        .subquery("due_rows")
    )
    got_rows = (
        sa.select(month_index(r.c.received_date).label("idx"), r.c.amount)
        .where(r.c.contract_id == contract_id)
        .subquery("got_rows")
    )
    due = _per_month(due_rows, "due")
    got = _per_month(got_rows, "received")
    due_in_month = sa.cast(sa.func.coalesce(due.c.due, 0), MONEY_TYPE)
    stmt = (
        sa.select(
            cm.c.month_end,
            due_in_month.label("due_in_month"),
            sa.cast(sa.func.coalesce(got.c.received, 0), MONEY_TYPE).label("received_in_month"),
            sa.cast(sa.func.sum(due_in_month).over(order_by=cm.c.month_end), MONEY_TYPE).label(
                "due_to_date"
            ),
            cm.c.received_to_date,
            cm.c.outstanding_principal,
            cm.c.dpd,
        )
        .select_from(
            cm.outerjoin(due, due.c.idx == cm.c.month_idx).outerjoin(
                got, got.c.idx == cm.c.month_idx
            )
        )
        .where(
            cm.c.contract_id == contract_id,
            cm.c.month_end <= filters.as_of,
            permitted(filters, contract_id),
        )
        .order_by(cm.c.month_end)
    )
    return fetch_frame(engine, stmt)


def schedule(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Every installment of every schedule version, by version then installment."""
    s = schema.schedule
    stmt = (
        sa.select(
            s.c.valid_from,
            s.c.valid_to,
            s.c.installment_no,
            s.c.due_date,
            s.c.principal_due,
            s.c.interest_due,
        )
        .where(s.c.contract_id == contract_id, permitted(filters, contract_id))
        .order_by(s.c.valid_from.nulls_first(), s.c.installment_no)
        .limit(MAX_ROWS)
    )
    return fetch_frame(engine, stmt)


def receipts(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Receipts up to the as-of, oldest first."""
    r = schema.receipts
    stmt = (
        sa.select(r.c.receipt_id, r.c.received_date, r.c.amount)
        .where(
            r.c.contract_id == contract_id,
            r.c.received_date <= filters.as_of,
            permitted(filters, contract_id),
        )
        .order_by(r.c.received_date, r.c.receipt_id)
        .limit(MAX_ROWS)
    )
    return fetch_frame(engine, stmt)


def _open_at_as_of(filters: Filters) -> list[sa.ColumnElement[bool]]:
    cm = contract_month
    clauses = [cm.c.month_end == filters.as_of, is_open(cm)]
    scoped = scope_clause(filters.scope, cm)
    return [*clauses, scoped] if scoped is not None else clauses


def lessee_contracts(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """The lessee's contracts open at the as-of (this one included), largest first."""
    cm, k = contract_month, schema.contracts
    lessee = sa.select(k.c.lessee_id).where(k.c.contract_id == contract_id).scalar_subquery()
    stmt = (
        sa.select(
            cm.c.contract_id,
            cm.c.product,
            cm.c.branch,
            cm.c.outstanding_principal,
            cm.c.dpd,
            cm.c.risk_class,
            cm.c.class_reason,
        )
        .where(cm.c.lessee_id == lessee, *_open_at_as_of(filters), permitted(filters, contract_id))
        .order_by(cm.c.outstanding_principal.desc(), cm.c.contract_id)
        .limit(MAX_ROWS)
    )
    return fetch_frame(engine, stmt)


def group_members(engine: Engine, contract_id: str) -> list[str]:
    """The lessee ids of the contract's group (its lessee alone when it has no group; [] when
    the contract is unknown)."""
    k, les = schema.contracts, schema.lessees
    mine = fetch_one(
        engine,
        sa.select(les.c.lessee_id, les.c.group_id)
        .join(k, k.c.lessee_id == les.c.lessee_id)
        .where(k.c.contract_id == contract_id),
    )
    if mine is None:
        return []
    if not mine["group_id"]:
        return [str(mine["lessee_id"])]
    members = sa.select(les.c.lessee_id).where(les.c.group_id == mine["group_id"])
    return sorted({str(mine["lessee_id"]), *fetch_frame(engine, members)["lessee_id"]})


def group_exposure(engine: Engine, filters: Filters, contract_id: str) -> pd.DataFrame:
    """Per lessee of the contract's group (or the lessee alone): open contracts, balance, NPL;
    the group named (`group_name`). The members are found first and bound as a list: the
    month-end's rows are then read by lessee, not joined to the lessees (0.25 s -> 0.05 s on
    DuckDB at 1,000,000 contracts)."""
    cm, les = contract_month, schema.lessees
    members = group_members(engine, contract_id)
    npl = sa.case((cm.c.risk_class.in_(NPL_CLASSES), cm.c.outstanding_principal), else_=0)
    stmt = (
        sa.select(
            cm.c.lessee_id,
            les.c.name.label("lessee_name"),
            les.c.lessee_type,
            les.c.group_id,
            sa.func.count().label("open_contracts"),
            sa.cast(sa.func.sum(cm.c.outstanding_principal), MONEY_TYPE).label("outstanding"),
            sa.cast(sa.func.sum(npl), MONEY_TYPE).label("npl_outstanding"),
        )
        .join(les, les.c.lessee_id == cm.c.lessee_id)
        .where(
            cm.c.lessee_id.in_(members),
            *_open_at_as_of(filters),
            permitted(filters, contract_id),
        )
        .group_by(cm.c.lessee_id, les.c.name, les.c.lessee_type, les.c.group_id)
        .order_by(sa.literal_column("outstanding").desc(), cm.c.lessee_id)
        .limit(MAX_ROWS)
    )
    return with_group_names(engine, fetch_frame(engine, stmt))
