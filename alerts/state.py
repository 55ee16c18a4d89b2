"""When an alert fires and when it resolves: a pure step from one observation to the next.

An alert is about one rule and one subject (the book, a lessee, a rate). Each evaluation gives an
`Observation` for a period (a month-end for figures, a day for deadlines). The rules, in
docs/alerts.md:

- **Grace period.** A breach opens a *pending* alert; it *fires* (and sends its message) once the
  rule has been breached in `grace` consecutive periods. Evaluating the same period again (a second
  build, a scheduled run) never counts twice.
- **Hysteresis.** A firing (or acknowledged) alert resolves only when the figure is back inside its
  line by the rule's band (`cleared`); a figure between the line and the band keeps it open without
  a new message. A pending alert whose breach ends before it fired simply closes.
- **Acknowledged** alerts stay open and silent until they resolve; a *snoozed* one is silent until
  its time and then fires again if still breached.
- A missing figure (`breached is None`) changes nothing: no alert opens or closes on no data.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal

PENDING, FIRING, ACKNOWLEDGED, RESOLVED = "pending", "firing", "acknowledged", "resolved"
OPEN = (PENDING, FIRING, ACKNOWLEDGED)
# What a step tells the caller to do besides storing the new state.
FIRED, REFIRED, CLEARED = "fired", "refired", "resolved"


@dataclass(frozen=True)
class Observation:
    """One evaluation of a rule for a subject: the figure, its line, and where it stands."""

    rule: str
    subject: str
    period: date
    value: Decimal | None
    line: Decimal | None
    breached: bool | None  # None: no figure this time
    cleared: bool  # back inside the line by the band (implies not breached)


@dataclass(frozen=True)
class AlertState:
    """An open alert (or one that just resolved): its status and what it last saw."""

    status: str
    breaches: int  # consecutive breached periods so far
    first_period: date
    last_period: date
    value: Decimal | None
    line: Decimal | None
    snoozed_until: datetime | None = None


def step(
    state: AlertState | None, seen: Observation, grace: int, now: datetime
) -> tuple[AlertState | None, str | None]:
    """The alert after `seen`, and the event to announce (FIRED, REFIRED, CLEARED or None).

    `state` is the open alert of (rule, subject) or None; a returned RESOLVED state closes it and
    None means no alert. `grace` ≥ 1 breached periods in a row make a pending alert fire.
    """
    need = max(1, grace)
    if seen.breached is None:
        return _snooze_over(state, now)
    if state is None:
        if not seen.breached:
            return None, None
        opened = AlertState(PENDING, 1, seen.period, seen.period, seen.value, seen.line)
        return _fire_if_due(opened, need)
    new_period = seen.period > state.last_period
    if seen.breached:
        count = state.breaches + 1 if new_period else state.breaches
        moved = replace(
            state, breaches=count, last_period=seen.period, value=seen.value, line=seen.line
        )
        if state.status == PENDING:
            return _fire_if_due(moved, need)
        return _snooze_over(moved, now)
    # Not breached: inside the line.
    if state.status == PENDING:
        return None, None
    if seen.cleared:
        closed = replace(
            state, status=RESOLVED, last_period=seen.period, value=seen.value, line=seen.line
        )
        return closed, CLEARED
    held = replace(state, breaches=0, last_period=seen.period, value=seen.value, line=seen.line)
    return held, None


def _fire_if_due(state: AlertState, need: int) -> tuple[AlertState, str | None]:
    if state.breaches >= need:
        return replace(state, status=FIRING), FIRED
    return state, None


def _snooze_over(state: AlertState | None, now: datetime) -> tuple[AlertState | None, str | None]:
    """A snoozed acknowledged alert whose time has come fires again (if it is still breached)."""
    if state is None or state.status != ACKNOWLEDGED or state.snoozed_until is None:
        return state, None
    if now >= state.snoozed_until and state.breaches > 0:
        return replace(state, status=FIRING, snoozed_until=None), REFIRED
    return state, None


def acknowledge(state: AlertState, until: datetime | None = None) -> AlertState:
    """The alert acknowledged: silent until it resolves, or until `until` (a snooze)."""
    if state.status not in (FIRING, ACKNOWLEDGED):
        raise ValueError(f"only a firing alert can be acknowledged, not a {state.status} one")
    return replace(state, status=ACKNOWLEDGED, snoozed_until=until)
