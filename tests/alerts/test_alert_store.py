"""The alert store: episodes, their events and the one-open-alert rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.rules import MAX, breached, cleared
from alerts.state import CLEARED, FIRED, Observation
from alerts.store import acknowledge_alert, apply_observations, history, open_alerts
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.alerts import alert_events, alerts
from warehouse.portal.audit import audit_events


def _utc(*parts: int) -> datetime:
    """A naive UTC time, as the portal store keeps times."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


NOW = _utc(2026, 11, 3, 1, 0)
BAND = Decimal("0.05")
PAGES = {"kpi.npl_ratio": "overview.py", "concentration": "overview.py"}


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def _seen(rule: str, subject: str, period: date, value: str, line: str) -> Observation:
    amount, bound = Decimal(value), Decimal(line)
    return Observation(
        rule,
        subject,
        period,
        amount,
        bound,
        breached(amount, bound, MAX),
        cleared(amount, bound, MAX, BAND),
    )


def test_a_breach_fires_once_and_its_events_tell_the_story(portal: Engine) -> None:
    months = [date(2026, 8, 31), date(2026, 9, 30), date(2026, 10, 31)]
    said = []
    for month, value in zip(months, ["0.052", "0.049", "0.047"], strict=True):
        seen = [_seen("kpi.npl_ratio", "book", month, value, "0.05")]
        said += apply_observations(portal, seen, PAGES, 1, NOW)
    # Fired in August (5.2%), held in September (4.9% > 4.75%), resolved in October (4.7%).
    assert [(s.event, s.period, s.value) for s in said] == [
        (FIRED, months[0], Decimal("0.052")),
        (CLEARED, months[2], Decimal("0.047")),
    ]
    with portal.connect() as conn:
        row = conn.execute(sa.select(alerts)).one()
    assert (row.status, row.open_key, row.first_period) == ("resolved", None, months[0])
    events = history(portal, row.alert_id)
    assert list(events["event"]) == ["opened", "fired", "resolved"]
    assert list(events["value"]) == ["0.052", "0.052", "0.047"]


def test_evaluating_the_same_month_again_announces_nothing(portal: Engine) -> None:
    seen = [_seen("kpi.npl_ratio", "book", date(2026, 10, 31), "0.06", "0.05")]
    first = apply_observations(portal, seen, PAGES, 1, NOW)
    second = apply_observations(portal, seen, PAGES, 1, NOW)
    assert [s.event for s in first] == [FIRED] and second == []
    with portal.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(alerts)).scalar() == 1
        assert conn.execute(sa.select(sa.func.count()).select_from(alert_events)).scalar() == 2


def test_the_database_refuses_a_second_open_alert_for_one_rule_and_subject(portal: Engine) -> None:
    apply_observations(
        portal, [_seen("kpi.npl_ratio", "book", date(2026, 10, 31), "0.06", "0.05")], PAGES, 1, NOW
    )
    with pytest.raises(sa.exc.IntegrityError), portal.begin() as conn:
        conn.execute(
            alerts.insert().values(
                rule="kpi.npl_ratio",
                subject="book",
                status="pending",
                breaches=1,
                first_period=date(2026, 10, 31),
                last_period=date(2026, 10, 31),
                page="overview.py",
                opened_at=NOW,
                open_key="kpi.npl_ratio|book",
            )
        )


def test_an_exposure_that_leaves_the_top_list_resolves_its_concentration_alert(
    portal: Engine,
) -> None:
    sep, octo = date(2026, 9, 30), date(2026, 10, 31)
    said = apply_observations(
        portal,
        [
            _seen("concentration", "lessee:L1", sep, "0.32", "0.30"),
            _seen("concentration", "lessee:L2", sep, "0.10", "0.30"),
        ],
        PAGES,
        1,
        NOW,
        complete=["concentration"],
    )
    assert [(s.subject, s.event) for s in said] == [("lessee:L1", FIRED)]
    # October: L1 is no longer among the top exposures.
    said = apply_observations(
        portal,
        [_seen("concentration", "lessee:L2", octo, "0.12", "0.30")],
        PAGES,
        1,
        NOW,
        complete=["concentration"],
    )
    assert [(s.subject, s.event, s.period) for s in said] == [("lessee:L1", CLEARED, octo)]
    assert open_alerts(portal).empty


def test_acknowledging_is_recorded_in_the_alert_and_the_audit_trail(portal: Engine) -> None:
    apply_observations(
        portal, [_seen("kpi.npl_ratio", "book", date(2026, 10, 31), "0.06", "0.05")], PAGES, 1, NOW
    )
    alert_id = int(open_alerts(portal)["alert_id"].iloc[0])
    acknowledge_alert(portal, alert_id, actor="boss")
    frame = open_alerts(portal)
    assert list(frame["status"]) == ["acknowledged"]
    assert list(history(portal, alert_id)["actor"]) == ["system", "system", "boss"]
    with portal.connect() as conn:
        audit = conn.execute(
            sa.select(audit_events.c.actor, audit_events.c.target).where(
                audit_events.c.action == "alert"
            )
        ).all()
    assert [tuple(r) for r in audit] == [("boss", str(alert_id))]
    with pytest.raises(ValueError, match="not firing"):
        acknowledge_alert(portal, 999, actor="boss")
