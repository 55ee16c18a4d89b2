"""A fresh portal store per test, on SQLite and on PostgreSQL, for the filing tests."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from tests.conftest import _pg_database, engine_params
from warehouse.portal import portal_engine


@pytest.fixture(params=engine_params("sqlite"))
def portal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty portal store (tables created): a SQLite file, or a PG database."""
    if request.param == "sqlite":
        engine = portal_engine(f"sqlite:///{tmp_path / 'w.portal.sqlite'}")
        yield engine
        engine.dispose()
        return
    for url in _pg_database(request.getfixturevalue("pg_url")):
        engine = portal_engine(url)
        try:
            yield engine
        finally:
            engine.dispose()


def filed(
    engine: Engine,
    code: str,
    period: date,
    archive: Path,
    *,
    cells: dict[str, object] | None = None,
    workbook: bytes = b"x",
) -> int:
    """A version of report `code` for `period` taken through the whole workflow to submitted:
    alice prepares, validates and submits it for review, bob approves and files it."""
    from regulatory import filing

    values = cells or {f"{code}_1_A": 1}
    version = filing.new_version(
        engine,
        report_code=code,
        period=period,
        cells=values,
        actor="alice",
        load_id=1,
        data_sha256="a" * 64,
    )
    filing.record_validation(engine, version, [], "alice")
    filing.submit_for_review(engine, version, "alice")
    filing.approve(engine, version, "bob")
    filing.submit(
        engine,
        version,
        "bob",
        workbook=workbook,
        file_name=f"{code.lower()}.xlsx",
        cells=values,
        archive=archive,
    )
    return version
