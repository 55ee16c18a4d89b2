"""Committee proposals: one open proposal per contract, idempotent submits, withdrawal, review list.

Each test runs on the SQLite store beside a DuckDB warehouse and on PostgreSQL (`db_url`).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
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
    committee_decisions,
    committee_open_proposals,
    decisions_for,
    open_proposals,
    propose_class,
    reject,
    withdraw,
)

COMMITTEE = frozenset({"risk_committee"})
AS_OF = date(2024, 6, 30)


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    """An empty portal store for a fresh warehouse."""
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def _propose(
    portal: Engine, actor: str = "alice", risk_class: str = "substandard", contract: str = "C1"
) -> int:
    return propose_class(
        portal,
        actor=actor,
        roles=COMMITTEE,
        contract_id=contract,
        risk_class=risk_class,
        current_class="special_mention",
        reason="lessee lost its main customer",
        as_of=AS_OF,
    )


def _rows(portal: Engine) -> list[str]:
    with portal.connect() as conn:
        return list(conn.execute(sa.select(committee_decisions.c.kind)).scalars())


def _audits(portal: Engine) -> list[dict]:
    with portal.connect() as conn:
        rows = conn.execute(sa.select(audit_events).order_by(audit_events.c.at)).mappings()
        return [json.loads(r["details"]) for r in rows if r["action"] == "decision"]


def test_the_same_proposal_twice_records_one(portal: Engine) -> None:
    """A double submit (same proposer, class, month; any case) gives the first id, one row, one
    audit row."""
    first = _propose(portal)
    assert _propose(portal, actor=" ALICE ") == first
    assert _rows(portal) == ["propose_class"]
    assert len(_audits(portal)) == 1


def test_a_second_open_proposal_on_the_contract_is_refused(portal: Engine) -> None:
    """bob proposing doubtful while alice's substandard is open: refused, naming the open one."""
    first = _propose(portal)
    with pytest.raises(DecisionError, match="open proposal") as refused:
        _propose(portal, actor="bob", risk_class="doubtful")
    assert (refused.value.code, refused.value.values) == ("open_proposal", {"id": first})
    assert _rows(portal) == ["propose_class"]
    # Another contract is free; once resolved, C1 takes a new proposal.
    _propose(portal, actor="bob", contract="C2")
    reject(portal, actor="bob", roles=COMMITTEE, proposal_id=first, reason="not yet")
    assert _propose(portal, actor="bob", risk_class="doubtful") > first


def test_the_store_itself_refuses_two_open_rows_for_a_contract(portal: Engine) -> None:
    """The uniqueness rule is the table's key: a direct second insert fails in the database."""
    first = _propose(portal)
    second = _propose(portal, contract="C2")
    o = committee_open_proposals
    with pytest.raises(sa.exc.IntegrityError), portal.begin() as conn:
        conn.execute(o.insert().values(contract_id="C1", proposal_id=second))
    with portal.connect() as conn:
        assert dict(conn.execute(sa.select(o.c.contract_id, o.c.proposal_id)).all()) == {
            "C1": first,
            "C2": second,
        }


def test_the_proposer_withdraws_an_open_proposal(portal: Engine) -> None:
    """alice withdraws: a `withdraw` row referring to it, audited; status withdraw; never applies;
    nobody can approve it afterwards; the contract takes a new proposal."""
    proposal = _propose(portal)
    withdrawn = withdraw(portal, actor="Alice", roles=COMMITTEE, proposal_id=proposal)
    assert withdrawn > proposal
    history = decisions_for(portal, "C1")
    assert list(history["kind"]) == ["propose_class", "withdraw"]
    assert history.iloc[0]["status"] == "withdraw"
    assert history.iloc[1]["refers_to"] == proposal
    assert [a["kind"] for a in _audits(portal)] == ["propose_class", "withdraw"]
    with pytest.raises(DecisionError, match="already resolved"):
        approve(portal, actor="bob", roles=COMMITTEE, proposal_id=proposal)
    assert approved_classifications(portal) == []
    assert open_proposals(portal).empty
    _propose(portal, actor="bob", risk_class="doubtful")


def test_only_the_proposer_withdraws_and_only_members(portal: Engine) -> None:
    """bob cannot withdraw alice's proposal; an executive cannot either; alice still cannot
    approve her own."""
    proposal = _propose(portal)
    with pytest.raises(DecisionError, match="only the proposer") as refused:
        withdraw(portal, actor="bob", roles=COMMITTEE, proposal_id=proposal)
    assert refused.value.code == "not_proposer"
    with pytest.raises(DecisionError, match="risk-committee"):
        withdraw(portal, actor="alice", roles={"executive"}, proposal_id=proposal)
    with pytest.raises(DecisionError, match="proposer") as own:
        approve(portal, actor="alice", roles=COMMITTEE, proposal_id=proposal)
    assert own.value.code == "own"
    assert _rows(portal) == ["propose_class"]


def test_open_proposals_lists_the_unresolved_ones(portal: Engine) -> None:
    """Three proposals, one approved: the two open ones, oldest first, with proposer and class."""
    first = _propose(portal)
    second = _propose(portal, actor="bob", contract="C2", risk_class="doubtful")
    third = _propose(portal, actor="carol", contract="C3")
    approve(portal, actor="bob", roles=COMMITTEE, proposal_id=first)
    listed = open_proposals(portal)
    rows = zip(listed["decision_id"], listed["actor"], listed["contract_id"], strict=True)
    assert list(rows) == [(second, "bob", "C2"), (third, "carol", "C3")]
    assert list(listed["risk_class"]) == ["doubtful", "substandard"]


def test_an_older_store_gets_its_open_proposals(portal: Engine) -> None:
    """A store made before the open-proposal table: the latest unresolved proposal per contract
    moves in when the table is created."""
    first = _propose(portal)
    resolved = _propose(portal, contract="C2")
    reject(portal, actor="bob", roles=COMMITTEE, proposal_id=resolved, reason="no")
    committee_open_proposals.drop(portal)
    committee_open_proposals.create(portal)
    assert list(open_proposals(portal)["decision_id"]) == [first]


def test_two_simultaneous_submits_record_one(portal: Engine) -> None:
    """Two requests with the same proposal at the same moment (a double click on two servers):
    both answer with one id and one row is written; the store's key settles the race."""
    barrier = threading.Barrier(4)

    def submit() -> int:
        barrier.wait()
        return _propose(portal)

    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda _: submit(), range(4)))
    assert len(set(ids)) == 1
    assert _rows(portal) == ["propose_class"]
