"""The documented PostgreSQL grants (docs/security.md) let the app role run the proposal workflow:
open, withdraw, open again and approve, while `committee_decisions` stays append-only for it."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.portal.test_audit_grants import roles
from warehouse.portal import portal_engine
from warehouse.portal.decisions import approve, decisions_for, propose_class, withdraw

__all__ = ["roles"]  # the fixture, used by name below
COMMITTEE = frozenset({"risk_committee"})


@pytest.mark.postgres
def test_the_app_role_opens_withdraws_and_approves(roles: tuple[str, str]) -> None:
    app_url, _ = roles
    engine = portal_engine(app_url)
    try:
        values = {
            "contract_id": "C1",
            "risk_class": "substandard",
            "current_class": "normal",
            "reason": "r",
            "as_of": date(2024, 6, 30),
        }
        first = propose_class(engine, actor="alice", roles=COMMITTEE, **values)
        withdraw(engine, actor="alice", roles=COMMITTEE, proposal_id=first)
        second = propose_class(engine, actor="alice", roles=COMMITTEE, **values)
        approve(engine, actor="bob", roles=COMMITTEE, proposal_id=second)
        assert list(decisions_for(engine, "C1")["kind"]) == [
            "propose_class",
            "withdraw",
            "propose_class",
            "approve",
        ]
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM committee_decisions")
    finally:
        engine.dispose()
