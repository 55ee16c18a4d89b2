"""Training on a large book (docs/early-warning.md, "Speed and memory"): features read a few
month-ends a statement give exactly the rows of one statement, and the non-defaults are thinned
to a share with weights that keep the book's counts; the bench script's small helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from early_warning import data
from queries.execute import fetch_frame
from tests.early_warning.books import AS_OF, hand_book
from tests.warehouse.book import build_book, d
from warehouse.engine import create_warehouse_engine
from warehouse.marts.ew_features import (
    FEATURES,
    KEY_COLUMNS,
    TARGET,
    feature_statement,
    sample_cut,
    sample_value,
)
from warehouse.months import month_idx

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import bench_early_warning


def test_features_read_month_by_month_equal_one_statement(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_book(db_url, hand_book(), AS_OF)
    first, last = month_idx(d("2024-01-31")), month_idx(d(AS_OF))
    engine = create_warehouse_engine(db_url)
    try:
        monkeypatch.setattr(data, "CHUNK_MONTHS", 12)
        whole = data.load_features(engine, first, last)
        monkeypatch.setattr(data, "CHUNK_MONTHS", 1)
        by_month = data.load_features(engine, first, last)
        # The hand book holds performing rows in every month of 2024 (CA, CA2, CB …).
        assert data.performing_rows(engine, first, last) == len(whole)
        # DuckDB hands the rows over through Arrow: the same frame as the one fetch of the pages.
        fetched = data.typed(fetch_frame(engine, feature_statement(first, last)))
    finally:
        engine.dispose()
    assert len(whole) > 12 and whole.month_idx.nunique() == 12
    columns = [*KEY_COLUMNS, *FEATURES, TARGET]
    pd.testing.assert_frame_equal(
        whole[columns].reset_index(drop=True), by_month[columns].reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(
        whole[columns].reset_index(drop=True),
        fetched[columns].reset_index(drop=True),
        check_dtype=False,
    )


def test_the_statement_reads_exactly_the_rows_thin_keeps_with_their_weights(db_url: str) -> None:
    build_book(db_url, hand_book(), AS_OF)
    first, last = month_idx(d("2024-01-31")), month_idx(d(AS_OF))
    engine = create_warehouse_engine(db_url)
    try:
        whole = data.load_features(engine, first, last)
        sampled = data.load_features(engine, first, last, keep_share=0.5)
    finally:
        engine.dispose()
    kept = data.thin(whole, 0.5)
    goods = int((whole[TARGET] == 0).sum())
    # Some non-defaults drawn, some not: the sample is neither all nor nothing.
    assert 0 < int((sampled[TARGET] == 0).sum()) < goods
    assert int((sampled[TARGET] == 1).sum()) == int((whole[TARGET] == 1).sum())
    columns = [*KEY_COLUMNS, *FEATURES, TARGET, "weight"]
    pd.testing.assert_frame_equal(
        sampled[columns].reset_index(drop=True), kept[columns].reset_index(drop=True)
    )


def test_the_draw_is_the_md5_of_contract_and_month() -> None:
    # md5("CA|24295") = 530e5d1dae62… (coreutils md5sum); 0x530e5d = 5,443,165 of 16⁶.
    assert sample_value("CA", 24295) == 5_443_165
    # md5("CB|24290") = 5696e7dc…: 0x5696e7 = 5,674,727.
    assert sample_value("CB", 24290) == 5_674_727
    # A share keeps the draws below share × 16,777,216, rounded up.
    assert (sample_cut(0.5), sample_cut(0.1), sample_cut(0.3)) == (8_388_608, 1_677_722, 5_033_165)


def _frame(targets: list[float | None]) -> pd.DataFrame:
    n = len(targets)
    return pd.DataFrame(
        {
            "contract_id": [f"C{i:05d}" for i in range(n)],
            "month_idx": np.full(n, 24300, dtype=np.int64),
            TARGET: np.array([np.nan if t is None else t for t in targets], dtype=np.float64),
        }
    )


def test_thinning_keeps_every_default_a_share_of_the_others_and_their_weight() -> None:
    # 20 defaults, 10,000 non-defaults, 30 of unknown outcome; keep a tenth of the non-defaults.
    frame = _frame([1.0] * 20 + [0.0] * 10_000 + [None] * 30)
    thinned = data.thin(frame, 0.1)
    bad = thinned[thinned[TARGET] == 1]
    good = thinned[thinned[TARGET] == 0]
    assert len(bad) == 20 and (bad.weight == 1.0).all()
    assert thinned[TARGET].notna().all()  # unknown outcomes are not training rows
    assert (good.weight == 10.0).all()
    # A tenth of 10,000, give or take the hash's luck (sd about 30).
    assert 880 < len(good) < 1_120
    # The same rows on every run, whatever the order the rows come in.
    again = data.thin(frame.iloc[::-1].reset_index(drop=True), 0.1)
    assert set(again.contract_id) == set(thinned.contract_id)
    # Each kept non-default stands for ten: the weighted count is the book's, within the noise.
    assert abs(good.weight.sum() - 10_000) < 1_200


def test_the_training_share_keeps_about_the_cap() -> None:
    assert data.training_share(1_500_000, cap=2_000_000) == 1.0
    assert data.training_share(8_000_000, cap=2_000_000) == 0.25
    assert data.weights(_frame([1.0, 0.0])) is None
    assert list(data.weights(data.thin(_frame([1.0]), 0.5))) == [1.0]


def test_bench_verdict_and_what_training_read() -> None:
    card = {
        "data": {
            "rows": 1_200,
            "defaults": 300,
            "sample": {
                "month_ends_read": ["2024-12", "2026-11"],
                "rows_read": 2_000,
                "share": 0.25,
                "known_rows": 9_000,
            },
        },
        "backtest": {
            "train_last": "2025-05",
            "test": ["2025-12", "2026-05"],
            "measures": {"scorecard": {"test": {"auc": 0.81}}},
        },
    }
    assert bench_early_warning.train_detail(card, 75.4) == (
        "month-ends 2024-12 … 2026-11: 2,000 contract-months read (every contract with a "
        "default there, 25.0% of the others, weight 4.0; 9,000 with a known outcome in the "
        "book); backtest trained to 2025-05, tested 2025-12 … 2026-05 (scorecard AUC 0.81), "
        "lead times, final fits on 1,200 rows (300 defaults); CPU 75 s"
    )
    del card["data"]["sample"]
    assert bench_early_warning.train_detail(card, 1.0).startswith("every built month-end, whole;")
    gib = 1024**3
    assert bench_early_warning.verdict(599.0, 7 * gib, 600, 8 * gib) == "met"
    assert bench_early_warning.verdict(601.0, 1 * gib, 600, 8 * gib) == "**missed**"
    assert bench_early_warning.verdict(10.0, 9 * gib, 600, 8 * gib) == "**missed**"
    assert bench_early_warning.verdict(None, 0, 600, None) == "**missed**"
    assert bench_early_warning.verdict(59.0, 20 * gib, 60, None) == "met"


def _three_bins() -> pd.DataFrame:
    """40,000 contract-months: 30,000 without a high signal (300 defaults, 1%), 6,000 with one
    (1,200, 20%), 4,000 with two (2,000, 50%); `fin_debt_ratio` missing on every row (no
    statement). At half the non-defaults kept, the 50% bin's weighted rate has a standard
    deviation of about 2,000 × 2 × √(2,000 × ¼) ÷ 4,000² ≈ 0.0056, so 0.02 is over 3.5 of them."""
    counts = ((0.0, 30000, 300), (1.0, 6000, 1200), (2.0, 4000, 2000))
    frame = pd.concat(
        [
            pd.DataFrame({"signals_high_6m": v, TARGET: [1.0] * b + [0.0] * (n - b)})
            for v, n, b in counts
        ],
        ignore_index=True,
    )
    frame["contract_id"] = [f"C{i:05d}" for i in range(len(frame))]
    frame["month_idx"] = 24300
    frame["fin_debt_ratio"] = np.nan
    return frame


def test_a_thinned_weighted_book_scores_the_whole_books_rates() -> None:
    """Half the non-defaults kept, each counting twice: the bins' predicted rates are still
    about 1%, 20% and 50%; a feature missing on every training row is left out, not an error."""
    from early_warning.challenger import fit_challenger
    from early_warning.scorecard import fit_scorecard

    thinned = data.thin(_three_bins(), 0.5)
    assert len(thinned) < 23_000  # 3,500 defaults + about half of 36,500
    card = fit_scorecard(thinned, features=("signals_high_6m", "fin_debt_ratio"))
    assert card.features == ["signals_high_6m"]
    probe = pd.DataFrame({"signals_high_6m": [0.0, 1.0, 2.0], "fin_debt_ratio": np.nan})
    assert list(card.predict(probe)) == pytest.approx([0.01, 0.2, 0.5], abs=0.02)
    unweighted = fit_scorecard(thinned.drop(columns="weight"), features=("signals_high_6m",))
    # Without the weights the kept non-defaults count once: every rate comes out too high.
    assert unweighted.predict(probe)[0] > 0.015
    challenger = fit_challenger(thinned, features=("signals_high_6m", "fin_debt_ratio"))
    assert challenger.predict(probe)[0] < 0.03
