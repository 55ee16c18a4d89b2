"""Tasks made by every build, idempotently: create, close when the trigger ended, escalate.

Run after every `postloan load` and `postloan build` (never failing them) and by `postloan tasks
sync [--at TIME]`. It reads the open triggers at the build's month-end (`tasks.triggers`) and, in
one transaction of the portal store, with bulk statements only (docs/tasks.md, "Lifecycle"):

1. closes every open task whose trigger is no longer open: `superseded` when the same subject (a
   DPD or inspection task's contract, a financial task's lessee) has a new trigger of its kind (a
   new band step, a new delinquency, a newer finding or statement), else `trigger_ended` (cured,
   contract closed or written off, alert resolved, signal aged out); status `cancelled`;
2. creates one task per trigger key not seen before: `trigger_key` is unique and the insert skips
   a key that exists, so a trigger never makes a second task, even after its task was done;
   the due date is the strategy's SLA in working days (Monday–Friday) after the local date of
   `now` in the display zone;
3. marks `overdue` every `open` or `in_progress` task whose due date is before that local date
   and escalates it once: priority one higher (1 stays 1), `escalations` + 1. A task already
   `overdue` is not escalated again; a person moving it on (T3's actions) starts a new episode.

Every change writes a `task_events` row by actor `system` in the same transaction.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from queries.monitoring_scope import settings_and_build
from tasks.strategy import current
from tasks.triggers import open_triggers
from tasks.workdays import add_working_days, local_today
from warehouse.portal.tasks import OPEN_STATUSES, insert_rows, task_events, tasks
from warehouse.settings import Settings, display_zone

SYSTEM = "system"
CLOSED_STATUS = "cancelled"
# Key prefix -> the column naming the subject a new trigger supersedes an older one for.
SUBJECTS: dict[str, str] = {"dpd": "contract_id", "insp": "contract_id", "fin": "lessee_id"}
# The prefixes of the keys the sync makes (tasks.triggers); a task with another key is not its.
PREFIXES: frozenset[str] = frozenset({"dpd", "iot", "insp", "fin", "sig"})
EVENT_COLUMNS = ("task_id", "at", "actor", "action", "detail")
TASK_COLUMNS = (
    "trigger_key",
    "kind",
    "step",
    "contract_id",
    "lessee_id",
    "branch",
    "product",
    "department",
    "priority",
    "dpd",
    "exposure",
    "detail",
)


@dataclass(frozen=True)
class SyncResult:
    """What one sync did (ids of the tasks it created and escalated, for notifications)."""

    as_of: date
    triggers: int
    created: tuple[int, ...] = ()
    superseded: tuple[int, ...] = ()
    ended: tuple[int, ...] = ()
    escalated: tuple[int, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)


def _prefix(key: str) -> str:
    return key.split(":", 1)[0]


def _events(conn: Connection, now: datetime, rows: list[tuple[int, str, dict]]) -> None:
    values = [
        (task_id, now, SYSTEM, action, json.dumps(detail, ensure_ascii=False, sort_keys=True))
        for task_id, action, detail in rows
    ]
    insert_rows(conn, task_events, EVENT_COLUMNS, values)


def _close(
    conn: Connection, now: datetime, current: pd.DataFrame
) -> tuple[tuple[int, ...], tuple[int, ...], set[str]]:
    """Close the open tasks whose key is not a current trigger; (superseded ids, ended ids,
    the keys of the tasks that stay open)."""
    t = tasks
    open_rows = conn.execute(
        sa.select(t.c.task_id, t.c.trigger_key, t.c.contract_id, t.c.lessee_id).where(
            t.c.status.in_(OPEN_STATUSES)
        )
    ).all()
    key_list = current["trigger_key"].tolist()  # lists: iterating a Series is slow
    keys = set(key_list)
    subjects = {
        (_prefix(k), s)
        for k, s in zip(key_list, current["subject"].tolist(), strict=True)
        if isinstance(s, str)  # None (or a missing value) is no subject
    }
    superseded, ended, staying = [], [], set()
    for row in open_rows:
        if row.trigger_key in keys:
            staying.add(row.trigger_key)
            continue
        prefix = _prefix(row.trigger_key)
        if prefix not in PREFIXES:
            continue
        column = SUBJECTS.get(prefix)
        if column is not None and (prefix, getattr(row, column)) in subjects:
            superseded.append(row.task_id)
        else:
            ended.append(row.task_id)
    closing = [(i, "superseded") for i in superseded] + [(i, "trigger_ended") for i in ended]
    if closing:
        conn.execute(
            t.update()
            .where(
                t.c.task_id == sa.bindparam("tid"),
                # Still open (an IN list cannot be used with executemany).
                sa.or_(*(t.c.status == s for s in OPEN_STATUSES)),
            )
            .values(
                status=CLOSED_STATUS,
                close_reason=sa.bindparam("reason"),
                closed_at=now,
                updated_at=now,
            ),
            [{"tid": i, "reason": r} for i, r in closing],
        )
        _events(conn, now, [(i, "closed", {"reason": r}) for i, r in closing])
    return tuple(superseded), tuple(ended), staying


def _create(
    conn: Connection,
    now: datetime,
    today: date,
    as_of: date,
    current: pd.DataFrame,
    still_open: set[str],
) -> tuple[int, ...]:
    """One task per current trigger key not stored yet (the insert skips a key stored, open or
    closed); the ids created."""
    if conn.dialect.name not in ("sqlite", "postgresql"):
        raise ValueError(f"the portal store on {conn.dialect.name} is not supported by the sync")
    fresh = current[~current["trigger_key"].isin(still_open)]
    if fresh.empty:
        return ()
    slas = [int(n) for n in fresh["sla_days"].tolist()]
    due = {n: add_working_days(today, n) for n in set(slas)}
    dues = [due[n] for n in slas]
    columns = [fresh[c].astype(object).where(fresh[c].notna(), None).tolist() for c in TASK_COLUMNS]
    fixed = (as_of, now, "open", 0, now)
    rows = [(*values, due[n], *fixed) for *values, n in zip(*columns, slas, strict=True)]
    made = insert_rows(
        conn,
        tasks,
        (*TASK_COLUMNS, "due_date", "as_of", "created_at", "status", "escalations", "updated_at"),
        rows,
        skip_key="trigger_key",
        returning=("task_id", "trigger_key"),
    )
    facts = dict(
        zip(
            fresh["trigger_key"].tolist(),
            zip(fresh["step"].tolist(), fresh["department"].tolist(), dues, strict=True),
            strict=True,
        )
    )
    events = []
    for task_id, key in made:
        step, department, due_date = facts[key]
        detail = {"step": step, "department": department, "due_date": due_date.isoformat()}
        events.append((task_id, "created", detail))
    _events(conn, now, events)
    return tuple(sorted(task_id for task_id, _ in made))


def _escalate(conn: Connection, now: datetime, today: date) -> tuple[int, ...]:
    """Mark overdue and escalate the open tasks past their due date; the ids escalated."""
    t = tasks
    late = conn.execute(
        t.update()
        .where(t.c.status.in_(("open", "in_progress")), t.c.due_date < today)
        .values(
            status="overdue",
            priority=sa.case((t.c.priority > 1, t.c.priority - 1), else_=1),
            escalations=t.c.escalations + 1,
            updated_at=now,
        )
        .returning(t.c.task_id, t.c.due_date, t.c.priority, t.c.escalations)
    ).all()
    events = []
    for r in late:
        events.append((r.task_id, "overdue", {"due_date": r.due_date.isoformat()}))
        events.append(
            (r.task_id, "escalated", {"priority": r.priority, "escalations": r.escalations})
        )
    _events(conn, now, events)
    return tuple(sorted(r.task_id for r in late))


def sync(warehouse: Engine, portal: Engine, settings: Settings, now: datetime) -> SyncResult:
    """Bring the tasks in line with the open triggers at the warehouse's latest build, at
    `now` (naive UTC); running it again on the same build and day changes nothing."""
    began = time.perf_counter()
    _, as_of = settings_and_build(warehouse)
    if as_of is None:
        raise LookupError("the warehouse has no build: nothing to make tasks from")
    strategy = current(portal, settings)
    current_triggers = open_triggers(warehouse, as_of, strategy, settings)
    read = time.perf_counter() - began
    today = local_today(now, display_zone(settings))
    with portal.begin() as conn:
        superseded, ended, still_open = _close(conn, now, current_triggers)
        created = _create(conn, now, today, as_of, current_triggers, still_open)
        escalated = _escalate(conn, now, today)
    return SyncResult(
        as_of,
        len(current_triggers),
        created,
        superseded,
        ended,
        escalated,
        {"read": read, "write": time.perf_counter() - began - read},
    )
