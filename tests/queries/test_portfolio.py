"""queries.portfolio on the hand-worked `portfolio_book` (see its docstring for every figure)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from queries import portfolio
from queries.filters import Filters
from tests.queries.books import Build, portfolio_book

MAY = Filters(as_of=date(2024, 5, 31))


def _month(frame, month_end: str) -> dict:
    hit = frame[frame["month_end"] == date.fromisoformat(month_end)]
    assert len(hit) == 1
    return hit.iloc[0].to_dict()


def test_trend_sums_and_ratios_per_month(build: Build) -> None:
    """May: A 5,000 (DPD 82, special_mention), B 12,000 (DPD 101, substandard); C closed in April.

    outstanding 17,000; DPD > 0/30/60 = 17,000 (both), > 90 = 12,000 → 12,000 ÷ 17,000;
    count > 90 = 1 ÷ 2; amount = (3,000 + 150 + 8,000 + 200) ÷ 17,000 = 11,350 ÷ 17,000;
    NPL = 12,000; provisions 2% × 5,000 + 25% × 12,000 = 3,100: coverage 3,100 ÷ 12,000,
    provisions ÷ receivables 3,100 ÷ 17,000; 偏离度 12,000 ÷ 12,000 = 1.
    """
    engine = build(portfolio_book(), "2024-06-30")
    frame = portfolio.trend(engine, MAY, months=24)
    # The book spans January–May up to the as-of: five months, not 24.
    assert list(frame["month_end"]) == [
        date(2024, m, d) for m, d in ((1, 31), (2, 29), (3, 31), (4, 30), (5, 31))
    ]
    may = _month(frame, "2024-05-31")
    assert (may["open_contracts"], may["outstanding"]) == (2, Decimal("17000"))
    assert may["overdue_rate_balance_dpd0"] == 1
    assert may["overdue_rate_balance_dpd60"] == 1
    assert may["overdue_rate_balance_dpd90"] == Decimal(12000) / Decimal(17000)
    assert may["overdue_rate_count_dpd90"] == Decimal("0.5")
    assert may["overdue_rate_amount"] == Decimal(11350) / Decimal(17000)
    assert may["overdue_rate_amount_principal"] == Decimal(11000) / Decimal(17000)
    assert may["npl_ratio"] == Decimal(12000) / Decimal(17000)
    assert may["provision"] == Decimal("3100")
    assert may["provision_coverage"] == Decimal(3100) / Decimal(12000)
    assert may["provision_rate"] == Decimal(3100) / Decimal(17000)
    assert may["deviation_90"] == 1


def test_new_business_and_receipts(build: Build) -> None:
    """January: A + B start (2 contracts, 18,000). March: C (1,500). Receipts: Feb 1,050 (A),
    Apr 1,500 (C); other months 0. March: 3 open contracts, 5,000 + 12,000 + 1,500 = 18,500."""
    engine = build(portfolio_book(), "2024-06-30")
    frame = portfolio.trend(engine, MAY)
    jan, feb, mar, apr = (
        _month(frame, m) for m in ("2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30")
    )
    assert (jan["new_contracts"], jan["new_principal"]) == (2, Decimal("18000"))
    assert (mar["new_contracts"], mar["new_principal"]) == (1, Decimal("1500"))
    assert (feb["receipts"], apr["receipts"], mar["receipts"]) == (
        Decimal("1050"),
        Decimal("1500"),
        0,
    )
    assert (mar["open_contracts"], mar["outstanding"]) == (3, Decimal("18500"))
    # April: C's closing row counts neither as open nor as balance.
    assert (apr["open_contracts"], apr["outstanding"]) == (2, Decimal("17000"))


def test_zero_denominators_are_none(build: Build) -> None:
    """April has no NPL: coverage and 偏离度 are None, not 0; an empty slice has no ratios."""
    engine = build(portfolio_book(), "2024-06-30")
    apr = _month(portfolio.trend(engine, MAY), "2024-04-30")
    assert apr["npl_ratio"] == 0
    assert apr["provision_coverage"] is None
    assert apr["deviation_90"] is None
    empty = portfolio.trend(engine, Filters(as_of=MAY.as_of, product=("loan",)))
    assert all(v is None for v in empty["npl_ratio"])
    assert all(v is None for v in empty["overdue_rate_count_dpd30"])


def test_written_off_contract_leaves_balances_in_its_writeoff_month(build: Build) -> None:
    """June: B is written off (12,000 from `writeoffs`); only A's 5,000 remains, all NPL."""
    engine = build(portfolio_book(), "2024-06-30")
    jun = _month(portfolio.trend(engine, Filters(as_of=date(2024, 6, 30)), months=1), "2024-06-30")
    assert (jun["outstanding"], jun["open_contracts"]) == (Decimal("5000"), 1)
    assert (jun["writeoff_contracts"], jun["writeoff_amount"]) == (1, Decimal("12000"))
    assert jun["npl_ratio"] == 1


def test_kpis_compare_with_previous_month_and_year(build: Build) -> None:
    """May vs April: outstanding 17,000 both (change 0); 90+ rate 0 → 12,000 ÷ 17,000.
    A year before the book began: previous_year and yoy_change are None."""
    engine = build(portfolio_book(), "2024-06-30")
    kpis = portfolio.kpis(engine, MAY).set_index("metric")
    assert kpis.loc["outstanding", "value"] == Decimal("17000")
    assert kpis.loc["outstanding", "mom_change"] == 0
    assert kpis.loc["overdue_rate_balance_dpd90", "previous_month"] == 0
    assert kpis.loc["overdue_rate_balance_dpd90", "mom_change"] == Decimal(12000) / Decimal(17000)
    assert kpis.loc["npl_ratio", "basis"] == "balance"
    assert kpis.loc["outstanding", "previous_year"] is None
    assert kpis.loc["outstanding", "yoy_change"] is None


def test_filters_change_results(build: Build) -> None:
    """March: direct_lease 17,000 (A, B); sale_leaseback 1,500 (C); region 440100 = C;
    cohort from 2024-03 = C only; cohort up to 2024-01 = A + B."""
    engine = build(portfolio_book(), "2024-06-30")
    march = date(2024, 3, 31)

    def outstanding(**kw) -> Decimal:
        return _month(portfolio.trend(engine, Filters(as_of=march, **kw), 1), "2024-03-31")[
            "outstanding"
        ]

    assert outstanding() == Decimal("18500")
    assert outstanding(product=("direct_lease",)) == Decimal("17000")
    assert outstanding(product=("sale_leaseback",)) == Decimal("1500")
    assert outstanding(product=("sale_leaseback", "direct_lease")) == Decimal("18500")
    assert outstanding(region=("440100",)) == Decimal("1500")
    assert outstanding(cohort_from=date(2024, 3, 1)) == Decimal("1500")
    assert outstanding(cohort_to=date(2024, 1, 31)) == Decimal("17000")


def test_breakdown_by_dimension(build: Build) -> None:
    """March by product: direct_lease 17,000 (share 17,000 ÷ 18,500), sale_leaseback 1,500;
    by risk_class: special_mention 17,000 (A DPD 21, B DPD 40), normal 1,500 (C)."""
    engine = build(portfolio_book(), "2024-06-30")
    march = Filters(as_of=date(2024, 3, 31))
    by_product = portfolio.breakdown(engine, march, "product").set_index("product")
    assert by_product.loc["direct_lease", "outstanding"] == Decimal("17000")
    assert by_product.loc["sale_leaseback", "outstanding"] == Decimal("1500")
    assert by_product.loc["direct_lease", "share_of_outstanding"] == Decimal(17000) / Decimal(18500)
    assert by_product.loc["sale_leaseback", "overdue_rate_balance_dpd0"] == 0
    by_class = portfolio.breakdown(engine, march, "risk_class").set_index("risk_class")
    assert dict(by_class["outstanding"]) == {
        "normal": Decimal("1500"),
        "special_mention": Decimal("17000"),
    }


def test_unknown_dimension_is_refused(build: Build) -> None:
    """Group-by columns come from the allow-list only."""
    engine = build(portfolio_book(), "2024-06-30")
    with pytest.raises(ValueError, match="unknown dimension"):
        portfolio.breakdown(engine, MAY, "contract_id; DROP TABLE contracts")
