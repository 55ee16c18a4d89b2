"""A small hand-made warehouse per engine, built once per module: good, then corrupted on purpose.

`good_book` builds four contracts with `tests.warehouse.book.build_book` and records a load, so
every table the checks read exists. Tests that break the data get their own copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import engine_params, module_db_urls
from tests.load_record import record_load
from tests.warehouse.book import Book, build_book, monthly
from warehouse.engine import create_warehouse_engine

AS_OF = "2024-12-31"


def good_book() -> Book:
    """C1 and C3 pay on time, C2 never pays (DPD > 90 by April), C4 is overridden to substandard."""
    book = Book()
    for cid in ("C1", "C2", "C3", "C4"):
        book.contract(cid, "2024-01-05", monthly("2024-02-05", 24, "1000.00", "50.00"))
    for k in range(11):
        month = 2 + k
        year, month = (2024, month) if month <= 12 else (2025, month - 12)
        for cid in ("C1", "C3", "C4"):
            book.pay(cid, f"{year}-{month:02d}-05", "1050.00")
    book.override("C4", "2024-06", "substandard")
    return book


def make_warehouse(url: str) -> str:
    """Build the good book at `url` and record one load; returns `url`."""
    build_book(url, good_book(), AS_OF)
    record_load(
        url,
        as_of=date.fromisoformat(AS_OF),
        loaded_at=datetime(2025, 1, 2, 3, 4),  # noqa: DTZ001 - naive UTC
        institution="示例租赁",
        source="hand-made",
        sha256="ab" * 32,
        contracts=4,
    )
    return url


@pytest.fixture(scope="module", params=engine_params())
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A fresh, empty warehouse URL shared by one module's tests, on DuckDB and PostgreSQL."""
    yield from module_db_urls(request, tmp_path_factory, "checks")


def execute(url: str, *statements: sa.Executable | str) -> None:
    """Run statements (Core, or DDL text written by the test) in one transaction."""
    engine = create_warehouse_engine(url)
    try:
        with engine.begin() as conn:
            for stmt in statements:
                conn.execute(sa.text(stmt) if isinstance(stmt, str) else stmt)
    finally:
        engine.dispose()


def copy_rows(url: str, table: sa.Table, where: sa.ColumnElement, **changes: object) -> None:
    """Insert a copy of the rows of `table` matching `where`, with `changes` applied."""
    engine = create_warehouse_engine(url)
    try:
        with engine.begin() as conn:
            rows = [dict(r) for r in conn.execute(sa.select(table).where(where)).mappings()]
            conn.execute(table.insert(), [{**r, **changes} for r in rows])
    finally:
        engine.dispose()


__all__ = ["AS_OF", "Path", "copy_rows", "execute", "good_book", "make_warehouse"]
