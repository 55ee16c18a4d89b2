"""Rows dated after the extract's as_of ("late rows"): which columns may be, and the cut-off.

A month-end extract is pulled a few days after the month-end, so it already holds events dated
after `as_of`: receipts, collection attempts, restructurings with their new schedule version,
write-offs, overrides, inspections, IoT events and warning signals. They are checked like every
other row; then `cut_late_rows` leaves them out of the load and counts them, so every figure is
cut off at `as_of` (docs/domain.md §2: on date D the schedule in force is `valid_from` ≤ D <
`valid_to`). The next month's extract, whose as_of covers them, loads them as ordinary rows.
Other dated columns (a contract's start, a provision's or balance sheet's month-end, a statement
period end) cannot lie after as_of; `extract_check` still rejects them with file, row and column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from warehouse import extract_spec as spec
from warehouse.extract_read import Staging

# Per table, the dated column that makes a row late when it lies after as_of. A schedule row is
# late when its version takes effect after as_of (a restructuring after the cut-off).
LATE_COLUMNS: dict[str, str] = {
    "schedule": "valid_from",
    "receipts": "received_date",
    "restructurings": "effective_date",
    "writeoffs": "writeoff_date",
    "classification_overrides": "effective_month",
    "collections": "action_time",
    "inspections": "inspection_date",
    "device_events": "event_time",
    "warning_signals": "signal_date",
}

# Dated columns never compared with as_of: installments fall due later, promises look ahead, and
# the version in force at as_of may be closed by a restructuring after it.
AS_OF_FREE: frozenset[tuple[str, str]] = frozenset(
    {
        ("schedule", "due_date"),
        ("schedule", "valid_to"),
        ("collections", "promised_date"),
        *LATE_COLUMNS.items(),
    }
)


def day_of(table: str, column: str) -> str:
    """SQL for the day a dated column's value falls on (a month: its first day)."""
    kind = spec.TABLES_BY_NAME[table].column(column).kind
    if kind == spec.TIMESTAMP:
        return f'CAST("{column}" AS DATE)'
    if kind == spec.MONTH:
        return f"CAST(\"{column}\" || '-01' AS DATE)"
    return f'"{column}"'


def cut_late_rows(st: Staging, as_of: dt.date) -> dict[str, int]:
    """Delete the late rows from the checked staging tables; how many each table had.

    A version in force at as_of whose `valid_to` lies after it stays in force as far as this load
    knows, so that `valid_to` is emptied: the version that follows it is a late row.
    """
    late: dict[str, int] = {}
    for table, column in LATE_COLUMNS.items():
        staged = st.tables.get(table)
        if staged is None or column not in staged.present:
            late[table] = 0
            continue
        sql = f'DELETE FROM "s_{table}" WHERE {day_of(table, column)} > $1'  # noqa: S608
        ((deleted,),) = st.con.execute(sql, [as_of]).fetchall()
        late[table] = int(deleted)
        st.tables[table] = dataclasses.replace(staged, rows=staged.rows - int(deleted))
    schedule = st.tables.get("schedule")
    if schedule is not None and "valid_to" in schedule.present:
        st.con.execute("UPDATE s_schedule SET valid_to = NULL WHERE valid_to > $1", [as_of])
    return late
