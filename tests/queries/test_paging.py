"""One page with the whole list's count (`queries.paging`), on DuckDB and PostgreSQL, and the
drill cells that use it never ask PostgreSQL for `count(*) OVER ()`."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from queries.contract_lists import migration_cell_statement, roll_cell_statement
from queries.execute import fetch_frame
from queries.filters import Filters
from queries.paging import page_with_total
from warehouse.engine import create_warehouse_engine

meta = sa.MetaData()
items = sa.Table("paging_items", meta, sa.Column("k", sa.Integer), sa.Column("v", sa.Integer))
# Seven items; v descending is k = 7, 6, …, 1; the filter v > 10 keeps k = 2 … 7 (six rows).
ROWS = [{"k": k, "v": 10 * k} for k in range(1, 8)]


@pytest.fixture
def engine(db_url: str):
    engine = create_warehouse_engine(db_url)
    meta.create_all(engine)
    with engine.begin() as conn:
        conn.execute(items.insert(), ROWS)
    yield engine
    engine.dispose()


def test_a_page_carries_the_count_of_the_whole_list(engine) -> None:
    stmt = sa.select(items.c.k).where(items.c.v > 10)
    second = fetch_frame(engine, page_with_total(stmt, [items.c.v.desc()], limit=4, offset=4))
    assert list(second["k"]) == [3, 2]
    assert list(second["total_rows"]) == [6, 6]
    past = fetch_frame(engine, page_with_total(stmt, [items.c.v.desc()], limit=4, offset=8))
    assert past.empty


def test_the_page_is_capped(engine) -> None:
    stmt = sa.select(items.c.k)
    page = fetch_frame(engine, page_with_total(stmt, [items.c.k], limit=100, cap=3))
    assert (list(page["k"]), int(page["total_rows"].iloc[0])) == ([1, 2, 3], 7)


@pytest.mark.parametrize(
    "stmt",
    [
        roll_cell_statement(Filters(as_of=date(2024, 6, 30)), "M0", "M0", 50),
        migration_cell_statement(Filters(as_of=date(2024, 6, 30)), "quarter", "normal", "normal"),
        migration_cell_statement(
            Filters(as_of=date(2024, 6, 30)), "month", "new_business", "normal"
        ),
    ],
)
def test_the_big_drill_cells_count_without_a_window(stmt: sa.Select) -> None:
    sql = str(stmt.compile(dialect=postgresql.dialect()))
    assert "OVER" not in sql.upper()
    assert "AS total_rows" in sql
