"""The work queues' tables in the portal store: the strategy versions, the tasks and their history.

`task_strategies` holds every version of the tiered strategy an administrator saved (the latest is
in force; version 0 is `postloan.toml` `[tasks]` and is never stored). `tasks` holds one row per
trigger ever seen: `trigger_key` is unique, so the database itself refuses a second task for the
same trigger even with two syncs at once (`tasks.sync`). Every change to a task is one
`task_events` row written in the same transaction; that history is append-only (triggers on SQLite
and PostgreSQL). Times are UTC; `as_of` and `due_date` are calendar dates.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

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


def _processed(processor: Callable[[object], object], values: tuple) -> list[object]:
    """`values` through a bind processor, once per distinct value (times and dates repeat)."""
    seen: dict[object, object] = {}
    out = []
    for v in values:
        if v not in seen:
            seen[v] = processor(v)
        out.append(seen[v])
    return out


def insert_rows(
    conn: Connection,
    table: sa.Table,
    columns: tuple[str, ...],
    rows: list[tuple],
    *,
    skip_key: str | None = None,
    returning: tuple[str, ...] = (),
    batch: int = 500,
) -> list[tuple]:
    """Insert `rows` (values in `columns` order) into `table` in multi-row statements of `batch`
    rows; `skip_key` names a unique column whose stored values are skipped (ON CONFLICT DO
    NOTHING, SQLite and PostgreSQL); returns the `returning` columns of the rows added.

    The sync writes a task and an event per trigger, 100,000s at a million contracts: values go
    to the driver as they are (after each column's bind processing, done once per column), not
    through SQLAlchemy's per-row parameter handling, which would cost more than the database."""
    if not rows:
        return []
    dialect = conn.dialect
    processors = [table.c[c].type.bind_processor(dialect) for c in columns]
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    # Only the table's own names, quoted by the dialect, and placeholders make the statement.
    quote = dialect.identifier_preparer.quote

    def names(chosen: tuple[str, ...]) -> str:
        return ", ".join(quote(table.c[c].name) for c in chosen)  # KeyError for a stranger

    head = f"INSERT INTO {quote(table.name)} ({names(columns)}) VALUES "  # noqa: S608
    tail = f" ON CONFLICT ({names((skip_key,))}) DO NOTHING" if skip_key else ""
    tail += f" RETURNING {names(returning)}" if returning else ""
    one = "(" + ", ".join([mark] * len(columns)) + ")"
    columns_of = list(zip(*rows, strict=True))
    processed = [
        values if p is None else _processed(p, values)
        for p, values in zip(processors, columns_of, strict=True)
    ]
    flat_rows = list(zip(*processed, strict=True))
    added: list[tuple] = []
    for start in range(0, len(flat_rows), batch):
        chunk = flat_rows[start : start + batch]
        sql = head + ", ".join([one] * len(chunk)) + tail
        params = tuple(v for row in chunk for v in row)
        result = conn.exec_driver_sql(sql, params)
        if returning:
            added.extend(tuple(r) for r in result.fetchall())
    return added
