"""queries.migration on `migration_book` (docs/domain.md §7's example; figures in its docstring)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from queries import migration
from queries.filters import Filters
from tests.queries.books import Build, migration_book
from warehouse.months import month_idx

MARCH = Filters(as_of=date(2024, 3, 31))


def _cell(frame, begin: str, end: str, column: str = "balance"):
    hit = frame[(frame["begin_class"] == begin) & (frame["end_class"] == end)]
    assert len(hit) == 1
    return hit.iloc[0][column]


def test_official_normal_rate_is_the_domain_example(build: Build) -> None:
    """Year to date from 2023-12-31: beginning normal 10,000, 800 reduced, 900 of the remaining
    9,200 now special mention → 900 ÷ 9,200 = 9.78%."""
    engine = build(migration_book(), "2024-03-31")
    rates = migration.migration_rates(engine, MARCH, period="ytd", periods=1)
    row = rates.iloc[0]
    assert (row["begin"], row["end"]) == (date(2023, 12, 31), date(2024, 3, 31))
    assert row["normal_migration_rate_numerator"] == Decimal("900")
    assert row["normal_migration_rate_denominator"] == Decimal("9200")
    assert row["normal_migration_rate"] == Decimal(900) / Decimal(9200)
    assert round(row["normal_migration_rate"] * 100, 2) == Decimal("9.78")
    # Beginning special mention (P4) was written off: nothing left, so the rate is None.
    assert row["special_mention_migration_rate"] is None
    assert row["substandard_migration_rate"] is None
    assert row["doubtful_migration_rate"] is None
    # Normal + special mention now NPL: 0 ÷ 9,200 = 0 (a real zero, the denominator is not 0).
    assert row["performing_migration_rate"] == 0


def test_g12_matrix_year_to_date(build: Build) -> None:
    """Rows by 2023-12-31 class: normal → normal 8,300, special_mention 900, reduced 800;
    special_mention (P4 600) → reduced 600; new business: normal 1,000 (P3). P5 started and
    closed inside the period: in no cell. Column totals: normal 9,300, special_mention 900."""
    engine = build(migration_book(), "2024-03-31")
    frame = migration.migration_matrix(engine, MARCH, period="ytd")
    assert _cell(frame, "normal", "normal") == Decimal("8300")
    assert _cell(frame, "normal", "special_mention") == Decimal("900")
    assert _cell(frame, "normal", "reduced") == Decimal("800")
    assert _cell(frame, "normal", "normal", "begin_balance") == Decimal("10000")
    assert _cell(frame, "normal", "normal", "contracts") == 1
    assert _cell(frame, "normal", "reduced", "contracts") == 0
    assert _cell(frame, "special_mention", "reduced") == Decimal("600")
    assert _cell(frame, "special_mention", "reduced", "contracts") == 1
    assert _cell(frame, "new_business", "normal") == Decimal("1000")
    assert _cell(frame, "normal", "special_mention", "row_share") == Decimal("0.09")
    assert _cell(frame, "new_business", "normal", "row_share") is None
    ends = frame[frame["end_class"] != "reduced"].groupby("end_class")["balance"].sum()
    assert ends["normal"] == Decimal("9300")
    assert ends["special_mention"] == Decimal("900")
    assert sum(ends[c] for c in ("substandard", "doubtful", "loss")) == 0
    assert len(frame) == 6 * 5 + 5  # five cohort rows × (5 classes + reduced) + new business


def test_g12_matrix_month_period(build: Build) -> None:
    """From 2024-02-29: normal = P1 8,300 + P3 1,000 + P5 500; P5 closes → reduced 500.
    special_mention = P2 900 → special_mention. substandard = P4 600 → written off, reduced."""
    engine = build(migration_book(), "2024-03-31")
    frame = migration.migration_matrix(engine, MARCH, period="month")
    assert _cell(frame, "normal", "normal") == Decimal("9300")
    assert _cell(frame, "normal", "reduced") == Decimal("500")
    assert _cell(frame, "special_mention", "special_mention") == Decimal("900")
    assert _cell(frame, "substandard", "reduced") == Decimal("600")
    assert sum(frame[frame["begin_class"] == "new_business"]["balance"]) == 0


def test_official_rates_as_a_monthly_series(build: Build) -> None:
    """Jan (from Dec): nothing worsens → normal 0 ÷ 9,600, special mention 0 ÷ 600.
    Feb (from Jan): P2 900 → special mention: 900 ÷ (8,300 + 900 + 500); P4 600 → substandard:
    special mention 600 ÷ 600 = 1; performing 600 ÷ 10,300. Mar (from Feb): normal 0 ÷ 9,300;
    special mention 0 ÷ 900; substandard (P4 written off) None."""
    engine = build(migration_book(), "2024-03-31")
    rates = migration.migration_rates(engine, MARCH, period="month", periods=3)
    assert [r.month for r in rates["end"]] == [1, 2, 3]
    jan, feb, mar = rates.to_dict("records")
    assert (jan["normal_migration_rate"], jan["normal_migration_rate_denominator"]) == (0, 9600)
    assert jan["special_mention_migration_rate"] == 0
    assert feb["normal_migration_rate"] == Decimal(900) / Decimal(9700)
    assert feb["special_mention_migration_rate"] == 1
    assert feb["performing_migration_rate"] == Decimal(600) / Decimal(10300)
    assert (mar["normal_migration_rate"], mar["special_mention_migration_rate"]) == (0, 0)
    assert mar["substandard_migration_rate"] is None


def test_roll_rates_between_consecutive_month_ends(build: Build) -> None:
    """Feb 29 → Mar 31. M0 (P1 8,300, P3 1,000, P5 500): 9,300 stay M0, P5 500 closes →
    shares 9,300 ÷ 9,800 and 500 ÷ 9,800 (counts 2 ÷ 3, 1 ÷ 3). M1 (P2, DPD 14) → M2 (DPD 45).
    M4 (P4, DPD 111) → written off. Empty source buckets have None shares."""
    engine = build(migration_book(), "2024-03-31")
    frame = migration.roll_rates(engine, MARCH)
    assert len(frame) == 8 * 10
    cells = {
        (r["from_bucket"], r["to_bucket"]): r for r in frame.to_dict("records") if r["contracts"]
    }
    assert set(cells) == {("M0", "M0"), ("M0", "closed"), ("M1", "M2"), ("M4", "written_off")}
    assert cells["M0", "M0"]["balance_share"] == Decimal(9300) / Decimal(9800)
    assert cells["M0", "closed"]["balance_share"] == Decimal(500) / Decimal(9800)
    assert cells["M0", "closed"]["count_share"] == Decimal(1) / Decimal(3)
    assert cells["M0", "closed"]["balance_at_t"] == 0
    assert cells["M1", "M2"]["balance_share"] == 1
    assert cells["M4", "written_off"]["balance"] == Decimal("600")
    m7 = frame[frame["from_bucket"] == "M7+"]
    assert all(v is None for v in m7["balance_share"])


def test_filters_restrict_the_cohort(build: Build) -> None:
    """Cohort up to 2023-11: P1, P2 (and P4 from 2023-09); P3's new business and P5 go."""
    engine = build(migration_book(), "2024-03-31")
    only_old = Filters(as_of=MARCH.as_of, cohort_to=date(2023, 11, 30))
    frame = migration.migration_matrix(engine, only_old, period="ytd")
    assert sum(frame[frame["begin_class"] == "new_business"]["balance"]) == 0
    assert _cell(frame, "normal", "special_mention") == Decimal("900")


@pytest.mark.parametrize(
    ("as_of", "period", "begin"),
    [
        (date(2024, 5, 31), "month", date(2024, 4, 30)),
        (date(2024, 5, 31), "quarter", date(2024, 3, 31)),
        (date(2024, 6, 30), "quarter", date(2024, 3, 31)),
        (date(2024, 4, 30), "quarter", date(2024, 3, 31)),
        (date(2024, 5, 31), "ytd", date(2023, 12, 31)),
        (date(2024, 1, 31), "ytd", date(2023, 12, 31)),
        (date(2024, 12, 31), "ytd", date(2023, 12, 31)),
    ],
)
def test_period_beginnings(as_of: date, period: str, begin: date) -> None:
    """Quarter = quarter to date; ytd starts at the prior 31 December."""
    assert migration.period_begin(month_idx(as_of), period) == month_idx(begin)
