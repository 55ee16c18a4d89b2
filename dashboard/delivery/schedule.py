"""When a subscription is due: `weekly MON 08:00` or `monthly WD3 08:00`, in the display zone.

A weekly schedule names a weekday and a time; a monthly one the n-th working day (Monday to
Friday; the official holiday calendar and its swapped working weekends are not known to Postloan,
see docs/alerts.md) and a time. Each occurrence has a period key (`2026-W50`, `2026-12`) that
makes its delivery idempotent: one message per subscription and period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
PATTERN = re.compile(
    r"^(?P<kind>weekly|monthly)\s+(?P<day>MON|TUE|WED|THU|FRI|SAT|SUN|WD(?P<n>[1-9]|1[0-9]|2[0-2]))"
    r"\s+(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)$"
)


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule: weekly on `day` (0 = Monday) or monthly on working day `day` (1 …)."""

    kind: str
    day: int
    at: time

    def text(self) -> str:
        """The schedule as written (`weekly MON 08:00`)."""
        day = DAYS[self.day] if self.kind == "weekly" else f"WD{self.day}"
        return f"{self.kind} {day} {self.at:%H:%M}"


def parse(text: str) -> Schedule:
    """`weekly MON 08:00` or `monthly WD3 08:00`; ValueError naming the accepted forms."""
    match = PATTERN.match(" ".join(str(text).split()))
    if match is None:
        raise ValueError(
            f"not a schedule: {text!r}; write 'weekly MON 08:00' (MON … SUN) or "
            "'monthly WD3 08:00' (the 3rd working day, WD1 … WD22)"
        )
    at = time(int(match["hh"]), int(match["mm"]))
    if match["kind"] == "weekly":
        if match["n"]:
            raise ValueError(f"a weekly schedule names a weekday, not {match['day']}: {text!r}")
        return Schedule("weekly", DAYS.index(match["day"]), at)
    if not match["n"]:
        raise ValueError(f"a monthly schedule names a working day (WD1 …), not {match['day']}")
    return Schedule("monthly", int(match["n"]), at)


def working_day(year: int, month: int, n: int) -> date | None:
    """The n-th Monday-to-Friday of the month (None when the month has fewer)."""
    day, seen = date(year, month, 1), 0
    while day.month == month:
        if day.weekday() < 5:
            seen += 1
            if seen == n:
                return day
        day += timedelta(days=1)
    return None


def _utc(day: date, at: time, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def latest(schedule: Schedule, now: datetime, zone: ZoneInfo) -> tuple[datetime, str]:
    """The last occurrence at or before `now` (naive UTC) and its period key."""
    local = now.replace(tzinfo=UTC).astimezone(zone)
    if schedule.kind == "weekly":
        day = local.date() - timedelta(days=(local.weekday() - schedule.day) % 7)
        when = _utc(day, schedule.at, zone)
        if when > now:
            day -= timedelta(days=7)
            when = _utc(day, schedule.at, zone)
        year, week, _ = day.isocalendar()
        return when, f"{year}-W{week:02d}"
    year, month = local.year, local.month
    for _ in range(3):
        day = working_day(year, month, schedule.day)
        if day is not None:
            when = _utc(day, schedule.at, zone)
            if when <= now:
                return when, f"{year}-{month:02d}"
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    raise ValueError(f"{schedule.text()} has no occurrence in the last three months")
