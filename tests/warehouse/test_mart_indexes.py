"""warehouse.load: every index the MetaData declares for a mart table (and those the build makes
itself) exists after a load into an empty warehouse, after `rebuild` and after a second load (a
new DuckDB file swapped in; PostgreSQL tables emptied by deleting their rows), on both engines."""

from __future__ import annotations

import sqlalchemy as sa

from tests.warehouse.extract_edits import FIXTURE
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.load import load_extract, rebuild
from warehouse.load_write import layer_tables
from warehouse.settings import load_settings

SETTINGS = load_settings()
# Created by the build's own DDL at its end (warehouse/marts/__init__.py), on servers only.
BUILD_MADE = {
    "contract_month": {"ix_contract_month_contract_id", "ix_contract_month_month_end"},
    "contract_segments": {"ix_contract_segments_lessee_id"},
}


def declared(dialect: str) -> dict[str, set[str]]:
    """Index names per mart or build table that the MetaData creates on `dialect`."""
    out: dict[str, set[str]] = {}
    for table in layer_tables(["mart", "build"]):
        for index in table.indexes:
            only = index._ddl_if  # set by .ddl_if(dialect=...); None: every database
            if only is None or only.dialect in (None, dialect):
                out.setdefault(table.name, set()).add(str(index.name))
    if dialect != "duckdb":
        for name, indexes in BUILD_MADE.items():
            out.setdefault(name, set()).update(indexes)
    return out


def present(url: str) -> tuple[str, dict[str, set[str]]]:
    """The warehouse's dialect and its index names per table."""
    engine = create_warehouse_engine(url)
    try:
        with engine.connect() as conn:
            dialect = conn.dialect.name
            if dialect == "duckdb":
                rows = conn.execute(sa.text("SELECT table_name, index_name FROM duckdb_indexes()"))
                found: dict[str, set[str]] = {}
                for table, index in rows:
                    found.setdefault(table, set()).add(index)
                return dialect, found
            inspector = sa.inspect(conn)
            names = inspector.get_table_names()
            return dialect, {t: {str(i["name"]) for i in inspector.get_indexes(t)} for t in names}
    finally:
        engine.dispose()


def missing(url: str) -> dict[str, set[str]]:
    """Declared indexes the warehouse at `url` lacks, per table."""
    dialect, found = present(url)
    gaps = {t: want - found.get(t, set()) for t, want in declared(dialect).items()}
    return {t: gap for t, gap in gaps.items() if gap}


def test_the_postgresql_mart_declares_its_month_and_spell_indexes() -> None:
    wanted = declared("postgresql")
    assert "ix_collection_facts_spells" in wanted["collection_facts"]
    assert wanted["ew_scores"] == {"ix_ew_scores_contract_id", "ix_ew_scores_month"}
    assert "ix_portfolio_month_month" in wanted["portfolio_month"]


def test_a_load_into_an_empty_warehouse_creates_every_declared_mart_index(db_url: str) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    assert missing(db_url) == {}


def test_the_spell_index_is_partial_on_postgresql(db_url: str) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    engine = create_warehouse_engine(db_url)
    try:
        with engine.connect() as conn:
            if conn.dialect.name != "postgresql":
                return
            (spells,) = [
                i
                for i in sa.inspect(conn).get_indexes(schema.collection_facts.name)
                if i["name"] == "ix_collection_facts_spells"
            ]
    finally:
        engine.dispose()
    assert "spell_start = 1" in str(spells["dialect_options"]["postgresql_where"])


def test_rebuild_and_a_second_load_keep_every_declared_mart_index(db_url: str) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    rebuild(db_url, SETTINGS)
    assert missing(db_url) == {}
    load_extract(FIXTURE, db_url, SETTINGS)
    assert missing(db_url) == {}
