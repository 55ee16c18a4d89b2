"""A built DuckDB warehouse per module, and the app pointed at it with empty Streamlit caches."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import streamlit as st


def built_duckdb(
    tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[str], None]
) -> str:
    """URL of a new DuckDB file in a temporary folder `name`, after `build(url)`."""
    url = f"duckdb:///{tmp_path_factory.mktemp(name) / 'w.duckdb'}"
    build(url)
    return url


def app_on(url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at `url` with empty Streamlit caches, yield `url`, empty them again."""
    monkeypatch.setenv("POSTLOAN_WAREHOUSE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()
