"""No query returns the raw book: row counts depend on months, buckets and segments, not on
how many contracts there are."""

from __future__ import annotations

from datetime import date

from queries import exposures, migration, overdue, portfolio, segments, vintage
from queries.filters import Filters
from tests.queries.books import Build
from tests.warehouse.book import Book, monthly

CONTRACTS = 40
AS_OF = Filters(as_of=date(2024, 6, 30))


def _book() -> Book:
    """40 contracts in one segment over two cohorts; every other one never pays."""
    b = Book()
    for n in range(CONTRACTS):
        start = "2024-01-10" if n % 2 else "2024-02-10"
        b.contract(f"K{n:02}", start, monthly("2024-03-10", 4, "1000"))
        if n % 4 < 2:
            b.pay(f"K{n:02}", "2024-03-10", "1000")
    return b


def test_every_query_returns_aggregates_only(build: Build) -> None:
    """Bounds: trend ≤ months; breakdown ≤ distinct values; distribution = months × 8 buckets;
    vintage ≤ cohorts × MOBs; roll rates 8 × 10; G12 35; contract lists ≤ their limit."""
    engine = build(_book(), "2024-06-30")
    assert len(portfolio.trend(engine, AS_OF, months=24)) <= 6
    assert len(portfolio.kpis(engine, AS_OF)) == len(portfolio.KPI_BASIS)
    assert len(portfolio.breakdown(engine, AS_OF, "product")) == 1
    assert len(overdue.bucket_distribution(engine, AS_OF, months=3)) == 3 * 8
    assert len(overdue.segment_rates(engine, AS_OF, "region", months=3)) <= 3
    assert len(overdue.contracts_behind(engine, AS_OF, limit=5)) == 5
    assert len(vintage.vintage(engine, AS_OF)) == 2 * 6
    assert len(migration.roll_rates(engine, AS_OF)) == 8 * 10
    assert len(migration.migration_matrix(engine, AS_OF, "quarter")) == 35
    assert len(migration.migration_rates(engine, AS_OF, "month", 3)) == 3
    assert len(exposures.concentration(engine, AS_OF, top=3, entity="financing_lease")) <= 3
    assert len(segments.segment_values(engine)) == 6
