"""The task lists people read (portal store): mine, my department's queue, overdue, a contract's,
one task and its history. Every list is cut to a branch scope (None = every branch) in the query,
so a list never carries a row its reader may not see.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal.tasks import OPEN_STATUSES, task_events, tasks

LIMIT = 2000  # rows a list shows at most, most urgent first
COLUMNS = (
    "task_id",
    "contract_id",
    "lessee_id",
    "branch",
    "kind",
    "step",
    "department",
    "assignee",
    "priority",
    "dpd",
    "due_date",
    "status",
    "escalations",
    "as_of",
    "outcome_kind",
    "outcome",
    "close_reason",
    "closed_at",
    "created_at",
    "updated_at",
)


def _scoped(branches: tuple[str, ...] | None) -> list[sa.ColumnElement[bool]]:
    if branches is None:
        return []
    return [tasks.c.branch.in_(branches)] if branches else [sa.false()]


def _frame(engine: Engine, *where: sa.ColumnElement[bool], limit: int = LIMIT) -> pd.DataFrame:
    t = tasks.c
    stmt = (
        sa.select(*(t[c] for c in COLUMNS))
        .where(*where)
        .order_by(t.priority, t.due_date, t.task_id)
        .limit(limit)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    return pd.DataFrame(rows, columns=list(COLUMNS), dtype=object)


def assigned_to(
    engine: Engine, username: str, department: str, branches: tuple[str, ...] | None
) -> pd.DataFrame:
    """The open tasks of `department` assigned to `username` inside `branches`, most urgent
    first (a task left assigned in a department the user has left is that department's to
    reassign: the user may no longer act on it)."""
    t = tasks.c
    return _frame(
        engine,
        t.department == department,
        t.status.in_(OPEN_STATUSES),
        t.assignee == username,
        *_scoped(branches),
    )


def department_queue(
    engine: Engine, department: str, branches: tuple[str, ...] | None
) -> pd.DataFrame:
    """The open tasks of `department` inside `branches` (in the queue or assigned)."""
    t = tasks.c
    return _frame(
        engine, t.department == department, t.status.in_(OPEN_STATUSES), *_scoped(branches)
    )


def overdue(
    engine: Engine, department: str, branches: tuple[str, ...] | None, today: date
) -> pd.DataFrame:
    """The open tasks of `department` past their due date (or marked overdue) on `today`."""
    t = tasks.c
    late = sa.or_(t.status == "overdue", t.due_date < today)
    return _frame(
        engine, t.department == department, t.status.in_(OPEN_STATUSES), late, *_scoped(branches)
    )


def of_contract(engine: Engine, contract_id: str, branches: tuple[str, ...] | None) -> pd.DataFrame:
    """Every task of a contract, open or closed, inside `branches`."""
    return _frame(engine, tasks.c.contract_id == contract_id, *_scoped(branches))


def one(engine: Engine, task_id: int, branches: tuple[str, ...] | None) -> dict | None:
    """One task inside `branches`, or None (no such task, or outside the scope)."""
    found = _frame(engine, tasks.c.task_id == task_id, *_scoped(branches), limit=1)
    return None if found.empty else found.iloc[0].to_dict()


def history(engine: Engine, task_ids: list[int]) -> pd.DataFrame:
    """The events of the tasks `task_ids`, oldest first."""
    e = task_events.c
    stmt = (
        sa.select(e.event_id, e.task_id, e.at, e.actor, e.action, e.detail)
        .where(e.task_id.in_(task_ids))
        .order_by(e.task_id, e.event_id)
    )
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    columns = ["event_id", "task_id", "at", "actor", "action", "detail"]
    return pd.DataFrame(rows, columns=columns, dtype=object)
