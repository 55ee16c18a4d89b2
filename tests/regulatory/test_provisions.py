"""One provision population for G11, the dashboard and the detail.

A provision counts where its contract is open at the period end (neither closed nor written
off), the population of the loan-level detail and of G11's contract count. The book
(`tests/regulatory/books.py` `closing_month_book`) adds C1, closing in June 2024 with an extract
provision of 18.00 for that month: worked by hand, provisions are 160 / 79 / 750 / 0 / 500 =
1,489 everywhere, and the workbook exports with no blocking finding. Of them the build estimated
10 / 24 / 750 / 0 / 500 = 1,284 (N1's 150 and S1's 55 come from the extract): G11 row 28, the
dashboard's KPI, TOP10 column H and CONC column G say so.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from queries import portfolio
from queries.filters import Filters
from regulatory.compile import compile_all
from regulatory.detail import write_detail
from regulatory.registry import G11_ESTIMATED_ROW, G11_PROVISION_ROW
from regulatory.validation import blocking, validate
from tests.conftest import engine_params, module_db_urls
from tests.regulatory.books import AS_OF, PERIOD, closing_month_book
from tests.regulatory.conftest import record_load
from tests.warehouse.book import build_book
from warehouse.engine import create_warehouse_engine
from warehouse.settings import load_settings

D = Decimal


@pytest.fixture(scope="module", params=engine_params())
def closing_engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The closing-month book, built with a load recorded, on each engine."""
    for url in module_db_urls(request, tmp_path_factory, "closing"):
        build_book(url, closing_month_book(), AS_OF)
        record_load(url)
        engine = create_warehouse_engine(url)
        yield engine
        engine.dispose()


def test_closing_month_provision_counts_nowhere(closing_engine: Engine, tmp_path: Path) -> None:
    """G11 provisions 160 / 79 / 750 / 0 / 500 = 1,489 = detail = dashboard; C1's 18 left out."""
    reports = compile_all(closing_engine, PERIOD, load_settings())
    row = [reports["G11"].cells[f"G11_{G11_PROVISION_ROW}_{c}"] for c in "ABCDEFG"]
    assert row == [D(160), D(79), D(750), 0, D(500), D(1489), D(1250)]
    assert reports["DETAIL"].cells["DETAIL_1_V"] == D(1489)
    assert reports["DETAIL"].cells["DETAIL_1_A"] == 6  # C1 closed: not a detail row
    kpi = portfolio.kpis(closing_engine, Filters(as_of=PERIOD)).set_index("metric")
    assert kpi.loc["provision", "value"] == D(1489)
    assert kpi.loc["provision_coverage", "value"] == D(1489) / D(3500)
    result = write_detail(closing_engine, PERIOD, tmp_path / "d.xlsx")
    assert result.rows == 6


def test_closing_month_book_exports_with_no_blocking_finding(closing_engine: Engine) -> None:
    """Only the concentration warning (LA 11,000 ÷ 20,000 = 55% > 30%) remains."""
    settings = load_settings(overrides={"entity.entity_type": "financing_lease"})
    reports = compile_all(closing_engine, PERIOD, settings)
    findings = validate(reports, closing_engine, settings)
    assert blocking(findings) == []
    assert [f.rule_id for f in findings] == ["CONC-BREACH-single_lessee"]


def test_estimated_provisions_are_shown_beside_every_total(closing_engine: Engine) -> None:
    """Estimated 10 / 24 / 750 / 0 / 500 = 1,284 (NPL 1,250) in G11 row 28, the detail's W, the
    KPI; TOP10 LS1 55 of which 0 estimated, LR1 24 of which 24; CONC rows 10–11 G 1,284."""
    settings = load_settings(overrides={"entity.entity_type": "financing_lease"})
    reports = compile_all(closing_engine, PERIOD, settings)
    row = [reports["G11"].cells[f"G11_{G11_ESTIMATED_ROW}_{c}"] for c in "ABCDEFGH"]
    assert row == [D(10), D(24), D(750), 0, D(500), D(1284), D(1250), None]
    assert reports["DETAIL"].cells["DETAIL_1_W"] == D(1284)
    kpi = portfolio.kpis(closing_engine, Filters(as_of=PERIOD)).set_index("metric")
    assert kpi.loc["provision_estimated", "value"] == D(1284)
    assert kpi.loc["provision_estimated_share", "value"] == D(1284) / D(1489)
    top = reports["TOP10"].cells
    assert [top[f"TOP10_1_{c}"] for c in "AGH"] == ["LS1", D(55), 0]
    assert [top[f"TOP10_2_{c}"] for c in "AGH"] == ["LR1", D(24), D(24)]
    conc = reports["CONC"].cells
    assert [conc[f"CONC_10_{c}"] for c in "ABG"] == [D(1489), D(3500), D(1284)]
    assert [conc[f"CONC_11_{c}"] for c in "ABG"] == [D(1489), D(17700), D(1284)]
    assert conc["CONC_1_G"] is None
