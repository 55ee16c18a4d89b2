"""queries.task_measures: SLA adherence, ageing and cure / roll-forward by step, worked by hand.

Tasks: tests/tasks/measure_tasks.py (hand-made, today Wed 2026-12-09).

November by department: service 3 came due (1, 2, 10), 2 met; collections 3 (4, 5, 6), 1 met;
legal 1 (14), 0 met; operations 1 (9), 1 met; all 8, 4 met. By step: reminder 3/2, notice 3/1,
litigation 1/0, site_inspection 1/1. Branch B1 only: service 2 came due, 1 met.

Ageing on 12-09 (working days, Mon–Fri). Most recent working days on or before 12-09: 12-09,
12-08, 12-07, 12-04, 12-03, 12-02 (6th), 12-01, 11-30, 11-27, 11-26, 11-25 (11th) … 11-09 (21st).
Past due = working days after the due date up to today: 5 (due 11-25) 10 → 6-10; 7 (12-02) 5 →
3-5; 11 (12-09) 0; 12 (12-10) 0; 13 (12-08) 1 → 1-2; 14 (11-24) 11 → 11+. Open = working days
after the creation date: 5 (11-18) 15 → 11-20; 7 (11-30) 7 → 6-10; 11 (12-08) 1 → 0-1; 12 (12-09)
0 → 0-1; 13 (12-01) 6 → 6-10; 14 (11-10) 21 → 21+.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from queries import task_measures as tm
from tests.tasks.measure_tasks import DECEMBER, NOVEMBER, TODAY, task_rows
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.tasks import tasks


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    engine = portal_engine(portal_url(db_url))
    with engine.begin() as conn:
        conn.execute(tasks.insert(), task_rows())
    yield engine
    engine.dispose()


def _by(frame, key: str) -> dict[str, tuple[int, int]]:
    return {r[key]: (r["came_due"], r["met"]) for r in frame.to_dict("records")}


def test_working_days_count_back_over_weekends() -> None:
    assert tm.working_day_back(TODAY, 1) == TODAY
    assert tm.working_day_back(TODAY, 4) == date(2026, 12, 4)  # Fri, over the weekend
    assert tm.working_day_back(date(2026, 12, 6), 1) == date(2026, 12, 4)  # a Sunday
    assert tm.working_days_between(date(2026, 11, 25), TODAY) == 10
    assert tm.working_days_between(date(2026, 11, 10), TODAY) == 21


def test_sla_adherence_by_department_is_done_on_time_over_came_due(portal: Engine) -> None:
    frame = tm.sla_adherence(portal, NOVEMBER, "department")
    assert _by(frame, "department") == {
        "collections": (3, 1),
        "legal": (1, 0),
        "operations": (1, 1),
        "service": (3, 2),
        "all": (8, 4),
    }
    rates = dict(zip(frame["department"], frame["adherence"], strict=True))
    assert rates["service"] == Decimal(2) / Decimal(3)
    assert rates["all"] == Decimal("0.5")
    assert list(frame["missed"]) == [2, 1, 0, 1, 4]


def test_sla_adherence_by_step(portal: Engine) -> None:
    frame = tm.sla_adherence(portal, NOVEMBER, "step")
    assert _by(frame, "step") == {
        "litigation": (1, 0),
        "notice": (3, 1),
        "reminder": (3, 2),
        "site_inspection": (1, 1),
        "all": (8, 4),
    }


def test_a_task_due_today_has_not_come_due_yet(portal: Engine) -> None:
    frame = tm.sla_adherence(portal, DECEMBER, "department")
    assert _by(frame, "department") == {"collections": (1, 0), "legal": (1, 0), "all": (2, 0)}


def test_the_due_day_is_the_display_zones_day(portal: Engine) -> None:
    """At UTC+08:00 task 4, closed 11-20 23:59:59 UTC, was closed on 11-21 07:59 local: late.
    Task 1 (11-03 10:00 UTC = 18:00 local) and 9 (11-26 15:00 UTC = 23:00 local) stay met."""
    shanghai = tm.TaskWindow(NOVEMBER.start, NOVEMBER.end, TODAY, utc_minutes=480)
    got = _by(tm.sla_adherence(portal, shanghai, "department"), "department")
    assert (got["collections"], got["operations"], got["all"]) == ((3, 0), (1, 1), (8, 3))


def test_sla_follows_branch_scope_and_department(portal: Engine) -> None:
    scoped = tm.TaskWindow(NOVEMBER.start, NOVEMBER.end, TODAY, scope=("B1",))
    assert _by(tm.sla_adherence(portal, scoped), "department")["service"] == (2, 1)
    nobody = tm.TaskWindow(NOVEMBER.start, NOVEMBER.end, TODAY, scope=())
    assert _by(tm.sla_adherence(portal, nobody), "department") == {"all": (0, 0)}
    assert tm.sla_adherence(portal, nobody)["adherence"].tolist() == [None]
    legal = tm.TaskWindow(NOVEMBER.start, NOVEMBER.end, TODAY, departments=("legal",))
    assert _by(tm.sla_adherence(portal, legal), "department") == {"legal": (1, 0), "all": (1, 0)}


def test_sla_drill_down_lists_exactly_the_tasks_behind_a_figure(portal: Engine) -> None:
    missed = tm.sla_tasks(portal, NOVEMBER, "department", "collections", met=False)
    assert list(missed["task_id"]) == [5, 6]
    came_due = tm.sla_tasks(portal, NOVEMBER, "department", "service")
    assert list(came_due["task_id"]) == [1, 10, 2]  # by due date
    assert list(came_due["in_time"]) == [True, True, False]
    every = tm.sla_tasks(portal, NOVEMBER, "step")
    assert sorted(every["task_id"]) == [1, 2, 4, 5, 6, 9, 10, 14]
    assert list(tm.sla_tasks(portal, NOVEMBER, "step", "reminder", met=True)["task_id"]) == [1, 10]
    first = tm.sla_tasks(portal, NOVEMBER, "department", "service", limit=1)
    assert list(first["task_id"]) == [1]  # the first of the 3 behind service's figure


def test_ageing_by_working_days_past_due(portal: Engine) -> None:
    frame = tm.open_ageing(portal, tm.TaskWindow(TODAY, TODAY, TODAY), "past_due")
    got = frame.set_index("department").to_dict("index")
    assert got == {
        "collections": {"0": 0, "1-2": 1, "3-5": 0, "6-10": 1, "11+": 0, "total": 2},
        "legal": {"0": 0, "1-2": 0, "3-5": 1, "6-10": 0, "11+": 1, "total": 2},
        "service": {"0": 2, "1-2": 0, "3-5": 0, "6-10": 0, "11+": 0, "total": 2},
    }


def test_ageing_by_working_days_open(portal: Engine) -> None:
    frame = tm.open_ageing(portal, tm.TaskWindow(TODAY, TODAY, TODAY), "open")
    got = frame.set_index("department").to_dict("index")
    assert got == {
        "collections": {"0-1": 0, "2-5": 0, "6-10": 1, "11-20": 1, "21+": 0, "total": 2},
        "legal": {"0-1": 0, "2-5": 0, "6-10": 1, "11-20": 0, "21+": 1, "total": 2},
        "service": {"0-1": 2, "2-5": 0, "6-10": 0, "11-20": 0, "21+": 0, "total": 2},
    }


def test_ageing_drill_down_lists_the_tasks_of_a_cell(portal: Engine) -> None:
    w = tm.TaskWindow(TODAY, TODAY, TODAY)
    assert list(
        tm.ageing_tasks(portal, w, "past_due", "department", "legal", "11+")["task_id"]
    ) == [14]
    cell = tm.ageing_tasks(portal, w, "open", "department", "collections", "6-10")
    assert list(cell["task_id"]) == [13]
    everything = tm.ageing_tasks(portal, w, "past_due")
    assert list(everything["task_id"]) == [14, 5, 7, 13, 11, 12]  # most past due first
    assert list(everything["bucket"]) == ["11+", "6-10", "3-5", "1-2", "0", "0"]


def test_an_unknown_grouping_or_bucket_is_refused(portal: Engine) -> None:
    with pytest.raises(ValueError, match="unknown grouping"):
        tm.sla_adherence(portal, NOVEMBER, "assignee; drop table tasks")
    with pytest.raises(ValueError, match="unknown bucket"):
        tm.ageing_tasks(portal, NOVEMBER, "past_due", bucket="99+")
    with pytest.raises(ValueError, match="starts"):
        tm.TaskWindow(date(2026, 12, 1), date(2026, 11, 1), TODAY)
