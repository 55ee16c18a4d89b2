"""Committee classifications reach the mart only once approved, at the next build, never lowering.

Book (interest 50 per installment, docs/domain.md §2–4 worked by hand):
A: 6 × (1,000 + 50) due the 10th, Feb–Jul 2024; pays 1,050 on 02-10 only. Oldest unpaid 03-10:
   DPD 21 (Mar), 51 (Apr), 82 (May), 112 (Jun) → special_mention Mar–May, substandard Jun (dpd).
K: 1,000 due 2024-12-10, nothing overdue by 2024-06-30 → normal every month (dpd).
The committee looks at the data as of 2024-04-30 and proposes A substandard (current
special_mention), effective 2024-04. Approved, the next build gives A: Apr substandard and May
substandard by `committee`; Jun substandard by `dpd` (DPD 112; a tie names dpd first);
Mar stays special_mention (before the effective month). K is untouched.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.warehouse.book import Book, build_book, monthly
from warehouse import schema
from warehouse.engine import create_warehouse_engine
from warehouse.load import rebuild
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.decisions import approve, propose_class
from warehouse.settings import load_settings

COMMITTEE = frozenset({"risk_committee"})


def _book() -> Book:
    b = Book()
    b.contract("A", "2024-01-10", monthly("2024-02-10", 6, "1000", "50"))
    b.pay("A", "2024-02-10", "1050")
    b.contract("K", "2024-01-10", [("2024-12-10", "1000", "0")])
    return b


@pytest.fixture
def loaded(db_url: str) -> Iterator[tuple[str, Engine]]:
    """The book built as of 2024-06-30 with a load record (so `rebuild` finds the as-of)."""
    build_book(db_url, _book(), "2024-06-30")
    engine = create_warehouse_engine(db_url)
    with engine.begin() as conn:
        schema.loads.create(conn, checkfirst=True)
        conn.execute(
            schema.loads.insert().values(
                load_id=1,
                loaded_at=dt.datetime(2024, 7, 1, 2, 0, tzinfo=dt.UTC).replace(tzinfo=None),
                as_of=dt.date(2024, 6, 30),
                institution="test",
                entity_type="financing_lease",
                currency="CNY",
                source="hand",
                sha256="0" * 64,
                row_counts="{}",
            )
        )
    engine.dispose()
    portal = portal_engine(portal_url(db_url))
    yield db_url, portal
    portal.dispose()


def _classes(url: str) -> dict[tuple[str, str], tuple[str, str]]:
    engine = create_warehouse_engine(url)
    try:
        cm = schema.contract_month
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(cm.c.contract_id, cm.c.month_end, cm.c.risk_class, cm.c.class_reason)
            ).all()
    finally:
        engine.dispose()
    return {(c, m.isoformat()[:7]): (r, why) for c, m, r, why in rows}


def _propose(portal: Engine) -> int:
    return propose_class(
        portal,
        actor="alice",
        roles=COMMITTEE,
        contract_id="A",
        risk_class="substandard",
        current_class="special_mention",
        reason="main customer lost",
        as_of=dt.date(2024, 4, 30),
    )


def test_unapproved_proposal_changes_nothing(loaded: tuple[str, Engine]) -> None:
    """Proposed but not approved: the next build gives exactly the classes it gave before."""
    url, portal = loaded
    before = _classes(url)
    _propose(portal)
    rebuild(url, load_settings())
    assert _classes(url) == before
    assert before[("A", "2024-04")] == ("special_mention", "dpd")


def test_approved_proposal_raises_the_class_at_the_next_build(loaded: tuple[str, Engine]) -> None:
    """Approved by a second member: Apr–May substandard by `committee`, Jun by `dpd`."""
    url, portal = loaded
    approve(portal, actor="bob", roles=COMMITTEE, proposal_id=_propose(portal))
    assert _classes(url)[("A", "2024-04")] == ("special_mention", "dpd")  # not before the build
    rebuild(url, load_settings())
    got = _classes(url)
    assert got[("A", "2024-03")] == ("special_mention", "dpd")
    assert got[("A", "2024-04")] == ("substandard", "committee")
    assert got[("A", "2024-05")] == ("substandard", "committee")
    assert got[("A", "2024-06")] == ("substandard", "dpd")
    assert {got[("K", m)] for m in ("2024-01", "2024-04", "2024-06")} == {("normal", "dpd")}
    engine = create_warehouse_engine(url)
    try:
        with engine.connect() as conn:
            table = schema.committee_classifications
            copied = pd.DataFrame(conn.execute(sa.select(table)).mappings().all())
    finally:
        engine.dispose()
    assert list(
        zip(
            copied.contract_id,
            copied.effective_month,
            copied.risk_class,
            copied.approved_by,
            strict=True,
        )
    ) == [("A", "2024-04", "substandard", "bob")]
