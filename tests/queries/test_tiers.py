"""queries.tiers: every query gives the same answer from the coarse summaries as from the finest
table (`portfolio_month`, or `contract_month` joined at two month-ends), at every month-end."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlalchemy.engine import Engine

from queries import migration, overdue, portfolio, segments, tiers
from queries.filters import SEGMENTS, Filters
from tests.queries.books import Build, migration_book, portfolio_book
from warehouse.months import month_end_of, month_idx
from warehouse.schema import portfolio_month, portfolio_segment_month, portfolio_total_month


@pytest.fixture
def build(build_kept_open: Build) -> Build:
    """Every test here runs tens to hundreds of queries on one book: on DuckDB, one connection
    kept open instead of the file opened again for each query."""
    return build_kept_open


def _answers(engine: Engine, f: Filters) -> dict[str, pd.DataFrame]:
    out = {
        "trend": portfolio.trend(engine, f, months=6),
        "kpis": portfolio.kpis(engine, f),
        "buckets": overdue.bucket_distribution(engine, f, months=6),
        "roll": migration.roll_rates(engine, f),
        "values": segments.segment_values(engine),
    }
    for by in (*SEGMENTS, "dpd_bucket", "risk_class", "cohort_month"):
        out[f"breakdown {by}"] = portfolio.breakdown(engine, f, by)
    for basis in overdue.BASES:
        out[f"rates {basis}"] = overdue.segment_rates(engine, f, "product", basis, 0, 3)
    for period in migration.PERIODS:
        out[f"matrix {period}"] = migration.migration_matrix(engine, f, period)
        out[f"official {period}"] = migration.migration_rates(engine, f, period, 4)
    return out


def _same(engine: Engine, f: Filters, monkeypatch: pytest.MonkeyPatch) -> None:
    coarse = _answers(engine, f)
    monkeypatch.setattr(tiers, "USE_SUMMARIES", False)
    fine = _answers(engine, f)
    monkeypatch.setattr(tiers, "USE_SUMMARIES", True)
    for name, frame in coarse.items():
        pd.testing.assert_frame_equal(frame, fine[name], check_dtype=False, obj=name)


@pytest.mark.parametrize("book", [portfolio_book, migration_book])
def test_summaries_answer_like_the_finest_table(
    build: Build, book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whole book, at every month-end the book spans (and one before it)."""
    engine = build(book(), "2024-06-30")
    for idx in range(month_idx(date(2023, 11, 30)), month_idx(date(2024, 6, 30)) + 1):
        _same(engine, Filters(as_of=month_end_of(idx)), monkeypatch)


def test_the_coarsest_table_that_carries_the_filters_is_chosen() -> None:
    """No filter: the total; a segment: without the cohort; a cohort: the full summary."""
    as_of = date(2024, 6, 30)
    assert tiers.portfolio_table(Filters(as_of=as_of)) is portfolio_total_month
    assert tiers.portfolio_table(Filters(as_of=as_of), "region") is portfolio_segment_month
    assert tiers.portfolio_table(Filters(as_of=as_of), "risk_class") is portfolio_total_month
    assert tiers.portfolio_table(Filters(as_of=as_of, product="x")) is portfolio_segment_month
    assert tiers.portfolio_table(Filters(as_of=as_of), "cohort_month") is portfolio_month
    cohort = Filters(as_of=as_of, cohort_from=date(2024, 1, 31))
    assert tiers.portfolio_table(cohort) is portfolio_month
    assert not tiers.whole_book(cohort)
    assert tiers.whole_book(Filters(as_of=as_of))
