"""Subscription schedules: hand-worked occurrences in Asia/Shanghai (UTC+8) and their periods.

December 2026: the 1st is a Tuesday, so its working days are Tue 1 (WD1), Wed 2 (WD2),
Thu 3 (WD3) …; Monday the 7th is in ISO week 50, Monday the 30th of November in week 49.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from dashboard.delivery.schedule import latest, parse, working_day

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


def test_monday_eight_in_beijing_is_midnight_utc_and_week_fifty() -> None:
    weekly = parse("weekly MON 08:00")
    # Mon 2026-12-07 08:30 Beijing = 00:30 UTC: this Monday's 08:00 (00:00 UTC) has passed.
    assert latest(weekly, _utc(2026, 12, 7, 0, 30), SHANGHAI) == (
        _utc(2026, 12, 7, 0, 0),
        "2026-W50",
    )
    # One minute before: Mon 07:59 Beijing, so the last occurrence is the Monday before.
    assert latest(weekly, _utc(2026, 12, 6, 23, 59), SHANGHAI) == (
        _utc(2026, 11, 30, 0, 0),
        "2026-W49",
    )


def test_the_third_working_day_of_december_2026_is_thursday_the_third() -> None:
    monthly = parse("monthly WD3 08:00")
    assert working_day(2026, 12, 3) == datetime(2026, 12, 3).date()  # noqa: DTZ001
    assert latest(monthly, _utc(2026, 12, 3, 0, 0), SHANGHAI) == (
        _utc(2026, 12, 3, 0, 0),
        "2026-12",
    )
    # Before it, the last one is November's: Nov 2026 starts on a Sunday, WD3 = Wed the 4th.
    assert latest(monthly, _utc(2026, 12, 2, 23, 59), SHANGHAI) == (
        _utc(2026, 11, 4, 0, 0),
        "2026-11",
    )


@pytest.mark.parametrize(
    "text",
    [
        "weekly MONDAY 08:00",
        "weekly WD3 08:00",
        "monthly MON 08:00",
        "daily 08:00",
        "weekly MON 25:00",
        "monthly WD0 08:00",
        "=cmd|' /C calc'!A0",
    ],
)
def test_a_malformed_schedule_is_refused_with_the_accepted_forms(text: str) -> None:
    with pytest.raises(ValueError, match=r"weekly|monthly"):
        parse(text)


def test_spacing_and_written_form_are_normalised() -> None:
    assert parse("  weekly   FRI  17:30 ").text() == "weekly FRI 17:30"
