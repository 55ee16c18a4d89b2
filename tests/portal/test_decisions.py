"""Committee decisions: maker-checker, worse-than-floor proposals, append-only rows, audit.

Each test runs on the SQLite store beside a DuckDB warehouse and on PostgreSQL (`db_url`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.decisions import (
    DecisionError,
    approve,
    approved_classifications,
    assign_action,
    committee_decisions,
    decisions_for,
    propose_class,
    reject,
    set_watch,
    watchlist,
)

COMMITTEE = frozenset({"risk_committee"})
AS_OF = date(2024, 6, 30)


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    """An empty portal store for a fresh warehouse."""
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def _propose(portal: Engine, actor: str = "alice", risk_class: str = "substandard") -> int:
    return propose_class(
        portal,
        actor=actor,
        roles=COMMITTEE,
        contract_id="C1",
        risk_class=risk_class,
        current_class="special_mention",
        reason="lessee lost its main customer",
        as_of=AS_OF,
    )


def test_proposer_cannot_approve_own_proposal(portal: Engine) -> None:
    """alice proposes; alice (any case) approving is refused and nothing is approved."""
    proposal = _propose(portal)
    with pytest.raises(DecisionError, match="proposer"):
        approve(portal, actor="alice", roles=COMMITTEE, proposal_id=proposal)
    with pytest.raises(DecisionError, match="proposer"):
        approve(portal, actor=" Alice ", roles=COMMITTEE, proposal_id=proposal)
    assert approved_classifications(portal) == []


def test_second_member_approval_makes_the_proposal_count(portal: Engine) -> None:
    """alice proposes substandard from 2024-06; bob approves: one row for the build."""
    proposal = _propose(portal)
    approve(portal, actor="bob", roles=COMMITTEE, proposal_id=proposal)
    rows = approved_classifications(portal)
    assert [
        (
            r["contract_id"],
            r["effective_month"],
            r["risk_class"],
            r["proposed_by"],
            r["approved_by"],
        )
        for r in rows
    ] == [("C1", "2024-06", "substandard", "alice", "bob")]
    assert rows[0]["proposal_id"] == proposal


def test_approver_must_be_on_the_committee(portal: Engine) -> None:
    """An executive or admin cannot approve (nor propose)."""
    proposal = _propose(portal)
    with pytest.raises(DecisionError, match="risk-committee"):
        approve(portal, actor="carol", roles={"executive", "admin"}, proposal_id=proposal)
    with pytest.raises(DecisionError, match="risk-committee"):
        set_watch(portal, actor="carol", roles={"admin"}, contract_id="C1", on=True, reason="x")
    assert approved_classifications(portal) == []


def test_proposal_not_worse_than_floor_is_refused(portal: Engine) -> None:
    """Current special_mention: proposing special_mention or normal is refused, no row written."""
    for risk_class in ("special_mention", "normal"):
        with pytest.raises(DecisionError, match="worse"):
            _propose(portal, risk_class=risk_class)
    with pytest.raises(DecisionError, match="reason"):
        propose_class(
            portal,
            actor="alice",
            roles=COMMITTEE,
            contract_id="C1",
            risk_class="loss",
            current_class="normal",
            reason="  ",
            as_of=AS_OF,
        )
    assert decisions_for(portal, "C1").empty


def test_a_proposal_is_resolved_once(portal: Engine) -> None:
    """bob rejects; a later approval by dave is refused; the proposal never applies."""
    proposal = _propose(portal)
    reject(portal, actor="bob", roles=COMMITTEE, proposal_id=proposal, reason="not yet")
    with pytest.raises(DecisionError, match="already resolved"):
        approve(portal, actor="dave", roles=COMMITTEE, proposal_id=proposal)
    assert approved_classifications(portal) == []
    history = decisions_for(portal, "C1")
    first = history.iloc[0]
    assert (first["kind"], first["status"], first["checker"]) == ("propose_class", "reject", "bob")


def test_latest_approved_proposal_per_month_wins(portal: Engine) -> None:
    """Two approved proposals for 2024-06: substandard (#1) then doubtful (#2) → doubtful."""
    first = _propose(portal)
    approve(portal, actor="bob", roles=COMMITTEE, proposal_id=first)
    second = _propose(portal, actor="bob", risk_class="doubtful")
    approve(portal, actor="alice", roles=COMMITTEE, proposal_id=second)
    rows = approved_classifications(portal)
    assert [(r["risk_class"], r["proposal_id"]) for r in rows] == [("doubtful", second)]


def test_watchlist_follows_the_latest_decision(portal: Engine) -> None:
    """C1 added then removed; C2 added: the watchlist is C2 only."""
    set_watch(portal, actor="alice", roles=COMMITTEE, contract_id="C1", on=True, reason="a")
    set_watch(portal, actor="bob", roles=COMMITTEE, contract_id="C2", on=True, reason="b")
    set_watch(portal, actor="bob", roles=COMMITTEE, contract_id="C1", on=False, reason="cured")
    assert watchlist(portal) == ("C2",)


def test_action_has_owner_and_due_date_and_is_audited(portal: Engine) -> None:
    """An action row keeps what, who and when; one audit row `decision` per decision."""
    assign_action(
        portal,
        actor="alice",
        roles=COMMITTEE,
        contract_id="C1",
        action="site visit",
        owner="wang.wu",
        due_date=date(2024, 7, 15),
        as_of=AS_OF,
    )
    history = decisions_for(portal, "C1")
    row = history.iloc[0]
    assert (row["kind"], row["reason"], row["owner"], row["due_date"]) == (
        "action",
        "site visit",
        "wang.wu",
        date(2024, 7, 15),
    )
    with portal.connect() as conn:
        audits = conn.execute(sa.select(audit_events)).mappings().all()
    assert [(a["actor"], a["action"], a["target"]) for a in audits] == [("alice", "decision", "C1")]
    assert json.loads(audits[0]["details"])["kind"] == "action"


@pytest.mark.parametrize("change", ["update", "delete"])
def test_decisions_cannot_be_edited_or_deleted(portal: Engine, change: str) -> None:
    """The database refuses UPDATE and DELETE on committee_decisions; the proposal survives."""
    proposal = _propose(portal)
    d = committee_decisions
    statement = (
        d.update().where(d.c.decision_id == proposal).values(risk_class="loss")
        if change == "update"
        else d.delete().where(d.c.decision_id == proposal)
    )
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), portal.begin() as conn:
        conn.execute(statement)
    with portal.connect() as conn:
        kept = conn.execute(sa.select(d.c.risk_class)).scalars().all()
    assert kept == ["substandard"]
