"""queries.vintage on the hand-worked `vintage_book` (as of 2024-06-30, see its docstring)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from queries import vintage
from queries.filters import Filters
from tests.queries.books import Build, portfolio_book, vintage_book

JUNE = Filters(as_of=date(2024, 6, 30))


def _cells(frame, cohort: str, column: str) -> list:
    rows = frame[frame["cohort"] == cohort].sort_values("mob")
    return list(rows[column])


def test_ever_30_is_carried_past_a_contract_closing(build: Build) -> None:
    """Cohort 2024-01 (4,000): V1 (1,000) is DPD 45 at MOB 2 and closes at MOB 3; its ever-30
    status stays for MOB 3-5 → 0, 0, 0.25, 0.25, 0.25, 0.25. Current 30+ only at MOB 2; no
    contract of the cohort is ever DPD > 90, so current 90+ is 0 at every MOB."""
    engine = build(vintage_book(), "2024-06-30")
    frame = vintage.vintage(engine, JUNE)
    q = Decimal("0.25")
    assert _cells(frame, "2024-01", "cohort_principal")[0] == Decimal("4000")
    assert _cells(frame, "2024-01", "ever30_rate") == [0, 0, q, q, q, q]
    assert _cells(frame, "2024-01", "ever90_rate") == [0] * 6
    assert _cells(frame, "2024-01", "current30_rate") == [0, 0, q, 0, 0, 0]
    assert _cells(frame, "2024-01", "current90_rate") == [0] * 6


def test_ever_90_and_a_cohort_that_closed(build: Build) -> None:
    """Cohort 2024-02 (V4, 1,000): DPD 35 at MOB 1, 96 at MOB 3, closed at MOB 4 (June).
    ever30 = 0, 1, 1, 1, 1; ever90 = 0, 0, 0, 1, 1 — the closed MOB 4 stays computable;
    current30 = 0, 1, 1, 1, 0; current90 = 0, 0, 0, 1, 0 (DPD 96 at MOB 3 only, 1,000 ÷ 1,000);
    MOB 5 is immature (None)."""
    engine = build(vintage_book(), "2024-06-30")
    frame = vintage.vintage(engine, JUNE)
    assert _cells(frame, "2024-02", "ever30_rate") == [0, 1, 1, 1, 1, None]
    assert _cells(frame, "2024-02", "ever90_rate") == [0, 0, 0, 1, 1, None]
    assert _cells(frame, "2024-02", "current30_rate") == [0, 1, 1, 1, 0, None]
    assert _cells(frame, "2024-02", "current90_rate") == [0, 0, 0, 1, 0, None]


def test_immature_cells_are_empty(build: Build) -> None:
    """Cohort 2024-03 at 2024-06-30 has reached MOB 3: MOB 4 and 5 are None, never 0."""
    engine = build(vintage_book(), "2024-06-30")
    frame = vintage.vintage(engine, JUNE)
    march = frame[frame["cohort"] == "2024-03"].sort_values("mob")
    assert list(march["mature"]) == [True, True, True, True, False, False]
    for column in (
        "ever30_rate",
        "ever90_rate",
        "current30_rate",
        "current90_rate",
        "writeoff_rate",
        "ever30_principal",
        "current90_outstanding",
    ):
        assert list(march[column])[4:] == [None, None], column
    # The triangle: one row per cohort, MOB 0-5 columns.
    triangle = vintage.triangle(vintage.vintage(engine, JUNE), "ever30_rate")
    assert list(triangle.index) == ["2024-01", "2024-02", "2024-03"]
    assert (
        triangle.loc["2024-03", 5] is None
        or triangle.loc["2024-03", 5] != triangle.loc["2024-03", 5]
    )


def test_write_off_rate_and_written_off_row_leaves_current_balance(build: Build) -> None:
    """Cohort 2024-03 (V3, 2,000): DPD 51 at MOB 2 → ever30 1 from MOB 2; written off at MOB 3
    for 2,000 → write-off rate 0, 0, 0, 1; current30 1 at MOB 2, 0 at MOB 3 (written off)."""
    engine = build(vintage_book(), "2024-06-30")
    frame = vintage.vintage(engine, JUNE)
    assert _cells(frame, "2024-03", "ever30_rate")[:4] == [0, 0, 1, 1]
    assert _cells(frame, "2024-03", "writeoff_rate")[:4] == [0, 0, 0, 1]
    assert _cells(frame, "2024-03", "current30_rate")[:4] == [0, 0, 1, 0]


def test_quarter_cohorts_use_each_contracts_own_mob(build: Build) -> None:
    """2024Q1 = all four (7,000). A cell is mature when March + MOB ≤ June: MOB 0-3.
    ever30: MOB 1 V4 1,000; MOB 2 + V1 1,000 + V3 2,000 = 4,000; MOB 3 4,000.
    ever90: MOB 3 V4 1,000. current30: MOB 1 1,000 (V4); MOB 2 V1 + V3 + V4 = 4,000;
    MOB 3 V4 only (V1 closed, V3 written off) = 1,000. current90: MOB 3 V4 (DPD 96) = 1,000
    (V3's DPD 81 is under 90). Write-off at MOB 3: 2,000."""
    engine = build(vintage_book(), "2024-06-30")
    frame = vintage.vintage(engine, JUNE, grain="quarter")
    assert set(frame["cohort"]) == {"2024Q1"}
    s = Decimal(7000)
    assert _cells(frame, "2024Q1", "ever30_rate") == [0, 1000 / s, 4000 / s, 4000 / s, None, None]
    assert _cells(frame, "2024Q1", "ever90_rate")[:4] == [0, 0, 0, 1000 / s]
    assert _cells(frame, "2024Q1", "current30_rate")[:4] == [0, 1000 / s, 4000 / s, 1000 / s]
    assert _cells(frame, "2024Q1", "current90_rate")[:4] == [0, 0, 0, 1000 / s]
    assert _cells(frame, "2024Q1", "writeoff_rate")[:4] == [0, 0, 0, 2000 / s]


def test_filters_select_cohorts_and_segments(build: Build) -> None:
    """product = loan keeps cohort 2024-03 (V3) only; cohort_to 2024-02 drops it."""
    engine = build(vintage_book(), "2024-06-30")
    loan = vintage.vintage(engine, Filters(as_of=JUNE.as_of, product=("loan",)))
    assert set(loan["cohort"]) == {"2024-03"}
    early = vintage.vintage(engine, Filters(as_of=JUNE.as_of, cohort_to=date(2024, 2, 29)))
    assert set(early["cohort"]) == {"2024-01", "2024-02"}
    # As of April, V4's 96 DPD (May) has not happened: ever90 of 2024-02 is 0 up to MOB 2.
    april = vintage.vintage(engine, Filters(as_of=date(2024, 4, 30)))
    assert _cells(april, "2024-02", "ever90_rate") == [0, 0, 0, None]


def test_current_90_balance_rate_leaves_written_off_rows(build: Build) -> None:
    """portfolio_book, cohort 2024-01 = A 6,000 + B 12,000 = 18,000 (as of 2024-06-30).
    A: 5,000 outstanding from February, DPD 21, 51, 82, 112 (Mar-Jun, MOB 2-5). B: 12,000, DPD
    40, 70, 101 (Mar-May, MOB 2-4), written off in June at DPD 131.
    current90: MOB 4 B 12,000 ÷ 18,000; MOB 5 A 5,000 ÷ 18,000 (B's written-off row is out).
    current30: MOB 2 B 12,000; MOB 3-4 A + B = 17,000; MOB 5 A 5,000."""
    engine = build(portfolio_book(), "2024-06-30")
    frame = vintage.vintage(engine, JUNE)
    s = Decimal(18000)
    assert _cells(frame, "2024-01", "cohort_principal")[0] == s
    assert _cells(frame, "2024-01", "current90_outstanding") == [0, 0, 0, 0, 12000, 5000]
    assert _cells(frame, "2024-01", "current90_rate") == [0, 0, 0, 0, 12000 / s, 5000 / s]
    assert _cells(frame, "2024-01", "current30_rate") == [
        0,
        0,
        12000 / s,
        17000 / s,
        17000 / s,
        5000 / s,
    ]
    triangle = vintage.triangle(vintage.vintage(engine, JUNE), "current90_rate")
    assert list(triangle.loc["2024-01"]) == [0, 0, 0, 0, 12000 / s, 5000 / s]


def test_a_cohort_point_lists_the_cohort_contracts_on_the_book_at_that_mob(build: Build) -> None:
    """Cohort 2024-01 = V1 and V2. MOB 2 (March): both on the book, V2 (3,000 outstanding)
    before V1 (500 left, DPD 45). MOB 4 (May): V1 closed at MOB 3 and has no row → V2 alone.
    Cohort 2024Q1 at MOB 3 (each at its own MOB): V1 (April, its closing row), V4 (May),
    V3 (June, the written-off row) and V2 (April) → 4."""
    engine = build(vintage_book(), "2024-06-30")
    march = vintage.cohort_contracts(engine, JUNE, "2024-01", 2)
    assert list(march["contract_id"]) == ["V2", "V1"]
    assert list(march["total_rows"]) == [2, 2]
    assert list(march["dpd"]) == [0, 45]
    assert list(march["month_end"]) == [date(2024, 3, 31)] * 2
    may = vintage.cohort_contracts(engine, JUNE, "2024-01", 4)
    assert list(may["contract_id"]) == ["V2"]
    quarter = vintage.cohort_contracts(engine, JUNE, "2024Q1", 3)
    assert sorted(quarter["contract_id"]) == ["V1", "V2", "V3", "V4"]
    months = dict(zip(quarter["contract_id"], quarter["month_end"], strict=True))
    assert months == {
        "V1": date(2024, 4, 30),
        "V2": date(2024, 4, 30),
        "V4": date(2024, 5, 31),
        "V3": date(2024, 6, 30),
    }


def test_a_cohort_point_keeps_the_segment_filter_and_refuses_forged_cohorts(build: Build) -> None:
    """Only V3 is a loan: cohort 2024Q1 at MOB 0 under product = loan → V3 alone; a cohort
    that is not YYYY-MM or YYYYQn is refused."""
    engine = build(vintage_book(), "2024-06-30")
    loans = Filters(as_of=date(2024, 6, 30), product=("loan",))
    assert list(vintage.cohort_contracts(engine, loans, "2024Q1", 0)["contract_id"]) == ["V3"]
    for forged in ("2024-13", "2024Q5", "x' OR 1=1 --", ""):
        with pytest.raises(ValueError, match="unknown vintage point"):
            vintage.cohort_contracts(engine, JUNE, forged, 0)
