"""warehouse.load: a good extract loads whole (CSV or workbook), keeps the load history, and a
failing build leaves the warehouse exactly as it was, on DuckDB and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.warehouse.extract_edits import (
    FIXTURE,
    count,
    drop_column,
    extract,
    read_rows,
    remove_file,
    snapshot,
    to_workbook,
    write_rows,
)
from warehouse import extract_spec as spec
from warehouse import marts, schema
from warehouse.load import Problem, format_problems, load_extract, rebuild
from warehouse.load_write import write_source
from warehouse.settings import load_settings

SETTINGS = load_settings()


# ---- good extracts --------------------------------------------------------------------------


def test_good_extract_loads_and_builds(db_url: str) -> None:
    result = load_extract(FIXTURE, db_url, SETTINGS)
    assert result.load_id == 1
    assert result.as_of == dt.date(2024, 6, 30)
    assert result.row_counts["schedule"] == 37 and result.row_counts["receipts"] == 13
    assert len(result.sha256) == 64
    data = snapshot(db_url)
    (load,) = data["loads"]
    assert load[2:7] == (
        dt.date(2024, 6, 30),
        "示例融资租赁有限公司",
        "financing_lease",
        "CNY",
        "extract_small",
    )
    contracts = {r[0]: r for r in data["contracts"]}
    assert contracts["C2"][5] == Decimal("6000.00") and contracts["C1"][6] == Decimal("0.06")
    assert count(db_url, schema.contract_month) > 0


def test_second_load_keeps_the_load_history(db_url: str) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    second = load_extract(FIXTURE, db_url, SETTINGS)
    assert second.load_id == 2
    assert [r[0] for r in snapshot(db_url)["loads"]] == [1, 2]


def test_workbook_gives_the_same_source_rows_as_csv(db_url: str, tmp_path: Path) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    from_csv = snapshot(db_url)
    book = to_workbook(FIXTURE, tmp_path / "extract.xlsx")
    result = load_extract(book, db_url, SETTINGS)
    from_xlsx = snapshot(db_url)
    assert result.load_id == 2
    for table in schema.SOURCE_TABLES:
        assert from_xlsx[table] == from_csv[table], table


def test_extra_columns_are_ignored(db_url: str, tmp_path: Path) -> None:
    def add_column(folder: Path) -> None:
        rows = read_rows(folder, "contracts")
        write_rows(
            folder, "contracts", [[*r, "note" if i == 0 else "x"] for i, r in enumerate(rows)]
        )

    load_extract(extract(tmp_path, add_column), db_url, SETTINGS)
    assert len(snapshot(db_url)["contracts"]) == 4


def test_optional_tables_and_columns_may_be_missing(db_url: str, tmp_path: Path) -> None:
    optional = [remove_file(t.name) for t in spec.TABLES if not t.required]
    src = extract(tmp_path, *optional, drop_column("lessees", "group_id"))
    result = load_extract(src, db_url, SETTINGS)
    assert result.row_counts["writeoffs"] == 0
    assert {r[6] for r in snapshot(db_url)["lessees"]} == {None}


@pytest.mark.parametrize("error", [RuntimeError("build failed"), KeyboardInterrupt()], ids=repr)
def test_failing_build_leaves_the_warehouse_unchanged(
    db_url: str, monkeypatch: pytest.MonkeyPatch, error: BaseException
) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    before = snapshot(db_url)
    rows = count(db_url, schema.contract_month)

    def broken(*_args: object, **_kwargs: object) -> None:
        raise error

    monkeypatch.setattr(marts, "build_mart", broken)
    with pytest.raises(type(error)):
        load_extract(FIXTURE, db_url, SETTINGS)
    with pytest.raises(type(error)):
        rebuild(db_url, SETTINGS)
    assert snapshot(db_url) == before
    assert count(db_url, schema.contract_month) == rows


def test_rebuild_recomputes_the_mart_as_of_the_latest_load(db_url: str) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    rows = count(db_url, schema.contract_month)
    result = rebuild(db_url, SETTINGS)
    assert result.as_of == dt.date(2024, 6, 30)
    assert count(db_url, schema.contract_month) == rows
    assert len(snapshot(db_url)["loads"]) == 1


def test_format_problems_sorts_and_truncates() -> None:
    problems = [Problem("b.csv", 3, "x", "late"), Problem("a.csv", None, "", "whole file")]
    problems += [Problem("c.csv", n, "amount", "negative") for n in range(2, 12)]
    text = format_problems(problems, limit=3)
    assert text.splitlines() == [
        "a.csv: whole file",
        "b.csv:3:x: late",
        "c.csv:2:amount: negative",
        "... and 9 more",
    ]


# Other databases get rows through SQLAlchemy executemany; SQLite stands in for them here.
@pytest.mark.filterwarnings("ignore:Dialect sqlite\\+pysqlite does \\*not\\* support Decimal")
def test_generic_databases_get_the_rows_by_executemany(tmp_path: Path) -> None:
    import duckdb

    from warehouse.extract_check import check_extract
    from warehouse.extract_read import stage_extract

    con = duckdb.connect()
    staged = stage_extract(FIXTURE, con)
    assert check_extract(staged) == []
    engine = sa.create_engine(f"sqlite:///{tmp_path}/w.sqlite")
    tables = list(schema.SOURCE_TABLES.values())
    with engine.begin() as conn:
        schema.metadata.create_all(conn, tables=tables)
        counts = write_source(conn, staged, lambda _message: None)
        stored = conn.execute(sa.select(schema.contracts.c.principal)).scalars().all()
    engine.dispose()
    con.close()
    assert counts["schedule"] == 37
    assert sorted(stored) == [Decimal(v) for v in ("3000.00", "6000.00", "10000.00", "12000.00")]
