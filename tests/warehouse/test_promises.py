"""warehouse.marts.promises: when a promise to pay is kept, as the collections mart and the watch
rule both apply it (docs/domain.md §12)."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from warehouse.engine import create_warehouse_engine
from warehouse.marts import promises

MONEY = sa.Numeric(18, 2)


@pytest.mark.parametrize(
    ("paid", "amount", "expected"),
    [
        (Decimal("100.00"), Decimal("100.00"), True),  # reaches the amount
        (Decimal("99.99"), Decimal("100.00"), False),
        (Decimal("0.01"), None, True),  # no amount: any receipt keeps it
        (Decimal("0.00"), None, False),
        (None, None, False),  # no receipt at all (the mart's LEFT JOIN)
        (None, Decimal("0.00"), False),  # the mart: a promise of 0 needs a receipt row
        (Decimal("0.00"), Decimal("0.00"), True),  # the watch rule sums to 0: kept
    ],
)
def test_kept_reaches_the_amount_or_any_receipt_without_one(
    paid: Decimal | None, amount: Decimal | None, expected: bool
) -> None:
    """The Core expression and the text the build embeds give the same verdict; NULL is not
    kept."""
    engine = create_warehouse_engine("duckdb:///:memory:")
    p, a = sa.literal(paid, MONEY), sa.literal(amount, MONEY)
    core = sa.select(sa.func.coalesce(promises.kept(p, a), sa.false()))
    text = sa.text(
        "SELECT COALESCE("
        + promises.kept_sql("CAST(:paid AS DECIMAL(18, 2))", "CAST(:amount AS DECIMAL(18, 2))")
        + ", false)"
    )
    with engine.connect() as conn:
        assert conn.execute(core).scalar() is expected
        assert conn.execute(text, {"paid": paid, "amount": amount}).scalar() is expected
    engine.dispose()
