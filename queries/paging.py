"""One page of a list with how many rows the whole list has, in one statement.

`count(*) OVER ()` beside a page makes PostgreSQL produce every matching row before it keeps the
page's: a drill list of half a million contracts (the roll-rate cell M0 → M0, the G12 cell
正常 → 正常 at 1,000,000 contracts) then runs for seconds to minutes, where the page alone, read in
order with a LIMIT, stops after its rows. Here the total is a scalar count of its own over the
same statement, so each half is planned for what it needs (docs/benchmarks.md, "Drill lists").
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa

MAX_PAGE = 1000


def page_with_total(
    stmt: sa.Select,
    order: Sequence[sa.ColumnElement | sa.TextClause],
    limit: int,
    offset: int = 0,
    *,
    cap: int = MAX_PAGE,
) -> sa.Select:
    """`stmt` ordered by `order`, one page of it (`limit` rows, at most `cap`, from `offset`),
    with a column `total_rows`: how many rows `stmt` gives before paging."""
    counted = stmt.order_by(None).subquery("counted")
    total = sa.select(sa.func.count()).select_from(counted).scalar_subquery()
    return (
        stmt.add_columns(total.label("total_rows"))
        .order_by(*order)
        .limit(min(max(limit, 1), cap))
        .offset(max(offset, 0))
    )
