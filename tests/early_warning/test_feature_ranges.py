"""The early-warning feature statement (warehouse/marts/ew_features.py) as PostgreSQL must be able
to plan it: source tables filtered by date ranges on their own columns, and amounts summed exactly,
so that a plan's order of adding months cannot change a value."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from tests.early_warning.books import features
from tests.warehouse.book import Book
from warehouse.marts.ew_features import feature_statement
from warehouse.months import in_months, month_idx, month_start_of


def test_a_month_range_runs_from_its_first_day_to_the_first_day_of_the_next_month() -> None:
    aug, dec = month_idx(date(2024, 8, 31)), month_idx(date(2024, 12, 1))
    assert (month_start_of(aug), month_start_of(aug + 1)) == (date(2024, 8, 1), date(2024, 9, 1))
    assert month_start_of(dec + 1) == date(2025, 1, 1)
    stamp = sa.column("at", sa.DateTime)
    sql = str(
        in_months(stamp, aug - 2, aug).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    # Half-open: 08-31 23:59 is in, 09-01 00:00 out (the hand book's IoT events at those times
    # are counted and not counted: tests/early_warning/test_features.py).
    assert sql == "at >= '2024-06-01' AND at < '2024-09-01'"
    # Months before year 1 (the build hashes `feature_statement(0, 0)`) hold no date: empty.
    before = in_months(stamp, -11, 0).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    assert str(before) == "at >= '0001-01-01' AND at < '0001-01-01'"


def test_no_source_table_is_filtered_by_the_month_index_of_a_date() -> None:
    sql = str(
        feature_statement(24_000, 24_005).compile(
            dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
        )
    )
    # month_index(column) BETWEEN lo AND hi: PostgreSQL can neither estimate nor index it.
    assert not re.search(r"EXTRACT\(month FROM [\w.]+\)\) - 1 AS INTEGER\) BETWEEN", sql)
    # The windows of month-ends Jan–Jun 2000 reach back to Feb 1999 (12 months).
    for table, column in (
        ("receipts", "received_date"),
        ("schedule", "due_date"),
        ("device_events", "event_time"),
        ("inspections", "inspection_date"),
        ("collections", "action_time"),
        ("warning_signals", "signal_date"),
    ):
        assert f"{table}.{column} >= '1999-02-01' AND {table}.{column} < '2000-07-01'" in sql


def test_payment_ratio_is_exact_whatever_order_the_months_are_added_in(db_url: str) -> None:
    b = Book()
    # Due by July: 0.10 on 06-15 and 0.20 on 07-15 (1.00 on 08-15 keeps it open); paid 0.30 on
    # 07-15. As doubles 0.1 + 0.2 is 0.30000000000000004: a ratio of double sums 0.9999999999999998.
    due = [("2024-06-15", "0.10", "0"), ("2024-07-15", "0.20", "0"), ("2024-08-15", "1.00", "0")]
    b.contract("CX", "2024-05-15", due)
    b.pay("CX", "2024-07-15", "0.30")
    f = features(db_url, b, "2024-07-31", "2024-07-31")
    assert f.loc[("CX", date(2024, 7, 31)), "payment_ratio_6m"] == 1.0
