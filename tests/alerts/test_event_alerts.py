"""Filing-deadline alerts: T−5 and T−1 working days, missed, resolved by submitting; hand-worked.

July 2024: Mon 8, Fri 12, Sat 13, Mon 15, Tue 16. The June loan-level detail (DETAIL, monthly) is
due 30 June + 15 days = Mon 15 July; the Q2 quarterly reports (G11 …) 30 June + 13 days = Sat 13
July. Working days left = Monday-to-Friday days after today up to the deadline.
"""

from __future__ import annotations

import datetime as dt
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from alerts.events import filing_observations, working_days_left
from alerts.state import CLEARED, FIRED
from alerts.store import apply_observations, open_alerts
from tests.regulatory import filing_portal

portal = filing_portal.portal  # the portal-store fixture (SQLite and PostgreSQL)
JUNE = dt.date(2024, 6, 30)
PAGES = dict.fromkeys(("filing.t5", "filing.t1", "filing.missed"), "filing.py")
NOW = datetime(2024, 7, 1, tzinfo=UTC).replace(tzinfo=None)


@pytest.mark.parametrize(
    ("today", "deadline", "left"),
    [
        (dt.date(2024, 7, 8), dt.date(2024, 7, 15), 5),  # Tue–Fri and Mon 15
        (dt.date(2024, 7, 12), dt.date(2024, 7, 15), 1),  # Mon 15 only
        (dt.date(2024, 7, 12), dt.date(2024, 7, 13), 0),  # Saturday: no working day left
        (dt.date(2024, 7, 15), dt.date(2024, 7, 15), 0),  # the deadline itself
    ],
)
def test_working_days_left_to_a_deadline(today, deadline, left) -> None:
    assert working_days_left(today, deadline) == left


def _breached(portal: Engine, today: dt.date) -> set[tuple[str, str]]:
    return {(o.rule, o.subject) for o in filing_observations(portal, today) if o.breached}


def test_the_stages_of_a_deadline(portal: Engine) -> None:
    detail, g11 = f"DETAIL:{JUNE}", f"G11:{JUNE}"
    on_8th = _breached(portal, dt.date(2024, 7, 8))
    assert ("filing.t5", detail) in on_8th and ("filing.t1", detail) not in on_8th
    assert ("filing.t5", g11) in on_8th  # 4 working days to Saturday the 13th
    on_12th = _breached(portal, dt.date(2024, 7, 12))
    assert {("filing.t1", detail), ("filing.t1", g11)} <= on_12th
    on_16th = _breached(portal, dt.date(2024, 7, 16))
    assert {("filing.missed", detail), ("filing.missed", g11)} <= on_16th
    # Past the deadline the stages are silent: the missed rule speaks.
    assert ("filing.t5", detail) not in on_16th and ("filing.t1", detail) not in on_16th


def test_a_deadline_fires_each_stage_once_and_submitting_resolves_it(
    portal: Engine, tmp_path: Path
) -> None:
    told = []
    for day in (8, 9, 12, 16, 17):
        seen = [o for o in filing_observations(portal, dt.date(2024, 7, day)) if "G11" in o.subject]
        told += [(a.rule, a.event) for a in apply_observations(portal, seen, PAGES, 1, NOW)]
    assert told == [("filing.t5", FIRED), ("filing.t1", FIRED), ("filing.missed", FIRED)]
    filing_portal.filed(portal, "G11", JUNE, tmp_path)
    seen = [o for o in filing_observations(portal, dt.date(2024, 7, 18)) if "G11" in o.subject]
    resolved = apply_observations(portal, seen, PAGES, 1, NOW)
    assert sorted(a.rule for a in resolved if a.event == CLEARED) == [
        "filing.missed",
        "filing.t1",
        "filing.t5",
    ]
    assert open_alerts(portal).empty


def test_a_proposal_waits_for_every_other_member_and_resolves_when_decided(portal: Engine) -> None:
    """alice proposes; the alert is for the committee but not for alice; dan's approval resolves
    it."""
    from alerts.events import review_observations
    from dashboard.delivery.contacts import alert_recipients, set_address
    from warehouse.portal.decisions import approve, propose_class
    from warehouse.portal.users import add_account

    for name in ("alice", "dan"):
        add_account(portal, name, "a long enough passphrase 1", {"risk_committee"}, actor="t")
        set_address(portal, name, f"{name}@example.com", actor="t", domains=())
    proposal = propose_class(
        portal,
        actor="alice",
        roles=frozenset({"risk_committee"}),
        contract_id="C1",
        risk_class="substandard",
        current_class="normal",
        reason="main customer lost",
        as_of=JUNE,
    )
    today = dt.date(2024, 7, 1)
    pages = {"committee.review": "dossier.py"}
    fired = apply_observations(portal, review_observations(portal, today), pages, 1, NOW)
    assert [(a.rule, a.subject, a.event) for a in fired] == [
        ("committee.review", f"{proposal}:alice:C1", FIRED)
    ]
    assert alert_recipients(portal, "committee.review", (), f"{proposal}:alice:C1") == [
        ("dan", "dan@example.com")
    ]
    approve(portal, actor="dan", roles=frozenset({"risk_committee"}), proposal_id=proposal)
    assert review_observations(portal, today) == []
    resolved = apply_observations(
        portal, [], pages, 1, NOW, complete=["committee.review"], at=today
    )
    assert [(a.subject, a.event) for a in resolved] == [(f"{proposal}:alice:C1", CLEARED)]
    assert open_alerts(portal).empty


@pytest.mark.parametrize(
    ("large", "expected"),
    [
        ("1000.00", {"SG", "IO"}),  # SG's high signal and IO's geofence exit, 1,000 each
        ("1000.01", set()),  # a cent above them: neither is large
    ],
)
def test_a_large_exposure_with_a_high_signal_or_iot_alert(build, large, expected) -> None:
    """The watch book (`tests/queries/risk_books.py`), 2024-06-30: SG meets the signal rule and
    IO the IoT rule, 1,000 outstanding each; OK's signal is a day too old and medium."""
    from decimal import Decimal

    from alerts.events import signal_observations
    from tests.queries.risk_books import AS_OF, watch_book

    engine = build(watch_book(), AS_OF)
    seen = signal_observations(engine, dt.date(2024, 6, 30), Decimal(large))
    assert {o.subject for o in seen} == expected
    assert all(o.value == Decimal("1000") and o.breached for o in seen)
