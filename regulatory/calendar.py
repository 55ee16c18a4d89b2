"""The filing calendar: each report's deadline per period and where its filing stands.

A period is a month-end; quarterly reports fall due only at quarter ends. The deadline is the
period end plus the report's `deadline_days` (G11 for 2024-Q1: 2024-03-31 + 13 = 2024-04-13).
Status comes from the filings store: the state of the latest version that was not withdrawn, or
`submitted` once any version was filed (a correction under way does not make a filing late), and
`overdue` when nothing was submitted and the deadline has passed.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from regulatory.filing_store import SUBMITTED, WITHDRAWN, FilingVersion, versions_between
from regulatory.model import ReportSpec

NOT_STARTED, OVERDUE = "not_started", "overdue"
STATUSES: tuple[str, ...] = (
    NOT_STARTED,
    "draft",
    "validated",
    "reviewed",
    SUBMITTED,
    OVERDUE,
)


@dataclass(frozen=True)
class CalendarEntry:
    """One report for one period: its deadline, status and the version that gives the status."""

    report_code: str
    period: dt.date
    deadline: dt.date
    status: str
    version_id: int | None = None
    correcting: bool = False  # a correction of a submitted filing is under way


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, cal.monthrange(year, month)[1])


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """Every month-end from the month of `first` to the month of `last`, inclusive."""
    out: list[dt.date] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(month_end(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def deadline(spec: ReportSpec, period: dt.date) -> dt.date:
    """The deadline of `spec` for the period ending `period` (ValueError off its period ends)."""
    if not spec.is_period_end(period):
        raise ValueError(f"{spec.code} ({spec.frequency}) has no period ending {period}")
    return period + dt.timedelta(days=spec.deadline_days)


def _status(
    filed: list[FilingVersion], due: dt.date, today: dt.date
) -> tuple[str, int | None, bool]:
    live = [v for v in filed if v.state != WITHDRAWN]
    latest = max(live, key=lambda v: v.version) if live else None
    submitted = [v for v in live if v.state == SUBMITTED]
    if submitted:
        correcting = latest is not None and latest.state != SUBMITTED
        return SUBMITTED, max(submitted, key=lambda v: v.version).version_id, correcting
    if today > due:
        return OVERDUE, latest.version_id if latest else None, False
    if latest is None:
        return NOT_STARTED, None, False
    return latest.state, latest.version_id, False


def filing_calendar(
    engine: Engine,
    specs: Iterable[ReportSpec],
    first: dt.date,
    last: dt.date,
    today: dt.date,
) -> list[CalendarEntry]:
    """Every report's periods ending in the months `first`..`last`, with deadline and status."""
    periods = month_ends(first, last)
    if not periods:
        return []
    stored: dict[tuple[str, dt.date], list[FilingVersion]] = {}
    for v in versions_between(engine, periods[0], periods[-1]):
        stored.setdefault((v.report_code, v.period), []).append(v)
    entries: list[CalendarEntry] = []
    for period in periods:
        for spec in specs:
            if not spec.is_period_end(period):
                continue
            due = deadline(spec, period)
            status, version_id, correcting = _status(
                stored.get((spec.code, period), []), due, today
            )
            entries.append(CalendarEntry(spec.code, period, due, status, version_id, correcting))
    return entries
