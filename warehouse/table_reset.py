"""Emptying a warehouse table before it is rewritten, without blocking readers where possible.

On a DuckDB file the writer works on a fresh copy, so dropping and re-creating costs nothing. On a
shared server (PostgreSQL) a DROP takes an exclusive lock that would make every dashboard query
wait for the whole load; deleting the rows instead keeps readers on the previous rows (MVCC)
until the load commits. A table whose columns no longer match the MetaData is re-created.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection


def empty_table(conn: Connection, table: sa.Table, *, with_indexes: bool = True) -> None:
    """Make `table` exist and hold no rows, in the transaction of `conn`."""
    inspector = sa.inspect(conn)
    if conn.dialect.name != "duckdb" and inspector.has_table(table.name):
        existing = [c["name"] for c in inspector.get_columns(table.name)]
        if existing == [c.name for c in table.columns]:
            conn.execute(table.delete())
            return
    table.drop(conn, checkfirst=True)
    conn.execute(sa.schema.CreateTable(table))
    if with_indexes:
        for index in table.indexes:
            index.create(conn, checkfirst=True)
