"""Which table answers a query: the coarsest summary whose columns cover the filters.

The build writes the same sums at several grains: `portfolio_month` (cohort and segments),
`portfolio_segment_month` (no cohort) and `portfolio_total_month` (whole book); the period
transitions per segment combination (`migration_segment_month`, `roll_segment_month`) and for
the whole book (`migration_month`, `roll_month`); the vintage cells per segment combination
(`vintage_month`), per single dimension (`vintage_dimension_month`) and for the whole book
(`vintage_total_month`). A query asks here which one to read; every answer is the same whichever
table is read (tests switch `USE_SUMMARIES` off and compare), only the rows scanned differ.
"""

from __future__ import annotations

import sqlalchemy as sa

from queries.filters import SEGMENTS, Filters
from warehouse.schema import (
    migration_month,
    migration_segment_month,
    portfolio_month,
    portfolio_segment_month,
    portfolio_total_month,
    roll_month,
    roll_segment_month,
    vintage_dimension_month,
    vintage_month,
    vintage_total_month,
)

# Tests set this to False to check the coarse tables against the finest source.
USE_SUMMARIES = True


def _cohort_filtered(filters: Filters) -> bool:
    return filters.cohort_from is not None or filters.cohort_to is not None


def _scoped(filters: Filters) -> bool:
    # A branch scope needs a table with the `branch` column, like a segment filter does.
    return filters.scope is not None


def portfolio_table(filters: Filters, by: str | None = None) -> sa.Table:
    """The coarsest portfolio summary carrying the filters' columns (scope included) and `by`."""
    if not USE_SUMMARIES or _cohort_filtered(filters) or by == "cohort_month":
        return portfolio_month
    if filters.segments() or _scoped(filters) or by in SEGMENTS:
        return portfolio_segment_month
    return portfolio_total_month


def whole_book(filters: Filters) -> bool:
    """True when no scope, segment or cohort restriction applies (whole-book summaries answer)."""
    return (
        USE_SUMMARIES
        and not filters.segments()
        and not _scoped(filters)
        and not _cohort_filtered(filters)
    )


def migration_table(filters: Filters) -> sa.Table | None:
    """The period-transition summary answering the filters (None: join `contract_month`).

    Whole book: `migration_month`; segment filters or a branch scope: `migration_segment_month`
    (it carries every segment column, `branch` included); a cohort filter: None.
    """
    if not USE_SUMMARIES or _cohort_filtered(filters):
        return None
    if filters.segments() or _scoped(filters):
        return migration_segment_month
    return migration_month


def roll_table(filters: Filters) -> sa.Table | None:
    """`roll_month` (whole book), `roll_segment_month` (segments or scope), None (a cohort
    filter: join `contract_month`)."""
    table = migration_table(filters)
    if table is None:
        return None
    return roll_month if table is migration_month else roll_segment_month


def vintage_table(filters: Filters) -> sa.Table:
    """`vintage_total_month` when no segment filter or scope applies, else `vintage_month`.

    Both carry `cohort_month`, so a cohort filter applies to either.
    """
    if USE_SUMMARIES and not filters.segments() and not _scoped(filters):
        return vintage_total_month
    return vintage_month


def vintage_dimension_table(filters: Filters, by: str) -> sa.Table | None:
    """`vintage_dimension_month` when the only segment filter is on `by` itself and no scope
    applies (its `value` column stands for `by`); None: read `vintage_month`."""
    if USE_SUMMARIES and set(filters.segments()) <= {by} and not _scoped(filters):
        return vintage_dimension_month
    return None
