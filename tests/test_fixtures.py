"""The shared fixtures: each `db_url` is a fresh, empty, writable warehouse on its engine."""

from __future__ import annotations

import sqlalchemy as sa

from warehouse import schema
from warehouse.engine import create_warehouse_engine


def test_db_url_is_empty_and_writable(db_url: str) -> None:
    engine = create_warehouse_engine(db_url)
    try:
        assert sa.inspect(engine).get_table_names() == []
        schema.metadata.create_all(engine, tables=[schema.build_settings])
        with engine.begin() as conn:
            conn.execute(sa.insert(schema.build_settings), [{"key": "k", "value": "v"}])
        with engine.connect() as conn:
            assert conn.execute(sa.select(schema.build_settings.c.value)).scalar_one() == "v"
    finally:
        engine.dispose()


def test_duckdb_url_is_a_file_url(duckdb_url: str) -> None:
    assert duckdb_url.startswith("duckdb:///") and duckdb_url.endswith("/w.duckdb")
