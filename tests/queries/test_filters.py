"""queries.filters: normalised, hashable filters and bound-parameter clauses only."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from queries.filters import DIMENSIONS, Filters, dimension, where
from warehouse.schema import contract_month, portfolio_month


def test_filters_normalise_to_month_ends_and_sorted_tuples() -> None:
    """Any day of a month means its month-end; value order and repeats do not matter."""
    a = Filters(as_of=date(2024, 5, 3), product=("loan", "direct_lease", "loan"))
    b = Filters(as_of=date(2024, 5, 31), product=("direct_lease", "loan"))
    assert a == b and hash(a) == hash(b)
    assert Filters(as_of=date(2024, 5, 31), region="310000").region == ("310000",)
    assert Filters(as_of=date(2024, 5, 31), cohort_from=date(2024, 1, 1)).cohort_from == date(
        2024, 1, 31
    )


def test_where_binds_values_instead_of_writing_them_into_sql() -> None:
    """A hostile value stays a parameter; the SQL text never contains it."""
    evil = "x'; DROP TABLE contracts; --"
    flt = Filters(as_of=date(2024, 5, 31), branch=(evil,), cohort_to=date(2024, 3, 31))
    stmt = sa.select(portfolio_month.c.outstanding).where(*where(flt, portfolio_month))
    compiled = stmt.compile(dialect=postgresql.dialect())
    assert evil not in str(compiled)
    assert evil in str(compiled.params)
    assert len(where(Filters(as_of=date(2024, 5, 31)), contract_month)) == 0


def test_dimensions_are_an_allow_list() -> None:
    """Every allowed dimension exists on both tables; anything else is refused."""
    for name in DIMENSIONS:
        assert dimension(portfolio_month, name) is not None
        assert dimension(contract_month, name) is not None
    with pytest.raises(ValueError):
        dimension(contract_month, "lessee_id")
