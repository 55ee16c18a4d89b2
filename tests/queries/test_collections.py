"""Collections metrics on the hand-worked book of `tests/queries/monitoring_books.py`.

Attempts exclude the legal filing B9: 17 of the 18 actions. Reached (contacted, promise, refused,
paid): A2, A3, B1, B3, B4, C1, C2, C3, C4, C5 = 10. Promises A3, B3, C3, C5 = 4; due by 06-30:
A3, B3, C3 (C5 is due 07-15). Kept: A3 (2,000 received 04-15 ≥ 2,000), C3 (no amount, 500
received 04-10); B3 got 1,000 of 4,000 on 03-15: partly kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import collections
from queries.execute import fetch_frame
from queries.filters import Filters
from tests.queries.monitoring_books import ENGINES, built_engine
from warehouse.schema import collection_facts

AS_OF = Filters(as_of=date(2024, 6, 30))


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("collections"))


def _records(frame, keys):
    return {tuple(r[k] for k in keys): r for r in frame.to_dict("records")}


def test_actions_by_month_channel_and_outcome(engine: Engine) -> None:
    """Feb: B1 sms contacted, B2 phone no_answer. Mar: phone contacted A2, C1, C4 (contracts A,
    C), phone no_answer A1, phone promise A3, sms no_answer A4, visit promise B3, letter
    contacted C2, agency promise C3. Apr: agency contacted B4; phone no_answer B5–B8 (one
    contract). May: legal B9. Jun: phone promise C5. 18 actions in all."""
    frame = collections.actions_over_time(engine, AS_OF)
    got = {
        (r["month_end"].isoformat()[:7], r["channel"], r["outcome"]): (r["actions"], r["contracts"])
        for r in frame.to_dict("records")
    }
    assert got == {
        ("2024-02", "sms", "contacted"): (1, 1),
        ("2024-02", "phone", "no_answer"): (1, 1),
        ("2024-03", "phone", "contacted"): (3, 2),
        ("2024-03", "phone", "no_answer"): (1, 1),
        ("2024-03", "phone", "promise_to_pay"): (1, 1),
        ("2024-03", "sms", "no_answer"): (1, 1),
        ("2024-03", "visit", "promise_to_pay"): (1, 1),
        ("2024-03", "letter", "contacted"): (1, 1),
        ("2024-03", "agency", "promise_to_pay"): (1, 1),
        ("2024-04", "agency", "contacted"): (1, 1),
        ("2024-04", "phone", "no_answer"): (4, 1),
        ("2024-05", "legal", "legal_filed"): (1, 1),
        ("2024-06", "phone", "promise_to_pay"): (1, 1),
    }


def test_contact_promise_and_kept_rates_over_the_window(engine: Engine) -> None:
    """17 attempts, 10 reached (10/17), 4 promises (4/10), 3 due, 2 kept (2/3), 1 partly."""
    row = collections.contact_rates(engine, AS_OF, by="all").iloc[0]
    assert (row["actions"], row["attempts"], row["reached"]) == (18, 17, 10)
    assert (row["promises"], row["promises_due"], row["promises_kept"]) == (4, 3, 2)
    assert row["promises_part"] == 1
    assert row["contact_rate"] == Decimal(10) / Decimal(17)
    assert row["promise_rate"] == Decimal("0.4")
    assert row["kept_rate"] == Decimal(2) / Decimal(3)


def test_contact_rates_by_month_leave_empty_denominators_empty(engine: Engine) -> None:
    """Mar: 9 attempts, 7 reached (A2, A3, B3, C1, C2, C3, C4), 3 promises all due, 2 kept.
    May: only the legal filing, so no attempt and no contact rate. Jun: C5's promise is not
    due yet, so no kept rate."""
    got = _records(collections.contact_rates(engine, AS_OF, by="month"), ["month_end"])
    march = got[(date(2024, 3, 31),)]
    assert (march["attempts"], march["reached"], march["promises_kept"]) == (9, 7, 2)
    assert march["kept_rate"] == Decimal(2) / Decimal(3)
    assert got[(date(2024, 5, 31),)]["contact_rate"] is None
    assert got[(date(2024, 6, 30),)]["kept_rate"] is None
    assert got[(date(2024, 2, 29),)]["contact_rate"] == Decimal("0.5")


def test_contact_rates_by_channel(engine: Engine) -> None:
    """phone: A1 A2 A3 B2 B5 B6 B7 B8 C1 C4 C5 = 11 attempts, reached A2 A3 C1 C4 C5 = 5;
    sms: A4, B1 (reached); visit B3 1/1; agency B4, C3 2/2; letter C2 1/1; legal: 0 attempts."""
    got = _records(collections.contact_rates(engine, AS_OF, by="channel"), ["channel"])
    counts = {k[0]: (v["attempts"], v["reached"]) for k, v in got.items()}
    assert counts == {
        "phone": (11, 5),
        "sms": (2, 1),
        "visit": (1, 1),
        "agency": (2, 2),
        "letter": (1, 1),
        "legal": (0, 0),
    }


def test_recoveries_credit_each_receipt_once_to_the_latest_action_within_30_days(
    engine: Engine,
) -> None:
    """A 04-15 2,000: actions from 03-16 on → A4 (sms, 03-20). B 03-15 1,000 → B3 (visit,
    03-05). C 04-10 and 04-15, 500 each → C4 (phone, 03-26). A 02-10, C 02-15, A 05-10, C 05-15,
    A 06-10, C 06-15 and F 06-10 have no action in the 30 days before. Total 4,000."""
    frame = collections.recoveries(engine, AS_OF)
    got = {
        (r["month_end"].isoformat()[:7], r["channel"]): (r["receipts"], r["recovered"])
        for r in frame.to_dict("records")
    }
    assert got == {
        ("2024-03", "visit"): (1, Decimal("1000.00")),
        ("2024-04", "phone"): (2, Decimal("1000.00")),
        ("2024-04", "sms"): (1, Decimal("2000.00")),
    }
    total = collections.recoveries(engine, AS_OF, by="all").iloc[0]
    assert (total["receipts"], total["recovered"]) == (4, Decimal("4000.00"))


def test_cure_rate_by_first_channel(engine: Engine) -> None:
    """Spells: A from March (first A1 phone), DPD 0 at 04-30: cured. B from February (B1 sms;
    March–May continue it), DPD 24, 55, 85 at Feb–Apr: not cured. C from March (C1 phone), DPD 0
    at 04-30: cured. C's June spell (C5) is immature: the three month-ends run past June."""
    frame = collections.cure_rates(engine, AS_OF)
    got = {
        r["first_channel"]: (r["spells"], r["cured"], r["cure_rate"])
        for r in frame.to_dict("records")
    }
    assert got == {
        "phone": (2, 2, Decimal(1)),
        "sms": (1, 0, Decimal(0)),
        "all": (3, 2, Decimal(2) / Decimal(3)),
    }


def test_collector_workload_is_sorted_by_name_with_rates_and_recoveries(engine: Engine) -> None:
    """agency_a: B4, C3 (2 contracts, both reached, C3 kept). li: A4, C1, C2, C4, C5 (2
    contracts, 4 reached, C5 not due), credited A4 2,000 + C4 1,000. wang: B1 B2 B3 B5–B9 (7
    attempts, B1 and B3 reached, B3 due and partly kept), credited B3 1,000. zhang: A1–A3 (A2,
    A3 reached; A3 kept), credited nothing."""
    frame = collections.collector_workload(engine, AS_OF)
    assert list(frame["collector"]) == ["agency_a", "li", "wang", "zhang"]
    rows = frame.set_index("collector")
    assert list(rows.loc["wang", ["actions", "contracts", "attempts", "reached"]]) == [8, 1, 7, 2]
    assert list(rows.loc["wang", ["promises_due", "promises_kept", "promises_part"]]) == [1, 0, 1]
    assert rows.loc["li", "recovered"] == Decimal("3000.00")
    assert rows.loc["wang", "recovered"] == Decimal("1000.00")
    assert rows.loc["zhang", "recovered"] == 0
    assert rows.loc["zhang", "kept_rate"] == Decimal(1)
    assert rows.loc["li", "kept_rate"] is None
    assert rows.loc["agency_a", "contact_rate"] == Decimal(1)


def test_shared_filters_and_branch_scope_apply(engine: Engine) -> None:
    """Scope SH leaves out C (branch BJ): 18 − 5 = 13 actions, attempts 12, reached A2 A3 B1 B3
    B4 = 5. Product sale_leaseback leaves only C: C1–C5, all five attempts reached."""
    sh = collections.contact_rates(
        engine, Filters(as_of=date(2024, 6, 30), scope=("SH",)), by="all"
    )
    assert list(sh.iloc[0][["actions", "attempts", "reached"]]) == [13, 12, 5]
    slb = Filters(as_of=date(2024, 6, 30), product=("sale_leaseback",))
    only_c = collections.contact_rates(engine, slb, by="all")
    assert list(only_c.iloc[0][["actions", "attempts", "reached"]]) == [5, 5, 5]


def test_the_window_ends_at_the_as_of_and_spans_the_months_asked(engine: Engine) -> None:
    """As of 2024-03-31 with 1 month: March only — 9 actions; the April receipts are out, so
    only B's 03-15 receipt is recovered (1,000). As of 04-30 with 3 months (Feb–Apr): 16."""
    march = Filters(as_of=date(2024, 3, 31))
    assert collections.contact_rates(engine, march, months=1, by="all").iloc[0]["actions"] == 9
    got = collections.recoveries(engine, march, months=1, by="all").iloc[0]["recovered"]
    assert got == Decimal("1000.00")
    april = Filters(as_of=date(2024, 4, 30))
    assert collections.contact_rates(engine, april, months=3, by="all").iloc[0]["actions"] == 16


def test_bad_options_are_refused(engine: Engine) -> None:
    """Options outside their allow-lists raise ValueError before any SQL runs."""
    with pytest.raises(ValueError, match="by must be"):
        collections.contact_rates(engine, AS_OF, by="collector")
    with pytest.raises(ValueError, match="months"):
        collections.actions_over_time(engine, AS_OF, months=0)
    with pytest.raises(ValueError, match="months"):
        collections.cure_rates(engine, AS_OF, months=200)


def test_previous_action_months_of_contract_b(engine: Engine) -> None:
    """B's actions (month of the previous action overall, with the same channel, by the same
    collector): B1 sms wang first of all; B2 phone and B3 visit after B1 (Feb); B4 agency_a
    after B3 (Mar); B5 phone wang after B4 (Apr), its phone B2 (Feb), wang's B3 (Mar); B6–B8
    after the phone call before (Apr); B9 legal after B8 (Apr)."""
    f = collection_facts
    months = [f.c[f"prev_{k}_idx"] - 2024 * 12 + 1 for k in ("any", "channel", "collector")]
    stmt = (
        sa.select(f.c.action_id, *months)
        .where(f.c.contract_id == "B")
        .order_by(f.c.action_time, f.c.action_id)
    )
    got = [
        tuple(None if pd.isna(v) else (v if i == 0 else int(v)) for i, v in enumerate(r))
        for r in fetch_frame(engine, stmt).astype(object).itertuples(index=False)
    ]
    assert got == [
        ("B1", None, None, None),
        ("B2", 2, None, 2),
        ("B3", 2, None, 2),
        ("B4", 3, None, None),
        ("B5", 4, 2, 3),
        ("B6", 4, 4, 4),
        ("B7", 4, 4, 4),
        ("B8", 4, 4, 4),
        ("B9", 4, None, 4),
    ]


WINDOWS = [
    (Filters(as_of=date(2024, 6, 30)), 12),
    (Filters(as_of=date(2024, 6, 30)), 3),
    (Filters(as_of=date(2024, 4, 30)), 1),
    (Filters(as_of=date(2024, 3, 31)), 2),
    (Filters(as_of=date(2024, 6, 30), scope=("BJ",)), 12),
    (Filters(as_of=date(2024, 6, 30), product=("direct_lease",)), 12),
]


@pytest.mark.parametrize(("filters", "months"), WINDOWS)
@pytest.mark.parametrize(
    ("key", "columns", "per_month"),
    [
        ("any", (), False),
        ("any", (), True),
        ("channel", ("channel",), False),
        ("channel", ("channel",), True),
        ("outcome", ("outcome",), True),
        ("channel_outcome", ("channel", "outcome"), True),
        ("collector", ("collector",), False),
    ],
)
def test_first_of_counts_the_distinct_contracts(
    engine: Engine,
    filters: Filters,
    months: int,
    key: str,
    columns: tuple[str, ...],
    per_month: bool,
) -> None:
    """Contracts per group counted from the previous-action months equal COUNT(DISTINCT)."""
    act = collections.actions(filters, months)
    keys = [*([act.c.month_idx] if per_month else []), *(act.c[c] for c in columns)]
    since = act.c.month_idx if per_month else filters.as_of_idx - months + 1
    summed = collections.first_of(act, key, since).label("n")
    distinct = sa.func.count(sa.distinct(act.c.contract_id)).label("n")

    def rows(count: sa.ColumnElement[int]) -> list[tuple]:
        stmt = sa.select(*keys, count).group_by(*keys).order_by(*keys) if keys else sa.select(count)
        return [tuple(r) for r in fetch_frame(engine, stmt).itertuples(index=False)]

    assert rows(summed) == rows(distinct)
