"""The PostgreSQL grants of docs/security.md, run as written: the app role cannot alter history.

The SQL block between `audit-grants` markers of docs/security.md is executed on a fresh database
(its role names made unique: roles are shared by the whole server), then the portal connects as
the app role: it still signs people in and writes chained audit rows, but UPDATE, DELETE and
TRUNCATE of `audit_events`, and switching its triggers off, are refused.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from tests.conftest import _pg_database
from warehouse.portal import portal_engine
from warehouse.portal.audit import audit_events, record
from warehouse.portal.audit_chain import verify
from warehouse.portal.users import add_account

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
REFUSED = [
    "UPDATE audit_events SET actor = 'mallory'",
    "DELETE FROM audit_events",
    "TRUNCATE audit_events",
    "ALTER TABLE audit_events DISABLE TRIGGER USER",
    "DROP TRIGGER audit_events_append_only ON audit_events",
    "DROP TABLE audit_events",
    "DELETE FROM audit_chain",
]
PASSWORD = "grant-test-password-7"  # noqa: S105 - a throwaway account of a test store


def documented_grants() -> str:
    """The SQL block of docs/security.md between the audit-grants markers."""
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- audit-grants:start -->\n```sql\n(.*?)```", text, re.S)
    assert block, "docs/security.md lost its audit-grants block"
    return block.group(1)


@pytest.fixture
def roles(pg_url: str) -> Iterator[tuple[str, str]]:
    """A fresh database with the portal tables (created by the superuser, as the first
    `postloan user init` would), the documented grants applied; (app URL, app role)."""
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"postloan_owner_{suffix}", f"postloan_app_{suffix}"
    for admin_url in _pg_database(pg_url):
        portal_engine(admin_url).dispose()
        sql = documented_grants().replace("postloan_owner", owner).replace("postloan_app", app)
        admin = sa.create_engine(admin_url, poolclass=NullPool)
        try:
            with admin.begin() as conn:
                conn.exec_driver_sql(sql)
            app_url = make_url(admin_url).set(username=app).render_as_string(hide_password=False)
            yield app_url, app
        finally:
            with admin.begin() as conn:
                conn.exec_driver_sql(f'DROP OWNED BY "{owner}", "{app}"')
                conn.exec_driver_sql(f'DROP ROLE "{app}"')
                conn.exec_driver_sql(f'DROP ROLE "{owner}"')
            admin.dispose()


@pytest.mark.postgres
def test_the_app_role_writes_the_trail_but_cannot_alter_it(roles: tuple[str, str]) -> None:
    app_url, app = roles
    engine = portal_engine(app_url)  # finds every table: creates nothing, upgrades nothing
    try:
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT current_user").scalar() == app
        add_account(engine, "li.lei", PASSWORD, ["executive"], actor="admin")
        record(engine, actor="li.lei", action="download", target="overdue", row_count=3)
        for statement in REFUSED:
            with pytest.raises(sa.exc.ProgrammingError) as refused, engine.begin() as conn:
                conn.exec_driver_sql(statement)
            assert refused.value.orig.sqlstate in {"42501"}, statement  # insufficient_privilege
        assert verify(engine).ok
        with engine.connect() as conn:
            actors = conn.execute(sa.select(audit_events.c.actor)).scalars().all()
        assert actors == ["admin", "li.lei"]
    finally:
        engine.dispose()


def test_the_documented_grants_name_every_portal_table() -> None:
    """A portal table the block forgets is one the app role cannot use on PostgreSQL."""
    import importlib

    from warehouse.portal import TABLE_MODULES, portal_metadata

    for module in TABLE_MODULES:
        importlib.import_module(module)
    sql = documented_grants()
    granted = set()
    for names in re.findall(r"GRANT [A-Z, ]+ ON ([a-z_, \n]+?) TO", sql):
        granted |= {n.strip() for n in names.replace("\n", " ").split(",")}
    owned = set(re.findall(r"ALTER TABLE ([a-z_]+) OWNER", sql))
    tables = set(portal_metadata.tables)
    assert sorted(tables - granted) == []
    assert sorted(tables - owned) == []
