"""The 催收 and 预警 drill lists on the hand-worked book of `tests/queries/monitoring_books.py`.

March actions: phone A1, A2, A3 (contract A, 03-12..03-14), C1, C4 (contract C, 03-18, 03-26);
promises A3, B3 (visit), C3 (agency). April: B4 agency, B5–B8 phone, all on B (5 attempts). May:
only the legal filing B9 (no attempt). Credits: March B 1,000 (visit); April A 2,000 (sms), C
500 + 500 (phone). Signals: S1 LB 01-20 tax high, lessee-wide (LB's contract B); S3 LA 02-15 iot
high (A); S4 LC 05-01 news low, lessee-wide (LC's C, sale_leaseback). Lead times (high): LB 132
days (91–180, contract B), LD −10 (≤ 0, D); medium adds LE 89 (31–90, E).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from queries import collection_lists, signal_lists
from queries.filters import Filters
from tests.queries.monitoring_books import ENGINES, built_engine

MARCH = Filters(as_of=date(2024, 3, 31))
APRIL = Filters(as_of=date(2024, 4, 30))
AS_OF = Filters(as_of=date(2024, 6, 30))


@pytest.fixture(scope="module", params=ENGINES)
def engine(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """The monitoring book, built once per engine."""
    yield from built_engine(request, tmp_path_factory.mktemp("drill_lists"))


def _rows(frame, *columns):
    return [tuple(r[c] for c in columns) for r in frame.to_dict("records")]


def test_phone_actions_in_march_list_contracts_a_and_c_latest_first(engine: Engine) -> None:
    """The chart's March phone bars count 5 actions on 2 contracts: C (2, last 03-26), A (3)."""
    frame = collection_lists.action_contracts(engine, MARCH, kind="channel", value="phone")
    got = _rows(frame, "contract_id", "actions", "first_action_day", "last_action_day")
    assert got == [
        ("C", 2, date(2024, 3, 18), date(2024, 3, 26)),
        ("A", 3, date(2024, 3, 12), date(2024, 3, 14)),
    ]
    assert set(frame["total_rows"]) == {2}


def test_promise_outcomes_in_march_list_one_contract_each(engine: Engine) -> None:
    """A3, B3 and C3 are March's promises: contracts A, B, C with one action each."""
    frame = collection_lists.action_contracts(engine, MARCH, kind="outcome", value="promise_to_pay")
    assert sorted(_rows(frame, "contract_id", "actions")) == [("A", 1), ("B", 1), ("C", 1)]


def test_attempts_follow_the_month_and_leave_out_the_legal_filing(engine: Engine) -> None:
    """April's attempts are B4–B8 on B; May's only action, B9, is a legal filing: no attempt."""
    april = collection_lists.action_contracts(engine, APRIL, kind="flag", value="attempt")
    assert _rows(april, "contract_id", "actions", "total_rows") == [("B", 5, 1)]
    may = Filters(as_of=date(2024, 5, 31))
    assert collection_lists.action_contracts(engine, may, kind="flag", value="attempt").empty


def test_action_lists_keep_the_filters_and_the_branch_scope(engine: Engine) -> None:
    """Scope SH leaves out C (branch BJ): March's phone actions are A's alone."""
    sh = Filters(as_of=date(2024, 3, 31), scope=("SH",))
    frame = collection_lists.action_contracts(engine, sh, kind="channel", value="phone")
    assert _rows(frame, "contract_id", "total_rows") == [("A", 1)]


def test_credit_lists_name_the_contracts_each_channel_recovered(engine: Engine) -> None:
    """April: phone credits C's two 500 receipts, sms A's 2,000. March: visit B's 1,000."""
    phone = collection_lists.credit_contracts(engine, APRIL, channel="phone")
    assert _rows(phone, "contract_id", "receipts", "recovered", "last_received_date") == [
        ("C", 2, Decimal("1000.00"), date(2024, 4, 15))
    ]
    sms = collection_lists.credit_contracts(engine, APRIL, channel="sms")
    assert _rows(sms, "contract_id", "recovered") == [("A", Decimal("2000.00"))]
    visit = collection_lists.credit_contracts(engine, MARCH, channel="visit")
    assert _rows(visit, "contract_id", "receipts") == [("B", 1)]


def test_cure_bars_list_the_contracts_of_their_mature_spells(engine: Engine) -> None:
    """Over 12 months to June, spells judged by April: A (phone, 03-12, cured), B (sms, 02-20,
    not cured), C (phone, 03-18, cured); C's June spell (C5) is too recent. Over 3 months
    (April–June, judged by April) there is none: B's April actions continue its spell."""
    phone = collection_lists.spell_contracts(engine, AS_OF, channel="phone")
    assert _rows(phone, "contract_id", "spells", "cured", "first_spell_day") == [
        ("C", 1, 1, date(2024, 3, 18)),
        ("A", 1, 1, date(2024, 3, 12)),
    ]
    every = collection_lists.spell_contracts(engine, AS_OF, channel="all")
    assert sorted(_rows(every, "contract_id", "cured")) == [("A", 1), ("B", 0), ("C", 1)]
    assert collection_lists.spell_contracts(engine, AS_OF, channel="all", months=3).empty


def test_collection_lists_refuse_values_outside_their_lists(engine: Engine) -> None:
    """A forged channel, outcome or flag is refused before any statement runs."""
    with pytest.raises(ValueError):
        collection_lists.action_contracts(engine, MARCH, kind="channel", value="fax")
    with pytest.raises(ValueError):
        collection_lists.action_contracts(engine, MARCH, kind="flag", value="kept")
    with pytest.raises(ValueError):
        collection_lists.credit_contracts(engine, MARCH, channel="'; drop table x")
    with pytest.raises(ValueError):
        collection_lists.spell_contracts(engine, MARCH, channel="fax")
    with pytest.raises(ValueError):
        collection_lists.spell_contracts(engine, MARCH, channel="all", months=0)


def test_a_lessee_wide_signal_lists_its_lessee_with_a_contract_to_open(engine: Engine) -> None:
    """January tax high is S1 on LB with no contract: LB, opened at its contract B."""
    january = Filters(as_of=date(2024, 1, 31))
    frame = signal_lists.signal_lessees(engine, january, "tax", "high")
    got = _rows(frame, "lessee_id", "contract_id", "signals", "last_signal_date")
    assert got == [("LB", "B", 1, date(2024, 1, 20))]
    assert list(frame["lessee_type"]) == ["corporate"]


def test_signal_lists_keep_the_month_severity_and_filters(engine: Engine) -> None:
    """February iot high is S3 on A; iot medium is nothing. May news low is LC's (contract C);
    product direct_lease leaves LC (only C, a sale-leaseback) out, as the chart does."""
    february = Filters(as_of=date(2024, 2, 29))
    assert _rows(signal_lists.signal_lessees(engine, february, "iot", "high"), "contract_id") == [
        ("A",)
    ]
    assert signal_lists.signal_lessees(engine, february, "iot", "medium").empty
    may = Filters(as_of=date(2024, 5, 31))
    assert _rows(signal_lists.signal_lessees(engine, may, "news", "low"), "lessee_id") == [("LC",)]
    direct = Filters(as_of=date(2024, 5, 31), product=("direct_lease",))
    assert signal_lists.signal_lessees(engine, direct, "news", "low").empty


def test_band_lists_hold_the_lessees_the_distribution_counts(engine: Engine) -> None:
    """High: 91–180 is LB (132 days, contract B), ≤ 0 is LD (−10, D), 1–30 nobody; medium
    31–90 is LE (89, E). The same with scope SH (the live route, not the build's whole book)."""
    for filters in (AS_OF, Filters(as_of=date(2024, 6, 30), scope=("SH",))):
        high = signal_lists.band_lessees(engine, filters, "high", "d91_180")
        assert _rows(high, "lessee_id", "contract_id", "lead_days", "total_rows") == [
            ("LB", "B", 132, 1)
        ]
        late = signal_lists.band_lessees(engine, filters, "high", "le_0")
        assert _rows(late, "lessee_id", "contract_id", "lead_days") == [("LD", "D", -10)]
        assert signal_lists.band_lessees(engine, filters, "high", "d1_30").empty
        medium = signal_lists.band_lessees(engine, filters, "medium", "d31_90")
        assert _rows(medium, "lessee_id", "contract_id", "lead_days") == [("LE", "E", 89)]


def test_signal_lists_refuse_values_outside_their_lists(engine: Engine) -> None:
    """An unknown source, severity or band is refused."""
    with pytest.raises(ValueError):
        signal_lists.signal_lessees(engine, AS_OF, "rumour", "high")
    with pytest.raises(ValueError):
        signal_lists.band_lessees(engine, AS_OF, "low", "le_0")
    with pytest.raises(ValueError):
        signal_lists.band_lessees(engine, AS_OF, "high", "d0_1")
