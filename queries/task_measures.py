"""Measures of the work queues (#16) over the portal store: SLA adherence and ageing of open
tasks, each with the query that lists the tasks behind a figure.

Both read `tasks` (`warehouse.portal.tasks`) for a `TaskWindow` (period, today, departments,
branch scope). Cure and roll-forward by step read the warehouse: `queries/task_steps.py`.
Definitions: docs/tasks.md, "Measures".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from queries.execute import fetch_frame
from queries.filters import scope_clause
from queries.measures import add_ratio
from warehouse.portal.tasks import OPEN_STATUSES, tasks

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


def listed(stmt: sa.Select, order: list[sa.ColumnElement], limit: int) -> sa.Select:
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
    return fetch_frame(engine, listed(stmt, [tasks.c.due_date, tasks.c.task_id], limit))


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
    return fetch_frame(engine, listed(stmt, order, limit))
