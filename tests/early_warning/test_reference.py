"""The training reference stored in a model card (early_warning/reference.py): bins worked out by
hand, and PSI against it equal to PSI against the training rows themselves."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from early_warning import metrics
from early_warning.reference import (
    bin_codes,
    bin_counts,
    build_reference,
    categorical_reference,
    feature_bin_rows,
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


NUMERIC_REF = {"kind": "numeric", "edges": [1.0, 2.5], "shares": [0.3, 0.3, 0.4], "missing": 0.0}
SEGMENT_REF = {"kind": "categorical", "values": ["lease", "loan"], "shares": [0.6, 0.4], "other": 0}


def test_numeric_bins_are_closed_on_the_right_and_missing_is_the_last_bin() -> None:
    # edges 1.0 and 2.5: ≤ 1.0 → 0 (1.0 itself), (1.0, 2.5] → 1 (2.5 itself), above → 2,
    # missing → 3; Decimal values (PostgreSQL's numeric) as their float.
    values = pd.Series([-5, 1.0, 1.0000001, 2.5, 2.6, None, Decimal("2.5"), Decimal("0.1")])
    assert list(bin_codes(values, NUMERIC_REF)) == [0, 0, 1, 1, 2, 3, 1, 0]
    no_edges = {"kind": "numeric", "edges": [], "shares": [1.0], "missing": 0.0}
    assert list(bin_codes(pd.Series([3.0, None]), no_edges)) == [0, 1]


def test_segment_bins_are_the_listed_values_then_any_other_and_missing_in_none() -> None:
    values = pd.Series(["loan", "lease", "LEASE", "factoring", None, "loan"], dtype=object)
    # "LEASE" is not "lease" (compared as text): other, with factoring; None: no bin (-1).
    assert list(bin_codes(values, SEGMENT_REF)) == [1, 0, 2, 2, -1, 1]


def test_feature_rows_per_month_end_and_bin_list_every_bin() -> None:
    frame = pd.DataFrame(
        {
            "month_idx": [300, 300, 300, 301, 301],
            "dpd": [0.0, 2.5, None, 3.0, 1.0],
            "product": ["lease", None, "other", "loan", "loan"],
        }
    )
    refs = {"dpd": NUMERIC_REF, "product": SEGMENT_REF, "gone": NUMERIC_REF}
    counted = feature_bin_rows(frame, refs)
    cells = {(r.month_idx, r.feature, r.bin): r.rows for r in counted.itertuples()}
    # month 300: dpd 0.0 → 0, 2.5 → 1, None → 3; product lease → 0, None → none, other → 2.
    # month 301: dpd 3.0 → 2, 1.0 → 0; product loan twice → 1.
    assert cells == {
        (300, "dpd", 0): 1, (300, "dpd", 1): 1, (300, "dpd", 2): 0, (300, "dpd", 3): 1,
        (301, "dpd", 0): 1, (301, "dpd", 1): 0, (301, "dpd", 2): 1, (301, "dpd", 3): 0,
        (300, "product", 0): 1, (300, "product", 1): 0, (300, "product", 2): 1,
        (301, "product", 0): 0, (301, "product", 1): 2, (301, "product", 2): 0,
    }  # fmt: skip
    assert "gone" not in set(counted["feature"])  # a feature the frame lacks is left out
    assert feature_bin_rows(frame, {}).empty


def test_a_weighted_sample_is_binned_as_the_book_it_stands_for() -> None:
    # 1 2 3 4 weighing 3 1 1 1 and a missing value weighing 2 (8 in all): half the present
    # weight (3 of 6) is at 1, so the weighted median is 1; shares of weight 3/8 3/8, 2/8 missing.
    values = pd.Series([1.0, 2.0, 3.0, 4.0, None])
    ref = numeric_reference(values, bins=2, weight=np.array([3.0, 1.0, 1.0, 1.0, 2.0]))
    assert ref["edges"] == [1.0]
    assert ref["shares"] == [0.375, 0.375] and ref["missing"] == 0.25
    # Segments: a weighs 4 of 6, b 2 of 6 though b is the more frequent row.
    seg = categorical_reference(["a", "b", "b"], np.array([4.0, 1.0, 1.0]))
    assert seg["values"] == ["a", "b"]
    assert seg["shares"] == pytest.approx([2 / 3, 1 / 3]) and seg["other"] == 0.0
    frame = pd.DataFrame({"dpd": [0.0, 5.0], "product": ["x", "y"]})
    card = build_reference([0.1, 0.9], frame, ["dpd"], ["product"], np.array([1.0, 9.0]))
    assert card["rows"] == 2 and card["weighted_rows"] == 10.0
    assert card["features"]["product"]["values"] == ["y", "x"]
    assert card["features"]["product"]["shares"] == [0.9, 0.1]
