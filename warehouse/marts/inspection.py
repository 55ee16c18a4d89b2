"""Build step: inspection coverage per month-end × segments × cohort, with the build's settings.

An asset *needs inspection* at a month-end when its contract is open there and its principal is
above `watch.inspection_min_asset_value`; it is *covered* when inspected within
`watch.inspection_interval_days` up to the month-end, *overdue* when not covered although the
contract started before that interval (docs/monitoring.md). Finding the latest inspection of every
open contract-month is a range join of ~12 × contracts rows with `inspections`: seconds per page
view on a real-size book. The build counts it once for every month-end up to its as-of into
`inspection_month`; `queries.inspections.inspection_coverage` sums that table when the page asks
for an as-of the build covers, and runs `needing_rows` live otherwise. Both routes count the rows
of the one statement below, so they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.months import month_end_of, month_idx, month_index
from warehouse.settings import Settings

NAME = "inspection coverage"
OVERDUE_NAME = "overdue inspections"
INSPECTIONS = schema.SOURCE_TABLES["inspections"]


def days(n: int) -> sa.ColumnElement[int]:
    """A whole number of days for date arithmetic (typed, so both databases add it to a date)."""
    return sa.cast(sa.literal(int(n)), sa.Integer)


def inspection_settings(values: dict[str, str]) -> tuple[int, Decimal]:
    """(interval in days, asset-value floor) from settings as text (`build_settings` rows)."""
    return (
        int(values["watch.inspection_interval_days"]),
        Decimal(values["watch.inspection_min_asset_value"]),
    )


def needing_rows(
    first_idx: int,
    last_idx: int,
    interval: int,
    floor: Decimal,
    clauses: Sequence[sa.ColumnElement[bool]] = (),
    *,
    recent_only: bool = False,
) -> sa.Subquery:
    """Open rows above the value from month `first_idx` to `last_idx` (`clauses` over
    `contract_segments`) with segments, start, due flag and last inspection so far.

    `recent_only`: look only at inspections within the interval (the last one, if any, then
    covers the row); a much smaller join when the actual older date is not needed.
    """
    cs, me, i = schema.contract_segments, schema.month_ends, INSPECTIONS
    # Open at a month-end = from the start month up to before the closing / write-off month
    # (contract_segments), so the window's rows come from ~12 × contracts, not contract_month.
    rows = (
        sa.select(
            cs.c.contract_id,
            cs.c.lessee_id,
            me.c.month_idx,
            me.c.month_end,
            *(cs.c[name] for name in schema.SEGMENT_COLUMNS),
            cs.c.cohort_month,
            cs.c.original_principal,
            cs.c.start_date,
            (cs.c.start_date <= me.c.month_end - days(interval)).label("due"),
        )
        .select_from(
            cs.join(
                me,
                sa.and_(
                    me.c.month_idx >= cs.c.start_idx,
                    sa.or_(cs.c.end_idx.is_(None), me.c.month_idx < cs.c.end_idx),
                ),
            )
        )
        .where(
            me.c.month_idx >= first_idx,
            me.c.month_idx <= last_idx,
            cs.c.original_principal > floor,
            *clauses,
        )
        .subquery("rows")
    )
    # The window's dates as constants too (implied by the join's range): both engines then
    # read only those inspections before joining, not every inspection of the book.
    dated = [i.c.inspection_date <= month_end_of(last_idx)]
    if recent_only and first_idx > 12:  # the build passes 0: every month-end of the book
        dated.append(i.c.inspection_date > month_end_of(first_idx) - timedelta(days=interval))
    recent = sa.select(i.c.contract_id, i.c.inspection_date).where(*dated).subquery("recent")
    # A join and group-by, not a correlated subquery: PostgreSQL would rescan per row.
    last = (
        sa.select(
            rows.c.contract_id,
            rows.c.month_idx,
            sa.func.max(recent.c.inspection_date).label("last_inspection"),
        )
        .select_from(
            rows.join(
                recent,
                sa.and_(
                    recent.c.contract_id == rows.c.contract_id,
                    recent.c.inspection_date <= rows.c.month_end,
                    *(
                        [recent.c.inspection_date > rows.c.month_end - days(interval)]
                        if recent_only
                        else []
                    ),
                ),
            )
        )
        .group_by(rows.c.contract_id, rows.c.month_idx)
        .subquery("last")
    )
    return (
        sa.select(rows, last.c.last_inspection)
        .select_from(
            rows.outerjoin(
                last,
                sa.and_(
                    last.c.contract_id == rows.c.contract_id, last.c.month_idx == rows.c.month_idx
                ),
            )
        )
        .subquery("needing")
    )


def coverage_counts(n: sa.Subquery) -> list[sa.Label]:
    """assets, covered and overdue over rows of `needing_rows(..., recent_only=True)`."""
    covered = n.c.last_inspection.is_not(None)
    overdue = sa.and_(sa.not_(sa.func.coalesce(covered, False)), n.c.due)

    def count_if(cond: sa.ColumnElement[bool], name: str) -> sa.Label:
        return sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0).label(name)

    return [
        sa.func.count().label("assets"),
        count_if(covered, "covered"),
        count_if(overdue, "overdue"),
    ]


def coverage_statement(as_of: date, values: dict[str, str]) -> sa.Select:
    """Every month-end up to `as_of` × segments × cohort: assets, covered, overdue."""
    interval, floor = inspection_settings(values)
    # month_ends starts at the book's first month: 0 takes every one of them.
    n = needing_rows(0, month_idx(as_of), interval, floor, recent_only=True)
    keys = [n.c.month_idx, *(n.c[name] for name in schema.SEGMENT_COLUMNS), n.c.cohort_month]
    return sa.select(*keys, *coverage_counts(n)).group_by(*keys)


def write_inspection_coverage(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `inspection_month` for every month-end up to `as_of` with the settings in force."""
    stmt = coverage_statement(as_of, dict(settings.as_rows()))
    columns = [c.name for c in stmt.selected_columns]
    conn.execute(sa.insert(schema.inspection_month).from_select(columns, stmt))


OVERDUE_COLUMNS: tuple[str, ...] = (
    "contract_id",
    "lessee_id",
    *schema.SEGMENT_COLUMNS,
    "cohort_month",
    "original_principal",
    "start_date",
    "last_inspection",
)


def overdue_rows(
    idx: int, interval: int, floor: Decimal, clauses: Sequence[sa.ColumnElement[bool]] = ()
) -> sa.Subquery:
    """The assets overdue at month-end `idx` (`clauses` over `contract_segments`), each with its
    last inspection ever up to that month-end (None when never inspected): `OVERDUE_COLUMNS`."""
    # Which rows are overdue needs only the inspections within the interval (a small join);
    # the older last date is then read for the overdue contracts alone.
    n = needing_rows(idx, idx, interval, floor, clauses, recent_only=True)
    overdue = sa.select(n).where(n.c.last_inspection.is_(None), n.c.due).subquery("overdue")
    i = INSPECTIONS
    last = (
        sa.select(i.c.contract_id, sa.func.max(i.c.inspection_date).label("last_inspection"))
        .where(
            i.c.contract_id.in_(sa.select(overdue.c.contract_id)),
            i.c.inspection_date <= month_end_of(idx),
        )
        .group_by(i.c.contract_id)
        .subquery("last")
    )
    return (
        sa.select(*(overdue.c[c] for c in OVERDUE_COLUMNS[:-1]), last.c.last_inspection)
        .select_from(overdue.outerjoin(last, last.c.contract_id == overdue.c.contract_id))
        .subquery("overdue_rows")
    )


def write_inspection_overdue(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `inspection_overdue` with the assets overdue at `as_of` (the settings in force)."""
    interval, floor = inspection_settings(dict(settings.as_rows()))
    rows = overdue_rows(month_idx(as_of), interval, floor)
    stmt = sa.select(*(rows.c[c] for c in OVERDUE_COLUMNS))
    conn.execute(sa.insert(schema.inspection_overdue).from_select(OVERDUE_COLUMNS, stmt))


FINDINGS_NAME = "inspection findings"


def findings_statement() -> sa.Select:
    """Inspections per month × asset status × segments × cohort: inspections and contracts.

    A contract lies in one segments × cohort group, so the contracts of a month × status add
    up over groups exactly (`queries.inspections.abnormal_findings` sums them)."""
    i, cs = INSPECTIONS, schema.contract_segments
    midx = month_index(i.c.inspection_date).label("month_idx")
    keys = [midx, i.c.asset_status, *(cs.c[n] for n in schema.SEGMENT_COLUMNS), cs.c.cohort_month]
    return (
        sa.select(
            *keys,
            sa.func.count().label("inspections"),
            sa.func.count(sa.distinct(i.c.contract_id)).label("contracts"),
        )
        .select_from(i.join(cs, cs.c.contract_id == i.c.contract_id))
        .group_by(*keys)
    )


def write_inspection_findings(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `inspection_findings_month` from every loaded inspection (no setting applies)."""
    stmt = findings_statement()
    columns = [c.name for c in stmt.selected_columns]
    conn.execute(sa.insert(schema.inspection_findings_month).from_select(columns, stmt))
