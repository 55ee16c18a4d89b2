"""Checks GX expresses poorly, as SQLAlchemy Core statements returning the offending keys.

Every builder takes `Params` and returns a SELECT whose rows are the keys of the offending rows
(no rows: the check passes). Values reach the database only as bound parameters.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

from data_checks.registry import Params
from warehouse import schema

cm = schema.contract_month


def _cm_rows(params: Params) -> sa.Select:
    """contract_month rows up to the as-of month-end (all when as_of is None)."""
    stmt = sa.select(cm)
    if params.as_of is not None:
        stmt = stmt.where(cm.c.month_end <= params.as_of)
    return stmt


def _cm(params: Params) -> sa.FromClause:
    return _cm_rows(params).subquery("cm") if params.as_of is not None else cm


def duplicate_keys(table: sa.Table, key: Sequence[str]) -> sa.Select:
    """Key values held by more than one row."""
    cols = [table.c[k] for k in key]
    return sa.select(*cols).group_by(*cols).having(sa.func.count() > 1)


def null_keys(table: sa.Table, key: Sequence[str], nullable: Sequence[str] = ()) -> sa.Select:
    """Rows with an empty key column (columns in `nullable` may be empty: open bounds)."""
    cols = [table.c[k] for k in key]
    empty = [table.c[k].is_(None) for k in key if k not in nullable]
    return sa.select(*cols).where(sa.or_(*empty))


def dangling(
    table: sa.Table, columns: Sequence[str], target: sa.Table, target_columns: Sequence[str]
) -> sa.Select:
    """Rows whose (non-empty) reference names no row of `target`."""
    t = target.alias("target")
    on = sa.and_(*(table.c[c] == t.c[tc] for c, tc in zip(columns, target_columns, strict=True)))
    present = sa.and_(*(table.c[c].is_not(None) for c in columns))
    missing = ~sa.exists().where(on)
    return sa.select(*(table.c[c] for c in columns)).where(present, missing).distinct()


def cm_duplicate_keys(params: Params) -> sa.Select:
    """(contract_id, month_end) pairs held by more than one contract_month row."""
    src = _cm(params)
    return (
        sa.select(src.c.contract_id, src.c.month_end)
        .group_by(src.c.contract_id, src.c.month_end)
        .having(sa.func.count() > 1)
    )


def cm_dangling_contract(params: Params) -> sa.Select:
    """contract_month rows whose contract (with that lessee) is not in `contracts`."""
    src, c = _cm(params), schema.contracts
    known = sa.exists().where(
        c.c.contract_id == src.c.contract_id, c.c.lessee_id == src.c.lessee_id
    )
    return sa.select(src.c.contract_id, src.c.lessee_id).where(~known).distinct()


def first_version_sum(params: Params) -> sa.Select:
    """Contracts whose first schedule version does not add up to the contract principal."""
    s, c = schema.schedule, schema.contracts
    sums = (
        sa.select(s.c.contract_id, sa.func.sum(s.c.principal_due).label("scheduled"))
        .where(s.c.valid_from.is_(None))
        .group_by(s.c.contract_id)
        .subquery("v")
    )
    joined = c.outerjoin(sums, sums.c.contract_id == c.c.contract_id)
    scheduled = sa.func.coalesce(sums.c.scheduled, 0)
    return sa.select(c.c.contract_id).select_from(joined).where(scheduled != c.c.principal)


def restated_version_sum(params: Params) -> sa.Select:
    """Later versions restating more than the previous version's principal plus interest."""
    s = schema.schedule
    versions = (
        sa.select(
            s.c.contract_id,
            s.c.valid_from,
            sa.func.sum(s.c.principal_due).label("principal"),
            sa.func.sum(s.c.principal_due + s.c.interest_due).label("total"),
        )
        .group_by(s.c.contract_id, s.c.valid_from)
        .subquery("v")
    )
    order = sa.case((versions.c.valid_from.is_(None), 0), else_=1)
    previous = sa.func.lag(versions.c.total).over(
        partition_by=versions.c.contract_id, order_by=(order, versions.c.valid_from)
    )
    ranked = sa.select(versions, previous.label("previous_total")).subquery("r")
    return sa.select(ranked.c.contract_id, ranked.c.valid_from).where(
        ranked.c.valid_from.is_not(None),
        sa.or_(ranked.c.previous_total.is_(None), ranked.c.principal > ranked.c.previous_total),
    )


def receipts_over_due(params: Params) -> sa.Select:
    """Contracts that received more than was ever due (installments due while in force)."""
    s, r = schema.schedule, schema.receipts
    in_force = sa.or_(s.c.valid_to.is_(None), s.c.due_date < s.c.valid_to)
    due = (
        sa.select(s.c.contract_id, sa.func.sum(s.c.principal_due + s.c.interest_due).label("due"))
        .where(in_force)
        .group_by(s.c.contract_id)
        .subquery("d")
    )
    received = sa.select(r.c.contract_id, sa.func.sum(r.c.amount).label("received"))
    if params.as_of is not None:
        received = received.where(r.c.received_date <= params.as_of)
    paid = received.group_by(r.c.contract_id).subquery("p")
    joined = paid.outerjoin(due, due.c.contract_id == paid.c.contract_id)
    limit = sa.func.coalesce(due.c.due, 0) + sa.bindparam("tolerance", params.tolerance)
    return sa.select(paid.c.contract_id).select_from(joined).where(paid.c.received > limit)


def par_ordering(params: Params) -> sa.Select:
    """Month-ends where PAR30 ≥ PAR60 ≥ PAR90 (balance basis) does not hold."""
    src = _cm(params)
    open_book = src.c.written_off.is_(False)

    def over(days: int) -> sa.ColumnElement:
        amount = sa.case((src.c.dpd > days, src.c.outstanding_principal), else_=0)
        return sa.func.sum(sa.case((open_book, amount), else_=0))

    par = (
        sa.select(
            src.c.month_end, over(30).label("p30"), over(60).label("p60"), over(90).label("p90")
        )
        .group_by(src.c.month_end)
        .subquery("par")
    )
    broken = sa.or_(par.c.p30 < par.c.p60, par.c.p60 < par.c.p90)
    return sa.select(par.c.month_end).where(broken)


def month_gaps(params: Params) -> sa.Select:
    """Contracts with a missing month-end between their first and last contract_month rows."""
    src = _cm(params)
    span = sa.func.max(src.c.month_idx) - sa.func.min(src.c.month_idx) + 1
    return (
        sa.select(src.c.contract_id)
        .group_by(src.c.contract_id)
        .having(sa.func.count(sa.distinct(src.c.month_idx)) != span)
    )


def _bucket(dpd: sa.ColumnElement) -> sa.ColumnElement:
    bounds = ((0, "M0"), (30, "M1"), (60, "M2"), (90, "M3"), (120, "M4"), (150, "M5"))
    whens = [(dpd <= hi, label) for hi, label in bounds]
    return sa.case(*whens, (dpd <= 180, "M6"), else_="M7+")


def bucket_mismatch(params: Params) -> sa.Select:
    """Rows whose dpd_bucket is not the bucket of their DPD (docs/domain.md §3)."""
    src = _cm(params)
    return sa.select(src.c.contract_id, src.c.month_end).where(
        src.c.dpd_bucket != _bucket(src.c.dpd)
    )


def _rank(column: sa.ColumnElement) -> sa.ColumnElement:
    return sa.case(schema.RISK_CLASS_RANK, value=column, else_=-1)


def _floor_rank(dpd: sa.ColumnElement) -> sa.ColumnElement:
    rank = schema.RISK_CLASS_RANK
    return sa.case(
        (dpd <= 0, rank["normal"]),
        (dpd <= 90, rank["special_mention"]),
        (dpd <= 270, rank["substandard"]),
        (dpd <= 360, rank["doubtful"]),
        else_=rank["loss"],
    )


def better_than_floor(params: Params) -> sa.Select:
    """Rows classed better than their DPD floor (docs/domain.md §4 rule 1)."""
    src = _cm(params)
    return sa.select(src.c.contract_id, src.c.month_end).where(
        _rank(src.c.risk_class) < _floor_rank(src.c.dpd)
    )


def inspection_counts_outside_assets() -> sa.Select:
    """`inspection_month` rows whose covered and overdue are negative or exceed the assets."""
    im = schema.inspection_month
    keys = [im.c.month_idx, *(im.c[s] for s in schema.SEGMENT_COLUMNS), im.c.cohort_month]
    return sa.select(*keys).where(
        sa.or_(
            im.c.assets <= 0,
            im.c.covered < 0,
            im.c.overdue < 0,
            im.c.covered + im.c.overdue > im.c.assets,
        )
    )


def device_counts_inconsistent() -> sa.Select:
    """`device_month` rows with no device, or more devices with an alert than fitted devices or
    than alert events."""
    dm = schema.device_month
    keys = [dm.c.month_idx, *(dm.c[s] for s in schema.SEGMENT_COLUMNS), dm.c.cohort_month]
    return sa.select(*keys).where(
        sa.or_(
            dm.c.devices <= 0,
            dm.c.offline_devices < 0,
            dm.c.offline_devices > dm.c.devices,
            dm.c.geofence_devices < 0,
            dm.c.geofence_devices > sa.func.least(dm.c.devices, dm.c.geofence_exits),
            dm.c.abnormal_stop_devices < 0,
            dm.c.abnormal_stop_devices > sa.func.least(dm.c.devices, dm.c.abnormal_stops),
        )
    )
