"""Departments of users: known codes only, audited changes, members of enabled accounts.

Each store test runs on the SQLite store beside a DuckDB warehouse and on PostgreSQL (`db_url`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tasks.departments import DEPARTMENTS, department_name, is_department
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.departments import (
    department_of,
    members,
    set_department,
    user_departments,
)
from warehouse.portal.users import AccountError, add_account, set_disabled

PASSWORD = "Harbour-lantern-47-quiet"  # noqa: S105 - a test account
AT = datetime(2026, 11, 30, 9, 0, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    """A portal store with three accounts and no departments."""
    engine = portal_engine(portal_url(db_url))
    for name in ("li.lei", "han.mei", "wang.fang"):
        add_account(engine, name, PASSWORD, ("compliance",), actor="admin")
    yield engine
    engine.dispose()


def test_the_seven_departments_of_the_contract_with_their_names() -> None:
    """The codes agreed for #16, in order, each with its Chinese and English name."""
    assert list(DEPARTMENTS) == [
        "service",
        "collections",
        "risk",
        "legal",
        "operations",
        "finance",
        "compliance",
    ]
    assert department_name("risk") == "风险管理部"
    assert department_name("legal", "en") == "Legal"
    assert is_department("compliance")
    assert not is_department("Compliance")
    assert not is_department(None)


def test_set_department_stores_it_and_audits_the_change(portal: Engine) -> None:
    """One row per user; a move records from/to in the audit trail in the same transaction."""
    set_department(portal, "li.lei", "collections", "admin", now=AT)
    set_department(portal, "li.lei", "legal", "admin", now=AT)
    assert department_of(portal, "li.lei") == "legal"
    assert department_of(portal, "han.mei") is None
    with portal.connect() as conn:
        rows = conn.execute(
            sa.select(audit_events.c.actor, audit_events.c.target, audit_events.c.details)
            .where(audit_events.c.action == "user_admin", audit_events.c.target == "li.lei")
            .order_by(audit_events.c.event_id)
        ).all()
    changes = [json.loads(r.details) for r in rows if "department" in r.details]
    assert changes == [
        {"change": "department", "from": None, "to": "collections"},
        {"change": "department", "from": "collections", "to": "legal"},
    ]


def test_unknown_department_is_refused_and_nothing_is_written(portal: Engine) -> None:
    """A code outside the list is refused with the codes allowed; no row, no audit row."""
    with portal.connect() as conn:
        before = conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar_one()
    with pytest.raises(AccountError, match="unknown department 'sales'; choose from service"):
        set_department(portal, "li.lei", "sales", "admin")
    with pytest.raises(AccountError, match="no user 'nobody'"):
        set_department(portal, "nobody", "legal", "admin")
    with portal.connect() as conn:
        after = conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar_one()
        stored = conn.execute(sa.select(sa.func.count()).select_from(user_departments))
        assert stored.scalar_one() == 0
    assert after == before


def test_members_are_the_enabled_accounts_of_the_department(portal: Engine) -> None:
    """Two in compliance, one of them disabled: one member; clearing removes the row."""
    set_department(portal, "li.lei", "compliance", "admin")
    set_department(portal, "han.mei", "compliance", "admin")
    set_department(portal, "wang.fang", "finance", "admin")
    set_disabled(portal, "han.mei", True, actor="admin")
    assert members(portal, "compliance") == ["li.lei"]
    assert members(portal, "finance") == ["wang.fang"]
    set_department(portal, "wang.fang", None, "admin")
    assert members(portal, "finance") == []
    assert department_of(portal, "wang.fang") is None
