"""People with departments and hand-made tasks in a portal store, for the task-action tests."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal.departments import set_department
from warehouse.portal.tasks import task_events, tasks
from warehouse.portal.users import add_account

T0 = datetime(2026, 12, 1, 1, 0, tzinfo=UTC).replace(
    tzinfo=None
)  # when the hand-made tasks were created (UTC)
PASSWORD = "Harbour-lantern-47-quiet"  # noqa: S105 - a test account
# username: (roles, branches, department)
PEOPLE: dict[str, tuple[set[str], tuple[str, ...] | None, str | None]] = {
    "col_sh": ({"risk_committee"}, ("SH",), "collections"),  # a Shanghai collector
    "col_all": ({"risk_committee"}, None, "collections"),
    "risk1": ({"risk_committee"}, None, "risk"),
    "legal1": ({"compliance"}, None, "legal"),
    "admin2": ({"admin"}, None, None),
    "nodept": ({"risk_committee"}, None, None),
}
_keys = itertools.count(1)


def add_people(engine: Engine) -> None:
    """The accounts of `PEOPLE`, each in its department."""
    for name, (roles, branches, department) in PEOPLE.items():
        add_account(
            engine, name, PASSWORD, roles, branches=branches, display_name=name, actor="admin"
        )
        if department is not None:
            set_department(engine, name, department, "admin")


def make_task(engine: Engine, **values: object) -> int:
    """Insert one open collections task (overridden by `values`) and its `created` event."""
    row: dict[str, object] = {
        "trigger_key": f"test:{next(_keys)}",
        "kind": "collections",
        "step": "notice",
        "contract_id": "C1",
        "lessee_id": "L1",
        "branch": "SH",
        "department": "collections",
        "assignee": None,
        "priority": 2,
        "as_of": date(2026, 11, 30),
        "dpd": 12,
        "created_at": T0,
        "due_date": date(2026, 12, 8),
        "status": "open",
        "escalations": 0,
        "updated_at": T0,
    }
    row.update(values)
    with engine.begin() as conn:
        task_id = conn.execute(tasks.insert().values(**row)).inserted_primary_key[0]
        conn.execute(
            task_events.insert().values(task_id=task_id, at=T0, actor="system", action="created")
        )
    return int(task_id)


def task_row(engine: Engine, task_id: int) -> sa.Row:
    """The task's row as stored."""
    with engine.connect() as conn:
        return conn.execute(sa.select(tasks).where(tasks.c.task_id == task_id)).one()


def events(engine: Engine, task_id: int) -> list[sa.Row]:
    """The task's events, oldest first."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(task_events)
            .where(task_events.c.task_id == task_id)
            .order_by(task_events.c.event_id)
        ).all()
