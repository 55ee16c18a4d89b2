"""The sync on a hand-worked book (tests/tasks/book.py), build after build, on DuckDB and PG.

The tables below are worked out by hand from the book's docstring, the default strategy
(`postloan.toml` `[tasks]`) and working days Monday–Friday counted from the sync's local date
(Asia/Shanghai): each sync runs at 09:00 local on the first working day after its month-end.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tasks.sync import SyncResult, add_working_days, sync
from tests.tasks.book import AS_OFS, book_at
from tests.warehouse.book import build_book
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.tasks import task_events, tasks
from warehouse.settings import SETTINGS, Settings

DEFAULTS = Settings({s.key: s.default for s in SETTINGS})  # postloan.toml holds the same


def _local_9am(day: str) -> datetime:
    """09:00 in Asia/Shanghai on `day`, as naive UTC (01:00 UTC)."""
    return datetime.fromisoformat(f"{day}T01:00").replace(tzinfo=UTC).replace(tzinfo=None)


# Month-end -> the sync's clock: Mon 02-02, Mon 03-02, Wed 04-01, Mon 05-04, Mon 06-01.
CLOCKS = dict(
    zip(
        AS_OFS,
        map(_local_9am, ("2026-02-02", "2026-03-02", "2026-04-01", "2026-05-04", "2026-06-01")),
        strict=True,
    )
)

# Per month-end: keys created, superseded, closed because the trigger ended, escalated.
EXPECTED: dict[str, dict[str, set[str]]] = {
    "2026-01-31": {
        "created": {
            "dpd:C1:reminder:2026-01-25",
            "dpd:C2:notice:2026-01-10",
            "dpd:C8:notice:2026-01-20",
            "fin:L6:2025-12-31",
        },
        "superseded": set(),
        "ended": set(),
        "escalated": set(),
    },
    "2026-02-28": {
        "created": {
            "dpd:C1:visit:2026-01-25",
            "dpd:C2:visit:2026-01-10",
            "iot:C3:offline:2026-02",
            "insp:C4:I1",
            "sig:S1",
        },
        "superseded": {"dpd:C1:reminder:2026-01-25", "dpd:C2:notice:2026-01-10"},
        "ended": {"dpd:C8:notice:2026-01-20"},  # C8 paid off and closed
        "escalated": {"fin:L6:2025-12-31"},  # due 02-16
    },
    "2026-03-31": {
        "created": {"dpd:C1:demand:2026-01-25", "insp:C5:I3", "fin:L6:2026-03-31"},
        "superseded": {"dpd:C1:visit:2026-01-25", "fin:L6:2025-12-31"},
        "ended": {"dpd:C2:visit:2026-01-10", "insp:C4:I1"},  # C2 cured; C4 found normal
        "escalated": {"iot:C3:offline:2026-02", "sig:S1"},  # due 03-05 and 03-09
    },
    "2026-04-30": {
        "created": {
            "dpd:C1:litigation:2026-01-25",
            "dpd:C2:notice:2026-04-10",
            "iot:C4:geofence_exit:2026-04",
        },
        "superseded": {"dpd:C1:demand:2026-01-25"},
        "ended": {"iot:C3:offline:2026-02"},  # no offline event in April
        "escalated": {"insp:C5:I3", "fin:L6:2026-03-31"},  # due 04-08 and 04-15
    },
    "2026-05-31": {
        "created": {"dpd:C2:visit:2026-04-10", "insp:C5:I4"},
        "superseded": {"dpd:C2:notice:2026-04-10", "insp:C5:I3"},
        "ended": {"iot:C4:geofence_exit:2026-04", "sig:S1"},  # no exit in May; signal 110 days
        "escalated": set(),
    },
}

# Every task after the last sync: department, priority, escalations, due date, status, reason.
FINAL: dict[str, tuple[str, int, int, str, str, str | None]] = {
    "dpd:C1:reminder:2026-01-25": ("service", 3, 0, "2026-02-03", "cancelled", "superseded"),
    "dpd:C2:notice:2026-01-10": ("collections", 3, 0, "2026-02-05", "cancelled", "superseded"),
    "dpd:C8:notice:2026-01-20": ("collections", 3, 0, "2026-02-05", "cancelled", "trigger_ended"),
    "fin:L6:2025-12-31": ("finance", 1, 1, "2026-02-16", "cancelled", "superseded"),
    "dpd:C1:visit:2026-01-25": ("risk", 2, 0, "2026-03-16", "cancelled", "superseded"),
    "dpd:C2:visit:2026-01-10": ("risk", 2, 0, "2026-03-16", "cancelled", "trigger_ended"),
    "iot:C3:offline:2026-02": ("operations", 1, 1, "2026-03-05", "cancelled", "trigger_ended"),
    "insp:C4:I1": ("legal", 1, 0, "2026-03-09", "cancelled", "trigger_ended"),
    "sig:S1": ("risk", 1, 1, "2026-03-09", "cancelled", "trigger_ended"),
    "dpd:C1:demand:2026-01-25": ("legal", 1, 0, "2026-04-08", "cancelled", "superseded"),
    "insp:C5:I3": ("legal", 1, 1, "2026-04-08", "cancelled", "superseded"),  # P1 stays P1
    "fin:L6:2026-03-31": ("finance", 1, 1, "2026-04-15", "overdue", None),
    "dpd:C1:litigation:2026-01-25": ("legal", 1, 0, "2026-06-01", "open", None),
    "dpd:C2:notice:2026-04-10": ("collections", 3, 0, "2026-05-07", "cancelled", "superseded"),
    "iot:C4:geofence_exit:2026-04": (
        "operations", 2, 0, "2026-05-07", "cancelled", "trigger_ended",
    ),
    "dpd:C2:visit:2026-04-10": ("risk", 2, 0, "2026-06-15", "open", None),
    "insp:C5:I4": ("legal", 1, 0, "2026-06-08", "open", None),
}  # fmt: skip


@pytest.fixture
def stores(db_url: str) -> Iterator[tuple[str, Engine]]:
    portal = portal_engine(portal_url(db_url))
    yield db_url, portal
    portal.dispose()


def _sync(url: str, portal: Engine, as_of: str) -> SyncResult:
    # A writable engine: the read-only one keeps the file attached, and the next build_book
    # writes the file in place (a real load renames a new file over it).
    warehouse = create_warehouse_engine(url)
    try:
        return sync(warehouse, portal, DEFAULTS, CLOCKS[as_of])
    finally:
        warehouse.dispose()


def _keys(portal: Engine, ids: tuple[int, ...]) -> set[str]:
    with portal.connect() as conn:
        rows = conn.execute(sa.select(tasks.c.trigger_key).where(tasks.c.task_id.in_(ids)))
        return set(rows.scalars())


def _snapshot(portal: Engine) -> tuple[list[tuple], list[tuple]]:
    with portal.connect() as conn:
        return (
            [tuple(r) for r in conn.execute(sa.select(tasks).order_by(tasks.c.task_id))],
            [tuple(r) for r in conn.execute(sa.select(task_events).order_by("event_id"))],
        )


def test_due_dates_count_working_days_monday_to_friday() -> None:
    assert add_working_days(date(2026, 2, 2), 1) == date(2026, 2, 3)  # Mon -> Tue
    assert add_working_days(date(2026, 3, 6), 1) == date(2026, 3, 9)  # Fri -> Mon
    assert add_working_days(date(2026, 3, 7), 1) == date(2026, 3, 9)  # Sat -> Mon
    assert add_working_days(date(2026, 3, 2), 10) == date(2026, 3, 16)
    assert add_working_days(date(2026, 5, 4), 20) == date(2026, 6, 1)


def test_every_build_creates_closes_and_escalates_as_worked_by_hand(
    stores: tuple[str, Engine],
) -> None:
    url, portal = stores
    for as_of in AS_OFS:
        build_book(url, book_at(as_of), as_of)
        done = _sync(url, portal, as_of)
        seen = {
            "created": _keys(portal, done.created),
            "superseded": _keys(portal, done.superseded),
            "ended": _keys(portal, done.ended),
            "escalated": _keys(portal, done.escalated),
        }
        assert (as_of, seen) == (as_of, EXPECTED[as_of])
        # A second sync of the same build at the same time creates and changes nothing.
        before = _snapshot(portal)
        again = _sync(url, portal, as_of)
        assert (again.created, again.superseded, again.ended, again.escalated) == ((), (), (), ())
        assert _snapshot(portal) == before

    with portal.connect() as conn:
        rows = conn.execute(sa.select(tasks)).mappings().all()
    final = {
        r["trigger_key"]: (
            r["department"],
            r["priority"],
            r["escalations"],
            r["due_date"].isoformat(),
            r["status"],
            r["close_reason"],
        )
        for r in rows
    }
    assert final == FINAL


def test_a_second_build_of_the_same_month_end_makes_nothing_new(
    stores: tuple[str, Engine],
) -> None:
    url, portal = stores
    build_book(url, book_at("2026-02-28"), "2026-02-28")
    first = _sync(url, portal, "2026-02-28")
    assert len(first.created) == 6  # the 5 made in February in the walk, and L6's review
    before = _snapshot(portal)
    build_book(url, book_at("2026-02-28"), "2026-02-28")  # rebuilt from the same rows
    again = _sync(url, portal, "2026-02-28")
    assert (again.created, again.superseded, again.ended, again.escalated) == ((), (), (), ())
    assert _snapshot(portal) == before


def test_the_sync_leaves_a_task_it_did_not_make_alone(stores: tuple[str, Engine]) -> None:
    url, portal = stores
    build_book(url, book_at("2026-01-31"), "2026-01-31")
    at = CLOCKS["2026-01-31"]
    with portal.begin() as conn:
        conn.execute(
            tasks.insert().values(
                trigger_key="manual:visit-C3",
                kind="collections",
                step="visit",
                contract_id="C3",
                department="risk",
                priority=2,
                as_of=date(2026, 1, 31),
                created_at=at,
                due_date=date(2026, 3, 31),
                status="open",
                escalations=0,
                updated_at=at,
            )
        )
    done = _sync(url, portal, "2026-01-31")
    assert (len(done.created), done.ended, done.superseded) == (4, (), ())
    with portal.connect() as conn:
        status = conn.execute(
            sa.select(tasks.c.status).where(tasks.c.trigger_key == "manual:visit-C3")
        ).scalar_one()
    assert status == "open"


def test_tasks_carry_the_contract_lessee_and_exposure_of_their_trigger(
    stores: tuple[str, Engine],
) -> None:
    url, portal = stores
    build_book(url, book_at("2026-01-31"), "2026-01-31")
    _sync(url, portal, "2026-01-31")
    with portal.connect() as conn:
        rows = conn.execute(sa.select(tasks).order_by(tasks.c.trigger_key)).mappings().all()
    got = {
        r["trigger_key"]: (
            r["kind"],
            r["step"],
            r["contract_id"],
            r["lessee_id"],
            r["branch"],
            r["product"],
            r["dpd"],
            r["exposure"],
            r["as_of"],
            r["status"],
            r["assignee"],
        )
        for r in rows
    }
    jan = date(2026, 1, 31)
    assert got == {
        # Nothing paid: the whole 6,000 outstanding; DPD 6 (due 01-25).
        "dpd:C1:reminder:2026-01-25": (
            "collections", "reminder", "C1", "LC1", "SH", "direct_lease", 6, "6000.00", jan,
            "open", None,
        ),
        "dpd:C2:notice:2026-01-10": (
            "collections", "notice", "C2", "LC2", "SH", "direct_lease", 21, "6000.00", jan,
            "open", None,
        ),
        "dpd:C8:notice:2026-01-20": (
            "collections", "notice", "C8", "LC8", "SH", "direct_lease", 11, "1000.00", jan,
            "open", None,
        ),
        # L6's larger contract C6 (2,500 after January) carries L6's exposure 2,500 + 500.
        "fin:L6:2025-12-31": (
            "financial_review", "financial_review", "C6", "L6", "SH", "direct_lease", 0,
            "3000.00", jan, "open", None,
        ),
    }  # fmt: skip


def test_every_change_is_an_event_by_the_system(stores: tuple[str, Engine]) -> None:
    url, portal = stores
    for as_of in AS_OFS:
        build_book(url, book_at(as_of), as_of)
        _sync(url, portal, as_of)
    with portal.connect() as conn:
        counts = dict(
            conn.execute(
                sa.select(task_events.c.action, sa.func.count())
                .where(task_events.c.actor == "system")
                .group_by(task_events.c.action)
            ).all()
        )
        total = conn.execute(sa.select(sa.func.count()).select_from(task_events)).scalar_one()
    # 17 created; 7 superseded + 6 ended closed; 5 escalations, each first marked overdue.
    assert counts == {"created": 17, "closed": 13, "overdue": 5, "escalated": 5}
    assert total == 40


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dashboard.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_postloan_tasks_sync_and_list_on_the_january_build(db_url: str) -> None:
    build_book(db_url, book_at("2026-01-31"), "2026-01-31")
    at = "2026-02-02T09:00+08:00"  # Monday 09:00 in Shanghai
    first = _cli("tasks", "sync", "--at", at, "--warehouse", db_url)
    assert first.returncode == 0, first.stderr
    assert "tasks synced at 2026-01-31: 4 open triggers, 4 created, 0 superseded" in first.stdout
    again = _cli("tasks", "sync", "--at", at, "--warehouse", db_url)
    assert "4 open triggers, 0 created, 0 superseded, 0 closed" in again.stdout
    # Wednesday: the reminder (due Tuesday) is overdue and escalated from P3 to P2.
    later = _cli("tasks", "sync", "--at", "2026-02-04T01:00", "--warehouse", db_url)
    assert "0 created, 0 superseded, 0 closed (trigger ended), 1 overdue and escalated" in (
        later.stdout
    )
    listed = _cli("tasks", "list", "--department", "collections", "--warehouse", db_url)
    assert listed.stdout.splitlines() == [
        "#2 P3 open collections notice C2 due 2026-02-05 queue",
        "#3 P3 open collections notice C8 due 2026-02-05 queue",
    ]
    overdue = _cli("tasks", "list", "--status", "overdue", "--warehouse", db_url)
    assert overdue.stdout.splitlines() == ["#1 P2 overdue service reminder C1 due 2026-02-03 queue"]
