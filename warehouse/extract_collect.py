"""Run one check query over the staging database and turn its rows into `Problem`s."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from warehouse.extract_problems import CAP, Problem
from warehouse.extract_read import Staging

__all__ = ["CAP", "collect"]


def collect(
    st: Staging, file: str, column: str, sql: str, params: Sequence[Any] = ()
) -> list[Problem]:
    """Problems from `sql`, a query yielding (row, message), in row order, at most CAP of them."""
    rows = st.con.execute(
        f"SELECT row, message, count(*) OVER () FROM ({sql}) ORDER BY row, message LIMIT {CAP}",  # noqa: S608
        list(params),
    ).fetchall()
    problems = [Problem(file, None if r is None else int(r), column, m) for r, m, _ in rows]
    if rows and rows[0][2] > CAP:
        more = rows[0][2] - CAP
        problems.append(Problem(file, None, column, f"... and {more} more rows like these"))
    return problems
