"""The build's `migration_segment_month`, `roll_segment_month`, `concentration_month`,
`vintage_total_month` and `vintage_dimension_month` hold contract_month's figures, and the
queries reading them answer as the finer tables do.

Worked by hand from `migration_book` (with P2 moved to branch BJ), `exposure_book` and
`vintage_book` (see their docstrings in tests/queries/books.py); each test runs on DuckDB and
PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa

from queries import exposures, migration, tiers, vintage
from queries.execute import fetch_frame
from queries.filters import Filters
from queries.vintage_compare import segment_curves
from tests.queries.books import Build, exposure_book, migration_book, vintage_book
from tests.warehouse.book import Book
from warehouse.months import month_end_of, month_idx
from warehouse.schema import (
    concentration_month,
    migration_segment_month,
    roll_segment_month,
    vintage_dimension_month,
    vintage_total_month,
)

MARCH = date(2024, 3, 31)


@pytest.fixture
def build(build_kept_open: Build) -> Build:
    """Every test here runs tens to hundreds of queries on one book: on DuckDB, one connection
    kept open instead of the file opened again for each query."""
    return build_kept_open


def _branch_book() -> Book:
    """migration_book with P2 (900, normal at 2023-12-31, special mention at 2024-03-31) in BJ;
    every other contract stays in SH."""
    book = migration_book()
    next(c for c in book.contracts if c["contract_id"] == "P2")["branch"] = "BJ"
    return book


def _cells(engine, period: str, end: date) -> set[tuple]:
    m = migration_segment_month
    stmt = sa.select(
        m.c.branch, m.c.begin_class, m.c.end_class, m.c.contracts, m.c.begin_balance, m.c.balance
    ).where(m.c.period == period, m.c.month_idx == month_idx(end))
    rows = fetch_frame(engine, stmt).astype(object).to_dict("records")
    return {
        (
            r["branch"],
            r["begin_class"],
            None if pd.isna(r["end_class"]) else r["end_class"],
            int(r["contracts"]),
            Decimal(r["begin_balance"]),
            Decimal(r["balance"]),
        )
        for r in rows
    }


def test_migration_by_segment_year_to_date(build: Build) -> None:
    """From 2023-12-31 to 2024-03-31. SH: P1 normal 9,100 → normal 8,300; P4 special mention
    600 → written off (end class NULL, balance 0). BJ: P2 normal 900 → special mention 900.
    P3 and P5 were not open at the beginning: no cell. The sums over branches are the whole
    book's cells (normal 10,000 → 8,300 + 900)."""
    engine = build(_branch_book(), "2024-03-31")
    assert _cells(engine, "ytd", MARCH) == {
        ("SH", "normal", "normal", 1, Decimal(9100), Decimal(8300)),
        ("SH", "special_mention", None, 1, Decimal(600), Decimal(0)),
        ("BJ", "normal", "special_mention", 1, Decimal(900), Decimal(900)),
    }


def test_migration_by_segment_month(build: Build) -> None:
    """From 2024-02-29: SH normal = P1 8,300 + P3 1,000 (stay normal) + P5 500 (closes: NULL);
    SH substandard P4 600 → written off (NULL); BJ special mention P2 900 stays."""
    engine = build(_branch_book(), "2024-03-31")
    assert _cells(engine, "month", MARCH) == {
        ("SH", "normal", "normal", 2, Decimal(9300), Decimal(9300)),
        ("SH", "normal", None, 1, Decimal(500), Decimal(0)),
        ("SH", "substandard", None, 1, Decimal(600), Decimal(0)),
        ("BJ", "special_mention", "special_mention", 1, Decimal(900), Decimal(900)),
    }


def test_roll_by_segment(build: Build) -> None:
    """2024-02-29 → 03-31. SH: M0 P1 8,300 + P3 1,000 stay M0; M0 P5 500 closes (0 at t);
    M4 P4 600 is written off. BJ: M1 P2 900 (DPD 14) → M2 (DPD 45), still 900 at t."""
    engine = build(_branch_book(), "2024-03-31")
    r = roll_segment_month
    stmt = sa.select(
        r.c.branch, r.c.from_bucket, r.c.to_bucket, r.c.contracts, r.c.balance, r.c.balance_at_t
    ).where(r.c.month_idx == month_idx(MARCH))
    rows = {
        (b, f, t, int(n), Decimal(x), Decimal(y))
        for b, f, t, n, x, y in fetch_frame(engine, stmt).itertuples(index=False)
    }
    assert rows == {
        ("SH", "M0", "M0", 2, Decimal(9300), Decimal(9300)),
        ("SH", "M0", "closed", 1, Decimal(500), Decimal(0)),
        ("SH", "M4", "written_off", 1, Decimal(600), Decimal(0)),
        ("BJ", "M1", "M2", 1, Decimal(900), Decimal(900)),
    }
    bj = migration.roll_rates(engine, Filters(as_of=MARCH, scope=("BJ",)))
    moved = bj[bj["contracts"] != 0]
    assert list(zip(moved["from_bucket"], moved["to_bucket"], strict=True)) == [("M1", "M2")]
    assert moved.iloc[0]["balance_share"] == 1


def test_filtered_rates_and_matrix_come_from_the_segment_summary(build: Build) -> None:
    """Year to date, branch BJ: normal 900 → special mention 900: normal rate 900 ÷ 900 = 1,
    no new business. Branch SH: normal 0 ÷ 8,300 = 0; new business P3 normal 1,000. A branch
    scope of BJ answers like the BJ filter."""
    engine = build(_branch_book(), "2024-03-31")
    assert tiers.migration_table(Filters(as_of=MARCH, branch=("BJ",))) is migration_segment_month
    bj = migration.migration_rates(engine, Filters(as_of=MARCH, branch=("BJ",)), "ytd", 1)
    assert bj.iloc[0]["normal_migration_rate"] == 1
    assert bj.iloc[0]["normal_migration_rate_denominator"] == Decimal(900)
    sh = migration.migration_rates(engine, Filters(as_of=MARCH, branch=("SH",)), "ytd", 1)
    assert sh.iloc[0]["normal_migration_rate"] == 0
    assert sh.iloc[0]["normal_migration_rate_denominator"] == Decimal(8300)
    matrix = migration.migration_matrix(engine, Filters(as_of=MARCH, branch=("SH",)), "ytd")
    fresh = matrix[matrix["begin_class"] == "new_business"]
    assert dict(zip(fresh["end_class"], fresh["balance"], strict=True))["normal"] == 1000
    scoped = migration.migration_matrix(engine, Filters(as_of=MARCH, scope=("BJ",)), "ytd")
    assert sum(scoped[scoped["begin_class"] == "new_business"]["balance"]) == 0
    row = scoped[(scoped["begin_class"] == "normal") & (scoped["end_class"] == "special_mention")]
    assert row.iloc[0]["balance"] == Decimal(900)


@pytest.mark.parametrize(
    "filters",
    [
        {"branch": ("BJ",)},
        {"branch": ("SH",)},
        {"scope": ("SH",)},
        {"scope": ()},
        {"product": ("direct_lease",), "region": ("310000",)},
    ],
)
def test_segment_summary_answers_like_contract_month(
    build: Build, filters: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every period and month-end: the matrix, the rates and the roll rates equal the
    contract-by-contract join."""
    engine = build(_branch_book(), "2024-03-31")
    for idx in range(month_idx(date(2023, 11, 30)), month_idx(MARCH) + 1):
        f = Filters(as_of=month_end_of(idx), **filters)
        for period in migration.PERIODS:
            coarse = (
                migration.migration_matrix(engine, f, period),
                migration.migration_rates(engine, f, period, 3),
                migration.roll_rates(engine, f),
            )
            monkeypatch.setattr(tiers, "USE_SUMMARIES", False)
            fine = (
                migration.migration_matrix(engine, f, period),
                migration.migration_rates(engine, f, period, 3),
                migration.roll_rates(engine, f),
            )
            monkeypatch.setattr(tiers, "USE_SUMMARIES", True)
            for a, b in zip(coarse, fine, strict=True):
                pd.testing.assert_frame_equal(a, b, check_dtype=False)


def _ranking(engine, month_end: date) -> set[tuple]:
    c = concentration_month
    stmt = sa.select(c.c.kind, c.c.place, c.c.key, c.c.name, c.c.lessees, c.c.outstanding)
    rows = fetch_frame(engine, stmt.where(c.c.month_idx == month_idx(month_end)))
    return {
        tuple(None if pd.isna(v) else v for v in r)
        for r in rows.astype(object).itertuples(index=False)
    }


def test_concentration_ranking_per_month_end(build: Build) -> None:
    """June: X 3,500 (corporate, named), Y 1,000 (named), Z 500 (individual: no name); group G1
    = X + Y = 4,500 over 2 lessees; related party X alone, total 3,500 over 1 lessee. May: X2
    (700, lessee X) is not yet written off: X 4,200, G1 5,200, related total 4,200."""
    engine = build(exposure_book(), "2024-06-30")
    assert _ranking(engine, date(2024, 6, 30)) == {
        ("lessee", 1, "X", "name X", 1, Decimal(3500)),
        ("lessee", 2, "Y", "name Y", 1, Decimal(1000)),
        ("lessee", 3, "Z", None, 1, Decimal(500)),
        ("group", 1, "G1", None, 2, Decimal(4500)),
        ("related_party", 1, "X", "name X", 1, Decimal(3500)),
        ("related_parties_total", 1, None, None, 1, Decimal(3500)),
    }
    may = _ranking(engine, date(2024, 5, 31))
    assert ("lessee", 1, "X", "name X", 1, Decimal(4200)) in may
    assert ("group", 1, "G1", None, 2, Decimal(5200)) in may
    assert ("related_parties_total", 1, None, None, 1, Decimal(4200)) in may


def test_concentration_from_the_ranking_equals_the_live_query(
    build: Build, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every month-end, top 1 and top 10: the same rows as grouping contract_month at the as-of
    (top 1 = X 3,500 in June, G1, related X and the related total)."""
    engine = build(exposure_book(), "2024-06-30")
    june = exposures.concentration(engine, Filters(as_of=date(2024, 6, 30)), top=1)
    assert list(zip(june["kind"], june["key"], strict=True)) == [
        ("lessee", "X"),
        ("group", "G1"),
        ("related_party", "X"),
        ("related_parties_total", None),
    ]
    for idx in range(month_idx(date(2023, 12, 31)), month_idx(date(2024, 6, 30)) + 1):
        f = Filters(as_of=month_end_of(idx))
        for top in (1, 10):
            coarse = exposures.concentration(engine, f, top, entity="financing_lease")
            monkeypatch.setattr(tiers, "USE_SUMMARIES", False)
            fine = exposures.concentration(engine, f, top, entity="financing_lease")
            monkeypatch.setattr(tiers, "USE_SUMMARIES", True)
            pd.testing.assert_frame_equal(coarse, fine, check_dtype=False)


_VINTAGE = (
    "cohort_contracts",
    "cohort_principal",
    "ever30_principal",
    "ever90_principal",
    "current30_outstanding",
    "current90_outstanding",
    "writeoff_amount",
)
# vintage_book's cells, (cohort month, MOB) -> the measures above, worked from its docstring:
# MOB 0 counts each cohort; V1 first DPD > 30 at Jan MOB 2 (1,000 open); V4 at Feb MOB 1, DPD
# 65 at MOB 2, first DPD > 90 at MOB 3, closed at MOB 4 (no event); V3 (loan) first DPD > 30 at
# Mar MOB 2, written off at MOB 3 (2,000; a written-off row is not current 30+). Current 90+:
# V4 at DPD 96 (Feb MOB 3) only.
_CELLS = {
    (1, 0): (2, 4000, 0, 0, 0, 0, 0),
    (1, 2): (0, 0, 1000, 0, 1000, 0, 0),
    (2, 0): (1, 1000, 0, 0, 0, 0, 0),
    (2, 1): (0, 0, 1000, 0, 1000, 0, 0),
    (2, 2): (0, 0, 0, 0, 1000, 0, 0),
    (2, 3): (0, 0, 0, 1000, 1000, 1000, 0),
    (3, 0): (1, 2000, 0, 0, 0, 0, 0),
    (3, 2): (0, 0, 2000, 0, 2000, 0, 0),
    (3, 3): (0, 0, 0, 0, 0, 0, 2000),
}


def _vintage_rows(engine, table, *where) -> dict[tuple, tuple]:
    stmt = sa.select(table.c.cohort_month, table.c.mob, *(table.c[c] for c in _VINTAGE))
    frame = fetch_frame(engine, stmt.where(*where)).astype(object)
    return {
        (r[0].month, int(r[1])): tuple(Decimal(v) for v in r[2:])
        for r in frame.itertuples(index=False)
    }


def test_vintage_total_cells(build: Build) -> None:
    """The whole book's cells: nine (cohort, MOB) cells with an event, as worked above."""
    engine = build(vintage_book(), "2024-06-30")
    expected = {k: tuple(Decimal(v) for v in vals) for k, vals in _CELLS.items()}
    assert _vintage_rows(engine, vintage_total_month) == expected


def test_vintage_cells_per_dimension(build: Build) -> None:
    """product: direct_lease holds the January and February cohorts' cells, loan March's. Every
    other dimension has one value here (all contracts share it), so its cells are the total's."""
    engine = build(vintage_book(), "2024-06-30")
    d = vintage_dimension_month
    expected = {k: tuple(Decimal(v) for v in vals) for k, vals in _CELLS.items()}
    lease = _vintage_rows(engine, d, d.c.dimension == "product", d.c.value == "direct_lease")
    loan = _vintage_rows(engine, d, d.c.dimension == "product", d.c.value == "loan")
    assert lease == {k: v for k, v in expected.items() if k[0] in (1, 2)}
    assert loan == {k: v for k, v in expected.items() if k[0] == 3}
    for name, value in (("branch", "SH"), ("region", "310000"), ("lessee_type", "individual")):
        assert _vintage_rows(engine, d, d.c.dimension == name, d.c.value == value) == expected


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"product": ("loan",)},
        {"product": ("direct_lease", "loan")},
        {"region": ("310000",)},
        {"scope": ("SH",)},
        {"scope": ()},
        {"cohort_from": date(2024, 2, 29)},
    ],
)
def test_vintage_summaries_answer_like_vintage_month(
    build: Build, filters: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every month-end, both grains, every metric: triangles and segment curves as from
    `vintage_month`."""
    engine = build(vintage_book(), "2024-06-30")
    for idx in range(month_idx(date(2024, 1, 31)), month_idx(date(2024, 6, 30)) + 1):
        f = Filters(as_of=month_end_of(idx), **filters)
        answers = []
        for use in (True, False):
            monkeypatch.setattr(tiers, "USE_SUMMARIES", use)
            answers.append(
                [vintage.vintage(engine, f, grain) for grain in vintage.GRAINS]
                + [segment_curves(engine, f, "product", metric) for metric in vintage.RATES]
            )
        for a, b in zip(*answers, strict=True):
            pd.testing.assert_frame_equal(a, b, check_dtype=False)
