"""The portal store: what people do in the portal (users, audit trail, decisions, filings).

Decision: the portal's own tables never live in a DuckDB warehouse *file*. The dashboard holds that
file read-only and loads replace it whole by rename, so every portal write would race a load and
copy gigabytes. Beside a DuckDB warehouse the portal store is a SQLite file
(`<warehouse>.portal.sqlite`, WAL mode), which several processes (the server, `postloan user …`,
a load reading approved decisions) may write at once. On PostgreSQL (and any server database) the
portal tables live in the warehouse database itself, in their own transactions; loads never touch
them. `$POSTLOAN_PORTAL_URL` overrides the choice.

Each subject module (`audit`, `users`, `decisions`, `filings`) declares its tables on
`portal_metadata`; `portal_engine` creates them on first use. Append-only tables are guarded by
triggers on SQLite and PostgreSQL, so history cannot be edited in place even by mistake.
"""

from __future__ import annotations

import importlib
import os
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url

from warehouse.engine import duckdb_path, is_duckdb

portal_metadata = sa.MetaData()

# Subject modules that declare portal tables; each is imported before tables are created.
TABLE_MODULES: tuple[str, ...] = (
    "warehouse.portal.audit",
    "warehouse.portal.filings",
    "warehouse.portal.users",
    "warehouse.portal.sessions",
    "warehouse.portal.decisions",
    "warehouse.portal.alerts",
    "warehouse.portal.deliveries",
    "warehouse.portal.departments",
    "warehouse.portal.rectification",
    "warehouse.portal.tasks",
)


def load_table_modules() -> sa.MetaData:
    """Import every module that declares portal tables; the complete `portal_metadata`."""
    for name in TABLE_MODULES:
        importlib.import_module(name)
    return portal_metadata


def utc_now() -> datetime:
    """The current time in UTC, naive (how the portal tables store times)."""
    return datetime.now(UTC).replace(tzinfo=None)


def portal_url(warehouse_url: str) -> str:
    """The URL of the portal store that goes with the warehouse at `warehouse_url`."""
    override = os.environ.get("POSTLOAN_PORTAL_URL")
    if override:
        return override
    if not is_duckdb(warehouse_url):
        return warehouse_url
    path = duckdb_path(warehouse_url)
    if path is None:
        raise ValueError(
            "an in-memory DuckDB warehouse has no portal store: set POSTLOAN_PORTAL_URL"
        )
    return f"sqlite:///{path.with_name(f'{path.stem}.portal.sqlite')}"


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def portal_engine(url: str) -> Engine:
    """An engine on the portal store at `url`, its tables created if missing."""
    backend = make_url(url).get_backend_name()
    if backend == "duckdb":
        raise ValueError("the portal store cannot be a DuckDB file; see warehouse.portal")
    if backend == "sqlite":
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    load_table_modules().create_all(engine, checkfirst=True)
    return engine


def append_only(table: sa.Table) -> sa.Table:
    """Refuse UPDATE and DELETE on `table` in the database itself (SQLite and PostgreSQL)."""
    name = table.name
    sqlite = [
        f"CREATE TRIGGER IF NOT EXISTS {name}_no_{verb} BEFORE {verb.upper()} ON {name} "
        f"BEGIN SELECT RAISE(ABORT, '{name} is append-only'); END"
        for verb in ("update", "delete")
    ]
    function = sa.DDL(
        f"CREATE OR REPLACE FUNCTION {name}_append_only() RETURNS trigger AS $$ "
        f"BEGIN RAISE EXCEPTION '{name} is append-only'; END; $$ LANGUAGE plpgsql"
    )
    trigger = sa.DDL(
        f"CREATE TRIGGER {name}_append_only BEFORE UPDATE OR DELETE ON {name} "
        f"FOR EACH ROW EXECUTE FUNCTION {name}_append_only()"
    )
    for statement in sqlite:
        event.listen(table, "after_create", sa.DDL(statement).execute_if(dialect="sqlite"))
    event.listen(table, "after_create", function.execute_if(dialect="postgresql"))
    event.listen(table, "after_create", trigger.execute_if(dialect="postgresql"))
    return table
