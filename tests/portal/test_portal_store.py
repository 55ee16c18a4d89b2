"""The portal store: where it lives for each warehouse, and an audit trail nobody can edit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events, record


def test_portal_store_is_a_sqlite_file_beside_a_duckdb_warehouse(tmp_path: Path) -> None:
    """data/w.duckdb → data/w.portal.sqlite: never inside the file the server holds read-only."""
    assert portal_url(f"duckdb:///{tmp_path}/w.duckdb") == f"sqlite:///{tmp_path}/w.portal.sqlite"


def test_portal_store_is_the_warehouse_itself_on_postgresql() -> None:
    """A server database keeps the portal tables beside the warehouse tables."""
    url = "postgresql+psycopg://u@db.example:5432/postloan"
    assert portal_url(url) == url


def test_portal_url_environment_override_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """$POSTLOAN_PORTAL_URL names the store explicitly (for example a shared server)."""
    monkeypatch.setenv("POSTLOAN_PORTAL_URL", "sqlite:////srv/portal.sqlite")
    assert portal_url("duckdb:///data/warehouse.duckdb") == "sqlite:////srv/portal.sqlite"


def test_portal_store_refuses_duckdb() -> None:
    """A DuckDB file cannot take concurrent writers, so it is never the portal store."""
    with pytest.raises(ValueError, match="DuckDB"):
        portal_engine("duckdb:///x.duckdb")


def test_audit_row_records_actor_action_and_details(db_url: str) -> None:
    """One call, one row, with the details as sorted JSON."""
    engine = portal_engine(portal_url(db_url))
    try:
        record(
            engine,
            actor="li.lei",
            action="download",
            target="overdue",
            details={"b": 1, "a": "x"},
            row_count=12,
            sha256="ab" * 32,
        )
        with engine.connect() as conn:
            rows = conn.execute(sa.select(audit_events)).mappings().all()
    finally:
        engine.dispose()
    assert len(rows) == 1
    row = rows[0]
    assert (row["actor"], row["action"], row["target"], row["row_count"]) == (
        "li.lei",
        "download",
        "overdue",
        12,
    )
    assert json.loads(row["details"]) == {"a": "x", "b": 1}
    assert row["details"] == '{"a": "x", "b": 1}'


def test_audit_refuses_unknown_actions(db_url: str) -> None:
    """Actions come from a closed list so the trail stays searchable."""
    engine = portal_engine(portal_url(db_url))
    try:
        with pytest.raises(ValueError, match="unknown audit action"):
            record(engine, actor="x", action="anything")
    finally:
        engine.dispose()


@pytest.mark.parametrize("change", ["update", "delete"])
def test_audit_trail_cannot_be_edited_or_deleted(db_url: str, change: str) -> None:
    """The database itself refuses UPDATE and DELETE on the audit table; the row survives."""
    engine = portal_engine(portal_url(db_url))
    try:
        record(engine, actor="a", action="sign_in")
        statement = (
            audit_events.update().values(actor="someone else")
            if change == "update"
            else audit_events.delete()
        )
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(statement)
        with engine.connect() as conn:
            actors = conn.execute(sa.select(audit_events.c.actor)).scalars().all()
    finally:
        engine.dispose()
    assert actors == ["a"]


def test_audit_joins_the_callers_transaction(db_url: str) -> None:
    """Recorded on a Connection, the row rolls back with the action it describes."""
    engine = portal_engine(portal_url(db_url))
    try:
        with pytest.raises(RuntimeError), engine.begin() as conn:
            record(conn, actor="a", action="decision")
            raise RuntimeError("the decision failed")
        with engine.connect() as conn:
            count = conn.execute(sa.select(sa.func.count()).select_from(audit_events)).scalar()
    finally:
        engine.dispose()
    assert count == 0
