"""Out-of-time backtest: fit on the early month-ends, measure on later ones nobody trained on.

With T the last built month-end: the models are fitted on the month-ends m whose outcome was
known by T − 12 (m + 6 ≤ T − 12), as if trained at T − 12, and tested on the month-ends
T − 11 … T − 6 (the later ones whose outcome is known), so no training row saw any month of the
test period, not even as an outcome. Measures: `early_warning.metrics`; the same again on the
test rows at DPD 0.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from early_warning import metrics
from early_warning.challenger import fit_challenger
from early_warning.data import require_defaults, weights
from early_warning.scorecard import fit_scorecard
from warehouse.marts.ew_features import FEATURES, HORIZON, TARGET

TEST_MONTHS = 12  # the test period starts this many month-ends before T
TOP_SHARE = 0.1  # a score flags a contract in the riskiest tenth of the training scores


@dataclass(frozen=True)
class Window:
    """The month indexes of a backtest: training month-ends up to `train_last`, test month-ends
    `test_first` … `test_last`, all before the last built month-end `built_to`."""

    built_to: int
    train_last: int
    test_first: int
    test_last: int


def window(built_to: int) -> Window:
    """The backtest window of a book built to month index `built_to` (T)."""
    cut = built_to - TEST_MONTHS
    return Window(built_to, cut - HORIZON, cut + 1, built_to - HORIZON)


@dataclass
class Scores:
    """One model's measures on one set of rows (weighted when the rows are a sample: `rows` and
    `defaults` are then sums of weight, the book's own counts up to sampling)."""

    rows: int
    defaults: int
    auc: float
    ks: float
    gini: float
    brier: float
    mean_predicted: float
    top_capture: float
    deciles: pd.DataFrame

    @classmethod
    def of(cls, y: np.ndarray, p: np.ndarray, w: np.ndarray | None = None) -> Scores:
        """The measures of probabilities `p` against outcomes `y` (rows weighted by `w`)."""
        if w is None:
            return cls(
                rows=len(y),
                defaults=int(y.sum()),
                auc=metrics.auc(y, p),
                ks=metrics.ks(y, p),
                gini=metrics.gini(y, p),
                brier=metrics.brier(y, p),
                mean_predicted=float(np.mean(p)) if len(p) else math.nan,
                top_capture=metrics.top_capture(y, p),
                deciles=metrics.deciles(y, p),
            )
        total = float(w.sum())
        return cls(
            rows=round(total),
            defaults=round(float((w * y).sum())),
            auc=metrics.auc(y, p, w),
            ks=metrics.ks(y, p, w),
            gini=metrics.gini(y, p, w),
            brier=metrics.brier(y, p, w),
            mean_predicted=float((w * p).sum() / total) if total > 0 else math.nan,
            top_capture=metrics.top_capture(y, p, w=w),
            deciles=metrics.deciles(y, p, w=w),
        )


@dataclass
class ModelRun:
    """A model's backtest: all test rows, the DPD-0 ones, score PSI per test month."""

    name: str
    seconds: float
    test: Scores
    dpd0: Scores
    train: Scores
    score_psi: dict[int, float]
    reasons: pd.Series  # how often each reason key is the first reason on the test rows


@dataclass
class Backtest:
    """Both models' backtests on one book, and the features' stability."""

    window: Window
    train_rows: int
    train_defaults: int
    runs: list[ModelRun]
    feature_psi: pd.Series
    scorecard_table: pd.DataFrame
    fitted: dict[str, Any] = field(default_factory=dict)  # name -> the fitted model
    cutoffs: dict[str, float] = field(default_factory=dict)  # name -> training top-decile score
    lead: pd.DataFrame = field(default_factory=pd.DataFrame)  # `early_warning.leadtime` summary
    notes: list[str] = field(default_factory=list)
    # What was read (`early_warning.data.TrainingRead`, set by `pipeline.evaluate_with_frame`);
    # None: every built month-end, whole.
    read: Any = None
    train_sample_rows: int = 0  # the training rows read (= train_rows unless sampled)


def split(frame: pd.DataFrame, w: Window) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Training and test rows with a known outcome."""
    known = frame[frame[TARGET].notna()]
    train = known[known.month_idx <= w.train_last]
    test = known[(known.month_idx >= w.test_first) & (known.month_idx <= w.test_last)]
    return train, test


def run(frame: pd.DataFrame, built_to: int) -> Backtest:
    """Fit the scorecard and the challenger on the training rows of `frame` and measure both on
    its test rows; raises `data.NotEnoughData` in words when either set has too few defaults."""
    w = window(built_to)
    train, test = split(frame, w)
    require_defaults(train, "training month-ends")
    require_defaults(test, "test month-ends", minimum=1)
    y_train = train[TARGET].to_numpy()
    y_test = test[TARGET].to_numpy()
    w_train, w_test = weights(train), weights(test)
    dpd0 = (test.dpd == 0).to_numpy()
    runs = []
    table = pd.DataFrame()
    fitted: dict[str, Any] = {}
    cutoffs: dict[str, float] = {}
    for name, fit in (("scorecard", fit_scorecard), ("lightgbm", fit_challenger)):
        began = time.perf_counter()
        model = fit(train)
        seconds = time.perf_counter() - began
        p_train = model.predict(train)
        p_test = model.predict(test)
        fitted[name] = model
        cutoffs[name] = top_cutoff(p_train, w_train)
        by_month = {}
        for m in sorted(test.month_idx.unique()):
            at = (test.month_idx == m).to_numpy()
            if w_test is None:
                by_month[int(m)] = metrics.psi(p_train, p_test[at])
            else:
                by_month[int(m)] = metrics.psi(p_train, p_test[at], 10, w_train, w_test[at])
        first = pd.Series([r[0] if r else "" for r in model.reasons(test)])
        if w_test is None:
            reasons = first.value_counts()
        else:
            weighted = pd.Series(w_test).groupby(first.to_numpy()).sum()
            reasons = weighted.round().astype(np.int64).sort_values(ascending=False)
        runs.append(
            ModelRun(
                name=name,
                seconds=seconds,
                test=Scores.of(y_test, p_test, w_test),
                dpd0=Scores.of(
                    y_test[dpd0], p_test[dpd0], None if w_test is None else w_test[dpd0]
                ),
                train=Scores.of(y_train, p_train, w_train),
                score_psi=by_month,
                reasons=reasons,
            )
        )
        if name == "scorecard":
            table = model.table()
    if w_train is None:
        psi = pd.Series({f: metrics.psi(train[f], test[f]) for f in FEATURES})
    else:
        psi = pd.Series({f: metrics.psi(train[f], test[f], 10, w_train, w_test) for f in FEATURES})
    psi = psi.sort_values(ascending=False)
    return Backtest(
        window=w,
        train_rows=len(train) if w_train is None else round(float(w_train.sum())),
        train_defaults=int(y_train.sum()),
        runs=runs,
        feature_psi=psi,
        scorecard_table=table,
        fitted=fitted,
        cutoffs=cutoffs,
        train_sample_rows=len(train),
    )


def top_cutoff(p: np.ndarray, w: np.ndarray | None = None) -> float:
    """The score from which a row is in the riskiest `TOP_SHARE` of `p` (weighted: of the
    weight, `metrics.weighted_quantile`)."""
    if w is None:
        return float(np.quantile(p, 1 - TOP_SHARE))
    return float(metrics.weighted_quantile(p, w, 1 - TOP_SHARE))
