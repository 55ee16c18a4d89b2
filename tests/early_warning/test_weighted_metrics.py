"""Weighted measures (early_warning/metrics.py, leadtime.summary) for a sampled book: worked by
hand on six scores with weights, a weight of k equal to k copies of the row, and no weights
exactly the measures as they were before weights (their formulas are copied below as of
5b13cb9 and compared bit for bit on random data with ties)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from early_warning import metrics
from early_warning.leadtime import summary

Y = [1, 1, 0, 1, 0, 0]
S = [0.9, 0.8, 0.7, 0.6, 0.6, 0.1]
W = [2, 1, 1, 1, 3, 1]


def _copies(values: list, weights: list[int]) -> list:
    return [v for v, k in zip(values, weights, strict=True) for _ in range(k)]


def test_weighted_auc_counts_each_pair_by_its_weights() -> None:
    # Defaults 0.9 (w 2), 0.8 (1), 0.6 (1); non-defaults 0.7 (1), 0.6 (3), 0.1 (1): 4 × 5 = 20.
    # 0.9 beats all 5 twice: 10; 0.8 beats 5: 5; 0.6 beats 0.1 (1), ties 0.6 (3 × ½): 2.5.
    assert metrics.auc(Y, S, W) == pytest.approx(17.5 / 20)
    assert metrics.gini(Y, S, W) == pytest.approx(2 * 17.5 / 20 - 1)
    assert metrics.auc(Y, S, W) == pytest.approx(metrics.auc(_copies(Y, W), _copies(S, W)))


def test_weighted_ks_is_the_largest_gap_of_weight_shares() -> None:
    # At or above 0.9: 2/4 vs 0; 0.8: 3/4 vs 0 (the largest); 0.7: 3/4 vs 1/5; 0.6: 1 vs 4/5.
    assert metrics.ks(Y, S, W) == pytest.approx(0.75)
    assert metrics.ks(Y, S, W) == pytest.approx(metrics.ks(_copies(Y, W), _copies(S, W)))


def test_weighted_brier_is_the_weighted_mean_squared_error() -> None:
    # (2 × 0.1² + 0.2² + 0.7² + 0.4² + 3 × 0.6² + 0.1²) / 9 = 1.80 / 9
    assert metrics.brier(Y, S, W) == pytest.approx(0.2)


def test_weighted_top_capture_takes_the_riskiest_share_of_the_weight() -> None:
    # A third of the weight (3 of 9): 0.9 (w 2) and 0.8 (w 1): 3 of the 4 default weight.
    assert metrics.top_capture(Y, S, share=1 / 3, w=W) == pytest.approx(0.75)
    copies = metrics.top_capture(_copies(Y, W), _copies(S, W), share=1 / 3)
    assert metrics.top_capture(Y, S, share=1 / 3, w=W) == pytest.approx(copies)


def test_weighted_groups_hold_equal_weight_and_sum_it() -> None:
    # Weight ranked before each row: 0, 2, 3, 4, 5, 8 of 9; × 3 groups ÷ 9 → groups 1 1 2 2 2 3.
    table = metrics.deciles(Y, S, groups=3, w=W)
    assert list(table.rows) == [3, 5, 1]
    assert list(table.defaults) == [3, 1, 0]
    assert list(table.predicted) == pytest.approx([2.6 / 3, 3.1 / 5, 0.1])
    assert list(table.observed) == pytest.approx([1.0, 0.2, 0.0])


def test_weighted_psi_uses_weight_shares_and_weighted_deciles() -> None:
    # Expected 1 2 3 4 weighted 1 1 1 3: weighted median 3 (half the weight at or below it),
    # shares ½ ½; actual 4 4 4 1: ¼ at or below 3, ¾ above: ¼ (ln 2 + ln 1.5) as unweighted.
    worked = 0.25 * (math.log(2) + math.log(1.5))
    got = metrics.psi([1, 2, 3, 4], [4, 4, 4, 1], bins=2, expected_w=[1, 1, 1, 3])
    assert got == pytest.approx(worked)
    assert got == pytest.approx(metrics.psi([1, 2, 3, 4, 4, 4], [4, 4, 4, 1], bins=2))
    # Segments: a ¼, b ¾ against a ½, b ½.
    text = metrics.psi(["a", "b"], ["a", "b", "a", "b"], expected_w=[1, 3])
    assert text == pytest.approx(worked)
    assert metrics.psi(["a", "b"], ["a", "b"], expected_w=[1, 3], actual_w=[1, 3]) == 0


def test_weighted_quantile_is_the_smallest_value_with_that_share_of_weight() -> None:
    assert metrics.weighted_quantile([1, 2, 3, 4], [1, 1, 1, 3], 0.5) == 3
    assert metrics.weighted_quantile([1, 2, 3, 4], [1, 1, 1, 3], 0.51) == 4
    assert metrics.weighted_quantile([4, np.nan, 1], [1, 5, 1], 0.5) == 1


def test_weighted_lead_summary_counts_each_event_by_its_contract_weight() -> None:
    # Three events: lead 0 (weight 1), 2 (weight 10), 4 (weight 1): 12 contracts of the book.
    got = summary(pd.Series([0, 2, 4]), 0.05, np.array([1.0, 10.0, 1.0]))
    assert got["events"] == 12
    assert got["flagged"] == pytest.approx(11 / 12)
    assert got["median_lead"] == 2  # 1/12 at 0, 11/12 at or below 2
    assert got["lead_3"] == pytest.approx(1 / 12)
    assert got["flag_rate"] == 0.05


def test_bad_weights_are_refused() -> None:
    with pytest.raises(ValueError, match="length"):
        metrics.auc(Y, S, [1, 2])
    with pytest.raises(ValueError, match="negative"):
        metrics.brier(Y, S, [1, 1, 1, 1, 1, -1])


# The measures as they were before weights (early_warning/metrics.py at 5b13cb9).
def _auc_before(y: np.ndarray, s: np.ndarray) -> float:
    n1 = float(y.sum())
    n0 = float(len(y) - n1)
    ranks = pd.Series(s).rank(method="average").to_numpy()
    return float((ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0))


def _ks_before(y: np.ndarray, s: np.ndarray) -> float:
    n1 = y.sum()
    n0 = len(y) - n1
    frame = pd.DataFrame({"s": s, "bad": y, "good": 1 - y})
    by = frame.groupby("s", sort=True)[["bad", "good"]].sum().iloc[::-1]
    return float((by.bad.cumsum() / n1 - by.good.cumsum() / n0).abs().max())


def _deciles_before(y: np.ndarray, p: np.ndarray, groups: int = 10) -> pd.DataFrame:
    order = np.argsort(-p, kind="stable")
    group = np.empty(len(p), dtype=np.int64)
    group[order] = np.arange(len(p)) * groups // max(len(p), 1) + 1
    frame = pd.DataFrame({"group": group, "y": y, "p": p})
    out = frame.groupby("group").agg(
        rows=("y", "size"), defaults=("y", "sum"), predicted=("p", "mean")
    )
    out["observed"] = out.defaults / out.rows
    return out.reset_index()


def _top_before(y: np.ndarray, p: np.ndarray, share: float = 0.1) -> float:
    top = np.argsort(-p, kind="stable")[: math.ceil(share * len(p))]
    return float(y[top].sum() / y.sum())


def _psi_before(e: pd.Series, a: pd.Series, bins: int = 10) -> float:
    edges = np.unique(np.nanquantile(e, np.linspace(0, 1, bins + 1)[1:-1]))

    def shares(v: pd.Series) -> np.ndarray:
        idx = np.searchsorted(edges, v.to_numpy(), side="left")
        idx = np.where(v.isna().to_numpy(), len(edges) + 1, idx)
        return np.bincount(idx, minlength=len(edges) + 2) / max(len(v), 1)

    es = np.maximum(shares(e), metrics.PSI_FLOOR)
    as_ = np.maximum(shares(a), metrics.PSI_FLOOR)
    return float(np.sum((as_ - es) * np.log(as_ / es)))


def test_without_weights_every_measure_is_bit_for_bit_what_it_was() -> None:
    rng = np.random.default_rng(17)
    for _ in range(20):
        n = int(rng.integers(50, 2_000))
        y = (rng.random(n) < 0.15).astype(np.float64)
        y[:2] = [0.0, 1.0]
        p = np.round(rng.random(n) * 0.6 + 0.3 * y, 2)  # rounded: many ties
        assert metrics.auc(y, p) == _auc_before(y, p)
        assert metrics.gini(y, p) == 2 * _auc_before(y, p) - 1
        assert metrics.ks(y, p) == _ks_before(y, p)
        assert metrics.brier(y, p) == float(np.mean((p - y) ** 2))
        assert metrics.top_capture(y, p) == _top_before(y, p)
        pd.testing.assert_frame_equal(metrics.deciles(y, p), _deciles_before(y, p))
        e = pd.Series(np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)))
        a = pd.Series(rng.normal(0.2, 1.1, size=n))
        assert metrics.psi(e, a) == _psi_before(e, a)


def test_unit_weights_give_the_unweighted_measures() -> None:
    rng = np.random.default_rng(5)
    y = (rng.random(3_000) < 0.1).astype(np.float64)
    p = np.round(rng.random(3_000) * 0.5 + 0.3 * y, 3)
    ones = np.ones(len(y))
    assert metrics.auc(y, p, ones) == pytest.approx(metrics.auc(y, p), abs=1e-12)
    assert metrics.ks(y, p, ones) == pytest.approx(metrics.ks(y, p), abs=1e-12)
    assert metrics.brier(y, p, ones) == pytest.approx(metrics.brier(y, p), abs=1e-12)
    assert metrics.top_capture(y, p, w=ones) == pytest.approx(metrics.top_capture(y, p))
    weighted, plain = metrics.deciles(y, p, w=ones), metrics.deciles(y, p)
    assert list(weighted.rows) == list(plain.rows)
    assert list(weighted.defaults) == list(plain.defaults)
    assert list(weighted.predicted) == pytest.approx(list(plain.predicted))
