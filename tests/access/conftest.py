"""Fixtures for the access tests: the branch book or the access book per module, fresh caches."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.access.access_app import capture_served, module_warehouse
from tests.access.books import build_branch_warehouse
from tests.dashboard.app_fixtures import app_on, built_duckdb


@pytest.fixture(scope="module")
def branch_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding `branch_book` to June 2024 and one load record."""
    return built_duckdb(tmp_path_factory, "access", build_branch_warehouse)


@pytest.fixture
def app_url(branch_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the branch warehouse with empty Streamlit caches."""
    yield from app_on(branch_url, monkeypatch)


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding the access book (`tests.access.access_app`) and a load."""
    return module_warehouse(tmp_path_factory)


@pytest.fixture
def access(warehouse: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the access warehouse with empty Streamlit caches."""
    yield from app_on(warehouse, monkeypatch)


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> dict[str, bytes]:
    """Every file the page serves from now on, by file id."""
    return capture_served(monkeypatch)
