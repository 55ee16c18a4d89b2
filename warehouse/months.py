"""Month arithmetic: months as consecutive integers (year × 12 + month − 1) and back to month-ends.

The mart keys every month by this index (`contract_month.month_idx`); Python and SQL share the one
definition here so a page, a report and the build cannot count months differently.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa


def month_idx(d: date) -> int:
    """Year * 12 + month - 1: consecutive integers for consecutive months."""
    return d.year * 12 + d.month - 1


def month_end_of(idx: int) -> date:
    """The last day of the month with index `idx`."""
    year, month = divmod(idx + 1, 12)
    return date(year, month + 1, 1) - timedelta(days=1)


def month_index(expr: sa.ColumnElement) -> sa.ColumnElement[int]:
    """year × 12 + month − 1 of a date or timestamp expression (as `contract_month.month_idx`)."""
    return sa.cast(sa.extract("year", expr) * 12 + sa.extract("month", expr) - 1, sa.Integer)


def month_start_of(idx: int) -> date:
    """The first day of the month with index `idx`."""
    year, month = divmod(idx, 12)
    return date(year, month + 1, 1)


def in_months(expr: sa.ColumnElement, first_idx: int, last_idx: int) -> sa.ColumnElement[bool]:
    """The date or timestamp `expr` falls in months `first_idx` … `last_idx`: a range on the column
    itself, which a database estimates from its statistics and can read through an index (it can
    do neither with `month_index(expr) BETWEEN …`: PostgreSQL then misjudges the rows it keeps)."""
    first, stop = (max(i, _FIRST_IDX) for i in (first_idx, last_idx + 1))  # none before year 1
    return sa.and_(expr >= month_start_of(first), expr < month_start_of(stop))


_FIRST_IDX = month_idx(date.min)
