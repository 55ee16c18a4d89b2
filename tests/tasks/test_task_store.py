"""The task tables: one task per trigger key, and a history nobody can edit, on SQLite and PG."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal import portal_engine, portal_url
from warehouse.portal.tasks import task_events, tasks

AT = datetime(2026, 11, 2, 1, 0, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def _task(key: str) -> dict[str, object]:
    return {
        "trigger_key": key,
        "kind": "collections",
        "step": "reminder",
        "contract_id": "C1",
        "department": "service",
        "priority": 3,
        "as_of": date(2026, 10, 31),
        "created_at": AT,
        "due_date": date(2026, 11, 3),
        "status": "open",
        "escalations": 0,
        "updated_at": AT,
    }


def test_the_same_trigger_key_cannot_make_a_second_task(portal: Engine) -> None:
    with portal.begin() as conn:
        conn.execute(tasks.insert(), [_task("dpd:C1:reminder:2026-10")])
    with pytest.raises(sa.exc.IntegrityError), portal.begin() as conn:
        conn.execute(tasks.insert(), [_task("dpd:C1:reminder:2026-10")])
    with portal.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(tasks)).scalar_one() == 1


@pytest.mark.parametrize("change", ["update", "delete"])
def test_task_history_cannot_be_edited_or_deleted(portal: Engine, change: str) -> None:
    with portal.begin() as conn:
        task_id = conn.execute(
            tasks.insert().returning(tasks.c.task_id), [_task("iot:7")]
        ).scalar_one()
        conn.execute(
            task_events.insert(),
            [{"task_id": task_id, "at": AT, "actor": "system", "action": "created"}],
        )
    statement = (
        task_events.update().values(actor="someone") if change == "update" else task_events.delete()
    )
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), portal.begin() as conn:
        conn.execute(statement)
    with portal.connect() as conn:
        assert conn.execute(sa.select(task_events.c.actor)).scalars().all() == ["system"]
