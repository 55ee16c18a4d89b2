"""A load never breaks a reader: while it runs, the dashboard's queries see the previous data
(without waiting for the load), and once it has finished they see the new data."""

from __future__ import annotations

import sqlalchemy as sa

from tests.warehouse.extract_edits import FIXTURE
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.load import load_extract
from warehouse.settings import load_settings

SETTINGS = load_settings()


def _read(url: str) -> tuple[int, int]:
    """(latest load id, contract_month rows) as the dashboard would read them, never waiting
    more than two seconds for a lock."""
    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SET lock_timeout = '2s'"))
            latest = conn.execute(sa.select(sa.func.max(schema.loads.c.load_id))).scalar()
            rows = conn.execute(
                sa.select(sa.func.count()).select_from(schema.contract_month)
            ).scalar()
    finally:
        engine.dispose()
    return int(latest), int(rows)


def test_readers_see_the_previous_load_until_the_new_one_is_complete(db_url: str) -> None:
    load_extract(FIXTURE, db_url, SETTINGS)
    before = _read(db_url)
    assert before[0] == 1 and before[1] > 0

    seen_during: list[tuple[int, int]] = []

    def progress(message: str) -> None:
        # Called inside the load's transaction, after the source tables were rewritten.
        if message.startswith("build ") and not seen_during:
            seen_during.append(_read(db_url))

    load_extract(FIXTURE, db_url, SETTINGS, progress=progress)
    assert seen_during == [before]
    assert _read(db_url) == (2, before[1])
