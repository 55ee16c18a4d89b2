"""A built warehouse of the monitoring book (tests/queries/monitoring_books.py) for page tests.

Figures the pages must show at the default as-of (2024-06) over 12 months, from that book:
attempts 17, contact rate 10/17 = 58.82%, promise rate 4/10 = 40.00%, kept rate 2/3 = 66.67%,
recovered 4,000 = 0.40 万元; flagged contracts: outside window 1, over cap 1, third party 2,
agency without notice 1. With product sale_leaseback (contract C only): attempts 5, contact rate
100.00%, recovered 0.10 万元 (C's two 500 receipts), third party 1 (C4).
Early warning (severity high): warned 1, late 1, missed 1, no default 1, median 61 days; with
product sale_leaseback only LC is left, with no high signal and no 90+: all groups 0.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.load_record import record_load
from tests.queries.monitoring_books import AS_OF, OVERRIDES, monitoring_book
from tests.warehouse.book import build_book


def build_monitoring_warehouse(url: str) -> None:
    """Build the monitoring book to June 2024 at `url` and record a load for it."""
    build_book(url, monitoring_book(), AS_OF, **OVERRIDES)
    record_load(
        url,
        as_of=date.fromisoformat(AS_OF),
        loaded_at=datetime(2024, 7, 1, 2, 0, tzinfo=UTC).replace(tzinfo=None),
        institution="测试融资租赁有限公司",
        source="monitoring book",
        sha256="1" * 64,
        contracts=6,
        build_seconds=0.1,
    )


@pytest.fixture(scope="module")
def monitoring_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A DuckDB warehouse holding the built monitoring book and one load record."""
    return built_duckdb(tmp_path_factory, "monitoring", build_monitoring_warehouse)


@pytest.fixture
def monitoring(monitoring_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Point the app at the monitoring warehouse with empty Streamlit caches."""
    yield from app_on(monitoring_url, monkeypatch)
