"""The build's `collection_action_month` and `collection_first_month` on the hand-worked book of
`tests/queries/monitoring_books.py` (A and B in branch SH, C in BJ), and when the 催收 queries
read them.

Months are numbered from January 2024 = 1 below (month_idx − 2024 × 12 + 1).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import collections
from queries.execute import fetch_frame
from queries.filters import Filters
from tests.queries.monitoring_books import ENGINES, built_engine
from warehouse.schema import (
    collection_action_month,
    collection_credit_month,
    collection_first_month,
)

BASE = 2024 * 12 - 1  # month_idx of December 2023: BASE + 3 is March 2024
FIRSTS = ("first_any", "first_channel", "first_outcome", "first_channel_outcome")


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("collection_months"))


def _month(idx: object) -> int | None:
    return None if idx is None else int(idx) - BASE  # type: ignore[call-overload]


def _rows(engine: Engine, *where: sa.ColumnElement[bool]) -> dict[tuple, tuple]:
    m = collection_action_month
    keys = (m.c.month_idx, m.c.branch, m.c.channel, m.c.outcome, m.c.collector, m.c.due_idx)
    counts = [m.c[n] for n in ("actions", "attempts", "reached", "promises", "kept", "part")]
    stmt = sa.select(*keys, *counts, *(m.c[n] for n in (*FIRSTS, "first_collector")))
    frame = fetch_frame(engine, stmt.where(*where)).astype(object)
    got = {}
    for r in frame.itertuples(index=False):
        month, branch, channel, outcome, collector, due, *values = r
        due = None if due is None or due != due else due  # NaN from an all-NULL column
        key = (_month(month), branch, channel, outcome, collector, _month(due))
        got[key] = tuple(int(v) for v in values)
    return got


def test_april_holds_b4_and_b5_to_b8_as_two_groups(engine: Engine) -> None:
    """April: B4 agency contacted agency_a, then B5–B8 phone no_answer wang (one contract, SH).
    B4 is B's first action of April overall, with agency, with contacted (B1 was February),
    with agency × contacted and by agency_a. B5 is B's first phone and first no_answer of April
    (B2, February), first of phone × no_answer and wang's first of April (B3, March); B6–B8
    repeat it. Attempts 1 and 4, reached 1 and 0, no promise."""
    got = _rows(engine, collection_action_month.c.month_idx == BASE + 4)
    assert got == {
        (4, "SH", "agency", "contacted", "agency_a", None): (1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1),
        (4, "SH", "phone", "no_answer", "wang", None): (4, 4, 0, 0, 0, 0, 0, 1, 1, 1, 1),
    }


def test_each_promise_keeps_its_due_month_and_whether_it_was_kept(engine: Engine) -> None:
    """A3 (March, phone, zhang) due 04-15, kept; B3 (March, visit, wang) due 03-20, 1,000 of
    4,000: partly kept; C3 (March, agency, agency_a, BJ) due 04-12, kept; C5 (June, phone, li,
    BJ) due 07-15, nothing received by the as-of. Every other row has no due month."""
    got = _rows(engine, collection_action_month.c.due_idx.is_not(None))
    promises = {k: v[3:6] for k, v in got.items()}
    assert promises == {
        (3, "SH", "phone", "promise_to_pay", "zhang", 4): (1, 1, 0),
        (3, "SH", "visit", "promise_to_pay", "wang", 3): (1, 0, 1),
        (3, "BJ", "agency", "promise_to_pay", "agency_a", 4): (1, 1, 0),
        (6, "BJ", "phone", "promise_to_pay", "li", 7): (1, 0, 0),
    }


def test_the_totals_are_the_actions_of_collection_facts(engine: Engine) -> None:
    """18 actions, 17 attempts, 10 reached, 4 promises. Spells: B (February), A and C (March),
    C again in June (no action in May); cured: A and C's March spells (DPD 0 at 04-30) and C's
    June spell (DPD 0 at 06-30; the query leaves it out as immature). Contracts' first actions
    of a month: A Mar; B Feb, Mar, Apr, May; C Mar, Jun = 7."""
    m = collection_action_month
    names = ("actions", "attempts", "reached", "promises", "spells", "cured", "first_any")
    stmt = sa.select(*(sa.func.sum(m.c[n]) for n in names))
    got = tuple(int(v) for v in fetch_frame(engine, stmt).iloc[0])
    assert got == (18, 17, 10, 4, 4, 3, 7)


def test_first_months_count_each_contract_by_its_previous_action_month(engine: Engine) -> None:
    """Overall: A March (none before); B February (none), March (after February), April (after
    March), May (after April); C March (none), June (after March). By collector wang (B only):
    February (none), March (B3 after B2, February), April (B5 after B3, March), May (B9 after
    B8, April)."""
    w = collection_first_month
    stmt = sa.select(w.c.key, w.c.month_idx, w.c.branch, w.c.value, w.c.prev_idx, w.c.contracts)
    frame = fetch_frame(engine, stmt).astype(object)
    rows = {
        (key, _month(m), branch, value, None if p is None or p != p else _month(p)): int(n)
        for key, m, branch, value, p, n in frame.itertuples(index=False)
    }
    assert {k[1:]: v for k, v in rows.items() if k[0] == "any"} == {
        (3, "SH", "", None): 1,
        (2, "SH", "", None): 1,
        (3, "SH", "", 2): 1,
        (4, "SH", "", 3): 1,
        (5, "SH", "", 4): 1,
        (3, "BJ", "", None): 1,
        (6, "BJ", "", 3): 1,
    }
    assert {k[1:]: v for k, v in rows.items() if k[0] == "collector" and k[3] == "wang"} == {
        (2, "SH", "wang", None): 1,
        (3, "SH", "wang", 2): 1,
        (4, "SH", "wang", 3): 1,
        (5, "SH", "wang", 4): 1,
    }
    assert {k[0] for k in rows} == {"any", "channel", "collector"}


def test_a_window_counts_the_contracts_whose_previous_month_is_before_it(engine: Engine) -> None:
    """April–June: B (April, after March) and C (June, after March) = 2 contracts; B's May row
    follows April, inside the window. Scope BJ: C alone. February–March: A, B, C = 3."""
    june = Filters(as_of=date(2024, 6, 30))
    assert collections.contact_rates(engine, june, months=3, by="all").iloc[0]["contracts"] == 2
    bj = Filters(as_of=date(2024, 6, 30), scope=("BJ",))
    assert collections.contact_rates(engine, bj, months=3, by="all").iloc[0]["contracts"] == 1
    march = Filters(as_of=date(2024, 3, 31))
    assert collections.contact_rates(engine, march, months=2, by="all").iloc[0]["contracts"] == 3


@pytest.mark.parametrize(
    ("filters", "reads_months"),
    [
        (Filters(as_of=date(2024, 6, 30)), True),
        (Filters(as_of=date(2024, 6, 30), branch=("SH",), scope=("SH", "BJ")), True),
        (Filters(as_of=date(2024, 6, 30), product=("direct_lease",)), False),
        (Filters(as_of=date(2024, 6, 30), cohort_from=date(2024, 1, 31)), False),
    ],
)
def test_the_monthly_tables_answer_only_for_branch_and_scope(
    filters: Filters, reads_months: bool
) -> None:
    """They keep the branch alone: another segment or a cohort range reads the actions."""
    assert collections.stored(filters) is reads_months


def test_credited_receipts_are_summed_per_month_branch_channel_and_collector(
    engine: Engine,
) -> None:
    """B's 1,000 of 03-15 to B3 (visit, wang); A's 2,000 of 04-15 to A4 (sms, li); C's two 500
    of 04-10 and 04-15 to C4 (phone, li, branch BJ)."""
    m = collection_credit_month
    stmt = sa.select(
        m.c.month_idx, m.c.branch, m.c.channel, m.c.collector, m.c.receipts, m.c.amount
    )
    got = {
        (_month(month), branch, channel, collector): (int(n), Decimal(str(amount)))
        for month, branch, channel, collector, n, amount in fetch_frame(engine, stmt).itertuples(
            index=False
        )
    }
    assert got == {
        (3, "SH", "visit", "wang"): (1, Decimal("1000.00")),
        (4, "SH", "sms", "li"): (1, Decimal("2000.00")),
        (4, "BJ", "phone", "li"): (2, Decimal("1000.00")),
    }


@pytest.mark.parametrize(
    "filters",
    [
        Filters(as_of=date(2024, 6, 30), scope=("SH",)),
        Filters(as_of=date(2024, 6, 30), product=("direct_lease",)),
    ],
    ids=["scope_from_the_months", "product_from_the_receipts"],
)
def test_recoveries_of_a_and_b_either_way(engine: Engine, filters: Filters) -> None:
    """Scope SH and product direct_lease both leave A and B: 2 receipts, 3,000 recovered (A4
    2,000 to li, B3 1,000 to wang)."""
    total = collections.recoveries(engine, filters, by="all").iloc[0]
    assert (int(total["receipts"]), total["recovered"]) == (2, Decimal("3000.00"))
    work = collections.collector_workload(engine, filters).set_index("collector")
    assert work.loc["li", "recovered"] == Decimal("2000.00")
    assert work.loc["wang", "recovered"] == Decimal("1000.00")
