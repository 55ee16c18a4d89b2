"""What people do to a task: assign, reassign, escalate, start, comment, record an outcome, finish,
cancel. Each act is one transaction that changes the task and appends its `task_events` row (who,
when, what), or writes nothing and raises `TaskError` with a code the page says in words.

Who may act (docs/security.md): the actor's department (`warehouse.portal.departments`) is the
task's department, and the task's branch is inside the actor's branch scope (a task with no
branch only for a user who sees every branch). There is no override, not for admin either: an
administrator gives people departments, it does not work their cases; the role model has no
department head, so any member may assign, reassign, escalate or cancel their department's work.
Starting, recording an outcome and finishing are the assignee's (a task still in the queue is
claimed by the member who does so). An assignee must be an enabled member of the task's
department whose branch scope covers the task.

Two people acting at once cannot overwrite each other: every act but a comment names the
`updated_at` it read (`expected`); the row is locked (PostgreSQL `FOR UPDATE`; SQLite has one
writer) and written only while it still carries that value, else `TaskError("stale")`. The new
`updated_at` is always later than the old one, even with a clock that stands still.

Escalation (`ESCALATION`) moves a task one level up: 客服 → 催收 → 风险管理部 → 法务部; 运营部,
财务部 and 合规部 → 风险管理部; 法务部 is the top, where only the priority rises. Every escalation
raises the priority by one (1 is the highest) and puts the task in the new department's queue.

A contact outcome (`tasks.outcomes`) outside the contact window or above the daily cap is refused
(`TaskError("contact_rules")`, naming the flags); the actor may record it anyway with
`confirm_breach=True`, and it is then stored flagged: the flags are in the outcome and its event,
so the breach is logged, never silently stored (docs/domain.md §10 asks to log every attempt).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tasks.outcomes import (
    CONTACT_KINDS,
    ContactRules,
    TaskError,
    check_outcome,
    contact_flags,
    judged,
    text,
)
from warehouse.portal import audit, utc_now
from warehouse.portal.decisions import committee_decisions
from warehouse.portal.departments import user_departments
from warehouse.portal.tasks import OPEN_STATUSES, task_events, tasks
from warehouse.portal.users import users

ESCALATION: dict[str, str] = {
    "service": "collections",
    "collections": "risk",
    "risk": "legal",
    "operations": "risk",
    "finance": "risk",
    "compliance": "risk",
    "legal": "legal",
}
TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class Actor:
    """Who acts: the signed-in username, roles and branch scope (None = every branch)."""

    username: str
    roles: frozenset[str]
    branches: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Acted:
    """What an act wrote: its event and the task's new `updated_at` (the next `expected`)."""

    task_id: int
    event_id: int
    updated_at: datetime
    flags: tuple[str, ...] = ()


Change = Callable[[Connection, sa.Row, str], tuple[dict[str, object], dict[str, object]]]


def in_scope(branches: tuple[str, ...] | None, branch: str | None) -> bool:
    """True when a branch scope (None = every branch) covers a task's branch."""
    return branches is None or (branch is not None and branch in branches)


def _department(conn: Connection, username: str) -> str | None:
    d = user_departments.c
    return conn.execute(sa.select(d.department).where(d.username == username)).scalar_one_or_none()


def _allowed(conn: Connection, actor: Actor, row: sa.Row) -> None:
    if not in_scope(actor.branches, row.branch):
        raise TaskError("branch", f"task {row.task_id} is outside your branches", task=row.task_id)
    mine = _department(conn, actor.username)
    if mine != row.department:
        raise TaskError(
            "department",
            f"task {row.task_id} belongs to {row.department}, not your department ({mine})",
            task=row.task_id,
            department=row.department,
        )


def _open(row: sa.Row) -> None:
    if row.status not in OPEN_STATUSES:
        raise TaskError("closed", f"task {row.task_id} is {row.status}", status=row.status)


def _worker(row: sa.Row, actor: Actor) -> dict[str, object]:
    """The assignee columns when `actor` works the task (claiming it from the queue)."""
    if row.assignee is None:
        return {"assignee": actor.username}
    if row.assignee != actor.username:
        raise TaskError(
            "assignee", f"task {row.task_id} is assigned to {row.assignee}", assignee=row.assignee
        )
    return {}


def _member(conn: Connection, username: str, row: sa.Row) -> None:
    """Refuse an assignee who is not an enabled member of the task's department and branch."""
    account = conn.execute(
        sa.select(users.c.disabled, users.c.branches).where(users.c.username == username)
    ).first()
    if account is None or account.disabled or _department(conn, username) != row.department:
        raise TaskError(
            "not_member",
            f"{username!r} is not in the task's department",
            name=username,
            department=row.department,
        )
    scope = None if account.branches is None else tuple(json.loads(account.branches))
    if not in_scope(scope, row.branch):
        raise TaskError("not_member_branch", f"{username!r} does not cover the task's branch")


def _act(
    engine: Engine,
    actor: Actor,
    task_id: int,
    action: str,
    expected: datetime | None,
    change: Change,
    now: datetime | None,
    *,
    lessee_lock: bool = False,
) -> Acted:
    at = now or utc_now()
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":  # take SQLite's one write lock before reading
            conn.execute(
                tasks.update().where(tasks.c.task_id == task_id).values(task_id=tasks.c.task_id)
            )
        lessee = conn.execute(
            sa.select(tasks.c.lessee_id).where(tasks.c.task_id == task_id)
        ).scalar_one_or_none()
        if lessee_lock and lessee is not None:  # a contact: one writer per debtor, for the cap
            conn.execute(
                sa.select(tasks.c.task_id)
                .where(tasks.c.lessee_id == lessee)
                .order_by(tasks.c.task_id)
                .with_for_update()
            ).all()
        row = conn.execute(
            sa.select(tasks).where(tasks.c.task_id == task_id).with_for_update()
        ).first()
        if row is None:
            raise TaskError("no_task", f"no task {task_id}", task=task_id)
        _allowed(conn, actor, row)
        if expected is not None and row.updated_at != expected:
            raise TaskError("stale", f"task {task_id} was changed by someone else", task=task_id)
        values, detail = change(conn, row, at.isoformat())
        stamp = max(at, row.updated_at + TICK)
        if values or expected is not None:
            done = conn.execute(
                tasks.update()
                .where(tasks.c.task_id == task_id, tasks.c.updated_at == row.updated_at)
                .values(**values, updated_at=stamp)
            ).rowcount
            if done != 1:
                raise TaskError("stale", f"task {task_id} was changed by someone else")
        else:
            stamp = row.updated_at
        event = conn.execute(
            task_events.insert().values(
                task_id=task_id,
                at=at,
                actor=actor.username,
                action=action,
                detail=json.dumps(detail, ensure_ascii=False, sort_keys=True),
            )
        ).inserted_primary_key[0]
        # The tamper-evident trail names the act; its words stay in task_events.
        audit.record(
            conn,
            actor=actor.username,
            action="task",
            target=f"tasks:{task_id}",
            details={
                "act": action,
                "event": int(event),
                "contract": row.contract_id,
                "department": values.get("department", row.department),
                "flags": list(detail.get("flags", ())),
            },
            at=at,
        )
    return Acted(task_id, int(event), stamp, tuple(detail.get("flags", ())))  # type: ignore[arg-type]


def assign(
    engine: Engine,
    actor: Actor,
    task_id: int,
    assignee: str,
    *,
    expected: datetime,
    now: datetime | None = None,
) -> Acted:
    """Give a task of the department's queue to a member (`assigned`)."""

    def change(conn: Connection, row: sa.Row, _at: str) -> tuple[dict, dict]:
        _open(row)
        if row.assignee is not None:
            raise TaskError("assigned", f"task {task_id} is already assigned to {row.assignee}")
        _member(conn, assignee, row)
        return {"assignee": assignee}, {"to": assignee}

    return _act(engine, actor, task_id, "assigned", expected, change, now)


def reassign(
    engine: Engine,
    actor: Actor,
    task_id: int,
    assignee: str | None,
    *,
    expected: datetime,
    now: datetime | None = None,
) -> Acted:
    """Move an assigned task to another member, or back to the queue (None) (`reassigned`)."""

    def change(conn: Connection, row: sa.Row, _at: str) -> tuple[dict, dict]:
        _open(row)
        if row.assignee is None or row.assignee == assignee:
            raise TaskError("not_assigned", f"task {task_id} has no other assignee to replace")
        if assignee is not None:
            _member(conn, assignee, row)
        status = "open" if row.status == "in_progress" else row.status
        return {"assignee": assignee, "status": status}, {"from": row.assignee, "to": assignee}

    return _act(engine, actor, task_id, "reassigned", expected, change, now)


def escalate(
    engine: Engine,
    actor: Actor,
    task_id: int,
    reason: str,
    *,
    expected: datetime,
    now: datetime | None = None,
) -> Acted:
    """Move a task one level up (`ESCALATION`), one priority higher, to that queue."""
    why = text(reason, "reason", 500)

    def change(_conn: Connection, row: sa.Row, _at: str) -> tuple[dict, dict]:
        _open(row)
        target = ESCALATION.get(row.department, "risk")
        priority = max(1, row.priority - 1)
        if target == row.department and priority == row.priority:
            raise TaskError("top", f"task {task_id} is at the top already (法务部, priority 1)")
        status = "overdue" if row.status == "overdue" else "open"
        values = {
            "department": target,
            "priority": priority,
            "assignee": None,
            "status": status,
            "escalations": row.escalations + 1,
        }
        detail = {
            "from": row.department,
            "to": target,
            "priority_from": row.priority,
            "priority_to": priority,
            "reason": why,
        }
        return values, detail

    return _act(engine, actor, task_id, "escalated", expected, change, now)


def start(
    engine: Engine, actor: Actor, task_id: int, *, expected: datetime, now: datetime | None = None
) -> Acted:
    """The assignee starts work (an open task is claimed from the queue) (`started`)."""

    def change(_conn: Connection, row: sa.Row, _at: str) -> tuple[dict, dict]:
        _open(row)
        if row.status == "in_progress":
            raise TaskError("started", f"task {task_id} is in progress already")
        status = "overdue" if row.status == "overdue" else "in_progress"
        return {**_worker(row, actor), "status": status}, {}

    return _act(engine, actor, task_id, "started", expected, change, now)


def comment(
    engine: Engine, actor: Actor, task_id: int, note: str, *, now: datetime | None = None
) -> Acted:
    """A member's comment, open or closed task alike; it changes no field of the task."""
    said = text(note, "comment", 2000)
    return _act(engine, actor, task_id, "commented", None, lambda *_: ({}, {"text": said}), now)


def record_outcome(
    engine: Engine,
    actor: Actor,
    task_id: int,
    kind: str,
    fields: Mapping[str, object],
    rules: ContactRules,
    *,
    expected: datetime,
    confirm_breach: bool = False,
    now: datetime | None = None,
) -> Acted:
    """Record a structured outcome (`tasks.outcomes`) as the task's latest (`outcome`); a
    contact breaking the §10 rules is refused unless `confirm_breach`, then stored flagged."""
    at = now or utc_now()
    outcome = check_outcome(kind, fields, rules.local(at))

    def change(conn: Connection, row: sa.Row, _at: str) -> tuple[dict, dict]:
        _open(row)
        values = _worker(row, actor)
        if "decision_id" in outcome:
            _proposal(conn, int(outcome["decision_id"]), row.contract_id)
        if kind in CONTACT_KINDS:
            earlier = _contacts_that_day(conn, row.lessee_id, outcome["contacted_at"][:10], at)
            flags = contact_flags(rules, outcome, earlier)
            if flags and not confirm_breach:
                raise TaskError(
                    "contact_rules",
                    f"contact breaks the collections rules: {', '.join(flags)}",
                    flags=flags,
                    earlier=earlier,
                )
            if flags:
                outcome["flags"] = flags  # type: ignore[assignment]
        if row.status == "open":
            values["status"] = "in_progress"
        body = json.dumps(outcome, ensure_ascii=False, sort_keys=True)
        return {**values, "outcome_kind": kind, "outcome": body}, {"kind": kind, **outcome}

    return _act(
        engine, actor, task_id, "outcome", expected, change, at, lessee_lock=kind in CONTACT_KINDS
    )


def _proposal(conn: Connection, decision_id: int, contract_id: str | None) -> None:
    d = committee_decisions.c
    found = conn.execute(sa.select(d.contract_id).where(d.decision_id == decision_id)).first()
    if found is None or found.contract_id != contract_id:
        raise TaskError(
            "decision",
            f"committee decision {decision_id} is not on contract {contract_id}",
            field="decision_id",
        )


def _contacts_that_day(conn: Connection, lessee: str | None, day: str, at: datetime) -> int:
    """The judged contacts already recorded on the debtor's tasks for local day `day`."""
    if lessee is None:
        return 0
    since = datetime.fromisoformat(day) - timedelta(days=1)  # local day, any zone within ±24 h
    e, t = task_events.c, tasks.c
    rows = conn.execute(
        sa.select(e.detail)
        .join(tasks, t.task_id == e.task_id)
        .where(t.lessee_id == lessee, e.action == "outcome", e.at >= since, e.at <= at)
    ).scalars()
    found = 0
    for body in rows:
        said = json.loads(body or "{}")
        if said.get("kind") in CONTACT_KINDS and judged(said):
            found += str(said.get("contacted_at", ""))[:10] == day
    return found


def done(
    engine: Engine,
    actor: Actor,
    task_id: int,
    *,
    expected: datetime,
    note: str = "",
    now: datetime | None = None,
) -> Acted:
    """The assignee closes the task as done; it must carry an outcome (`done`)."""
    said = text(note, "note", 2000, required=False)

    def change(_conn: Connection, row: sa.Row, at: str) -> tuple[dict, dict]:
        _open(row)
        values = _worker(row, actor)
        if row.outcome_kind is None:
            raise TaskError("no_outcome", f"task {task_id} has no outcome yet")
        closed = datetime.fromisoformat(at)
        values.update(status="done", closed_at=closed, close_reason="done")
        return values, {"note": said} if said else {}

    return _act(engine, actor, task_id, "done", expected, change, now)


def cancel(
    engine: Engine,
    actor: Actor,
    task_id: int,
    reason: str,
    *,
    expected: datetime,
    now: datetime | None = None,
) -> Acted:
    """A member cancels an open task, with the reason (`cancelled`)."""
    why = text(reason, "reason", 500)

    def change(_conn: Connection, row: sa.Row, at: str) -> tuple[dict, dict]:
        _open(row)
        closed = datetime.fromisoformat(at)
        return {"status": "cancelled", "closed_at": closed, "close_reason": "cancelled"}, {
            "reason": why
        }

    return _act(engine, actor, task_id, "cancelled", expected, change, now)
