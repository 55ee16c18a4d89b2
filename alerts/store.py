"""Alert episodes in the portal store: step each with its observation, acknowledge, list.

Every change to an episode (`warehouse.portal.alerts.alerts`) is written with its
`alert_events` row in one transaction, so the inbox and the delivery log can always say what
happened; an acknowledgement is also an audit row (`alert`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from alerts.state import (
    ACKNOWLEDGED,
    CLEARED,
    FIRING,
    RESOLVED,
    AlertState,
    Observation,
    acknowledge,
    step,
)
from warehouse.portal import utc_now
from warehouse.portal.alerts import alert_events, alerts
from warehouse.portal.audit import record

SYSTEM = "system"


@dataclass(frozen=True)
class Announcement:
    """An event to tell people about: the alert, what happened and the figure at the time."""

    alert_id: int
    rule: str
    subject: str
    event: str
    period: date
    value: Decimal | None
    line: Decimal | None
    page: str


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _decimal(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _state(row: sa.Row) -> AlertState:
    return AlertState(
        row.status,
        row.breaches,
        row.first_period,
        row.last_period,
        _decimal(row.value),
        _decimal(row.line),
        row.snoozed_until,
    )


def _event(conn: Connection, alert_id: int, event: str, actor: str, seen: AlertState) -> None:
    conn.execute(
        alert_events.insert().values(
            alert_id=alert_id,
            at=utc_now(),
            event=event,
            actor=actor,
            period=seen.last_period,
            value=_text(seen.value),
        )
    )


def _columns(state: AlertState) -> dict[str, object]:
    return {
        "status": state.status,
        "breaches": state.breaches,
        "first_period": state.first_period,
        "last_period": state.last_period,
        "value": _text(state.value),
        "line": _text(state.line),
        "snoozed_until": state.snoozed_until,
    }


def _apply_one(
    conn: Connection, seen: Observation, page: str, grace: int, now: datetime
) -> Announcement | None:
    key = f"{seen.rule}|{seen.subject}"
    row = conn.execute(sa.select(alerts).where(alerts.c.open_key == key)).first()
    before = None if row is None else _state(row)
    after, event = step(before, seen, grace, now)
    if after is None:
        if row is not None:  # a pending breach ended before it fired
            conn.execute(
                alerts.update()
                .where(alerts.c.alert_id == row.alert_id)
                .values(status=RESOLVED, resolved_at=now, open_key=None, last_period=seen.period)
            )
            _event(conn, row.alert_id, "closed", SYSTEM, before)  # type: ignore[arg-type]
        return None
    if after == before:
        return None
    values = _columns(after)
    if row is None:
        result = conn.execute(
            alerts.insert().values(
                rule=seen.rule,
                subject=seen.subject,
                page=page,
                opened_at=now,
                open_key=key,
                **values,
            )
        )
        alert_id = int(result.inserted_primary_key[0])
        _event(conn, alert_id, "opened", SYSTEM, after)
    else:
        alert_id = row.alert_id
    if event is not None and event != CLEARED:
        values["fired_at"] = now
    if after.status == RESOLVED:
        values.update(resolved_at=now, open_key=None)
    conn.execute(alerts.update().where(alerts.c.alert_id == alert_id).values(**values))
    if event is None:
        return None
    _event(conn, alert_id, event, SYSTEM, after)
    return Announcement(
        alert_id, seen.rule, seen.subject, event, after.last_period, after.value, after.line, page
    )


def apply_observations(
    engine: Engine,
    observations: Iterable[Observation],
    pages: dict[str, str],
    grace: int,
    now: datetime,
    *,
    complete: Iterable[str] = (),
    graces: Mapping[str, int] | None = None,
    at: date | None = None,
) -> list[Announcement]:
    """Step every open alert with its observation, in one transaction; what to announce.

    `pages` maps each rule to its page; `graces` overrides `grace` per rule (an event rule fires
    at once). For the rules in `complete` the observations list every subject that can breach
    (e.g. the top exposures of each kind), so an open alert of such a rule whose subject was not
    observed is resolved: it fell out of the list, below every breach, or its event ended (a
    filing submitted, a proposal decided). It resolves at the rule's period or, when the rule saw
    nothing at all this time, at `at`.
    """
    seen = list(observations)
    told: list[Announcement] = []
    with engine.begin() as conn:
        for one in seen:
            said = _apply_one(conn, one, pages[one.rule], (graces or {}).get(one.rule, grace), now)
            if said is not None:
                told.append(said)
        observed = {(o.rule, o.subject) for o in seen}
        periods = {o.rule: o.period for o in seen}
        for rule in complete:
            rows = conn.execute(
                sa.select(alerts).where(alerts.c.rule == rule, alerts.c.open_key.is_not(None))
            ).all()
            period = periods.get(rule, at)
            for row in rows:
                if (rule, row.subject) in observed or period is None:
                    continue
                gone = Observation(rule, row.subject, period, None, _decimal(row.line), False, True)
                said = _apply_one(conn, gone, row.page, (graces or {}).get(rule, grace), now)
                if said is not None:
                    told.append(said)
    return told


def _acknowledge(conn: Connection, row: sa.Row, actor: str, until: datetime | None) -> bool:
    """Acknowledge (or snooze) one open alert inside `conn`'s transaction, with its event and
    audit row; False when it was acknowledged already (a second click records nothing)."""
    if row.status == ACKNOWLEDGED and until is None and row.snoozed_until is None:
        return False
    after = acknowledge(_state(row), until)
    conn.execute(
        alerts.update()
        .where(alerts.c.alert_id == row.alert_id)
        .values(status=after.status, snoozed_until=until)
    )
    _event(conn, row.alert_id, "snoozed" if until else "acknowledged", actor, after)
    details = {"event": "snoozed" if until else "acknowledged"}
    if until:
        details["until"] = until.isoformat()
    record(conn, actor=actor, action="alert", target=str(row.alert_id), details=details)
    return True


def acknowledge_alert(
    engine: Engine, alert_id: int, *, actor: str, until: datetime | None = None
) -> None:
    """Acknowledge a firing alert (silent until it resolves), or snooze it until `until` (UTC)."""
    with engine.begin() as conn:
        row = conn.execute(sa.select(alerts).where(alerts.c.alert_id == alert_id)).first()
        if row is None or row.status not in (FIRING, ACKNOWLEDGED):
            raise ValueError(f"alert {alert_id} is not firing")
        _acknowledge(conn, row, actor, until)


def acknowledge_alerts(engine: Engine, alert_ids: Iterable[int], *, actor: str) -> int:
    """Acknowledge every alert of `alert_ids` in one transaction, each with its own event and
    audit row; how many changed (those acknowledged already are left as they are). Nothing is
    written when one of them is not open (resolved since, or unknown)."""
    wanted = sorted({int(a) for a in alert_ids})
    with engine.begin() as conn:
        rows = conn.execute(
            sa.select(alerts).where(alerts.c.alert_id.in_(wanted)).order_by(alerts.c.alert_id)
        ).all()
        open_ids = {r.alert_id for r in rows if r.status in (FIRING, ACKNOWLEDGED)}
        shut = [a for a in wanted if a not in open_ids]
        if shut:
            raise ValueError(f"alerts {shut} are not firing")
        return sum(_acknowledge(conn, row, actor, None) for row in rows)


def open_alerts(engine: Engine) -> pd.DataFrame:
    """Every open alert that has fired (firing or acknowledged), newest first."""
    stmt = (
        sa.select(alerts)
        .where(alerts.c.open_key.is_not(None), alerts.c.status.in_([FIRING, ACKNOWLEDGED]))
        .order_by(alerts.c.fired_at.desc(), alerts.c.alert_id.desc())
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), dtype=object)


def resolved_alerts(engine: Engine, limit: int = 20) -> pd.DataFrame:
    """The `limit` alerts that resolved last, newest first."""
    stmt = (
        sa.select(alerts)
        .where(alerts.c.status == RESOLVED, alerts.c.fired_at.is_not(None))
        .order_by(alerts.c.resolved_at.desc(), alerts.c.alert_id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), dtype=object)


def history(engine: Engine, alert_id: int) -> pd.DataFrame:
    """The events of one alert, oldest first."""
    stmt = (
        sa.select(alert_events)
        .where(alert_events.c.alert_id == alert_id)
        .order_by(alert_events.c.event_id)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), dtype=object)
