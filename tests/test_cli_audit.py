"""Every `postloan` command that loads, checks or writes a file leaves an audit row.

The row goes to the portal store of the warehouse (SQLite beside DuckDB, the database itself on
PostgreSQL), with the actor `cli:<--actor>` (else `cli:<OS user>`), what was done, the row count
and the SHA-256 (of the extract loaded; the load's fingerprint checked). The chain stays intact.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from dashboard.cli.main import main
from queries.loads import latest_load
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.audit_chain import verify


def audit_rows(url: str) -> list[dict]:
    """The trail of warehouse `url`'s portal store, oldest first, details parsed."""
    engine = portal_engine(portal_url(url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.select(audit_events).order_by(audit_events.c.event_id))
            found = [dict(r) | {"details": json.loads(r.details)} for r in rows.mappings()]
        assert verify(engine).ok
    finally:
        engine.dispose()
    return found


def test_load_and_check_are_audited(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extract = tmp_path / "demo"
    assert (
        main(["demo", str(extract), "--contracts", "120", "--months", "6", "--as-of", "2026-06"])
        == 0
    )
    assert main(["load", str(extract), "--warehouse", db_url, "--actor", "ops.li"]) == 0
    engine = create_warehouse_engine(db_url, read_only=True)
    try:
        load = latest_load(engine)
    finally:
        engine.dispose()
    assert load is not None
    (row,) = audit_rows(db_url)
    assert (row["actor"], row["action"], row["target"]) == ("cli:ops.li", "load", "warehouse")
    assert row["sha256"] == load.sha256
    assert row["row_count"] == sum(load.row_counts.values())
    assert row["details"]["outcome"] == "loaded" and row["details"]["load_id"] == load.load_id
    assert row["details"]["source"] == str(extract.resolve()) and row["details"]["os_user"]

    code = main(["check", "--warehouse", db_url])
    assert code in (0, 1)
    check = audit_rows(db_url)[-1]
    assert (check["action"], check["actor"]) == ("check_run", f"cli:{check['details']['os_user']}")
    assert check["target"].startswith("run ") and check["row_count"] > 0
    assert check["sha256"] == load.sha256
    capsys.readouterr()


def test_a_rejected_load_is_audited_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty-extract"
    empty.mkdir()
    url = f"duckdb:///{tmp_path}/w.duckdb"
    assert main(["load", str(empty), "--warehouse", url, "--actor", "ops.wang"]) == 2
    (row,) = audit_rows(url)
    assert (row["actor"], row["action"]) == ("cli:ops.wang", "load")
    assert row["details"]["outcome"] == "rejected" and row["details"]["problems"] >= 1
    assert not (tmp_path / "w.duckdb").exists()
    capsys.readouterr()
