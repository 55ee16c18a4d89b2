"""Measures of the work queues (#16): SLA adherence, ageing of open tasks, and what each step of
the strategy achieves; every figure with the query that lists what is behind it.

Two stores, two kinds of statement. SLA adherence and ageing read `tasks` in the portal store
(`warehouse.portal.tasks`), with a `TaskWindow` (period, today, departments, branch scope). Cure
and roll-forward by step read `contract_month` in the warehouse: tasks live in another database
(a SQLite file beside DuckDB), so the contract-months are not joined to the tasks; instead each
contract-month is given the step the strategy in force assigns it, by a CASE built from the
strategy's bands (`StepBand`, every value a bound parameter), and the book is aggregated where it
lies. Definitions: docs/tasks.md, "Measures".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from queries.execute import fetch_frame
from queries.filters import Filters, scope_clause, where
from queries.measures import add_ratio
from warehouse.portal.tasks import OPEN_STATUSES, tasks
from warehouse.schema import DPD_BUCKETS, contract_month

GROUPS: dict[str, str] = {"department": "department", "step": "step"}
"""What SLA adherence and ageing may be grouped by: user-facing name -> `tasks` column."""

MAX_LISTED = 2_000
"""Rows a drill-down list returns at most (the figure it is behind says how many there are)."""

# Ageing buckets, in working days (Mon–Fri): (code, lowest, highest or None = no upper bound).
AGE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0-1", 0, 1),
    ("2-5", 2, 5),
    ("6-10", 6, 10),
    ("11-20", 11, 20),
    ("21+", 21, None),
)
PAST_DUE_BUCKETS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0),
    ("1-2", 1, 2),
    ("3-5", 3, 5),
    ("6-10", 6, 10),
    ("11+", 11, None),
)
AGEING: dict[str, tuple[tuple[str, int, int | None], ...]] = {
    "open": AGE_BUCKETS,
    "past_due": PAST_DUE_BUCKETS,
}

OUTCOMES: tuple[str, ...] = ("cured", "rolled", "stayed")
"""What became of a contract-month in a step by the next month-end (see `step_outcomes`)."""


@dataclass(frozen=True)
class TaskWindow:
    """Which tasks a measure covers: due dates `start`…`end` (SLA; ageing reads only `today`),
    judged on `today` (an injected clock), in `departments` (empty = all) and the user's branch
    `scope` (None = all). Stored times are UTC; `utc_minutes` is the display zone's offset, so
    "closed on the due date" means that calendar day where the people work."""

    start: date
    end: date
    today: date
    departments: tuple[str, ...] = ()
    scope: tuple[str, ...] | None = None
    utc_minutes: int = 0

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(f"the period starts {self.start} after it ends {self.end}")
        object.__setattr__(self, "departments", tuple(sorted(set(self.departments))))
        if self.scope is not None:
            object.__setattr__(self, "scope", tuple(sorted(set(self.scope))))


@dataclass(frozen=True)
class StepBand:
    """One row of the strategy in force, as the step CASE reads it: DPD `dpd_min`…`dpd_max`
    (None = no upper end) of `product` (None = any product) from an outstanding principal of
    `min_exposure` yuan gives `step`. Rows are tried in order and the first that matches wins, so
    the caller lists them most specific tier first (`tasks.measures.step_bands`)."""

    step: str
    dpd_min: int
    dpd_max: int | None = None
    product: str | None = None
    min_exposure: Decimal = Decimal(0)


class day_of(FunctionElement):
    """The calendar date of a UTC timestamp `minutes` east of UTC (the display zone's offset):
    CAST(x + m * INTERVAL '1 minute' AS DATE), or SQLite's date(x, 'm minutes') (whose CAST
    would keep only the year). The offset is a bound parameter."""

    type = sa.Date()
    inherit_cache = True

    def __init__(self, column: sa.ColumnElement, minutes: int = 0) -> None:
        super().__init__(column, sa.literal(int(minutes), sa.Integer))


@compiles(day_of)
def _day_of(element: day_of, compiler: sa.sql.compiler.SQLCompiler, **kw: object) -> str:
    column, minutes = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST({column} + CAST({minutes} AS INTEGER) * INTERVAL '1 minute' AS DATE)"


@compiles(day_of, "sqlite")
def _day_of_sqlite(element: day_of, compiler: sa.sql.compiler.SQLCompiler, **kw: object) -> str:
    column, minutes = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({column}, {minutes} || ' minutes')"


def working_day_back(today: date, k: int) -> date:
    """The k-th most recent working day (Mon–Fri) on or before `today` (k ≥ 1)."""
    if k < 1:
        raise ValueError("k counts from 1")
    day, seen = today, 0
    while True:
        if day.weekday() < 5:
            seen += 1
            if seen == k:
                return day
        day -= timedelta(days=1)


def working_days_between(after: date, today: date) -> int:
    """Working days d with `after` < d ≤ `today` (0 when `after` is not before `today`)."""
    days, day = 0, after + timedelta(days=1)
    while day <= today:
        days += day.weekday() < 5
        day += timedelta(days=1)
    return days


def _group(name: str) -> sa.Column:
    if name not in GROUPS:
        raise ValueError(f"unknown grouping {name!r}; choose from {sorted(GROUPS)}")
    return tasks.c[GROUPS[name]]


def _scoped(w: TaskWindow) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = []
    if w.departments:
        clauses.append(tasks.c.department.in_(w.departments))
    scoped = scope_clause(w.scope, tasks)
    if scoped is not None:
        clauses.append(scoped)
    return clauses


# --- SLA adherence ---------------------------------------------------------------------------


def _met(w: TaskWindow) -> sa.ColumnElement[bool]:
    t = tasks.c
    closed_on = day_of(t.closed_at, w.utc_minutes)
    return sa.and_(t.close_reason == "done", t.closed_at.is_not(None), closed_on <= t.due_date)


def _came_due(w: TaskWindow) -> list[sa.ColumnElement[bool]]:
    """Due in the period, the due date over (before `today`), and not closed other than done
    on or before it (a trigger that ended, a cancellation or a supersession in time)."""
    t = tasks.c
    closed_in_time_otherwise = sa.and_(
        t.closed_at.is_not(None),
        sa.func.coalesce(t.close_reason, "") != "done",
        day_of(t.closed_at, w.utc_minutes) <= t.due_date,
    )
    return [
        t.due_date >= w.start,
        t.due_date <= w.end,
        t.due_date < w.today,
        sa.not_(closed_in_time_otherwise),
        *_scoped(w),
    ]


def sla_adherence(engine: Engine, w: TaskWindow, by: str = "department") -> pd.DataFrame:
    """Per department (or step): tasks that came due in the window, those closed done on or
    before their due date, and adherence = met ÷ came due (None when nothing came due); a last
    row "all" totals them."""
    key = _group(by)
    met = sa.func.coalesce(sa.func.sum(sa.case((_met(w), 1), else_=0)), 0)
    stmt = (
        sa.select(key.label(by), sa.func.count().label("came_due"), met.label("met"))
        .where(*_came_due(w))
        .group_by(key)
        .order_by(key)
    )
    frame = fetch_frame(engine, stmt)
    total = {by: "all", "came_due": frame["came_due"].sum(), "met": frame["met"].sum()}
    frame = pd.concat([frame, pd.DataFrame([total])], ignore_index=True)
    frame[["came_due", "met"]] = frame[["came_due", "met"]].astype(int)
    frame["missed"] = frame["came_due"] - frame["met"]
    add_ratio(frame, "adherence", "met", "came_due")
    return frame[[by, "came_due", "met", "missed", "adherence"]]


TASK_COLUMNS: tuple[str, ...] = (
    "task_id",
    "kind",
    "step",
    "department",
    "assignee",
    "contract_id",
    "branch",
    "priority",
    "created_at",
    "due_date",
    "status",
    "closed_at",
    "close_reason",
)


def _listed(stmt: sa.Select, order: list[sa.ColumnElement], limit: int) -> sa.Select:
    """The first `limit` rows (at most `MAX_LISTED`) in `order`: how many there are in all is
    the figure the list is behind, so no count rides along (the database keeps a top-N)."""
    return stmt.order_by(*order).limit(min(max(limit, 0), MAX_LISTED))


def sla_tasks(
    engine: Engine,
    w: TaskWindow,
    by: str = "department",
    value: str | None = None,
    met: bool | None = None,
    limit: int = MAX_LISTED,
) -> pd.DataFrame:
    """The tasks behind an SLA figure: those that came due in the window (of department/step
    `value`; None = all), only the met (True) or missed (False) ones if asked; `in_time` per
    row (closed done on or before the due date)."""
    key = _group(by)
    clauses = _came_due(w)
    if value is not None:
        clauses.append(key == value)
    if met is not None:
        clauses.append(_met(w) if met else sa.not_(_met(w)))
    on_time = sa.case((_met(w), True), else_=False).label("in_time")
    stmt = sa.select(*(tasks.c[c] for c in TASK_COLUMNS), on_time).where(*clauses)
    return fetch_frame(engine, _listed(stmt, [tasks.c.due_date, tasks.c.task_id], limit))


# --- Ageing of open tasks --------------------------------------------------------------------


def _bucket_case(measure: str, today: date, column: sa.ColumnElement) -> sa.Case:
    """The bucket code of each row by working days from `column` (a date) to `today`.

    Working days after a date d up to today are ≥ k exactly when d is before the k-th most
    recent working day (`working_day_back`), so every bucket is a comparison with a bound date.
    """
    buckets = AGEING[measure]
    whens = []
    for code, low, _high in reversed(buckets):
        if low == 0:
            break
        whens.append((column < working_day_back(today, low), code))
    return sa.case(*whens, else_=buckets[0][0])


def _age_column(measure: str, w: TaskWindow) -> sa.ColumnElement:
    if measure not in AGEING:
        raise ValueError(f"unknown ageing {measure!r}; choose from {sorted(AGEING)}")
    return day_of(tasks.c.created_at, w.utc_minutes) if measure == "open" else tasks.c.due_date


def _open(w: TaskWindow) -> list[sa.ColumnElement[bool]]:
    # Open now: the status is the task's current one, so `w.today` is the clock's date.
    return [tasks.c.status.in_(OPEN_STATUSES), *_scoped(w)]


def open_ageing(
    engine: Engine, w: TaskWindow, measure: str = "past_due", by: str = "department"
) -> pd.DataFrame:
    """Open tasks on `w.today` counted per department (or step) and ageing bucket: working days
    open (`measure` "open") or working days past the due date ("past_due"); every bucket of
    every group present is a column, with a total."""
    key = _group(by)
    bucket = _bucket_case(measure, w.today, _age_column(measure, w)).label("bucket")
    stmt = (
        sa.select(key.label(by), bucket, sa.func.count().label("tasks"))
        .where(*_open(w))
        .group_by(key, bucket)
    )
    long = fetch_frame(engine, stmt)
    codes = [code for code, _, _ in AGEING[measure]]
    wide = (
        long.pivot_table(index=by, columns="bucket", values="tasks", aggfunc="sum", fill_value=0)
        if not long.empty
        else pd.DataFrame(index=pd.Index([], name=by))
    )
    wide = wide.reindex(columns=codes, fill_value=0).astype(int).reset_index()
    wide.columns.name = None
    wide["total"] = wide[codes].sum(axis=1).astype(int)
    return wide.sort_values(by, kind="stable").reset_index(drop=True)


def ageing_tasks(
    engine: Engine,
    w: TaskWindow,
    measure: str = "past_due",
    by: str = "department",
    value: str | None = None,
    bucket: str | None = None,
    limit: int = MAX_LISTED,
) -> pd.DataFrame:
    """The open tasks behind an ageing cell (group `value`, `bucket`; None = all), oldest first."""
    key = _group(by)
    code = _bucket_case(measure, w.today, _age_column(measure, w))
    if bucket is not None and bucket not in {c for c, _, _ in AGEING[measure]}:
        raise ValueError(f"unknown bucket {bucket!r} for {measure}")
    clauses = _open(w)
    if value is not None:
        clauses.append(key == value)
    if bucket is not None:
        clauses.append(code == bucket)
    stmt = sa.select(*(tasks.c[c] for c in TASK_COLUMNS), code.label("bucket")).where(*clauses)
    order = [_age_column(measure, w), tasks.c.task_id]
    return fetch_frame(engine, _listed(stmt, order, limit))


# --- Cure and roll-forward by step (warehouse) -----------------------------------------------


def step_case(bands: tuple[StepBand, ...], row: sa.Table | sa.Alias) -> sa.Case | None:
    """The step of each contract-month of `row` under `bands` (NULL where none applies)."""
    whens = []
    for band in bands:
        cond = [row.c.dpd >= band.dpd_min]
        if band.dpd_max is not None:
            cond.append(row.c.dpd <= band.dpd_max)
        if band.product is not None:
            cond.append(row.c.product == band.product)
        if band.min_exposure > 0:
            cond.append(row.c.outstanding_principal >= band.min_exposure)
        whens.append((sa.and_(*cond), band.step))
    return sa.case(*whens, else_=sa.null()) if whens else None


# The highest DPD of each bucket but the last (docs/domain.md §3: M0 = 0, M1 = 1–30 … M7+ over
# 180), as the build assigns `dpd_bucket` and the blocking check `bucket_mismatch` holds it.
BUCKET_TOPS: tuple[int, ...] = (0, 30, 60, 90, 120, 150, 180)


def _bucket_rank(dpd: sa.ColumnElement) -> sa.Case:
    """The position of a DPD's bucket in M0 … M7+, from the DPD itself (an integer column is
    cheaper to read than the bucket's text, and the two agree by the mart's check)."""
    return sa.case(*((dpd <= top, i) for i, top in enumerate(BUCKET_TOPS)), else_=len(BUCKET_TOPS))


def _outcome(now: sa.Alias, late: sa.Alias) -> sa.Case:
    return sa.case(
        (late.c.contract_id.is_(None), "cured"),
        (late.c.written_off, "rolled"),
        (_bucket_rank(late.c.dpd) > _bucket_rank(now.c.dpd), "rolled"),
        else_="stayed",
    )


def _step_months(
    filters: Filters, bands: tuple[StepBand, ...], months: int, *, listing: bool = False
) -> sa.Subquery:
    """One row per contract open and in a step at a month-end m of the window (the `months`
    month-ends whose next month-end is on or before the as-of), with its outcome at m + 1.

    A contract open at m has a row at m + 1 (the grain of `contract_month`, held by the blocking
    check `contract_month.months_continuous`), and it is cured exactly when that row is neither
    past due nor written off. So the window is read once for its rows past due or written off —
    a few per cent of the book — and joined to itself: m (open and past due) to m + 1, and a
    contract-month without such a row at m + 1 is cured. Segment and scope filters apply to
    both sides alike (they are the contract's own, the same every month).
    """
    if not 1 <= months <= 120:
        raise ValueError("months must be between 1 and 120")
    cm, last = contract_month, filters.as_of_idx - 1
    # One read of the window's month-ends: the rows past due or written off (a few per cent of
    # the book), used as m (open and past due) and as m + 1 (the rows that are not cured).
    # Only the columns the statement reads: the bands' product and exposure when they name them,
    # the month-end and bucket text only for a list (the counts compare buckets by DPD).
    columns = ["contract_id", "month_idx", "dpd", "closed", "written_off"]
    columns += ["product"] if any(b.product is not None for b in bands) else []
    columns += ["outstanding_principal"] if any(b.min_exposure > 0 for b in bands) else []
    columns += ["month_end", "dpd_bucket"] if listing else []
    late = (
        sa.select(*(cm.c[c] for c in columns))
        .where(
            cm.c.month_idx >= last - months + 1,
            cm.c.month_idx <= last + 1,
            sa.or_(cm.c.dpd > 0, cm.c.written_off),
            *where(filters, cm),
        )
        .cte("late_rows")
    )
    now, nxt = late.alias("now"), late.alias("nxt")
    step = step_case(bands, now)
    if step is None:
        step = sa.cast(sa.null(), sa.String)
    shown = [now.c.contract_id, now.c.dpd, step.label("step"), _outcome(now, nxt).label("outcome")]
    if listing:
        shown = [
            now.c.contract_id,
            now.c.month_end,
            now.c.dpd,
            now.c.dpd_bucket,
            step.label("step"),
            sa.func.coalesce(nxt.c.dpd, 0).label("next_dpd"),
            sa.func.coalesce(nxt.c.dpd_bucket, DPD_BUCKETS[0]).label("next_bucket"),
            _outcome(now, nxt).label("outcome"),
        ]
    return (
        sa.select(*shown)
        .select_from(
            now.outerjoin(
                nxt,
                sa.and_(
                    nxt.c.contract_id == now.c.contract_id,
                    nxt.c.month_idx == now.c.month_idx + 1,
                ),
            )
        )
        .where(
            now.c.month_idx <= last,
            now.c.dpd > 0,
            sa.not_(now.c.closed),
            sa.not_(now.c.written_off),
        )
        .subquery("in_step")
    )


def step_outcomes(
    engine: Engine, filters: Filters, bands: tuple[StepBand, ...] = (), months: int = 12
) -> pd.DataFrame:
    """Per strategy step: contract-months in it at a month-end of the window, and how many were
    cured (DPD 0 at the next month-end), rolled forward (a worse DPD bucket, or written off) or
    stayed; cure_rate and roll_rate over the contract-months (None when there are none)."""
    s = _step_months(filters, bands, months)
    counts = [
        sa.func.coalesce(sa.func.sum(sa.case((s.c.outcome == o, 1), else_=0)), 0).label(o)
        for o in OUTCOMES
    ]
    stmt = (
        sa.select(s.c.step, sa.func.count().label("contract_months"), *counts)
        .where(s.c.step.is_not(None))
        .group_by(s.c.step)
    )
    frame = fetch_frame(engine, stmt)
    order = list(dict.fromkeys(b.step for b in bands))
    frame = frame.set_index("step").reindex(order, fill_value=0).reset_index()
    cols = ["contract_months", *OUTCOMES]
    frame[cols] = frame[cols].astype(int)
    add_ratio(frame, "cure_rate", "cured", "contract_months")
    add_ratio(frame, "roll_rate", "rolled", "contract_months")
    return frame


def step_outcome_contracts(
    engine: Engine,
    filters: Filters,
    bands: tuple[StepBand, ...] = (),
    step: str = "",
    outcome: str | None = None,
    months: int = 12,
    limit: int = MAX_LISTED,
) -> pd.DataFrame:
    """The contract-months behind a step's figure (only `outcome`'s if given), latest first."""
    if outcome is not None and outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; choose from {list(OUTCOMES)}")
    s = _step_months(filters, bands, months, listing=True)
    clauses = [s.c.step == step]
    if outcome is not None:
        clauses.append(s.c.outcome == outcome)
    stmt = sa.select(*s.c).where(*clauses)
    return fetch_frame(engine, _listed(stmt, [s.c.month_end.desc(), s.c.contract_id], limit))
