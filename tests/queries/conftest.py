"""`build`: run the real build over a hand-worked book on each engine (via `db_url`);
`build_kept_open`: the same, its DuckDB engine not reopening the file for every query."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.queries.books import Build, built
from tests.warehouse.book import Book


def _builder(db_url: str, keep_open: bool) -> Iterator[Build]:
    engines: list[Engine] = []

    def make(book: Book, as_of: str) -> Engine:
        engine = built(db_url, book, as_of, keep_open=keep_open)
        engines.append(engine)
        return engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def build(db_url: str) -> Iterator[Build]:
    """A function (book, as_of) -> engine on the built warehouse; engines are disposed after."""
    yield from _builder(db_url, keep_open=False)


@pytest.fixture
def build_kept_open(db_url: str) -> Iterator[Build]:
    """As `build`, but on DuckDB each engine keeps its connection open between queries
    (`tests.queries.books.built`): for tests running hundreds of queries on one book."""
    yield from _builder(db_url, keep_open=True)
