"""租赁物检查 Leased-asset inspections: coverage over time, overdue inspections, findings.

Definitions (docs/monitoring.md):
- An asset *needs inspection* when its contract is open at the month-end and its principal (the
  financed amount, our measure of the asset's value) is above `watch.inspection_min_asset_value`.
  It is *covered* when inspected (any type, any finding) within `watch.inspection_interval_days`
  up to the month-end; *overdue* when not covered although the contract started before that
  interval; otherwise *not yet due*. Coverage = covered ÷ (covered + overdue).
- An *abnormal finding* is an inspection whose asset status is not `normal`.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.collections import stored as branch_only
from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.measures import add_ratio
from queries.monitoring_scope import (
    LIST_LIMIT,
    check_months,
    scoped_contracts,
    settings_and_build,
    stored_covers,
    window_start,
)
from warehouse.extract_spec import ASSET_STATUSES
from warehouse.marts.inspection import (
    coverage_counts,
    inspection_settings,
    needing_rows,
    overdue_rows,
)
from warehouse.months import month_end_of, month_index
from warehouse.schema import (
    SOURCE_TABLES,
    contract_segments,
    inspection_branch_month,
    inspection_findings_month,
    inspection_month,
    inspection_overdue,
)

INSPECTIONS = SOURCE_TABLES["inspections"]
INSPECTION_LISTS: tuple[str, ...] = ("overdue", "abnormal")


def _month_ends(frame: pd.DataFrame) -> pd.DataFrame:
    frame.insert(0, "month_end", [month_end_of(int(i)) for i in frame["month_idx"]])
    return frame.drop(columns=["month_idx"])


def _needing(
    filters: Filters, months: int, settings: dict[str, str], *, recent_only: bool = False
) -> tuple[sa.Subquery, int]:
    """Open rows above the value in the window with start, due flag and last inspection so far
    (`warehouse.marts.inspection.needing_rows`, which the build counts too)."""
    interval, floor = inspection_settings(settings)
    first = filters.as_of_idx - check_months(months) + 1
    clauses = where(filters, contract_segments)
    rows = needing_rows(first, filters.as_of_idx, interval, floor, clauses, recent_only=recent_only)
    return rows, interval


def _stored_coverage(filters: Filters, months: int) -> sa.Select:
    """The window's month-ends summed from `inspection_month` (the build's counts), or from its
    sums per branch (`inspection_branch_month`) when nothing but the branch is filtered."""
    im = inspection_branch_month if branch_only(filters) else inspection_month
    return (
        sa.select(
            im.c.month_idx,
            sa.func.coalesce(sa.func.sum(im.c.assets), 0).label("assets"),
            sa.func.coalesce(sa.func.sum(im.c.covered), 0).label("covered"),
            sa.func.coalesce(sa.func.sum(im.c.overdue), 0).label("overdue"),
        )
        .where(
            im.c.month_idx >= filters.as_of_idx - check_months(months) + 1,
            im.c.month_idx <= filters.as_of_idx,
            *where(filters, im),
        )
        .group_by(im.c.month_idx)
        .order_by(im.c.month_idx)
    )


def coverage_statement(
    filters: Filters, months: int, settings: dict[str, str], stored: bool = False
) -> sa.Select:
    """Per month-end: assets, covered, overdue; `stored` sums `inspection_month` (right only for
    an as-of the build reached, with its settings: see `monitoring_scope.stored_covers`)."""
    if stored:
        return _stored_coverage(filters, months)
    n, _ = _needing(filters, months, settings, recent_only=True)
    return (
        sa.select(n.c.month_idx, *coverage_counts(n))
        .group_by(n.c.month_idx)
        .order_by(n.c.month_idx)
    )


def inspection_coverage(engine: Engine, filters: Filters, months: int = 12) -> pd.DataFrame:
    """Per month-end: assets needing inspection, covered, overdue, not yet due, coverage rate."""
    settings, built = settings_and_build(engine)
    stmt = coverage_statement(filters, months, settings, stored_covers(filters, built))
    frame = fetch_frame(engine, stmt)
    for column in ("assets", "covered", "overdue"):
        frame[column] = frame[column].astype("int64")
    frame["not_yet_due"] = frame["assets"] - frame["covered"] - frame["overdue"]
    frame["checked"] = frame["covered"] + frame["overdue"]
    add_ratio(frame, "coverage_rate", "covered", "checked")
    frame = frame.drop(columns=["checked"])
    interval, floor = inspection_settings(settings)
    frame["interval_days"] = interval
    frame["min_asset_value"] = floor
    return _month_ends(frame)


def findings_statement(filters: Filters, months: int, stored: bool = False) -> sa.Select:
    """Per month × asset status: inspections and contracts; `stored` sums
    `inspection_findings_month` (right only for an as-of the build reached: `stored_covers`)."""
    if stored:
        fm = inspection_findings_month
        keys = [fm.c.month_idx, fm.c.asset_status]
        return (
            sa.select(
                *keys,
                sa.func.sum(fm.c.inspections).label("inspections"),
                sa.func.sum(fm.c.contracts).label("contracts"),
            )
            .where(
                fm.c.month_idx >= filters.as_of_idx - check_months(months) + 1,
                fm.c.month_idx <= filters.as_of_idx,
                fm.c.cohort_month <= filters.as_of,  # started by the as-of, as `scoped_contracts`
                *where(filters, fm),
            )
            .group_by(*keys)
            .order_by(*keys)
        )
    i, sc = INSPECTIONS, scoped_contracts(filters)
    midx = month_index(i.c.inspection_date).label("month_idx")
    return (
        sa.select(
            midx,
            i.c.asset_status,
            sa.func.count().label("inspections"),
            sa.func.count(sa.distinct(i.c.contract_id)).label("contracts"),
        )
        .select_from(i.join(sc, sc.c.contract_id == i.c.contract_id))
        .where(
            i.c.inspection_date >= window_start(filters, months),
            i.c.inspection_date <= filters.as_of,
        )
        .group_by(midx, i.c.asset_status)
        .order_by(midx, i.c.asset_status)
    )


def abnormal_findings(engine: Engine, filters: Filters, months: int = 12) -> pd.DataFrame:
    """Inspections per month × asset status (month_end, asset_status, inspections, contracts)."""
    _, built = settings_and_build(engine)
    frame = fetch_frame(engine, findings_statement(filters, months, stored_covers(filters, built)))
    for column in ("inspections", "contracts"):
        frame[column] = frame[column].astype("int64")
    return _month_ends(frame)


def inspection_contracts(
    engine: Engine,
    filters: Filters,
    kind: str = "overdue",
    months: int = 12,
    limit: int = LIST_LIMIT,
) -> pd.DataFrame:
    """The contracts behind the as-of figures: `overdue` inspections or `abnormal` findings.

    `overdue`: assets overdue at the as-of month-end, longest uninspected first. `abnormal`: the
    latest abnormal inspection of each contract in the window, latest first.
    """
    if kind not in INSPECTION_LISTS:
        raise ValueError(f"kind must be one of {INSPECTION_LISTS}")
    total = sa.func.count().over().label("total_rows")
    cap = max(1, min(int(limit), 1000))
    if kind == "overdue":
        settings, built = settings_and_build(engine)
        if built is not None and filters.as_of == built:
            # The build's list (its settings are the ones in force): no join per view.
            o = inspection_overdue
            overdue = sa.select(o).where(*where(filters, o)).subquery("overdue")
        else:
            interval, floor = inspection_settings(settings)
            clauses = where(filters, contract_segments)
            overdue = overdue_rows(filters.as_of_idx, interval, floor, clauses)
        stmt = (
            sa.select(
                overdue.c.contract_id,
                overdue.c.lessee_id,
                overdue.c.branch,
                overdue.c.asset_category,
                overdue.c.original_principal,
                overdue.c.start_date,
                overdue.c.last_inspection,
                total,
            )
            .order_by(overdue.c.last_inspection.asc().nulls_first(), overdue.c.contract_id)
            .limit(cap)
        )
        return fetch_frame(engine, stmt)
    i, sc = INSPECTIONS, scoped_contracts(filters)
    latest = sa.func.row_number().over(
        partition_by=i.c.contract_id, order_by=(i.c.inspection_date.desc(), i.c.inspection_id)
    )
    ranked = (
        sa.select(
            i.c.contract_id,
            sc.c.lessee_id,
            sc.c.branch,
            sc.c.asset_category,
            i.c.inspection_date,
            i.c.inspection_type,
            i.c.asset_status,
            i.c.note,
            latest.label("rn"),
        )
        .select_from(i.join(sc, sc.c.contract_id == i.c.contract_id))
        .where(
            i.c.asset_status != "normal",
            i.c.inspection_date >= window_start(filters, months),
            i.c.inspection_date <= filters.as_of,
        )
        .subquery("ranked")
    )
    cols = [c for c in ranked.c if c.name != "rn"]
    stmt = (
        sa.select(*cols, total)
        .where(ranked.c.rn == 1)
        .order_by(ranked.c.inspection_date.desc(), ranked.c.contract_id)
        .limit(cap)
    )
    return fetch_frame(engine, stmt)


def finding_contracts(
    engine: Engine, filters: Filters, status: str, limit: int = LIST_LIMIT
) -> pd.DataFrame:
    """The contracts behind one bar of the findings chart: those inspected in the as-of month
    with asset status `status`, with how many such inspections and the last one's date and
    note; latest first. `total_rows` counts them before the cap."""
    if status not in ASSET_STATUSES:
        raise ValueError(f"status must be one of {ASSET_STATUSES}")
    i, sc = INSPECTIONS, scoped_contracts(filters)
    cap = max(1, min(int(limit), 1000))
    latest = sa.func.row_number().over(
        partition_by=i.c.contract_id, order_by=(i.c.inspection_date.desc(), i.c.inspection_id)
    )
    found = (
        sa.select(
            i.c.contract_id,
            sc.c.lessee_id,
            sc.c.branch,
            sc.c.asset_category,
            i.c.inspection_date,
            i.c.note,
            sa.func.count().over(partition_by=i.c.contract_id).label("inspections"),
            latest.label("rn"),
        )
        .select_from(i.join(sc, sc.c.contract_id == i.c.contract_id))
        .where(
            i.c.asset_status == status,
            i.c.inspection_date >= window_start(filters, 1),
            i.c.inspection_date <= filters.as_of,
        )
        .subquery("found")
    )
    cols = [c for c in found.c if c.name != "rn"]
    stmt = (
        sa.select(*cols, sa.func.count().over().label("total_rows"))
        .where(found.c.rn == 1)
        .order_by(found.c.inspection_date.desc(), found.c.contract_id)
        .limit(cap)
    )
    return fetch_frame(engine, stmt)
