"""queries.overdue on the hand-worked `portfolio_book` (figures in its docstring)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from queries import overdue
from queries.filters import Filters
from tests.queries.books import Build, portfolio_book

APRIL = Filters(as_of=date(2024, 4, 30))
MAY = Filters(as_of=date(2024, 5, 31))


def test_bucket_distribution_over_time(build: Build) -> None:
    """April: A DPD 51 (M2, 5,000), B DPD 70 (M3, 12,000); C's closing row adds nothing.
    May: A DPD 82 (M3), B DPD 101 (M4). Every bucket of each month is listed."""
    engine = build(portfolio_book(), "2024-06-30")
    frame = overdue.bucket_distribution(engine, MAY, months=2)
    assert len(frame) == 2 * 8
    got = {
        (r["month_end"].month, r["dpd_bucket"]): (r["contracts"], r["outstanding"])
        for r in frame.to_dict("records")
        if r["contracts"]
    }
    assert got == {
        (4, "M2"): (1, Decimal("5000")),
        (4, "M3"): (1, Decimal("12000")),
        (5, "M3"): (1, Decimal("5000")),
        (5, "M4"): (1, Decimal("12000")),
    }
    may_m4 = frame[(frame["month_end"] == MAY.as_of) & (frame["dpd_bucket"] == "M4")].iloc[0]
    assert may_m4["balance_share"] == Decimal(12000) / Decimal(17000)
    assert may_m4["count_share"] == Decimal("0.5")
    assert may_m4["overdue_principal"] == Decimal("8000")
    assert may_m4["overdue_interest"] == Decimal("200")


def test_segment_rates_by_basis_and_threshold(build: Build) -> None:
    """April by product. direct_lease: balance > 60 = 12,000 ÷ 17,000; count > 60 = 1 ÷ 2;
    amount > 0 = (2,000 + 100 + 6,000 + 150) ÷ 17,000, principal only 8,000 ÷ 17,000.
    sale_leaseback has only C's closing row: every denominator is 0, so every rate is None."""
    engine = build(portfolio_book(), "2024-06-30")

    def rates(**kw) -> dict:
        frame = overdue.segment_rates(engine, APRIL, "product", **kw)
        return dict(zip(frame["product"], frame["rate"], strict=True))

    assert rates(basis="balance", threshold=60) == {
        "direct_lease": Decimal(12000) / Decimal(17000),
        "sale_leaseback": None,
    }
    assert rates(basis="count", threshold=60)["direct_lease"] == Decimal("0.5")
    assert rates(basis="count", threshold=90)["direct_lease"] == 0
    assert rates(basis="amount", threshold=0)["direct_lease"] == Decimal(8250) / Decimal(17000)
    assert rates(basis="amount", threshold=0, include_interest=False)["direct_lease"] == Decimal(
        8000
    ) / Decimal(17000)
    with pytest.raises(ValueError):
        overdue.segment_rates(engine, APRIL, "product", threshold=45)


def test_segment_rates_over_months(build: Build) -> None:
    """Balance > 30 for direct_lease: March 12,000 ÷ 17,000 (B DPD 40; A DPD 21), April 1."""
    engine = build(portfolio_book(), "2024-06-30")
    frame = overdue.segment_rates(engine, APRIL, "product", "balance", 30, months=2)
    direct = frame[frame["product"] == "direct_lease"]
    assert list(direct["rate"]) == [Decimal(12000) / Decimal(17000), 1]


def test_contracts_behind_a_figure(build: Build) -> None:
    """May, DPD > 90: only B. All open in May: B (12,000) before A (5,000); a page of one
    still reports 2 matching rows, a May M3 page 1 (A). March, product sale_leaseback: C."""
    engine = build(portfolio_book(), "2024-06-30")
    assert list(overdue.contracts_behind(engine, MAY, threshold=90)["contract_id"]) == ["B"]
    everyone = overdue.contracts_behind(engine, MAY)
    assert list(everyone["contract_id"]) == ["B", "A"]
    page = overdue.contracts_behind(engine, MAY, limit=1, offset=1)
    assert (list(page["contract_id"]), int(page["total_rows"].iloc[0])) == (["A"], 2)
    march = Filters(as_of=date(2024, 3, 31))
    hit = overdue.contracts_behind(engine, march, segment=("product", "sale_leaseback"))
    assert list(hit["contract_id"]) == ["C"]
    assert list(overdue.contracts_behind(engine, MAY, bucket="M3")["contract_id"]) == ["A"]
    # The total counts the figure's rows, not the month's: May M3 is A alone, even on a page
    # past the end of the list (no rows, so no total either).
    m3 = overdue.contracts_behind(engine, MAY, bucket="M3", limit=1)
    assert int(m3["total_rows"].iloc[0]) == 1
    assert overdue.contracts_behind(engine, MAY, bucket="M3", offset=1).empty
    assert list(overdue.contracts_behind(engine, MAY, risk_class="substandard")["contract_id"]) == [
        "B"
    ]
    # June: B is written off and leaves the list.
    june = Filters(as_of=date(2024, 6, 30))
    assert list(overdue.contracts_behind(engine, june)["contract_id"]) == ["A"]
