"""When an alert fires, stays quiet and resolves: hand-worked month series through `step`.

The NPL line is 5.00% (breached above it); the band is 5% of the line, so a firing alert resolves
only at 4.75% or below.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from alerts.rules import MAX, MIN, breached, cleared
from alerts.state import (
    ACKNOWLEDGED,
    CLEARED,
    FIRED,
    FIRING,
    PENDING,
    REFIRED,
    RESOLVED,
    AlertState,
    Observation,
    acknowledge,
    step,
)


def _utc(*parts: int) -> datetime:
    """A naive UTC time, as the portal store keeps times."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


LINE = Decimal("0.05")
BAND = Decimal("0.05")
NOW = _utc(2026, 11, 3, 0, 0)
MONTHS = [date(2026, m, d) for m, d in ((1, 31), (2, 28), (3, 31), (4, 30), (5, 31), (6, 30))]


def _seen(period: date, value: str | None) -> Observation:
    if value is None:
        return Observation("kpi.npl_ratio", "book", period, None, LINE, None, False)
    amount = Decimal(value)
    return Observation(
        "kpi.npl_ratio",
        "book",
        period,
        amount,
        LINE,
        breached(amount, LINE, MAX),
        cleared(amount, LINE, MAX, BAND),
    )


def _run(values: list[str | None], grace: int) -> list[tuple[str | None, str | None]]:
    """(status after, event) for each month of `values`."""
    state, out = None, []
    for period, value in zip(MONTHS, values, strict=False):
        state, event = step(state, _seen(period, value), grace, NOW)
        out.append((None if state is None else state.status, event))
        if state is not None and state.status == RESOLVED:
            state = None  # a resolved episode is closed; the next breach opens a new one
    return out


def test_grace_of_two_fires_on_the_second_breached_month_and_hysteresis_holds_it() -> None:
    # 4.80 ok; 5.10 pending; 5.20 fires; 4.90 is inside the line but not 4.75: still open,
    # no message; 4.40 resolves; 5.30 opens a new pending episode.
    got = _run(["0.048", "0.051", "0.052", "0.049", "0.044", "0.053"], grace=2)
    assert got == [
        (None, None),
        (PENDING, None),
        (FIRING, FIRED),
        (FIRING, None),
        (RESOLVED, CLEARED),
        (PENDING, None),
    ]


def test_a_ratio_hovering_at_its_line_sends_one_message() -> None:
    # Around 5%: 5.01, 4.99, 5.02, 4.98, 5.01, 4.96 — never down to 4.75, so one FIRED only.
    got = _run(["0.0501", "0.0499", "0.0502", "0.0498", "0.0501", "0.0496"], grace=1)
    assert [e for _, e in got] == [FIRED, None, None, None, None, None]
    assert got[-1][0] == FIRING


def test_a_pending_breach_that_ends_before_its_grace_closes_silently() -> None:
    got = _run(["0.051", "0.049", "0.051", "0.052"], grace=2)
    assert got == [(PENDING, None), (None, None), (PENDING, None), (FIRING, FIRED)]


def test_the_same_month_evaluated_twice_counts_once() -> None:
    state, _ = step(None, _seen(MONTHS[0], "0.06"), 2, NOW)
    again, event_again = step(state, _seen(MONTHS[0], "0.06"), 2, NOW)
    assert (again.status, again.breaches, event_again) == (PENDING, 1, None)
    fired, said = step(again, _seen(MONTHS[1], "0.06"), 2, NOW)
    assert (fired.status, fired.breaches, said) == (FIRING, 2, FIRED)


def test_a_missing_figure_neither_opens_nor_closes_an_alert() -> None:
    assert step(None, _seen(MONTHS[0], None), 1, NOW) == (None, None)
    firing = AlertState(FIRING, 1, MONTHS[0], MONTHS[0], Decimal("0.06"), LINE)
    assert step(firing, _seen(MONTHS[1], None), 1, NOW) == (firing, None)


def test_an_acknowledged_alert_is_silent_until_it_resolves() -> None:
    firing = AlertState(FIRING, 1, MONTHS[0], MONTHS[0], Decimal("0.06"), LINE)
    quiet = acknowledge(firing)
    later, event = step(quiet, _seen(MONTHS[1], "0.07"), 1, NOW)
    assert (later.status, event) == (ACKNOWLEDGED, None)
    done, event = step(later, _seen(MONTHS[2], "0.04"), 1, NOW)
    assert (done.status, event) == (RESOLVED, CLEARED)


def test_a_snoozed_alert_fires_again_when_its_time_comes_and_it_is_still_breached() -> None:
    firing = AlertState(FIRING, 1, MONTHS[0], MONTHS[0], Decimal("0.06"), LINE)
    snoozed = acknowledge(firing, until=_utc(2026, 11, 10))
    before, event = step(snoozed, _seen(MONTHS[0], "0.06"), 1, _utc(2026, 11, 9, 23, 59))
    assert (before.status, event) == (ACKNOWLEDGED, None)
    after, event = step(snoozed, _seen(MONTHS[0], "0.06"), 1, _utc(2026, 11, 10))
    assert (after.status, after.snoozed_until, event) == (FIRING, None, REFIRED)


def test_only_a_firing_alert_can_be_acknowledged() -> None:
    pending = AlertState(PENDING, 1, MONTHS[0], MONTHS[0], Decimal("0.06"), LINE)
    with pytest.raises(ValueError, match="pending"):
        acknowledge(pending)


@pytest.mark.parametrize(
    ("value", "op", "is_breached", "is_cleared"),
    [
        ("0.0500", MAX, False, False),  # the line itself is allowed, but not yet cleared
        ("0.0475", MAX, False, True),  # 5% − 5% × 5% = 4.75%
        ("0.0501", MAX, True, False),
        ("1.00", MIN, False, False),  # coverage at 100%: allowed, clears at 105%
        ("1.05", MIN, False, True),
        ("0.9999", MIN, True, False),
    ],
)
def test_breach_and_clearance_against_a_line(value, op, is_breached, is_cleared) -> None:
    line = LINE if op == MAX else Decimal("1.00")
    amount = Decimal(value)
    assert breached(amount, line, op) is is_breached
    assert cleared(amount, line, op, BAND) is is_cleared
