"""Which table answers a query: the coarsest summary whose columns cover the filters.

The build writes the same sums at three grains (`portfolio_month` with cohort and segments,
`portfolio_segment_month` without the cohort, `portfolio_total_month` for the whole book) and,
for the whole book only, the migration and roll-rate transitions. A query asks here which one to
read; every answer is the same whichever table is read (tests switch `USE_SUMMARIES` off and
compare), only the number of rows scanned differs.
"""

from __future__ import annotations

import sqlalchemy as sa

from queries.filters import SEGMENTS, Filters
from warehouse.schema import portfolio_month, portfolio_segment_month, portfolio_total_month

# Tests set this to False to check the coarse tables against the finest source.
USE_SUMMARIES = True


def _cohort_filtered(filters: Filters) -> bool:
    return filters.cohort_from is not None or filters.cohort_to is not None


def portfolio_table(filters: Filters, by: str | None = None) -> sa.Table:
    """The coarsest portfolio summary carrying the filters' columns and the group-by `by`."""
    if not USE_SUMMARIES or _cohort_filtered(filters) or by == "cohort_month":
        return portfolio_month
    if filters.segments() or by in SEGMENTS:
        return portfolio_segment_month
    return portfolio_total_month


def whole_book(filters: Filters) -> bool:
    """True when no segment or cohort restriction applies (the whole-book summaries answer)."""
    return USE_SUMMARIES and not filters.segments() and not _cohort_filtered(filters)
