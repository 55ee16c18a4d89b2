"""The work queues' tables in the portal store: the strategy versions, the tasks and their history.

`task_strategies` holds every version of the tiered strategy an administrator saved (the latest is
in force; version 0 is `postloan.toml` `[tasks]` and is never stored). `tasks` holds one row per
trigger ever seen: `trigger_key` is unique, so the database itself refuses a second task for the
same trigger even with two syncs at once (`tasks.sync`). Every change to a task is one
`task_events` row written in the same transaction; that history is append-only (triggers on SQLite
and PostgreSQL). Times are UTC; `as_of` and `due_date` are calendar dates.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal import append_only, portal_metadata

task_strategies = append_only(
    sa.Table(
        "task_strategies",
        portal_metadata,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("body", sa.Text, nullable=False, comment="JSON: steps, bands, triggers"),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("note", sa.Text, nullable=True),
        comment="versions of the task strategy; the latest is in force (0 = postloan.toml)",
    )
)

tasks = sa.Table(
    "tasks",
    portal_metadata,
    sa.Column("task_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("trigger_key", sa.String(200), nullable=False, unique=True),
    sa.Column("kind", sa.String(24), nullable=False, comment="collections, site_inspection, …"),
    sa.Column("step", sa.String(32), nullable=False, comment="strategy step or trigger kind"),
    sa.Column("contract_id", sa.String(64), nullable=True),
    sa.Column("lessee_id", sa.String(64), nullable=True),
    sa.Column("branch", sa.String(64), nullable=True, comment="branch scope code"),
    sa.Column("product", sa.String(64), nullable=True),
    sa.Column("department", sa.String(32), nullable=False),
    sa.Column("assignee", sa.String(64), nullable=True, comment="NULL: the department's queue"),
    sa.Column("priority", sa.Integer, nullable=False, comment="1 highest … 3"),
    sa.Column("as_of", sa.Date, nullable=False, comment="month-end that triggered"),
    sa.Column("dpd", sa.Integer, nullable=True, comment="days past due at the trigger"),
    sa.Column("exposure", sa.String(40), nullable=True, comment="exact decimal text, yuan"),
    sa.Column("detail", sa.Text, nullable=True, comment="JSON: what the trigger saw"),
    sa.Column("created_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("due_date", sa.Date, nullable=False, comment="SLA in working days Mon–Fri"),
    sa.Column("status", sa.String(16), nullable=False, comment="open, in_progress, done, …"),
    sa.Column("escalations", sa.Integer, nullable=False, default=0),
    sa.Column("closed_at", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("close_reason", sa.String(16), nullable=True, comment="trigger_ended, done, …"),
    sa.Column("outcome_kind", sa.String(32), nullable=True),
    sa.Column("outcome", sa.Text, nullable=True, comment="JSON"),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Index("ix_tasks_department_status", "department", "status"),
    sa.Index("ix_tasks_contract", "contract_id"),
    sa.Index("ix_tasks_status_due", "status", "due_date"),
    comment="one task per trigger; closed tasks stay",
)

task_events = append_only(
    sa.Table(
        "task_events",
        portal_metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("task_id", sa.Integer, sa.ForeignKey("tasks.task_id"), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False, comment="username or system"),
        sa.Column("action", sa.String(16), nullable=False, comment="created, escalated, …"),
        sa.Column("detail", sa.Text, nullable=True, comment="JSON"),
        sa.Index("ix_task_events_task", "task_id"),
        comment="append-only history of every task",
    )
)

OPEN_STATUSES: tuple[str, ...] = ("open", "in_progress", "overdue")
"""A task in one of these statuses is still to be worked; the others are closed."""


def task_list(
    engine: Engine, department: str | None = None, status: str | None = None
) -> list[dict[str, object]]:
    """The tasks of `department` with `status` (`open` = every open status; None = all),
    most urgent first: priority, then due date, then number."""
    t = tasks
    stmt = sa.select(t).order_by(t.c.priority, t.c.due_date, t.c.task_id)
    if department is not None:
        stmt = stmt.where(t.c.department == department)
    if status == "open":
        stmt = stmt.where(t.c.status.in_(OPEN_STATUSES))
    elif status is not None:
        stmt = stmt.where(t.c.status == status)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt).mappings()]
