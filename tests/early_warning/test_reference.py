"""The training reference stored in a model card (early_warning/reference.py): bins worked out by
hand, and PSI against it equal to PSI against the training rows themselves."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from early_warning import metrics
from early_warning.reference import (
    bin_counts,
    build_reference,
    categorical_reference,
    numeric_reference,
    of_card,
    psi_from_counts,
)


def test_numeric_bins_are_the_training_deciles_closed_on_the_right() -> None:
    # 1 2 3 4 and a missing value, cut in two: the median of 1 2 3 4 is 2.5.
    ref = numeric_reference([1.0, 2.0, 3.0, 4.0, None], bins=2)
    assert ref["edges"] == [2.5]
    assert ref["shares"] == [0.4, 0.4] and ref["missing"] == 0.2
    # 2.5 itself falls in the first bin (right-closed), NaN in the last.
    assert list(bin_counts(pd.Series([2.5, 2.6, None]), [2.5])) == [1, 1, 1]


def test_psi_against_the_reference_is_psi_against_the_training_rows() -> None:
    # Expected 1 2 3 4 cut at 2.5: ½ ½; actual 1 3 4 4: ¼ ¾ → ¼ (ln 2 + ln 1.5).
    worked = 0.25 * (math.log(2) + math.log(1.5))
    ref = numeric_reference([1, 2, 3, 4], bins=2)
    counts = bin_counts(pd.Series([1.0, 3.0, 4.0, 4.0]), ref["edges"])
    assert psi_from_counts(ref, counts) == pytest.approx(worked)
    assert metrics.psi([1, 2, 3, 4], [1, 3, 4, 4], bins=2) == pytest.approx(worked)
    assert psi_from_counts(ref, [0, 0, 0]) is None


def test_segments_keep_each_values_share_and_pool_the_rest() -> None:
    ref = categorical_reference(["a", "a", "b", "b"])
    assert ref["values"] == ["a", "b"] and ref["shares"] == [0.5, 0.5] and ref["other"] == 0.0
    # Actual a b b b: ¼ ¾ against ½ ½, nothing other.
    worked = 0.25 * (math.log(2) + math.log(1.5))
    assert psi_from_counts(ref, [1, 3, 0]) == pytest.approx(worked)


def test_a_card_keeps_the_scores_and_every_feature_and_old_cards_have_none() -> None:
    frame = pd.DataFrame({"dpd": [0, 0, 10, 40], "product": ["x", "y", "x", "x"]})
    ref = build_reference([0.1, 0.2, 0.3, 0.4], frame, ["dpd"], ["product"])
    assert ref["rows"] == 4
    assert len(ref["score"]["edges"]) == 9 and sum(ref["score"]["shares"]) == pytest.approx(1)
    assert ref["features"]["product"]["values"] == ["x", "y"]
    assert of_card({"reference": ref}) is ref
    assert of_card({"version": "ew-0001"}) is None
