"""模型监控's stored figures: what the build stores at its as-of serves every earlier as-of.

The score book (`tests/early_warning/score_book.py`) is built with its hand-made version scoring
all 12 month-ends of 2024 (as-of 2024-12-31): the month-ends up to June have a known 6-month
outcome there, and K9 (over 90 DPD from November) defaults for May and June. At each earlier
as-of the figures read from the stored rows must equal those the page's statements give at that
as-of on the same warehouse (the stored rows deleted: the fallback of a warehouse built before
them), to the last bits of a float sum.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa

from early_warning.scoring import score_build
from queries.filters import Filters
from queries.model_monitoring import calibration, performance, score_bins
from tests.early_warning.score_book import approved, fitted_models, overrides, score_book
from tests.warehouse.book import build_book
from warehouse import schema
from warehouse.engine import create_warehouse_engine

AS_OFS = (date(2024, 5, 31), date(2024, 8, 31), date(2024, 11, 30), date(2024, 12, 31))
# A card's training reference by hand: the score cut at 0.05 and 0.3 (1 %, 20 %, 50 % fall in
# bins 0, 1, 2); no feature.
EDGES = (0.05, 0.3)
REFERENCE = {
    "rows": 3,
    "score": {"kind": "numeric", "edges": list(EDGES), "shares": [0.4, 0.3, 0.3], "missing": 0.0},
    "features": {},
}


def _figures(url: str, version: str) -> dict[date, tuple[pd.DataFrame, ...]]:
    engine = create_warehouse_engine(url)
    try:
        return {
            a: (
                performance(engine, Filters(as_of=a), version=version),
                calibration(engine, Filters(as_of=a), version=version),
                score_bins(engine, Filters(as_of=a), version=version, edges=EDGES),
            )
            for a in AS_OFS
        }
    finally:
        engine.dispose()


def _count(url: str, table: sa.Table) -> int:
    engine = create_warehouse_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())
    finally:
        engine.dispose()


def test_stored_figures_at_an_earlier_as_of_equal_the_statements_there(
    db_url: str, tmp_path: Path
) -> None:
    root = tmp_path / "registry"
    version = approved(root, fitted_models(), REFERENCE)
    settings = {**overrides(root), "early_warning.score_months": 12}
    build_book(db_url, score_book(), "2024-12-31", score_build, **settings)
    # Stored by the build: one row per scored month-end, ten deciles at most per month-end.
    assert _count(db_url, schema.ew_performance_months) == 12
    assert _count(db_url, schema.ew_calibration_months) > 12
    assert _count(db_url, schema.ew_score_bins) > 12
    stored = _figures(db_url, version)

    engine = create_warehouse_engine(db_url)
    try:
        with engine.begin() as conn:
            for table in schema_figures():
                conn.execute(table.delete())
    finally:
        engine.dispose()
    computed = _figures(db_url, version)

    for as_of in AS_OFS:
        for got, want in zip(stored[as_of], computed[as_of], strict=True):
            # The same statement's floats, up to the order DuckDB sums them in (last bits).
            pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12, atol=0.0)
    # Not trivial: at 2024-11-30 the month-ends up to May are known, May with K9's default,
    # and June onwards are shown with their rows but no outcome.
    perf = stored[date(2024, 11, 30)][0]
    months = [str(m)[:10] for m in perf["month_end"]]
    assert months[-1] == "2024-11-30" and len(months) == 11
    may = perf.iloc[months.index("2024-05-31")]
    june = perf.iloc[months.index("2024-06-30")]
    assert (may["outcome_known"], may["defaults"], may["rows"]) == (True, 1, 4)
    assert (june["outcome_known"], june["defaults"], june["auc"]) == (False, None, None)
    assert stored[date(2024, 12, 31)][0].iloc[months.index("2024-06-30")]["defaults"] == 1
    # December's scores: K0 1 % (bin 0), K1 20 % (bin 1), K2 50 % (bin 2), one contract each.
    bins = stored[date(2024, 12, 31)][2]
    december = bins[[str(m)[:10] == "2024-12-31" for m in bins["month_end"]]]
    assert list(zip(december["bin"], december["rows"], strict=True)) == [(0, 1), (1, 1), (2, 1)]


def schema_figures() -> tuple[sa.Table, ...]:
    """The tables of 模型监控's stored figures."""
    return (schema.ew_performance_months, schema.ew_calibration_months, schema.ew_score_bins)


def test_a_warehouse_without_stored_figures_reads_the_statements(db_url: str) -> None:
    from tests.early_warning.monitoring_book import AS_OF, JUNE, VERSION, write_monitoring_book

    write_monitoring_book(db_url, store=False)
    engine = create_warehouse_engine(db_url)
    try:
        assert not sa.inspect(engine).has_table("ew_performance_months")
        perf = performance(engine, Filters(as_of=AS_OF), version=VERSION)
        cal = calibration(engine, Filters(as_of=AS_OF), version=VERSION)
    finally:
        engine.dispose()
    # June of the hand-made book (tests/early_warning/monitoring_book.py): y 1 1 0 1 0 0.
    june = perf[[str(m)[:10] == str(JUNE) for m in perf["month_end"]]].iloc[0]
    assert (june["rows"], june["defaults"], june["outcome_known"]) == (6, 3, True)
    assert float(june["auc"]) == 7.5 / 9
    # June's riskiest decile holds C1 alone (0.9, a default).
    first = cal[[str(m)[:10] == str(JUNE) for m in cal["month_end"]]].iloc[0]
    assert (first["score_decile"], first["rows"], first["defaults"]) == (1, 1, 1)
