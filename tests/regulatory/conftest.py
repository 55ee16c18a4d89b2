"""The report book built once per test module on DuckDB and on PostgreSQL, and its reports.

`report_url` is the warehouse (with one recorded load, so the cover has an institution and a
fingerprint); `report_engine` an engine on it; `reports` every report compiled for 2024-06-30.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy.engine import Engine

from regulatory.compile import compile_all
from regulatory.model import ReportData
from tests import load_record
from tests.conftest import engine_params, module_db_urls
from tests.regulatory.books import AS_OF, PERIOD, report_book
from tests.warehouse.book import build_book
from warehouse.engine import create_warehouse_engine
from warehouse.settings import Settings, load_settings

INSTITUTION = "示例融资租赁有限公司"
FINGERPRINT = "cd" * 32


def record_load(url: str) -> None:
    """Add the `loads` row a real load writes (institution, entity type, fingerprint)."""
    load_record.record_load(
        url,
        as_of=date.fromisoformat(AS_OF),
        loaded_at=datetime(2024, 7, 2, 9, 0),  # noqa: DTZ001 - naive UTC
        institution=INSTITUTION,
        source="hand-made",
        sha256=FINGERPRINT,
        contracts=7,
    )


@pytest.fixture(scope="module", params=engine_params())
def report_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The report book, built and with a load recorded, on each engine."""
    for url in module_db_urls(request, tmp_path_factory, "reports"):
        build_book(url, report_book(), AS_OF)
        record_load(url)
        yield url


@pytest.fixture(scope="module")
def report_engine(report_url: str) -> Iterator[Engine]:
    """An engine on the report book."""
    engine = create_warehouse_engine(report_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def settings() -> Settings:
    """The default settings, as a 融资租赁公司."""
    return load_settings(overrides={"entity.entity_type": "financing_lease"})


@pytest.fixture(scope="module")
def reports(report_engine: Engine, settings: Settings) -> dict[str, ReportData]:
    """Every report compiled for 2024-06-30."""
    return compile_all(report_engine, PERIOD, settings)
