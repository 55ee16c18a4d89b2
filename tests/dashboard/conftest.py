"""Fixtures for the analytics page tests: one built warehouse per module, fresh caches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.dashboard.app_fixtures import app_on, built_duckdb


@pytest.fixture(scope="module")
def analytics_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding the built portfolio book and one load record."""
    return built_duckdb(tmp_path_factory, "analytics", build_analytics_warehouse)


@pytest.fixture
def analytics(analytics_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the analytics warehouse with empty Streamlit caches."""
    yield from app_on(analytics_url, monkeypatch)
