"""The backtest measures (early_warning/metrics.py) against values worked out by hand on six
scores: defaults y = 1 1 0 1 0 0 with scores 0.9 0.8 0.7 0.6 0.6 0.1."""

from __future__ import annotations

import math

import pytest

from early_warning import metrics

Y = [1, 1, 0, 1, 0, 0]
S = [0.9, 0.8, 0.7, 0.6, 0.6, 0.1]


def test_auc_counts_pairs_and_ties_count_half() -> None:
    # Default 0.9 and 0.8 beat all three non-defaults (6 pairs); default 0.6 loses to 0.7,
    # ties 0.6 (½) and beats 0.1: 7.5 of 9 pairs.
    assert metrics.auc(Y, S) == pytest.approx(7.5 / 9)
    assert metrics.gini(Y, S) == pytest.approx(2 * 7.5 / 9 - 1)


def test_ks_is_the_largest_gap_between_cumulative_shares() -> None:
    # At or above 0.9: 1/3 of defaults, 0 of others; 0.8: 2/3 vs 0 (the largest); 0.7: 2/3 vs
    # 1/3; 0.6 (both tied rows together): 3/3 vs 2/3; 0.1: 1 vs 1.
    assert metrics.ks(Y, S) == pytest.approx(2 / 3)


def test_brier_is_the_mean_squared_error() -> None:
    # (0.1² + 0.2² + 0.7² + 0.4² + 0.6² + 0.1²) / 6 = 1.07 / 6
    assert metrics.brier(Y, S) == pytest.approx(1.07 / 6)


def test_groups_rank_riskiest_first_with_observed_and_predicted_rates() -> None:
    table = metrics.deciles(Y, S, groups=3)
    assert list(table.rows) == [2, 2, 2]
    assert list(table.defaults) == [2, 1, 0]
    assert list(table.predicted) == pytest.approx([0.85, 0.65, 0.35])
    assert list(table.observed) == pytest.approx([1.0, 0.5, 0.0])


def test_top_capture_is_the_share_of_defaults_in_the_riskiest_rows() -> None:
    assert metrics.top_capture(Y, S, share=1 / 3) == pytest.approx(2 / 3)
    assert metrics.top_capture(Y, S, share=0.5) == pytest.approx(2 / 3)
    assert metrics.top_capture(Y, S, share=1.0) == 1.0


def test_psi_of_numbers_and_of_categories() -> None:
    # Expected 1 2 3 4 cut at its median 2.5: shares ½ ½; actual 1 3 4 4: ¼ ¾.
    # (¼ − ½) ln(¼ / ½) + (¾ − ½) ln(¾ / ½) = ¼ (ln 2 + ln 1.5)
    worked = 0.25 * (math.log(2) + math.log(1.5))
    assert metrics.psi([1, 2, 3, 4], [1, 3, 4, 4], bins=2) == pytest.approx(worked)
    assert metrics.psi(["a", "a", "b", "b"], ["a", "b", "b", "b"]) == pytest.approx(worked)
    assert metrics.psi([1, 2, 3, 4], [1, 2, 3, 4], bins=2) == 0


def test_measures_without_both_classes_are_not_a_number() -> None:
    assert math.isnan(metrics.auc([0, 0], [0.1, 0.2]))
    assert math.isnan(metrics.ks([1, 1], [0.1, 0.2]))
    assert math.isnan(metrics.top_capture([0, 0], [0.1, 0.2]))
