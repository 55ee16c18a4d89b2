"""Fixtures for the analytics page tests: one built warehouse per module, fresh caches."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from tests.dashboard.analytics_app import build_analytics_warehouse


@pytest.fixture(scope="module")
def analytics_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding the built portfolio book and one load record."""
    path: Path = tmp_path_factory.mktemp("analytics") / "w.duckdb"
    url = f"duckdb:///{path}"
    build_analytics_warehouse(url)
    return url


@pytest.fixture
def analytics(analytics_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the analytics warehouse with empty Streamlit caches."""
    monkeypatch.setenv("POSTLOAN_WAREHOUSE_URL", analytics_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield analytics_url
    st.cache_data.clear()
    st.cache_resource.clear()
