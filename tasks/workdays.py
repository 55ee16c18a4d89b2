"""Working days and local dates: the one rule the task SLAs and the rectification deadlines share.

Working days are Monday–Friday; public holidays are not known (docs/tasks.md). Deadlines are
dates in the display zone, so a naive-UTC time is turned into that zone's calendar date first.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Mon–Fri) after `start` (`start` itself when 0)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return day


def local_today(now: datetime, zone: ZoneInfo) -> date:
    """The calendar date in `zone` at the naive-UTC time `now`."""
    return now.replace(tzinfo=UTC).astimezone(zone).date()
