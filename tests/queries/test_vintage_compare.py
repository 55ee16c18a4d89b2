"""queries.vintage_compare on `vintage_book` (figures in tests/queries/books.py), both engines.

As of 2024-06-30, ever-30+ pooled by product:
- direct_lease: cohorts 2024-01 (V1 1,000 + V2 3,000; mature to MOB 5) and 2024-02 (V4 1,000;
  mature to MOB 4). V4 first DPD > 30 at MOB 1, V1 at MOB 2. MOB 0: 0 ÷ 5,000; MOB 1: 1,000 ÷
  5,000 = 20%; MOB 2–4: 2,000 ÷ 5,000 = 40%; MOB 5 (2024-01 only): 1,000 ÷ 4,000 = 25%.
- loan: cohort 2024-03 (V3 2,000; mature to MOB 3), DPD > 30 from MOB 2: 0, 0, 100%, 100%,
  then None (immature, never 0). V3 is written off, so nothing is open: it still has a curve.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from queries.filters import Filters
from queries.vintage_compare import segment_curves
from tests.queries.books import Build, vintage_book

JUNE = Filters(as_of=date(2024, 6, 30))


def _rates(frame, segment: str) -> list:
    part = frame[frame["segment"] == segment].sort_values("mob")
    return [None if r is None else Decimal(r) for r in part["rate"]][:6]


def test_pooled_curves_by_product(build: Build) -> None:
    engine = build(vintage_book(), "2024-06-30")
    frame = segment_curves(engine, JUNE, "product")
    assert set(frame["segment"]) == {"direct_lease", "loan"}
    d = Decimal
    assert _rates(frame, "direct_lease") == [0, d("0.2"), d("0.4"), d("0.4"), d("0.4"), d("0.25")]
    assert _rates(frame, "loan") == [0, 0, 1, 1, None, None]


def test_filter_values_choose_the_segments(build: Build) -> None:
    engine = build(vintage_book(), "2024-06-30")
    frame = segment_curves(engine, Filters(as_of=date(2024, 6, 30), product=("loan",)), "product")
    assert set(frame["segment"]) == {"loan"}


def test_unknown_dimension_or_metric_is_refused(build: Build) -> None:
    engine = build(vintage_book(), "2024-06-30")
    with pytest.raises(ValueError, match="by must be"):
        segment_curves(engine, JUNE, "cohort_month")
    with pytest.raises(ValueError, match="metric"):
        segment_curves(engine, JUNE, "product", metric="bogus")
