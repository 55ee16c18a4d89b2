"""Hand-made tasks for the measures tests (queries.task_measures, the measures view).

Tasks (portal store, both engines). Today is Wed 2026-12-09; branch B1 unless said:

| id | department | step | created | due | status / closed | SLA in Nov | SLA in Dec |
|---|---|---|---|---|---|---|---|
| 1 | service | reminder (assigned to wang_li) | 11-02 | 11-03 | done 11-03 10:00 | met | |
| 2 | service | reminder | 11-09 | 11-10 | done 11-11 | missed | |
| 3 | service | reminder | 11-13 | 11-16 | trigger_ended 11-12 | not counted (ended in time) | |
| 4 | collections | notice | 11-16 | 11-20 | done 11-20 23:59:59 | met (same day) | |
| 5 | collections | notice | 11-18 | 11-25 | overdue, open | missed | |
| 6 | collections | notice | 11-20 | 11-27 | trigger_ended 11-30 | missed (ended late) | |
| 7 | legal | demand | 11-30 | 12-02 | open | | missed |
| 8 | legal | demand | 10-20 | 10-30 | done 10-29 | (October) | |
| 9 | operations | site_inspection | 11-23 | 11-30 | done 11-26 | met | |
| 10 | service | reminder, B2 | 11-04 | 11-05 | done 11-05 | met | |
| 11 | service | reminder | 12-08 | 12-09 | in_progress | | not yet (due today) |
| 12 | service | reminder | 12-09 | 12-10 | open | | |
| 13 | collections | notice | 12-01 | 12-08 | open | | missed |
| 14 | legal | litigation | 11-10 | 11-24 | overdue, open | missed | |
"""

from __future__ import annotations

from datetime import date, datetime

from queries import task_measures as tm

TODAY = date(2026, 12, 9)
NOVEMBER = tm.TaskWindow(date(2026, 11, 1), date(2026, 11, 30), TODAY)
DECEMBER = tm.TaskWindow(date(2026, 12, 1), date(2026, 12, 31), TODAY)

ENDED = "trigger_ended"
ASSIGNEE = "wang_li"  # task 1's; every other task waits in its department's queue
# id: (department, step, branch, created, due, status, closed_at, close_reason)
TASKS: dict[int, tuple] = {
    1: ("service", "reminder", "B1", "11-02", "11-03", "done", "11-03 10:00", "done"),
    2: ("service", "reminder", "B1", "11-09", "11-10", "done", "11-11 09:00", "done"),
    3: ("service", "reminder", "B1", "11-13", "11-16", "cancelled", "11-12 03:00", ENDED),
    4: ("collections", "notice", "B1", "11-16", "11-20", "done", "11-20 23:59:59", "done"),
    5: ("collections", "notice", "B1", "11-18", "11-25", "overdue", None, None),
    6: ("collections", "notice", "B1", "11-20", "11-27", "cancelled", "11-30 02:00", ENDED),
    7: ("legal", "demand", "B1", "11-30", "12-02", "open", None, None),
    8: ("legal", "demand", "B1", "10-20", "10-30", "done", "10-29 12:00", "done"),
    9: ("operations", "site_inspection", "B1", "11-23", "11-30", "done", "11-26 15:00", "done"),
    10: ("service", "reminder", "B2", "11-04", "11-05", "done", "11-05 08:00", "done"),
    11: ("service", "reminder", "B1", "12-08", "12-09", "in_progress", None, None),
    12: ("service", "reminder", "B1", "12-09", "12-10", "open", None, None),
    13: ("collections", "notice", "B1", "12-01", "12-08", "open", None, None),
    14: ("legal", "litigation", "B1", "11-10", "11-24", "overdue", None, None),
}


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-{text}" if " " in text else f"2026-{text} 01:00")


def task_row(task_id: int, spec: tuple) -> dict[str, object]:
    department, step, branch, created, due, status, closed, reason = spec
    return {
        "task_id": task_id,
        "trigger_key": f"test:{task_id}",
        "kind": "site_inspection" if step == "site_inspection" else "collections",
        "step": step,
        "contract_id": f"C{task_id}",
        "branch": branch,
        "department": department,
        "priority": 2,
        "as_of": date(2026, 10, 31),
        "created_at": at(created),
        "due_date": date.fromisoformat(f"2026-{due}"),
        "assignee": ASSIGNEE if task_id == 1 else None,
        "status": status,
        "escalations": 0,
        "closed_at": None if closed is None else at(closed),
        "close_reason": reason,
        "updated_at": at(created),
    }


def task_rows() -> list[dict[str, object]]:
    """Every row of `TASKS`, ready to insert into `tasks`."""
    return [task_row(i, spec) for i, spec in TASKS.items()]


# Rectification items: id -> (deadline, closed at UTC or None, department, branch or None).
# Period November 2026 in Asia/Shanghai (UTC+08:00): 1 closed 11-10 23:00 local, on time; 2
# closed 11-11 01:00 local, late; 3 open, late; 4 (institution-wide) closed early, on time; 5 due
# in December; 6 closed 11-28, on time.
ITEMS: dict[int, tuple[str, str | None, str, str | None]] = {
    1: ("11-10", "11-10 15:00", "compliance", "B1"),
    2: ("11-10", "11-10 17:00", "compliance", "B1"),
    3: ("11-20", None, "risk", "B1"),
    4: ("11-25", "11-01 09:00", "compliance", None),
    5: ("12-01", None, "compliance", "B1"),
    6: ("11-30", "11-28 09:00", "risk", "B2"),
}


def rectification_rows() -> list[dict[str, object]]:
    """Every item of `ITEMS`, ready to insert into `rectification_items`."""
    made = at("10-30 02:00")
    return [
        {
            "item_id": item_id,
            "source_key": f"check:c{item_id}#1",
            "finding_key": f"check:c{item_id}",
            "source": "data_check",
            "title": f"finding {item_id}",
            "description": "",
            "branch": branch,
            "department": department,
            "owner": None,
            "deadline": date.fromisoformat(f"2026-{deadline}"),
            "status": "open" if closed is None else "closed",
            "closed_at": None if closed is None else at(closed),
            "finding_present": False,
            "created_at": made,
            "updated_at": made,
        }
        for item_id, (deadline, closed, department, branch) in ITEMS.items()
    ]
