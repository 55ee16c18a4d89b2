"""Build step: each lessee's first warning signal and first 90+ per segments × cohort.

The lead-time figures of 预警与租赁物 (`queries/warnings.py`, docs/monitoring.md) take, for each
lessee, its earliest signal of a level (`high`, or `medium` and worse) on a contract the filters
allow — or naming no contract, when the lessee holds an allowed contract — and its earliest 90+
month-end on an allowed contract, both on or before the as-of. Every filter (segments, branch
scope, cohort, the as-of's "started by then") is a column of the contract's segments × cohort
group, so the first of a lessee over the allowed groups is the first of the groups' firsts:
this step keeps, per lessee × group, the group's first signal of each level (by date, then id)
and its first 90+ (by month-end, then contract). A lessee-wide signal is kept on every group of
its lessee, so the filters decide whether it counts exactly as the live statement does. Each
first is the first ever loaded, so it answers any as-of up to the build's: a group's first
signal after the as-of means the group has none by then. `queries.warnings.lead_times` reads
these rows for an as-of the build reached and runs the live statement otherwise.

A second step ("lead-time lessees") keeps the result for the whole book at the build's as-of:
one row per level × lessee with its dates, lead days and group (`lead_time_lessees`), what the
three lead-time figures read when nothing is filtered and no branch scope applies, instead of
ranking `lead_time_facts` three times per page view (`stored_firsts` and `lead_rows` are the
statements of both); likewise "signal months" keeps the signal chart's counts of the whole book
(`signal_month`, from `signal_scope` by `stored_signals`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.months import month_end_of, month_idx, month_index
from warehouse.settings import Settings

NAME = "lead-time firsts"
SIGNALS = schema.SOURCE_TABLES["warning_signals"]
# Severities counted at each level (queries.warnings.SEVERITY_LEVELS is this mapping).
LEVELS: dict[str, tuple[str, ...]] = {"high": ("high",), "medium": ("medium", "high")}


def _group(cs: sa.Table | sa.Subquery) -> list[sa.ColumnElement]:
    return [*(cs.c[name] for name in schema.SEGMENT_COLUMNS), cs.c.cohort_month]


def _first(select: sa.Select, partition: list[sa.ColumnElement], order: list) -> sa.Select:
    """The rows of `select` first in each `partition` by `order`."""
    rank = sa.func.row_number().over(partition_by=partition, order_by=order).label("rn")
    ranked = select.add_columns(rank).subquery("ranked")
    return sa.select(*(c for c in ranked.c if c.name != "rn")).where(ranked.c.rn == 1)


def _signal_rows(level: str) -> list[sa.Select]:
    s, cs = SIGNALS, schema.contract_segments
    wanted = s.c.severity.in_(LEVELS[level])
    named = _first(
        sa.select(
            s.c.lessee_id,
            *_group(cs),
            s.c.signal_date.label("event_date"),
            s.c.signal_id,
            s.c.source,
            s.c.contract_id,
        )
        .select_from(s.join(cs, cs.c.contract_id == s.c.contract_id))
        .where(wanted),
        [s.c.lessee_id, *_group(cs)],
        [s.c.signal_date, s.c.signal_id],
    ).subquery("named")
    lessee_wide = _first(
        sa.select(s.c.lessee_id, s.c.signal_date, s.c.signal_id, s.c.source).where(
            wanted, s.c.contract_id.is_(None)
        ),
        [s.c.lessee_id],
        [s.c.signal_date, s.c.signal_id],
    ).subquery("lessee_wide")
    groups = sa.select(cs.c.lessee_id, *_group(cs)).distinct().subquery("groups")
    unnamed = sa.select(
        lessee_wide.c.lessee_id,
        *_group(groups),
        lessee_wide.c.signal_date.label("event_date"),
        lessee_wide.c.signal_id,
        lessee_wide.c.source,
        sa.null().label("contract_id"),
    ).select_from(lessee_wide.join(groups, groups.c.lessee_id == lessee_wide.c.lessee_id))
    head = [sa.literal("signal").label("kind"), sa.literal(level).label("level")]
    return [
        sa.select(*head, *(c for c in named.c)),
        sa.select(*head, *(c for c in unnamed.subquery("unnamed").c)),
    ]


def _over90_rows() -> sa.Select:
    cs = schema.contract_segments
    first = _first(
        sa.select(
            cs.c.lessee_id,
            *_group(cs),
            cs.c.first_90_month_end.label("event_date"),
            cs.c.contract_id,
        ).where(cs.c.first_90_idx.is_not(None)),
        [cs.c.lessee_id, *_group(cs)],
        [cs.c.first_90_month_end, cs.c.contract_id],
    ).subquery("first_90")
    return sa.select(
        sa.literal("over90").label("kind"),
        sa.null().label("level"),
        first.c.lessee_id,
        *_group(first),
        first.c.event_date,
        sa.null().label("signal_id"),
        sa.null().label("source"),
        first.c.contract_id,
    )


def lead_time_statement() -> sa.CompoundSelect:
    """Every row of `lead_time_facts`: first signals per level, then first 90+ months."""
    parts = [p for level in LEVELS for p in _signal_rows(level)]
    return sa.union_all(*parts, _over90_rows())


COLUMNS: tuple[str, ...] = (
    "kind",
    "level",
    "lessee_id",
    *schema.SEGMENT_COLUMNS,
    "cohort_month",
    "event_date",
    "signal_id",
    "source",
    "contract_id",
)


def write_lead_time_facts(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `lead_time_facts` from the loaded signals and `contract_segments` (no setting)."""
    conn.execute(sa.insert(schema.lead_time_facts).from_select(COLUMNS, lead_time_statement()))


SIGNAL_NAME = "signal scope"
SIGNAL_COLUMNS: tuple[str, ...] = (
    "signal_id",
    "lessee_id",
    "contract_id",
    "signal_date",
    "source",
    "severity",
    *schema.SEGMENT_COLUMNS,
    "cohort_month",
)


def signal_scope_statement() -> sa.CompoundSelect:
    """Every signal on each segments × cohort group it counts for: a signal naming a contract
    on that contract's group, a lessee-wide one on every group of its lessee's contracts."""
    s, cs = SIGNALS, schema.contract_segments
    head = [
        s.c.signal_id,
        s.c.lessee_id,
        s.c.contract_id,
        s.c.signal_date,
        s.c.source,
        s.c.severity,
    ]
    named = sa.select(*head, *_group(cs)).select_from(
        s.join(cs, cs.c.contract_id == s.c.contract_id)
    )
    groups = sa.select(cs.c.lessee_id, *_group(cs)).distinct().subquery("groups")
    unnamed = (
        sa.select(*head, *_group(groups))
        .select_from(s.join(groups, groups.c.lessee_id == s.c.lessee_id))
        .where(s.c.contract_id.is_(None))
    )
    return sa.union_all(named, unnamed)


def write_signal_scope(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `signal_scope` from the loaded signals and `contract_segments` (no setting)."""
    conn.execute(
        sa.insert(schema.signal_scope).from_select(SIGNAL_COLUMNS, signal_scope_statement())
    )


def stored_firsts(
    as_of: date, level: str, allowed: Sequence[sa.ColumnElement[bool]]
) -> tuple[sa.Subquery, sa.Subquery]:
    """(first signal, first 90+) per lessee by `as_of`: the first of the `allowed` groups'
    firsts in `lead_time_facts` (`allowed`: clauses over it; `queries.warnings` passes the
    filters', the build none but the cohort)."""
    lt = schema.lead_time_facts
    in_scope = [lt.c.cohort_month <= month_end_of(month_idx(as_of)), *allowed]
    rank = sa.func.row_number().over(
        partition_by=lt.c.lessee_id, order_by=(lt.c.event_date, lt.c.signal_id)
    )
    ranked = (
        sa.select(
            lt.c.lessee_id,
            lt.c.event_date.label("signal_date"),
            lt.c.source,
            lt.c.contract_id,
            rank.label("rn"),
        )
        .where(lt.c.kind == "signal", lt.c.level == level, lt.c.event_date <= as_of, *in_scope)
        .subquery("ranked")
    )
    first_signal = sa.select(ranked).where(ranked.c.rn == 1).subquery("first_signal")
    hit = sa.func.row_number().over(
        partition_by=lt.c.lessee_id, order_by=(lt.c.event_date, lt.c.contract_id)
    )
    over90 = (
        sa.select(
            lt.c.lessee_id,
            lt.c.event_date.label("month_end"),
            lt.c.contract_id,
            hit.label("rn"),
        )
        .where(lt.c.kind == "over90", lt.c.event_date <= month_end_of(month_idx(as_of)), *in_scope)
        .subquery("over90")
    )
    return first_signal, sa.select(over90).where(over90.c.rn == 1).subquery("first_90")


LEAD_COLUMNS: tuple[str, ...] = (
    "lessee_id",
    "first_signal_date",
    "first_signal_source",
    "first_90_month_end",
    "lead_days",
    "lead_group",
    "contract_id",
)


def lead_rows(first_signal: sa.Subquery, first_90: sa.Subquery) -> sa.Select:
    """One row per lessee with a first signal or a first 90+ (`LEAD_COLUMNS`): lead days =
    first 90+ − first signal; group `missed` (no signal), `no_default` (no 90+), `warned`
    (lead > 0) or `late`; the contract to open (the 90+ one, else the signal's)."""
    lessee = sa.func.coalesce(first_signal.c.lessee_id, first_90.c.lessee_id)
    lead = first_90.c.month_end - first_signal.c.signal_date
    group = sa.case(
        (first_signal.c.lessee_id.is_(None), "missed"),
        (first_90.c.lessee_id.is_(None), "no_default"),
        (lead > 0, "warned"),
        else_="late",
    )
    return sa.select(
        lessee.label("lessee_id"),
        first_signal.c.signal_date.label("first_signal_date"),
        first_signal.c.source.label("first_signal_source"),
        first_90.c.month_end.label("first_90_month_end"),
        sa.cast(lead, sa.Integer).label("lead_days"),
        group.label("lead_group"),
        sa.func.coalesce(first_90.c.contract_id, first_signal.c.contract_id).label("contract_id"),
    ).select_from(
        first_signal.join(first_90, first_90.c.lessee_id == first_signal.c.lessee_id, full=True)
    )


LESSEES_NAME = "lead-time lessees"


def write_lead_time_lessees(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `lead_time_lessees`: each level's lead rows of the whole book at `as_of` (no
    filter, no scope), from `lead_time_facts` (no setting). A lessee-wide signal with no 90+
    names no contract: the lessee's first contract started by `as_of` is the one to open."""
    cs = schema.contract_segments
    first = (
        sa.select(cs.c.lessee_id, sa.func.min(cs.c.contract_id).label("contract_id"))
        .where(cs.c.start_idx <= month_idx(as_of))
        .group_by(cs.c.lessee_id)
        .subquery("any_contract")
    )
    for level in LEVELS:
        rows = lead_rows(*stored_firsts(as_of, level, ())).subquery("lead")
        columns = [
            sa.func.coalesce(rows.c.contract_id, first.c.contract_id).label(c)
            if c == "contract_id"
            else rows.c[c]
            for c in LEAD_COLUMNS
        ]
        stmt = sa.select(sa.literal(level).label("level"), *columns).select_from(
            rows.outerjoin(first, first.c.lessee_id == rows.c.lessee_id)
        )
        conn.execute(
            sa.insert(schema.lead_time_lessees).from_select(["level", *LEAD_COLUMNS], stmt)
        )


def stored_signals(
    as_of: date, since: date | None, allowed: Sequence[sa.ColumnElement[bool]]
) -> sa.Select:
    """Per month × source × severity: signals and lessees from `signal_scope`, dated from `since`
    (None: all) to `as_of`, on groups started by `as_of` and `allowed` (clauses over it); a
    signal counts once however many of its groups are allowed."""
    ss = schema.signal_scope
    window = [] if since is None else [ss.c.signal_date >= since]
    s = (
        sa.select(ss.c.signal_id, ss.c.lessee_id, ss.c.signal_date, ss.c.source, ss.c.severity)
        .where(
            ss.c.signal_date <= as_of,
            *window,
            ss.c.cohort_month <= as_of,  # started by the as-of, as the live contracts in scope
            *allowed,
        )
        .subquery("s")
    )
    keys = [month_index(s.c.signal_date).label("month_idx"), s.c.source, s.c.severity]
    return (
        sa.select(
            *keys,
            sa.func.count(sa.distinct(s.c.signal_id)).label("signals"),
            sa.func.count(sa.distinct(s.c.lessee_id)).label("lessees"),
        )
        .group_by(*keys)
        .order_by(*keys)
    )


SIGNAL_MONTHS_NAME = "signal months"


def write_signal_month(conn: Connection, settings: Settings, as_of: date) -> None:
    """Fill `signal_month`: the whole book's signals and lessees per month × source × severity
    at `as_of` (no filter, no scope), from `signal_scope` (no setting)."""
    columns = ["month_idx", "source", "severity", "signals", "lessees"]
    stmt = stored_signals(as_of, None, ())
    conn.execute(sa.insert(schema.signal_month).from_select(columns, stmt))
