"""Who is told what about tasks: assigned to me, escalated to my department, due tomorrow, overdue.

`notices` reads the portal store at a given moment (an injected clock) and returns one `Notice`
per task event with its recipients, and one `Digest` per person whose department queue holds
tasks due tomorrow or overdue; `dashboard.delivery.task_mail` words them and queues one message
per notice (or digest) and recipient in the alerts outbox, under a key (`key` + recipient) that
makes queuing idempotent: however often the scheduler asks, a person hears of an event once.

- assigned / reassigned: the new assignee (not when they assigned it to themselves);
- escalated: every member of the department a person escalated it to (not that person; the
  sync's own escalation of an overdue task keeps the department, and the overdue notice says it);
- due tomorrow: an assigned open task whose due date is the next calendar day in the display zone;
- overdue: an assigned open task whose due date has passed (or the sync marked `overdue`);
  both to the assignee, once per task and due date;
- the queue digest: a task still in a department's queue is not mailed task by task to every
  member (a queue of thousands would flood them); each member gets one message a day counting
  the queue's tasks due tomorrow and overdue inside their branches.
A member is an enabled account of that department whose branch scope covers the task.
Events are read after `since` (the last event id seen), or over the last `LOOKBACK` on a first
run; the due dates are scanned only when `scan_due` (the caller's choice: a new day or new events).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tasks.actions import in_scope
from warehouse.portal.deliveries import deliveries
from warehouse.portal.departments import user_departments
from warehouse.portal.tasks import OPEN_STATUSES, task_events, tasks
from warehouse.portal.users import users

LOOKBACK = timedelta(days=2)
EVENTS: tuple[str, ...] = ("assigned", "escalated", "due_tomorrow", "overdue")


@dataclass(frozen=True)
class Notice:
    """One event of one task to tell `recipients` about (`key` + recipient is idempotent)."""

    key: str
    event: str
    task_id: int
    contract_id: str | None
    kind: str
    step: str
    department: str
    priority: int
    due_date: date
    actor: str | None
    recipients: tuple[str, ...]


def _members(engine: Engine) -> dict[str, list[tuple[str, tuple[str, ...] | None]]]:
    """department -> [(username, branch scope)] of enabled accounts."""
    d, u = user_departments.c, users.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(d.department, d.username, u.branches)
            .join(users, u.username == d.username)
            .where(u.disabled.is_(False))
            .order_by(d.username)
        ).all()
    found: dict[str, list[tuple[str, tuple[str, ...] | None]]] = {}
    for row in rows:
        scope = None if row.branches is None else tuple(json.loads(row.branches))
        found.setdefault(row.department, []).append((row.username, scope))
    return found


def _queue(members: dict, department: str, branch: str | None, but: str | None = None) -> tuple:
    return tuple(
        name
        for name, scope in members.get(department, [])
        if in_scope(scope, branch) and name != but
    )


def _notice(row: sa.Row, key: str, event: str, actor: str | None, to: tuple) -> Notice:
    return Notice(
        key,
        event,
        row.task_id,
        row.contract_id,
        row.kind,
        row.step,
        row.department,
        row.priority,
        row.due_date,
        actor,
        to,
    )


@dataclass(frozen=True)
class Digest:
    """One person's daily count of their department queue's tasks due tomorrow and overdue."""

    key: str
    username: str
    department: str
    due_tomorrow: int
    overdue: int


def _moved(rows: list[sa.Row], members: dict) -> list[Notice]:
    found: list[Notice] = []
    for row in rows:
        detail = json.loads(row.said or "{}")
        if row.action == "escalated":
            if "to" not in detail:
                continue  # the sync's escalation of an overdue task: the overdue notice says it
            to = _queue(members, detail["to"], row.branch, row.by)
            event = "escalated"
        else:
            target = detail.get("to")
            to = (target,) if target and target != row.by else ()
            event = "assigned"
        if to:
            key = f"task:{row.task_id}:{event}:{row.event_id}"
            found.append(_notice(row, key, event, row.by, to))
    return found


def _due(rows: list[sa.Row], members: dict, today: date) -> tuple[list[Notice], list[Digest]]:
    found: list[Notice] = []
    counts: dict[tuple[str, str], list[int]] = {}
    for row in rows:
        late = row.status == "overdue" or row.due_date < today
        if not late and row.due_date != today + timedelta(days=1):
            continue
        event = "overdue" if late else "due_tomorrow"
        if row.assignee:
            key = f"task:{row.task_id}:{event}:{row.due_date:%Y-%m-%d}"
            found.append(_notice(row, key, event, None, (row.assignee,)))
            continue
        for name in _queue(members, row.department, row.branch):
            counts.setdefault((row.department, name), [0, 0])[late] += 1
    digests = [
        Digest(f"tasks:queue:{dept}:{today:%Y-%m-%d}", name, dept, soon, late)
        for (dept, name), (soon, late) in sorted(counts.items())
    ]
    return found, digests


def notices(
    engine: Engine, now: datetime, today: date, since: int | None = None, *, scan_due: bool = True
) -> tuple[list[Notice], list[Digest], int | None]:
    """The notices and digests due at `now` (UTC; `today` is its local date) and the last event
    id read."""
    members = _members(engine)
    e, t = task_events.c, tasks.c
    after = e.event_id > since if since is not None else e.at >= now - LOOKBACK
    with engine.connect() as conn:
        moved = conn.execute(
            sa.select(e.event_id, e.action, e.actor.label("by"), e.detail.label("said"), tasks)
            .join(tasks, t.task_id == e.task_id)
            .where(after, e.action.in_(("assigned", "reassigned", "escalated")))
            .order_by(e.event_id)
        ).all()
        last = conn.execute(sa.select(sa.func.max(e.event_id))).scalar()
        due = []
        if scan_due:
            due = conn.execute(
                sa.select(tasks)
                .where(
                    t.status.in_(OPEN_STATUSES),
                    sa.or_(t.due_date <= today + timedelta(days=1), t.status == "overdue"),
                )
                .order_by(t.task_id)
            ).all()
    found, digests = _due(due, members, today)
    return _moved(moved, members) + found, digests, last if last is not None else since


def latest_event(engine: Engine) -> int | None:
    """The id of the newest task event (None: no task has any)."""
    with engine.connect() as conn:
        return conn.execute(sa.select(sa.func.max(task_events.c.event_id))).scalar()


def queued_keys(engine: Engine, keys: list[str], chunk: int = 500) -> set[str]:
    """Which of `keys` the outbox holds already (so a round does not try them one by one)."""
    found: set[str] = set()
    d = deliveries.c
    with engine.connect() as conn:
        for start in range(0, len(keys), chunk):
            part = keys[start : start + chunk]
            found.update(conn.execute(sa.select(d.idem_key).where(d.idem_key.in_(part))).scalars())
    return found
