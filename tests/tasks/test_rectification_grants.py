"""The PostgreSQL grants of docs/security.md cover the ledger: the app role sets departments and
works rectification items through their whole life, but cannot rewrite their history."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from dashboard.access.user import User
from tasks.findings import Finding
from tasks.rectification import apply_findings, assign, sign_off, submit
from tests.portal.test_audit_grants import roles  # noqa: F401  (a fixture, used by name)
from warehouse.portal import portal_engine
from warehouse.portal.departments import set_department
from warehouse.portal.rectification import rectification_items
from warehouse.portal.users import add_account

PASSWORD = "grant-test-password-7"  # noqa: S105 - a throwaway account of a test store
DAYS = {"data_check": 5, "validation": 5, "correction": 10}


@pytest.mark.postgres
def test_the_app_role_works_the_ledger_but_cannot_rewrite_its_history(
    roles: tuple[str, str],  # noqa: F811
) -> None:
    app_url, _ = roles
    engine = portal_engine(app_url)
    try:
        for name in ("ma", "mb"):
            add_account(engine, name, PASSWORD, ["compliance"], actor="admin")
            set_department(engine, name, "compliance", "admin")
        finding = Finding("data_check", "check:k", "k", "1 row")
        apply_findings(engine, [finding], sources=DAYS, days=DAYS, today=date(2026, 12, 4))
        with engine.connect() as conn:
            item_id = conn.execute(sa.select(rectification_items.c.item_id)).scalar_one()
        maker = User("ma", "ma", frozenset({"compliance"}))
        checker = User("mb", "mb", frozenset({"compliance"}))
        assign(engine, item_id, "ma", maker)
        submit(engine, item_id, "fixed at the source", maker)
        sign_off(engine, item_id, checker)
        with engine.connect() as conn:
            status = conn.execute(sa.select(rectification_items.c.status)).scalar_one()
        assert status == "closed"
        for statement in ("DELETE FROM rectification_events", "TRUNCATE rectification_events"):
            with pytest.raises(sa.exc.ProgrammingError) as refused, engine.begin() as conn:
                conn.exec_driver_sql(statement)
            assert refused.value.orig.sqlstate == "42501", statement  # insufficient_privilege
        with pytest.raises(sa.exc.DBAPIError), engine.begin() as conn:
            conn.exec_driver_sql("UPDATE rectification_events SET actor = 'mallory'")
    finally:
        engine.dispose()
