"""A built warehouse for the risk-committee page tests: the watch book with a load record.

The book is `tests.queries.risk_books.watch_book` (every figure worked out in its docstring),
as of 2024-06-30: twelve at-risk contracts once WL is on the watchlist, eleven before.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.queries.risk_books import watch_book


@pytest.fixture(scope="module")
def risk_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding the built watch book and one load record."""
    return built_duckdb(
        tmp_path_factory, "risk", lambda url: build_analytics_warehouse(url, watch_book())
    )


@pytest.fixture
def risk(risk_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the risk warehouse with empty Streamlit caches."""
    yield from app_on(risk_url, monkeypatch)
