"""预警 Early-warning signals over time, and how early they really come (lead time to 90+ DPD).

A signal counts for the filters when its contract is one they allow, or, for a signal on the
lessee as a whole (no contract), when the lessee has a contract they allow.

Lead time (docs/monitoring.md): for each lessee with a contract the filters allow, its *first
signal* is its earliest signal of severity `high` (or `medium` and worse) dated on or before the
as-of month-end, and its *first 90+* is the earliest month-end at which one of those contracts
has DPD > 90. Lead time = first 90+ − first signal, in days. Lessees fall in four groups:
`warned` (lead > 0), `late` (the signal came on or after the 90+ month-end: lead ≤ 0),
`missed` (90+ with no such signal), `no_default` (signal, never 90+ by the as-of). The
distribution and the median cover `warned` and `late`; the other two are counted beside them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, where
from queries.monitoring_scope import (
    LIST_LIMIT,
    check_months,
    scoped_contracts,
    settings_and_build,
    stored_covers,
    window_start,
)
from warehouse.marts.lead_time import (
    LEAD_COLUMNS,
    LEVELS,
    lead_rows,
    stored_firsts,
    stored_signals,
)
from warehouse.months import month_end_of, month_index
from warehouse.schema import (
    SOURCE_TABLES,
    contract_segments,
    lead_time_facts,
    signal_month,
    signal_scope,
)
from warehouse.schema import lead_time_lessees as lead_table

SIGNALS = SOURCE_TABLES["warning_signals"]
LESSEES = SOURCE_TABLES["lessees"]
SEVERITY_LEVELS: dict[str, tuple[str, ...]] = LEVELS  # the build keeps firsts per level
GROUPS: tuple[str, ...] = ("warned", "late", "missed", "no_default")
# Lead-time bands in days: (name, lowest, highest); None is open.
BANDS: tuple[tuple[str, int | None, int | None], ...] = (
    ("le_0", None, 0),
    ("d1_30", 1, 30),
    ("d31_90", 31, 90),
    ("d91_180", 91, 180),
    ("d181_365", 181, 365),
    ("gt_365", 366, None),
)


def signals_in_scope(filters: Filters, *conditions: sa.ColumnElement[bool]) -> sa.Subquery:
    """Signals on or before the as-of that the filters allow and meet `conditions` (all columns
    of warning_signals): those naming an allowed contract, and those naming no contract whose
    lessee holds one. Two disjoint halves, not one OR of two IN lists: PostgreSQL answers that
    OR with a subplan per row once the lists outgrow work_mem (an hour at 1M contracts)."""
    s, sc = SIGNALS, scoped_contracts(filters)
    common = (s.c.signal_date <= filters.as_of, *conditions)
    named = sa.select(s).where(*common, s.c.contract_id.in_(sa.select(sc.c.contract_id)))
    unnamed = sa.select(s).where(
        *common, s.c.contract_id.is_(None), s.c.lessee_id.in_(sa.select(sc.c.lessee_id))
    )
    return sa.union_all(named, unnamed).subquery("s")


def signals_statement(
    filters: Filters, months: int, stored: bool = False, whole: bool = False
) -> sa.Select:
    """Per month × source × severity: signals and lessees; `stored` reads `signal_scope`, where a
    signal counts once however many of its groups the filters allow (right only for an as-of
    the build reached: `monitoring_scope.stored_covers`); `whole` the build's `signal_month`
    (right only where `whole_book` says so)."""
    if whole:
        sm = signal_month
        first = filters.as_of_idx - check_months(months) + 1
        return (
            sa.select(sm.c.month_idx, sm.c.source, sm.c.severity, sm.c.signals, sm.c.lessees)
            .where(sm.c.month_idx >= first, sm.c.month_idx <= filters.as_of_idx)
            .order_by(sm.c.month_idx, sm.c.source, sm.c.severity)
        )
    if stored:
        since = window_start(filters, months)
        return stored_signals(filters.as_of, since, where(filters, signal_scope))
    s = signals_in_scope(filters)
    midx = month_index(s.c.signal_date).label("month_idx")
    keys = [midx, s.c.source, s.c.severity]
    return (
        sa.select(
            *keys,
            sa.func.count().label("signals"),
            sa.func.count(sa.distinct(s.c.lessee_id)).label("lessees"),
        )
        .where(s.c.signal_date >= window_start(filters, months))
        .group_by(*keys)
        .order_by(*keys)
    )


def signals_over_time(engine: Engine, filters: Filters, months: int = 24) -> pd.DataFrame:
    """Signals per month × source × severity (month_end, source, severity, signals, lessees)."""
    frame = fetch_frame(engine, signals_statement(filters, months, **_route(engine, filters)))
    frame.insert(0, "month_end", [month_end_of(int(i)) for i in frame["month_idx"]])
    return frame.drop(columns=["month_idx"])


def _levels(severity: str) -> tuple[str, ...]:
    if severity not in SEVERITY_LEVELS:
        raise ValueError(f"severity must be one of {sorted(SEVERITY_LEVELS)}")
    return SEVERITY_LEVELS[severity]


def _firsts_live(filters: Filters, severity: str) -> tuple[sa.Subquery, sa.Subquery]:
    """(first signal, first 90+) per lessee from the source signals and `contract_segments`."""
    s = signals_in_scope(filters, SIGNALS.c.severity.in_(_levels(severity)))
    rank = sa.func.row_number().over(
        partition_by=s.c.lessee_id, order_by=(s.c.signal_date, s.c.signal_id)
    )
    ranked = sa.select(
        s.c.lessee_id, s.c.signal_date, s.c.source, s.c.contract_id, rank.label("rn")
    ).subquery("ranked")
    first_signal = sa.select(ranked).where(ranked.c.rn == 1).subquery("first_signal")
    cs = contract_segments
    hit = sa.func.row_number().over(
        partition_by=cs.c.lessee_id, order_by=(cs.c.first_90_month_end, cs.c.contract_id)
    )
    over90 = (
        sa.select(
            cs.c.lessee_id,
            cs.c.first_90_month_end.label("month_end"),
            cs.c.contract_id,
            hit.label("rn"),
        )
        .where(cs.c.first_90_idx <= filters.as_of_idx, *where(filters, cs))
        .subquery("over90")
    )
    return first_signal, sa.select(over90).where(over90.c.rn == 1).subquery("first_90")


def _firsts_stored(filters: Filters, severity: str) -> tuple[sa.Subquery, sa.Subquery]:
    """(first signal, first 90+) per lessee: the first of the allowed groups' firsts in
    `lead_time_facts` (right only for an as-of the build reached: `stored_covers`)."""
    _levels(severity)  # refuses an unknown severity; the level is its name
    return stored_firsts(filters.as_of, severity, where(filters, lead_time_facts))


def whole_book(filters: Filters, built: date | None) -> bool:
    """Whether `lead_time_lessees` answers: the build's own as-of, no segment, cohort or branch
    scope restriction (it holds the whole book's lead rows at that as-of)."""
    return (
        built is not None
        and filters.as_of == built
        and not filters.segments()
        and filters.cohort_from is None
        and filters.cohort_to is None
        and filters.scope is None
    )


def lead_times(
    filters: Filters, severity: str = "high", stored: bool = False, whole: bool = False
) -> sa.Subquery:
    """One row per lessee with a first signal or a first 90+: dates, lead days and group;
    `stored` reads the firsts from `lead_time_facts` (right only for an as-of the build
    reached: see `monitoring_scope.stored_covers`), `whole` the build's `lead_time_lessees`
    (right only where `whole_book` says so)."""
    if whole:
        ll = lead_table
        _levels(severity)
        columns = [ll.c[c] for c in LEAD_COLUMNS]
        return sa.select(*columns).where(ll.c.level == severity).subquery("lead")
    firsts = _firsts_stored if stored else _firsts_live
    return lead_rows(*firsts(filters, severity)).subquery("lead")


def _route(engine: Engine, filters: Filters) -> dict[str, bool]:
    """`lead_times`' route for `filters`, from one read of the build's settings."""
    built = settings_and_build(engine)[1]
    return {"stored": stored_covers(filters, built), "whole": whole_book(filters, built)}


def lead_time_summary(engine: Engine, filters: Filters, severity: str = "high") -> pd.DataFrame:
    """Lessees per group (warned, late, missed, no_default) and the median lead in days.

    `median_lead_days` (same on every row) is over `warned` and `late`; None when there are none.
    """
    # One statement over one CTE (both engines compute the lead times once), not two passes.
    lt = lead_times(filters, severity, **_route(engine, filters)).element.cte("lead")
    median = (
        sa.select(sa.func.percentile_cont(0.5).within_group(lt.c.lead_days))
        .where(lt.c.lead_days.is_not(None))
        .scalar_subquery()
    )
    counts = (
        sa.select(lt.c.lead_group, sa.func.count().label("lessees"))
        .group_by(lt.c.lead_group)
        .subquery("counts")
    )
    stmt = sa.select(counts.c.lead_group, counts.c.lessees, median.label("median")).select_from(
        sa.select(sa.literal(1).label("one")).subquery("one").outerjoin(counts, sa.true())
    )
    both = fetch_frame(engine, stmt)
    value = both["median"].iloc[0]
    counts_frame = both.dropna(subset=["lead_group"])
    found = dict(zip(counts_frame["lead_group"], counts_frame["lessees"], strict=True))
    frame = pd.DataFrame({"lead_group": GROUPS, "lessees": [int(found.get(g, 0)) for g in GROUPS]})
    frame["median_lead_days"] = None if value is None or pd.isna(value) else float(value)
    return frame


def lead_time_distribution(
    engine: Engine, filters: Filters, severity: str = "high"
) -> pd.DataFrame:
    """Lessees with both events per lead-time band (band, lessees), bands in order, zeros kept."""
    lt = lead_times(filters, severity, **_route(engine, filters))
    whens = []
    for name, low, high in BANDS:
        conds = []
        if low is not None:
            conds.append(lt.c.lead_days >= low)
        if high is not None:
            conds.append(lt.c.lead_days <= high)
        whens.append((sa.and_(*conds), name))
    band = sa.case(*whens).label("band")
    stmt = (
        sa.select(band, sa.func.count().label("lessees"))
        .where(lt.c.lead_days.is_not(None))
        .group_by(band)
    )
    found = dict(fetch_frame(engine, stmt).itertuples(index=False))
    names = [b[0] for b in BANDS]
    return pd.DataFrame({"band": names, "lessees": [int(found.get(n, 0)) for n in names]})


def lead_time_lessees(
    engine: Engine,
    filters: Filters,
    severity: str = "high",
    group: str = "warned",
    limit: int = LIST_LIMIT,
) -> pd.DataFrame:
    """The lessees of one group with their dates, lead days and a contract to open."""
    if group not in GROUPS:
        raise ValueError(f"group must be one of {GROUPS}")
    route = _route(engine, filters)
    lt = lead_times(filters, severity, **route)
    le = LESSEES
    # Every lead row has its lessee (`lessees` is the parent of contracts and signals), so the
    # names are joined to the page's rows only, after the cut, not to the whole group.
    page = (
        sa.select(
            lt.c.lessee_id,
            lt.c.contract_id,
            lt.c.first_signal_date,
            lt.c.first_signal_source,
            lt.c.first_90_month_end,
            lt.c.lead_days,
            sa.func.count().over().label("total_rows"),
        )
        .where(lt.c.lead_group == group)
        .order_by(lt.c.lead_days.desc().nulls_last(), lt.c.lessee_id)
        .limit(max(1, min(int(limit), 1000)))
        .cte("page")
    )
    if route["whole"]:  # `lead_time_lessees` names the lessee's first contract already
        stmt = (
            sa.select(
                page.c.lessee_id,
                le.c.lessee_type,
                le.c.name.label("lessee_name"),
                *(c for c in page.c if c.key != "lessee_id"),
            )
            .select_from(page.join(le, le.c.lessee_id == page.c.lessee_id))
            .order_by(page.c.lead_days.desc().nulls_last(), page.c.lessee_id)
        )
        return fetch_frame(engine, stmt)
    # A lessee-wide signal names no contract: open the lessee's first contract instead.
    return named_lessees(
        engine, filters, page, [page.c.lead_days.desc().nulls_last(), page.c.lessee_id]
    )


def named_lessees(engine: Engine, filters: Filters, page: sa.CTE, order: list) -> pd.DataFrame:
    """`page` (lessee_id, contract_id or NULL, …, total_rows) with each lessee's type and name
    and, where no contract is named, the lessee's first contract the filters allow — looked up
    for the page's lessees only, not grouped over the whole book; ordered by `order`."""
    le, sc = LESSEES, scoped_contracts(filters)
    any_contract = (
        sa.select(sc.c.lessee_id, sa.func.min(sc.c.contract_id).label("contract_id"))
        .where(sc.c.lessee_id.in_(sa.select(page.c.lessee_id)))
        .group_by(sc.c.lessee_id)
        .subquery("any_contract")
    )
    columns = [
        page.c.lessee_id,
        le.c.lessee_type,
        le.c.name.label("lessee_name"),
        sa.func.coalesce(page.c.contract_id, any_contract.c.contract_id).label("contract_id"),
        *(c for c in page.c if c.key not in ("lessee_id", "contract_id")),
    ]
    stmt = (
        sa.select(*columns)
        .select_from(
            page.join(le, le.c.lessee_id == page.c.lessee_id).outerjoin(
                any_contract, any_contract.c.lessee_id == page.c.lessee_id
            )
        )
        .order_by(*order)
    )
    return fetch_frame(engine, stmt)
