"""A reader's engine cannot write the warehouse, on DuckDB and PostgreSQL: the dashboard's
`create_warehouse_engine(url, read_only=True)` refuses a write at the database, not only by
convention, while a writer's engine on the same URL may write."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from warehouse.engine import create_warehouse_engine


def test_a_readers_engine_refuses_writes_and_a_writers_does_not(db_url: str) -> None:
    writer = create_warehouse_engine(db_url)
    with writer.begin() as conn:
        conn.execute(sa.text("CREATE TABLE probe (n INTEGER)"))
        conn.execute(sa.text("INSERT INTO probe VALUES (1)"))
    writer.dispose()
    reader = create_warehouse_engine(db_url, read_only=True)
    try:
        with reader.connect() as conn:
            assert conn.execute(sa.text("SELECT n FROM probe")).scalar() == 1
        for statement in ("INSERT INTO probe VALUES (2)", "CREATE TABLE other (n INTEGER)"):
            with (
                pytest.raises(sa.exc.DBAPIError, match=r"(?i)read.only"),
                reader.begin() as conn,
            ):
                conn.execute(sa.text(statement))
        with reader.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM probe")).scalar() == 1
    finally:
        reader.dispose()
