"""queries.segments: the sidebar's choices come from the book."""

from __future__ import annotations

from datetime import date

from queries import segments
from tests.queries.books import Build, portfolio_book


def test_choices_list_each_dimension_once(build: Build) -> None:
    """Products direct_lease (A, B) and sale_leaseback (C); regions 310000 and 440100."""
    engine = build(portfolio_book(), "2024-06-30")
    got = segments.choices(engine)
    assert got["product"] == ["direct_lease", "sale_leaseback"]
    assert got["region"] == ["310000", "440100"]
    assert got["lessee_type"] == ["individual"]
    assert set(got) == {"product", "lessee_type", "industry", "region", "branch", "asset_category"}
    months = segments.available_month_ends(engine)
    assert list(months["month_end"]) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
        date(2024, 5, 31),
        date(2024, 6, 30),
    ]
