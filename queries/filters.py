"""Frozen filter objects that every public query function takes, and their WHERE clauses.

`Filters` is the sidebar's state: an as-of month-end, allowed values per segment (empty = all) and
an origination-cohort range. `where(filters, table)` turns it into bound-parameter clauses over any
table that carries the segment columns and `cohort_month` (`contract_month`, `portfolio_month`,
`vintage_month`). Columns a user may group by are looked up in `DIMENSIONS`, never taken raw.
`Filters.scope` is the signed-in user's branch scope (row-level access), applied by `where` to
every query: None = every branch, () = nothing (fails closed). It is set from the user by the
page, never read from the URL. Queries that do not go through `where` call `scope_clause`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from warehouse.months import month_end_of, month_idx
from warehouse.schema import SEGMENT_COLUMNS

SEGMENTS: tuple[str, ...] = SEGMENT_COLUMNS

# The allow-list of group-by dimensions: user-facing name -> column name.
DIMENSIONS: dict[str, str] = {
    **{name: name for name in SEGMENTS},
    "cohort_month": "cohort_month",
    "dpd_bucket": "dpd_bucket",
    "risk_class": "risk_class",
}


@dataclass(frozen=True)
class BookFilter:
    """Which slice of the book: the month-end to report on and the user's branch scope."""

    month_end: date
    scope: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Filters:
    """The slice of the book every analytics query reports on."""

    as_of: date
    product: tuple[str, ...] = ()
    lessee_type: tuple[str, ...] = ()
    industry: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    branch: tuple[str, ...] = ()
    asset_category: tuple[str, ...] = ()
    cohort_from: date | None = None
    cohort_to: date | None = None
    # The signed-in user's branch scope (row-level access): None = every branch, () = none.
    # Set by the page from the user, never from the URL; `where` applies it to every query.
    scope: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        # Normalise to month-ends and tuples so equal slices hash equal (cache keys).
        object.__setattr__(self, "as_of", month_end_of(month_idx(self.as_of)))
        for name in SEGMENTS:
            value = getattr(self, name)
            value = (value,) if isinstance(value, str) else value
            object.__setattr__(self, name, tuple(sorted(set(value))))
        for name in ("cohort_from", "cohort_to"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, month_end_of(month_idx(value)))
        if self.scope is not None:
            scope = (self.scope,) if isinstance(self.scope, str) else self.scope
            object.__setattr__(self, "scope", tuple(sorted(set(scope))))

    @property
    def as_of_idx(self) -> int:
        """month_idx of the as-of month-end (year * 12 + month - 1)."""
        return month_idx(self.as_of)

    def segments(self) -> dict[str, tuple[str, ...]]:
        """The segment restrictions in force (dimension -> allowed values)."""
        return {name: getattr(self, name) for name in SEGMENTS if getattr(self, name)}


def dimension(table: sa.Table | sa.Alias, name: str) -> sa.ColumnElement:
    """The column of `table` for the allow-listed dimension `name` (ValueError otherwise)."""
    if name not in DIMENSIONS:
        raise ValueError(f"unknown dimension {name!r}; choose from {sorted(DIMENSIONS)}")
    return table.c[DIMENSIONS[name]]


def scope_clause(
    scope: tuple[str, ...] | None, table: sa.Table | sa.Alias
) -> sa.ColumnElement[bool] | None:
    """The branch-scope restriction over `table` (None when unrestricted); fails closed.

    An empty scope matches nothing (`false`); a table without a `branch` column cannot be scoped,
    so asking for it is an error rather than a silent leak.
    """
    if scope is None:
        return None
    if "branch" not in table.c:
        raise ValueError(f"{table.name} has no branch column: a branch scope cannot apply")
    if not scope:
        return sa.false()
    return table.c.branch.in_(scope)


def where(
    filters: Filters, table: sa.Table | sa.Alias, *, cohort: bool = True
) -> list[sa.ColumnElement[bool]]:
    """WHERE clauses for the scope, segment and cohort restrictions (not the as-of) over `table`."""
    clauses: list[sa.ColumnElement[bool]] = [
        table.c[name].in_(values) for name, values in filters.segments().items()
    ]
    scoped = scope_clause(filters.scope, table)
    if scoped is not None:
        clauses.append(scoped)
    if cohort and filters.cohort_from is not None:
        clauses.append(table.c.cohort_month >= filters.cohort_from)
    if cohort and filters.cohort_to is not None:
        clauses.append(table.c.cohort_month <= filters.cohort_to)
    return clauses


def is_open(table: sa.Table | sa.Alias) -> sa.ColumnElement[bool]:
    """Rows of `contract_month` (or an alias) that are open: neither closed nor written off."""
    return sa.and_(sa.not_(table.c.closed), sa.not_(table.c.written_off))
