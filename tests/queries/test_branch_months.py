"""The build's `inspection_branch_month` on the hand-worked book of
`tests/queries/monitoring_books.py` (inspection value floor 5,000, interval 60 days): assets
above the floor are A, B, D, E, G and F, all in branch SH (C, in BJ, is 3,000)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import inspections
from queries.execute import fetch_frame
from queries.filters import Filters
from tests.queries.monitoring_books import ENGINES, built_engine
from warehouse.schema import inspection_branch_month

BASE = 2024 * 12 - 1  # month_idx of December 2023: BASE + 4 is April 2024


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("branch_months"))


def test_april_to_june_are_one_sh_row_each(engine: Engine) -> None:
    """April: A, B, D, E, G need inspection, 1 covered, 4 overdue; May and June: G closed, F
    new (not yet due), 2 covered, 2 overdue. No BJ row: C is below the floor."""
    t = inspection_branch_month
    stmt = sa.select(t.c.month_idx, t.c.branch, t.c.assets, t.c.covered, t.c.overdue).where(
        t.c.month_idx >= BASE + 4
    )
    got = {
        (int(m) - BASE, b): (int(a), int(c), int(o))
        for m, b, a, c, o in fetch_frame(engine, stmt).itertuples(index=False)
    }
    assert got == {(4, "SH"): (5, 1, 4), (5, "SH"): (5, 2, 2), (6, "SH"): (5, 2, 2)}
    branches = fetch_frame(engine, sa.select(t.c.branch).distinct())
    assert set(branches.iloc[:, 0]) == {"SH"}


@pytest.mark.parametrize(
    "filters",
    [
        Filters(as_of=date(2024, 6, 30), scope=("SH",)),
        Filters(as_of=date(2024, 6, 30), branch=("SH",)),
        Filters(as_of=date(2024, 6, 30), product=("direct_lease",)),
    ],
    ids=["scope_by_branch", "branch_by_branch", "product_by_segments"],
)
def test_coverage_is_the_same_through_the_branch_sums_and_the_segments(
    engine: Engine, filters: Filters
) -> None:
    """Scope or branch SH reads the branch sums; product direct_lease (A, B, D, E, F, G) reads
    `inspection_month`: April 5 / 1 / 4, May and June 5 / 2 / 2 either way."""
    frame = inspections.inspection_coverage(engine, filters, months=3)
    got = [tuple(int(r[c]) for c in ("assets", "covered", "overdue")) for _, r in frame.iterrows()]
    assert got == [(5, 1, 4), (5, 2, 2), (5, 2, 2)]
