"""What the monitoring queries (collections, warnings, leased assets) share.

Source tables such as `inspections` carry no segment columns, so the shared filters reach them
through `scoped_contracts`: one row per contract (the `contract_segments` mart) restricted by
`queries.filters.where` — segments, cohort and the user's branch scope — and started by the as-of.
Settings come from `build_settings`, the values recorded by the last build (docs/domain.md: the
value in force is printed on every report that uses it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame
from queries.filters import Filters, where
from warehouse.months import month_end_of
from warehouse.schema import build_settings, contract_segments
from warehouse.settings import SETTINGS

LIST_LIMIT = 200  # rows of a "contracts behind" list on screen (the total is always given)
MAX_MONTHS = 120


def scoped_contracts(filters: Filters) -> sa.Subquery:
    """One row per contract the filters allow: id, lessee, segments, cohort, principal and more."""
    cs = contract_segments
    return (
        sa.select(cs).where(cs.c.start_idx <= filters.as_of_idx, *where(filters, cs)).subquery("sc")
    )


def day_of(expr: sa.ColumnElement) -> sa.ColumnElement[date]:
    """The calendar date of a timestamp (local time, as the extract records it)."""
    return sa.cast(expr, sa.Date)


def check_months(months: int) -> int:
    """`months` as a window length, or ValueError."""
    if not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"months must be an integer from 1 to {MAX_MONTHS}")
    return months


def window_start(filters: Filters, months: int) -> date:
    """First day of the `months`-month window that ends with the as-of month."""
    return month_end_of(filters.as_of_idx - check_months(months)) + timedelta(days=1)


def timestamps(filters: Filters, months: int) -> tuple[datetime, datetime]:
    """[start, end) timestamps of the window: its first midnight, the midnight after the as-of."""
    start = datetime.combine(window_start(filters, months), time())
    return start, datetime.combine(filters.as_of + timedelta(days=1), time())


def settings_in_force(engine: Engine) -> dict[str, str]:
    """Every setting as text: the last build's recorded value, else the default."""
    return settings_and_build(engine)[0]


def settings_and_build(engine: Engine) -> tuple[dict[str, str], date | None]:
    """Every setting as text (as `settings_in_force`) and the last build's as-of (None before
    any build), from one read of `build_settings`."""
    values = {s.key: str(s.default) for s in SETTINGS}
    built = None
    stmt = sa.select(build_settings.c.key, build_settings.c.value)
    for key, value in fetch_frame(engine, stmt).itertuples(index=False):
        if key in values:
            values[key] = value
        elif key == "as_of":
            built = date.fromisoformat(str(value))
    return values, built


def stored_covers(filters: Filters, built: date | None) -> bool:
    """Whether a build-time table (counted for every month-end up to the build's as-of with the
    settings in force) answers for `filters`: its as-of is one the build reached."""
    return built is not None and filters.as_of <= built


def clock(text: str) -> time:
    """An HH:MM setting as a time of day."""
    hours, minutes = text.strip().split(":")
    return time(int(hours), int(minutes))


def money(text: str) -> Decimal:
    """A money setting as an exact Decimal."""
    return Decimal(text)
