"""`build`: run the real build over a hand-worked book on each engine (via `db_url`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.queries.books import Build, built
from tests.warehouse.book import Book


@pytest.fixture
def build(db_url: str) -> Iterator[Build]:
    """A function (book, as_of) -> engine on the built warehouse; engines are disposed after."""
    engines: list[Engine] = []

    def make(book: Book, as_of: str) -> Engine:
        engine = built(db_url, book, as_of)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()
