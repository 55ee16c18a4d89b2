"""On PostgreSQL the build gives the planner statistics for every table it writes.

A load and its build run in one transaction, whose rows autovacuum cannot see: a table written in
it and not analysed looks like ~900 rows to the planner (the one-row `_b_params`, joined by nearly
every step, made merge joins rescan 57 million rows at 100,000 contracts). These tests look at
`pg_class.reltuples` inside the build's own transaction, before it commits, so only the build's
own ANALYZE can have set it.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from tests.conftest import _pg_database
from tests.warehouse.book import Book, d, monthly
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.load_write import layer_tables
from warehouse.marts import build_mart
from warehouse.settings import load_settings

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[str]:
    """A fresh, empty PostgreSQL database."""
    yield from _pg_database(pg_url)


def _book() -> Book:
    b = Book()
    b.contract("C1", "2024-01-15", monthly("2024-02-15", 3, "1000", "100"))
    b.contract("C2", "2024-02-10", monthly("2024-03-10", 4, "500", "20"))
    b.pay("C1", "2024-02-15", "1100")
    return b


def _reltuples(conn: Connection, names: list[str]) -> dict[str, float]:
    rows = conn.execute(
        sa.text("SELECT relname, reltuples FROM pg_class WHERE relname = ANY(:names)"),
        {"names": names},
    )
    return {name: float(n) for name, n in rows}


def _write_source(conn: Connection, book: Book) -> None:
    """Create the source tables in `conn` and write `book`'s rows into them."""
    schema.metadata.create_all(conn, tables=list(schema.SOURCE_TABLES.values()))
    for name, table in schema.SOURCE_TABLES.items():
        rows = getattr(book, name, [])
        if rows:
            conn.execute(table.insert(), rows)


def test_tables_written_by_the_build_are_analysed_before_it_commits(pg_db: str) -> None:
    """The settings row, the ranks and the month-ends are analysed before the first step reads
    them; a scratch table after its step; `contract_month` (an INSERT step) before the next."""
    book = _book()
    seen: dict[str, dict[str, float]] = {}
    engine = create_warehouse_engine(pg_db)
    try:
        with engine.begin() as conn:
            _write_source(conn, book)

            def progress(message: str) -> None:
                if message.endswith(": installments"):  # after step 1 (contracts)
                    names = ["_b_params", "_b_rank", "month_ends", "_b_contract"]
                    seen["first"] = _reltuples(conn, names)
                if message.endswith(": portfolio_month"):  # after the contract_month step
                    seen["mart"] = _reltuples(conn, ["contract_month"])
                    seen["mart_rows"] = {
                        "contract_month": float(
                            conn.execute(sa.text("SELECT count(*) FROM contract_month")).scalar()
                        )
                    }

            build_mart(conn, load_settings(), d("2024-06-30"), progress)
    finally:
        engine.dispose()

    # One settings row, five risk classes, January to June 2024, two contracts.
    assert seen["first"] == {"_b_params": 1, "_b_rank": 5, "month_ends": 6, "_b_contract": 2}
    assert seen["mart"] == seen["mart_rows"]
    assert seen["mart"]["contract_month"] > 0


def test_every_table_the_build_fills_has_statistics_before_it_commits(pg_db: str) -> None:
    """Tables written by the build's Python steps (watch flags, collection months, the at-risk
    rows the alert evaluation pages through right after the load …) are analysed too: each mart
    and build table that holds rows has its exact row count as the planner's estimate."""
    book = _book()
    engine = create_warehouse_engine(pg_db)
    try:
        with engine.begin() as conn:
            _write_source(conn, book)
            build_mart(conn, load_settings(), d("2024-06-30"))
            tables = layer_tables(["mart", "build"])
            names = [t.name for t in tables]
            counts = {
                t.name: int(conn.execute(sa.select(sa.func.count()).select_from(t)).scalar())
                for t in tables
            }
            estimated = _reltuples(conn, names)
    finally:
        engine.dispose()
    filled = {n: c for n, c in counts.items() if c}
    assert {"contract_month", "at_risk_rows"} <= set(filled)
    assert {n: estimated[n] for n in filled} == filled
