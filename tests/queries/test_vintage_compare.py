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
import sqlalchemy as sa

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


def test_per_mob_and_write_off_metrics(build: Build) -> None:
    """Current 30+ is per MOB, not cumulative. direct_lease: MOB 1 V4 1,000 ÷ 5,000 = 20%;
    MOB 2 V1 1,000 + V4 1,000 = 40%; MOB 3 V4 (DPD 96) 20% (V1 closed); MOB 4 V4 closed: 0;
    MOB 5 0 ÷ 4,000 = 0. Current 90+ only at MOB 3: V4 (DPD 96) 1,000 ÷ 5,000 = 20%; loan: V3's
    DPD 51 / 81 is under 90 and its June row is written off, so 0 up to MOB 3. Write-off, loan:
    V3 2,000 written off at MOB 3 (June) → 0, 0, 0, 100%, then None; direct_lease never writes
    off: 0 at every mature MOB."""
    engine = build(vintage_book(), "2024-06-30")
    d = Decimal
    current = segment_curves(engine, JUNE, "product", "current30_rate")
    assert _rates(current, "direct_lease") == [0, d("0.2"), d("0.4"), d("0.2"), 0, 0]
    current90 = segment_curves(engine, JUNE, "product", "current90_rate")
    assert _rates(current90, "direct_lease") == [0, 0, 0, d("0.2"), 0, 0]
    assert _rates(current90, "loan") == [0, 0, 0, 0, None, None]
    written = segment_curves(engine, JUNE, "product", "writeoff_rate")
    assert _rates(written, "loan") == [0, 0, 0, 1, None, None]
    assert _rates(written, "direct_lease") == [0] * 6
    loan = written[written["segment"] == "loan"].sort_values("mob")
    assert list(loan["cohort_principal"])[3:] == [2000, 0, 0]
    assert list(loan["amount"])[3:] == [2000, None, None]


def test_one_statement_for_every_segment_value(build: Build) -> None:
    """Chosen in the filters, any number of values is one grouped statement (not one per value);
    unchosen, two more find the largest values and the sidebar's choices."""
    engine = build(vintage_book(), "2024-06-30")
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    both = Filters(as_of=date(2024, 6, 30), product=("direct_lease", "loan"))
    frame = segment_curves(engine, both, "product")
    assert (len(statements), set(frame["segment"])) == (1, {"direct_lease", "loan"})
    statements.clear()
    segment_curves(engine, JUNE, "product")
    assert len(statements) == 3
