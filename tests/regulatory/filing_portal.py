"""A fresh portal store per test, on SQLite and on PostgreSQL, for the filing tests."""

from __future__ import annotations

from collections.abc import Iterator
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
