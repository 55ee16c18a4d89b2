"""The scorecard and the challenger (early_warning/) on small frames whose default rates are set
by hand, the reasons' words, and the messages when there is too little to train on."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from early_warning.backtest import run, window
from early_warning.challenger import Challenger, fit_challenger
from early_warning.data import NotEnoughData, require_defaults
from early_warning.pipeline import evaluate
from early_warning.reasons import TEXT, reason_key, reason_text
from early_warning.report import BEGIN, END, write_section
from early_warning.scorecard import (
    Scorecard,
    distinct_rows,
    fit_scorecard,
    top_key_columns,
    top_keys,
)
from early_warning.train import check_features
from tests.warehouse.book import Book, build_book, monthly
from warehouse.engine import create_warehouse_engine
from warehouse.marts.ew_features import FEATURES, TARGET


def _rows(value: float, rows: int, defaults: int, **others: float) -> pd.DataFrame:
    return pd.DataFrame(
        {"signals_high_6m": value, TARGET: [1.0] * defaults + [0.0] * (rows - defaults), **others}
    )


def _three_bins() -> pd.DataFrame:
    """3,000 rows without a high signal (30 defaults, 1%), 600 with one (120, 20%), 400 with
    two (200, 50%); `fin_debt_ratio` missing on all (no statement)."""
    parts = [_rows(0, 3000, 30), _rows(1, 600, 120), _rows(2, 400, 200)]
    frame = pd.concat(parts, ignore_index=True)
    frame["fin_debt_ratio"] = np.nan
    frame["dpd"] = 0.0
    return frame


def test_every_feature_has_reason_words_in_both_languages() -> None:
    for feature in FEATURES:
        zh, en = reason_text(reason_key(feature), "zh"), reason_text(reason_key(feature), "en")
        assert zh != en and zh != reason_key(feature) and en
    assert all(len(words) == 2 and all(words) for words in TEXT.values())


def test_scorecard_probabilities_are_each_bins_default_rate() -> None:
    """One binned feature: log-odds linear in WoE reproduce the three bins' rates (1%, 20%,
    50%); the constant `dpd` has no split and stays out."""
    frame = _three_bins()
    sc = fit_scorecard(frame, features=("signals_high_6m", "dpd"))
    assert sc.features == ["signals_high_6m"]
    bins = sc.table()
    counted = bins[bins.rows > 0]
    assert list(counted.default_rate) == pytest.approx([0.01, 0.2, 0.5])
    # WoE = ln(non-default share / default share): 350 defaults, 3,650 others.
    woe = [math.log((n - b) / 3650 / (b / 350)) for n, b in ((3000, 30), (600, 120), (400, 200))]
    assert list(counted.woe) == pytest.approx(woe, abs=1e-6)
    probe = pd.DataFrame({"signals_high_6m": [0.0, 1.0, 2.0]})
    assert list(sc.predict(probe)) == pytest.approx([0.01, 0.2, 0.5], abs=0.005)
    # The safest bin loses nothing; the others name the feature.
    assert sc.reasons(probe) == [[], ["ew_reason.signals_high_6m"], ["ew_reason.signals_high_6m"]]


def test_a_missing_statement_is_a_reason_in_words_of_its_own() -> None:
    """Rows without a statement default at 10%, rows with a sound one at 1%."""
    frame = pd.concat(
        [
            _rows(0, 2000, 20, fin_debt_ratio=0.5),
            _rows(0, 1000, 10, fin_debt_ratio=0.6),
            _rows(0, 1000, 100, fin_debt_ratio=np.nan),
        ],
        ignore_index=True,
    )
    sc = fit_scorecard(frame, features=("fin_debt_ratio",))
    probe = pd.DataFrame({"fin_debt_ratio": [0.5, np.nan]})
    assert sc.reasons(probe) == [[], ["ew_reason.no_statement"]]
    assert reason_text("ew_reason.no_statement", "en") == "no recent financial statement"


def test_challenger_never_scores_lower_as_a_riskier_value_grows() -> None:
    """Default rates 1%, 30%, 10%, 40% at 0–3 signals: the constraint keeps the score from
    falling at 2 even though the rate does."""
    frame = pd.concat(
        [_rows(0, 2000, 20), _rows(1, 800, 240), _rows(2, 800, 80), _rows(3, 800, 320)],
        ignore_index=True,
    )
    model = fit_challenger(frame, features=("signals_high_6m",))
    p = model.predict(pd.DataFrame({"signals_high_6m": [0.0, 1.0, 2.0, 3.0]}))
    assert all(np.diff(p) >= 0) and p[3] > p[0]
    assert model.reasons(pd.DataFrame({"signals_high_6m": [3.0]})) == [
        ["ew_reason.signals_high_6m"]
    ]


def test_too_few_defaults_to_train_is_a_message_not_a_crash() -> None:
    frame = _three_bins().assign(month_idx=24000)
    frame.loc[frame[TARGET] == 1, TARGET] = np.nan
    frame.loc[:10, TARGET] = 1.0
    with pytest.raises(NotEnoughData, match=r"training: 11 defaults .* at least 50"):
        require_defaults(frame, "training")
    with pytest.raises(NotEnoughData, match="training month-ends: 11 defaults"):
        run(frame.assign(month_idx=24000), built_to=24000 + 18)


def test_backtest_window_trains_on_outcomes_known_twelve_months_before() -> None:
    # Built to index 100 (T): outcomes known by T − 12 = 88 → month-ends up to 82; test 89–94.
    w = window(100)
    assert (w.train_last, w.test_first, w.test_last) == (82, 89, 94)


def test_a_book_too_short_to_backtest_is_a_message(duckdb_url: str) -> None:
    b = Book()
    b.contract("C1", "2024-01-15", monthly("2024-02-15", 6, "100"))
    build_book(duckdb_url, b, "2024-12-31")
    engine = create_warehouse_engine(duckdb_url)
    try:
        with pytest.raises(NotEnoughData, match="the book spans 12 month-ends"):
            evaluate(engine)
    finally:
        engine.dispose()


def test_the_backtest_section_replaces_itself_and_keeps_the_rest(tmp_path: Path) -> None:
    doc = tmp_path / "early-warning.md"
    doc.write_text("# Title\n\nhand-written\n", encoding="utf-8")
    write_section(doc, f"{BEGIN}\nfirst\n{END}\n")
    write_section(doc, f"{BEGIN}\nsecond\n{END}\n")
    text = doc.read_text(encoding="utf-8")
    assert text == f"# Title\n\nhand-written\n\n{BEGIN}\nsecond\n{END}\n"


def test_a_model_using_a_feature_the_warehouse_lost_is_a_message() -> None:
    old = Scorecard(binnings={}, coef={"dpd": -1.0, "old_signal": -0.5}, intercept=0.0, best={})
    models = {"scorecard": old, "challenger": Challenger(None, {}, ("dpd", "older"))}
    with pytest.raises(NotEnoughData, match="no longer has: old_signal, older; train and approve"):
        check_features(models, set(FEATURES))
    check_features(
        {"scorecard": old, "challenger": Challenger(None, {}, ("dpd",))}, {*FEATURES, "old_signal"}
    )


def test_top_reasons_rank_by_points_lost_share_words_once_and_stop_at_nothing_lost() -> None:
    lost = pd.DataFrame(
        {
            "dpd": [0.5, 0.2, 0.0, 0.3],
            "fin_debt_ratio": [0.9, 0.2, 0.0, 0.3],
            "fin_net_margin": [0.8, 0.0, 0.0, 0.3],
            "refusals_6m": [0.1, 1e-12, -0.4, 0.3],
            "mob": [0.7, 0.1, 0.0, 0.3],
        }
    )
    missing = pd.DataFrame(False, index=lost.index, columns=lost.columns)
    missing.loc[0, ["fin_debt_ratio", "fin_net_margin"]] = True
    keys = top_key_columns(lost, missing, 3)
    # Row 0: both statements missing (0.9, 0.8) give "no statement" once, then mob 0.7, dpd 0.5.
    # Row 1: 0.2 ties between dpd and fin_debt_ratio (column order), then mob 0.1; 1e-12 is no
    # loss. Row 2: nothing above zero. Row 3: all equal: the first three columns.
    assert [list(k) for k in keys] == [
        ["ew_reason.no_statement", "ew_reason.dpd", "", "ew_reason.dpd"],
        ["ew_reason.mob", "ew_reason.fin_debt_ratio", "", "ew_reason.fin_debt_ratio"],
        ["ew_reason.dpd", "ew_reason.mob", "", "ew_reason.fin_net_margin"],
    ]
    assert top_keys(lost, missing, 3)[2] == []
    assert top_keys(lost, missing, 2)[1] == ["ew_reason.dpd", "ew_reason.fin_debt_ratio"]


def test_the_regression_on_distinct_rows_is_the_regression_on_every_row() -> None:
    # Rows (x, y): (0, 0) ×3, (1, 1) ×2 with weights 1 2 3 4 5 and (1, 0) once with weight 6.
    x = np.array([[0.0], [0.0], [0.0], [1.0], [1.0], [1.0]])
    y = np.array([0, 0, 0, 1, 1, 0])
    rows, outcome, weight = distinct_rows(x, y, np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    assert rows.tolist() == [[0.0], [1.0], [1.0]]
    assert outcome.tolist() == [0, 0, 1] and weight.tolist() == [6.0, 6.0, 9.0]
    _, _, counted = distinct_rows(x, y, None)
    assert counted.tolist() == [3.0, 1.0, 2.0]
    # The fitted coefficients agree with the regression on all six rows to solver precision.
    from sklearn.linear_model import LogisticRegression

    every = LogisticRegression(tol=1e-10).fit(x, y, sample_weight=[1, 2, 3, 4, 5, 6])
    distinct = LogisticRegression(tol=1e-10).fit(rows, outcome, sample_weight=weight)
    assert distinct.coef_[0][0] == pytest.approx(every.coef_[0][0], abs=1e-8)
    assert distinct.intercept_[0] == pytest.approx(every.intercept_[0], abs=1e-8)
