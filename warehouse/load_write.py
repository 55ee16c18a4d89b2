"""Write checked, staged extract tables into the warehouse by the fastest path each database has.

DuckDB targets read the staging tables as Arrow streams; PostgreSQL gets them by COPY; any other
database by SQLAlchemy executemany in chunks. All of it happens inside the caller's transaction.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import duckdb
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from warehouse import schema
from warehouse.extract_kinds import lit
from warehouse.extract_read import Staging
from warehouse.table_reset import empty_table

WRITE_LAYERS: tuple[str, ...] = ("source", "mart", "build")
_CHUNK = 10_000
_ARROW_BATCH = 1 << 18


def layer_tables(layers: Iterable[str]) -> list[sa.Table]:
    """The MetaData tables of these layers, in dependency order."""
    wanted = set(layers)
    return [t for t in schema.metadata.sorted_tables if t.info.get("layer") in wanted]


def reset_tables(conn: Connection, layers: Iterable[str]) -> None:
    """Empty the tables of `layers` (see `empty_table`); create missing portal tables.

    Indexes are left for `create_indexes` and `create_mart_indexes`, after the rows are in.
    Portal tables (the load history and later the filing workflow) are never dropped.
    """
    for table in layer_tables(layers):
        empty_table(conn, table, with_indexes=False)
    schema.metadata.create_all(conn, tables=layer_tables(["portal"]), checkfirst=True)


def create_indexes(conn: Connection, layers: Iterable[str]) -> None:
    """Create the indexes of these layers' tables (not on DuckDB, whose scans do not need them).

    On PostgreSQL the tables are analysed too: autovacuum cannot see rows of a transaction that
    has not committed, and without statistics the build's joins get very poor plans.
    """
    if conn.dialect.name == "duckdb":
        return
    for table in layer_tables(layers):
        for index in table.indexes:
            index.create(conn, checkfirst=True)
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text(f'ANALYZE "{table.name}"'))


def create_mart_indexes(conn: Connection) -> None:
    """Create the indexes the MetaData declares for this database on the mart and build tables.

    Run after the build has written them: an index built once over the rows is cheaper than one
    kept up through every insert. The build empties a table that exists by deleting its rows
    (`empty_table`), which keeps its indexes but never makes missing ones.
    """
    for table in layer_tables(["mart", "build"]):
        for index in table.indexes:
            index.create(conn, checkfirst=True)  # ddl_if: only those declared for this dialect


def copy_duckdb_portal(conn: Connection, old: Path) -> None:
    """Copy every portal table of the DuckDB file `old` (if any) into the warehouse in `conn`."""
    if not old.exists():
        return
    raw = conn.connection.driver_connection
    src = duckdb.connect(str(old), read_only=True)
    try:
        for table in layer_tables(["portal"]):
            found = src.execute(
                "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' "
                "AND table_name = ?",
                [table.name],
            ).fetchall()
            have = {name for (name,) in found}
            cols = ", ".join(f'"{c.name}"' for c in table.columns if c.name in have)
            if not cols:
                continue
            reader = src.sql(f'SELECT {cols} FROM "{table.name}"').to_arrow_reader()  # noqa: S608
            raw.register("_portal_rows", reader)
            insert = f'INSERT INTO "{table.name}" ({cols}) SELECT * FROM _portal_rows'  # noqa: S608
            raw.execute(insert).fetchall()
            raw.unregister("_portal_rows")
    finally:
        src.close()


def _to_duckdb(conn: Connection, st: Staging, table: sa.Table, select: str) -> None:
    raw = conn.connection.driver_connection
    reader = st.con.sql(select).to_arrow_reader(_ARROW_BATCH)
    raw.register("_staged_rows", reader)
    try:
        raw.execute(f'INSERT INTO "{table.name}" SELECT * FROM _staged_rows').fetchall()  # noqa: S608
    finally:
        raw.unregister("_staged_rows")


def _to_postgres(conn: Connection, st: Staging, table: sa.Table, select: str, tmp: Path) -> None:
    path = tmp / f"{table.name}.csv"
    st.con.execute(f"COPY ({select}) TO {lit(str(path))} (FORMAT csv, HEADER false)").fetchall()
    cols = ", ".join(f'"{c.name}"' for c in table.columns)
    raw = conn.connection.driver_connection
    with (
        raw.cursor() as cur,
        cur.copy(f'COPY "{table.name}" ({cols}) FROM STDIN (FORMAT csv)') as copy,
        path.open("rb") as fh,
    ):
        while chunk := fh.read(1 << 20):
            copy.write(chunk)
    path.unlink()


def _executemany(conn: Connection, st: Staging, table: sa.Table, select: str) -> None:
    names = [c.name for c in table.columns]
    result = st.con.execute(select)
    while rows := result.fetchmany(_CHUNK):
        conn.execute(table.insert(), [dict(zip(names, row, strict=True)) for row in rows])


def write_source(
    conn: Connection, st: Staging, say: Callable[[str], None], scratch: Path | None = None
) -> dict[str, int]:
    """Insert every staged table into its (empty) source table; the row counts by table.

    PostgreSQL's COPY files go to a folder in `scratch` (the load's scratch folder, swept if the
    load is killed), or to a temporary folder of their own.
    """
    counts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="copy-", dir=scratch) as tmp:
        for name, staged in st.tables.items():
            table = schema.SOURCE_TABLES[name]
            say(f"writing {name} ({staged.rows:,} rows)")
            cols = ", ".join(f'"{c.name}"' for c in table.columns)
            select = f'SELECT {cols} FROM "s_{name}"'  # noqa: S608 - registry names only
            if conn.dialect.name == "duckdb":
                _to_duckdb(conn, st, table, select)
            elif conn.dialect.name == "postgresql":
                _to_postgres(conn, st, table, select, Path(tmp))
            else:
                _executemany(conn, st, table, select)
            counts[name] = staged.rows
    return counts
