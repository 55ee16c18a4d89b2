"""Property tests: random books against a plain per-contract reference of docs/domain.md §2.

The reference walks each contract's installments one by one in Python (the obvious, slow way);
the build must agree with it on every contract-month, on DuckDB and PostgreSQL, and the
invariants hold: outstanding principal within [0, principal], DPD never above the days since the
first due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.warehouse.book import Book, build_book

AS_OF = date(2025, 6, 30)
START = date(2024, 1, 1)
CENT = Decimal("0.01")


@dataclass
class Inst:
    """One installment of the reference model."""

    due: date
    principal: Decimal
    interest: Decimal


def month_ends(first: date, last: date) -> list[date]:
    """Every month-end from `first`'s month through `last`."""
    out, y, m = [], first.year, first.month
    while (y, m) <= (last.year, last.month):
        nxt = date(y + m // 12, m % 12 + 1, 1)
        out.append(nxt - timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


def position(insts: list[Inst], received: Decimal, day: date) -> dict[str, object]:
    """Walk the installments oldest first, interest before principal (docs/domain.md §2)."""
    left = received
    repaid = Decimal(0)
    oldest_unpaid: date | None = None
    overdue_p = overdue_i = Decimal(0)
    for inst in sorted(insts, key=lambda i: i.due):
        pay_i = min(left, inst.interest)
        left -= pay_i
        pay_p = min(left, inst.principal)
        left -= pay_p
        repaid += pay_p
        unpaid = inst.interest - pay_i + inst.principal - pay_p
        if unpaid > 0 and oldest_unpaid is None:
            oldest_unpaid = inst.due
        if inst.due < day:
            overdue_p += inst.principal - pay_p
            overdue_i += inst.interest - pay_i
    dpd = (day - oldest_unpaid).days if oldest_unpaid and oldest_unpaid < day else 0
    total = sum(i.principal for i in insts)
    return {
        "outstanding_principal": total - repaid if oldest_unpaid else Decimal(0),
        "dpd": dpd,
        "overdue_principal": overdue_p if dpd else Decimal(0),
        "overdue_interest": overdue_i if dpd else Decimal(0),
        "closed": oldest_unpaid is None,
    }


money = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) * CENT)


@st.composite
def contract_cases(draw: st.DrawFn) -> tuple[date, list[Inst], list[tuple[date, Decimal]]]:
    """A contract: start date, one schedule version, receipts."""
    start = START + timedelta(days=draw(st.integers(0, 300)))
    gaps = draw(st.lists(st.integers(0, 95), min_size=1, max_size=10))
    insts, due = [], start
    for gap in gaps:
        due = due + timedelta(days=gap)
        insts.append(Inst(due, draw(money), draw(money)))
    if sum(i.principal for i in insts) == 0:
        insts[0].principal = Decimal("100.00")
    receipts = draw(
        st.lists(
            st.tuples(st.integers(0, (AS_OF - start).days), money),
            max_size=8,
        )
    )
    return start, insts, [(start + timedelta(days=n), amt) for n, amt in receipts]


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cases=st.lists(contract_cases(), min_size=1, max_size=8))
def test_build_agrees_with_the_reference_on_random_books(db_url: str, cases: list) -> None:
    """Every contract-month equals the reference walk; invariants hold."""
    book = Book()
    expected: dict[tuple[str, date], dict[str, object]] = {}
    for n, (start, insts, receipts) in enumerate(cases):
        cid = f"K{n:02d}"
        book.contract(
            cid,
            start.isoformat(),
            [(i.due.isoformat(), str(i.principal), str(i.interest)) for i in insts],
        )
        for day, amount in receipts:
            book.pay(cid, day.isoformat(), str(amount))
        for me in month_ends(start, AS_OF):
            received = sum((a for dday, a in receipts if dday <= me), Decimal(0))
            expected[(cid, me)] = position(insts, received, me)
            if expected[(cid, me)]["closed"]:
                break
    frame = build_book(db_url, book, AS_OF.isoformat())

    got = {(r.contract_id, r.month_end): r for r in frame.itertuples()}
    assert set(got) == set(expected)
    principal = {c["contract_id"]: c["principal"] for c in book.contracts}
    first_due = {
        c: min(s["due_date"] for s in book.schedule if s["contract_id"] == c) for c in principal
    }
    for key, want in expected.items():
        have = got[key]
        assert {k: getattr(have, k) for k in want} == want, key
        assert 0 <= have.outstanding_principal <= principal[key[0]]
        assert have.dpd <= max((key[1] - first_due[key[0]]).days, 0)
