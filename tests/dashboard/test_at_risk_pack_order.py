"""The at-risk delivery pack lists the contracts in the page's default order: by early-warning
score when the month-end is scored, else largest outstanding first (dashboard/delivery/packs.py).

The score book (`tests/early_warning/score_book.py`) at 2024-12-31 scored K0 1%, K1 20% and K2
50%; K9 is 143 days past due and not scored. With the cut-off 0.10 the list holds K1, K2 (score
rule) and K9 (DPD), so by score it reads K2, K1, K9. At 2024-09-30 nothing was scored: the pack
falls back to the page's other default, largest outstanding first (K9 600, K2 400).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import Engine

from dashboard.access.user import User
from dashboard.delivery.packs import at_risk_sections
from queries.filters import Filters
from tests.conftest import engine_params
from tests.early_warning.score_book import scored_engines

MEMBER = User("m", "m", frozenset({"risk_committee"}))
MADE = datetime(2025, 1, 6, 0, 0, tzinfo=UTC)


@pytest.fixture(scope="module", params=engine_params())
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The score book built with an approved model and the cut-off 0.10."""
    yield from scored_engines(request, tmp_path_factory, "at_risk_pack")


def _contracts(engine: Engine, as_of: date) -> list[str]:
    (sheet,) = at_risk_sections(engine, Filters(as_of=as_of), MEMBER, "en", MADE).values()
    column = next(c for c in sheet.columns if c.lower().startswith("contract"))
    return list(sheet[column])


def test_a_scored_month_end_is_packed_riskiest_score_first(engine: Engine) -> None:
    assert _contracts(engine, date(2024, 12, 31)) == ["K2", "K1", "K9"]


def test_an_unscored_month_end_is_packed_largest_outstanding_first(engine: Engine) -> None:
    # 2024-09-30: K9 owes 600 (six of twelve 100s paid) and is 51 days past due; K2 owes 400
    # and has the high signal of 2024-08-01. By score K2 would lead; by outstanding K9 does.
    assert _contracts(engine, date(2024, 9, 30)) == ["K9", "K2"]
