"""The docs/domain.md §10 compliance flags on the hand-worked book of `monitoring_books.py`.

Window 08:00–21:00 (both allowed), daily cap 3 per debtor:
- outside_window: A2 (phone 22:30) and A4 (sms 07:30) on A; not B4 (agency at exactly 21:00)
  nor C2 (a letter at 22:00: letters have no contact time). 2 actions, 1 contract.
- over_daily_cap: LB on 04-10 gets B5–B8, four phone calls to the lessee: the fourth (B8)
  is over the cap. 1 action, 1 contract (B).
- third_party: C4 (to `other`) and B2 (to a guarantor, but B has none on record); not C1 (C's
  guarantor G1). 2 actions, 2 contracts.
- agency_without_notice: B's first agency action B4 (04-02) has no letter to the lessee before
  it; C's first, C3 (03-25), follows the letter C2 (03-19). 1 action, 1 contract (B).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy.engine import Engine

from queries import collections_compliance as compliance
from queries.filters import Filters
from tests.queries.monitoring_books import ENGINES, built_engine
from tests.warehouse.book import Book, build_book, monthly
from warehouse.engine import create_warehouse_engine

AS_OF = Filters(as_of=date(2024, 6, 30))


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("compliance"))


def _counts(frame) -> dict[str, tuple[int, int]]:
    return {r["flag"]: (r["actions"], r["contracts"]) for r in frame.to_dict("records")}


def test_each_flag_counts_its_actions_and_contracts(engine: Engine) -> None:
    """See the module docstring; the flags come in their fixed order with the settings used."""
    frame = compliance.flag_counts(engine, AS_OF)
    assert list(frame["flag"]) == list(compliance.FLAGS)
    assert _counts(frame) == {
        "outside_window": (2, 1),
        "over_daily_cap": (1, 1),
        "third_party": (2, 2),
        "agency_without_notice": (1, 1),
    }
    settings = dict(zip(frame["flag"], frame["settings"], strict=True))
    assert settings["over_daily_cap"] == "collections.daily_cap = 3"
    assert "08:00" in settings["outside_window"] and "21:00" in settings["outside_window"]


def test_outside_window_contracts_behind(engine: Engine) -> None:
    """A: two flagged actions, first A2 03-13 22:30, last A4 03-20 07:30 (collector li)."""
    frame = compliance.flagged_contracts(engine, AS_OF, "outside_window")
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["contract_id"], row["flagged_actions"], row["total_rows"]) == ("A", 2, 1)
    assert row["first_time"] == datetime.fromisoformat("2024-03-13 22:30")
    assert row["last_time"] == datetime.fromisoformat("2024-03-20 07:30")
    assert (row["channel"], row["collector"]) == ("sms", "li")


def test_third_party_contracts_largest_first_then_by_id(engine: Engine) -> None:
    """B (B2) and C (C4), one action each: ordered by contract id."""
    frame = compliance.flagged_contracts(engine, AS_OF, "third_party")
    assert list(frame["contract_id"]) == ["B", "C"]
    assert list(frame["flagged_actions"]) == [1, 1]


def test_cap_and_notice_flags_name_contract_b(engine: Engine) -> None:
    """The fourth call of 04-10 is B8 at 12:00; the unannounced agency action is B4."""
    cap = compliance.flagged_contracts(engine, AS_OF, "over_daily_cap").iloc[0]
    assert (cap["contract_id"], cap["last_time"]) == (
        "B",
        datetime.fromisoformat("2024-04-10 12:00"),
    )
    notice = compliance.flagged_contracts(engine, AS_OF, "agency_without_notice").iloc[0]
    assert (notice["contract_id"], notice["collector"]) == ("B", "agency_a")
    assert notice["last_time"] == datetime.fromisoformat("2024-04-02 21:00")


def test_a_lower_cap_and_an_earlier_window_end_flag_more(engine: Engine, db_url: str) -> None:
    """Settings come from the build: with cap 2 and window end 20:00 on a rebuilt book, B7 and
    B8 are over the cap (2 actions) and B4 at 21:00 is outside too (3 actions, 2 contracts)."""
    from tests.queries.monitoring_books import AS_OF as BOOK_AS_OF
    from tests.queries.monitoring_books import OVERRIDES, monitoring_book
    from tests.warehouse.book import build_book
    from warehouse.engine import create_warehouse_engine

    overrides = {
        **OVERRIDES,
        "collections.daily_cap": 2,
        "collections.contact_window_end": "20:00",
    }
    build_book(db_url, monitoring_book(), BOOK_AS_OF, **overrides)
    other = create_warehouse_engine(db_url)
    try:
        got = _counts(compliance.flag_counts(other, AS_OF))
    finally:
        other.dispose()
    assert got["over_daily_cap"] == (2, 1)
    assert got["outside_window"] == (3, 2)


def test_filters_apply_to_the_flags(engine: Engine) -> None:
    """Scope SH leaves out C (branch BJ): third_party keeps only B2 (1, 1)."""
    scoped = Filters(as_of=date(2024, 6, 30), scope=("SH",))
    assert _counts(compliance.flag_counts(engine, scoped))["third_party"] == (1, 1)
    nothing = Filters(as_of=date(2024, 6, 30), scope=())
    assert set(_counts(compliance.flag_counts(engine, nothing)).values()) == {(0, 0)}


def test_window_before_the_actions_has_no_flags(engine: Engine) -> None:
    """As of 2024-01-31 nothing has happened yet: every flag is zero and the lists are empty."""
    january = Filters(as_of=date(2024, 1, 31))
    assert set(_counts(compliance.flag_counts(engine, january)).values()) == {(0, 0)}
    assert compliance.flagged_contracts(engine, january, "third_party").empty


def test_unknown_flag_is_refused(engine: Engine) -> None:
    """A flag outside FLAGS raises ValueError."""
    with pytest.raises(ValueError, match="unknown flag"):
        compliance.flagged_contracts(engine, AS_OF, "everything")


def test_daily_cap_counts_the_debtors_contacts_on_every_contract(db_url: str) -> None:
    """Lessee LX holds X1 (direct_lease) and X2 (sale_leaseback). On 2024-04-10 it gets four
    calls: 09:00 and 10:00 about X1, 11:00 and 12:00 about X2. Cap 3 per debtor: the 12:00 call
    (X2) is the fourth and over the cap, whether or not the slice shows X1. Sliced to
    sale_leaseback: 1 action, 1 contract; to direct_lease: none of its calls is over."""
    b = Book()
    b.contract("X1", "2024-01-10", monthly("2024-02-10", 6, "1000"))
    b.contract("X2", "2024-01-10", monthly("2024-02-10", 6, "1000"), lessee_id="LX1")
    b.contracts[-1]["product"] = "sale_leaseback"
    for n, (contract, hour) in enumerate((("X1", 9), ("X1", 10), ("X2", 11), ("X2", 12))):
        b.__dict__.setdefault("collections", []).append(
            {
                "action_id": f"K{n}",
                "contract_id": contract,
                "action_time": datetime.fromisoformat(f"2024-04-10 {hour:02d}:00"),
                "channel": "phone",
                "counterparty_role": "lessee",
                "outcome": "no_answer",
                "promised_amount": None,
                "promised_date": None,
                "collector": "wang",
            }
        )
    build_book(db_url, b, "2024-06-30")
    engine = create_warehouse_engine(db_url)
    try:
        slb = Filters(as_of=date(2024, 6, 30), product=("sale_leaseback",))
        direct = Filters(as_of=date(2024, 6, 30), product=("direct_lease",))
        assert _counts(compliance.flag_counts(engine, slb))["over_daily_cap"] == (1, 1)
        assert _counts(compliance.flag_counts(engine, direct))["over_daily_cap"] == (0, 0)
        listed = compliance.flagged_contracts(engine, slb, "over_daily_cap")
        assert list(listed.contract_id) == ["X2"]
    finally:
        engine.dispose()
