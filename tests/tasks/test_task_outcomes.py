"""Task outcomes (tasks.outcomes, tasks.actions.record_outcome) on SQLite and PostgreSQL: each
kind's fields checked, money exact, and the contact window and daily cap of docs/domain.md §10.

The acts happen at NOW = 2026-12-07 02:00 UTC, 10:00 in Shanghai (the display zone); the default
rules allow contacts 08:00–21:00 local, both ends included, and 3 judged contacts per debtor a day.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import Engine

from tasks.actions import Actor, TaskError, record_outcome
from tasks.outcomes import CONTACT_KINDS, ContactRules, check_outcome
from tests.tasks.task_people import T0, add_people, events, make_task, task_row
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.decisions import committee_decisions
from warehouse.settings import load_settings

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC).replace(tzinfo=None)
RULES = ContactRules.from_settings(load_settings())
COLLECTOR = Actor("col_all", frozenset({"risk_committee"}), None)


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """A portal store with the people of `task_people.PEOPLE`."""
    engine = portal_engine(portal_url(db_url))
    add_people(engine)
    yield engine
    engine.dispose()


def record(store: Engine, task: int, kind: str, confirm: bool = False, **fields: object) -> None:
    """`col_all` records an outcome on `task` as it now stands."""
    expected = task_row(store, task).updated_at
    record_outcome(
        store,
        COLLECTOR,
        task,
        kind,
        fields,
        RULES,
        expected=expected,
        confirm_breach=confirm,
        now=NOW,
    )


def call(at: str, party: str = "lessee", channel: str = "phone") -> dict[str, object]:
    """The fields of a contact that reached no one, at local time `at`."""
    return {"channel": channel, "party": party, "contacted_at": at}


def test_a_promise_to_pay_is_stored_in_exact_yuan(store: Engine) -> None:
    task = make_task(store)
    record(
        store,
        task,
        "promise_to_pay",
        amount="12,000.5",
        date="2026-12-20",
        **call("2026-12-07 09:15"),
    )
    row = task_row(store, task)
    assert (row.outcome_kind, row.status, row.assignee) == (
        "promise_to_pay",
        "in_progress",
        "col_all",
    )
    assert json.loads(row.outcome) == {
        "amount": "12000.50",
        "date": "2026-12-20",
        "channel": "phone",
        "party": "lessee",
        "contacted_at": "2026-12-07T09:15",
    }
    assert json.loads(events(store, task)[-1].detail)["kind"] == "promise_to_pay"


@pytest.mark.parametrize(
    ("kind", "fields", "code"),
    [
        ("promise_to_pay", {"amount": "100.005", "date": "2026-12-20"}, "amount"),
        ("promise_to_pay", {"amount": "-1", "date": "2026-12-20"}, "amount"),
        ("promise_to_pay", {"amount": "NaN", "date": "2026-12-20"}, "amount"),
        ("promise_to_pay", {"amount": "1e3x", "date": "2026-12-20"}, "amount"),
        ("promise_to_pay", {"amount": "100", "date": "2026-12-06"}, "promise_date"),
        ("promise_to_pay", {"amount": "100", "date": "2027-12-09"}, "promise_date"),
        ("promise_to_pay", {"amount": "100", "date": "soon"}, "date"),
        ("no_contact", {"contacted_at": "2026-12-07 10:01"}, "future"),
        ("no_contact", {"channel": "fax"}, "choice"),
        ("no_contact", {"party": "neighbour"}, "choice"),
        ("legal_filing", {"court": "上海市浦东新区人民法院", "filed_on": "2026-12-01"}, "missing"),
        ("legal_filing", {"court": "X", "case_number": "1", "filed_on": "2026-12-08"}, "future"),
        ("reviewed", {"conclusion": "ok\x00"}, "control"),
        ("reviewed", {"conclusion": "x" * 2001}, "too_long"),
        ("inspected", {"finding": "lost?"}, "choice"),
        ("restructuring_proposed", {"terms": "extend", "decision_id": "abc"}, "decision"),
        ("restructuring_proposed", {"terms": "extend", "decision_id": "9" * 30}, "decision"),
        ("guessed", {}, "choice"),
    ],
)
def test_a_bad_outcome_is_refused_with_its_reason(
    kind: str, fields: dict[str, object], code: str
) -> None:
    given = {**call("2026-12-07 09:00"), **fields} if kind in CONTACT_KINDS else fields
    with pytest.raises(TaskError) as refused:
        check_outcome(kind, given, RULES.local(NOW))
    assert refused.value.code == code


def test_a_refused_outcome_writes_nothing(store: Engine) -> None:
    task = make_task(store)
    with pytest.raises(TaskError) as refused:
        record(store, task, "promise_to_pay", amount="0.001", date="2026-12-20", **call("09:00"))
    assert refused.value.code == "date"  # the contact time "09:00" has no day
    with pytest.raises(TaskError):
        record(
            store,
            task,
            "promise_to_pay",
            amount="0.001",
            date="2026-12-20",
            **call("2026-12-07 09:00"),
        )
    assert task_row(store, task).updated_at == T0
    assert [e.action for e in events(store, task)] == ["created"]


def test_a_legal_filing_an_inspection_and_a_review_keep_their_fields(store: Engine) -> None:
    task = make_task(store)
    record(
        store,
        task,
        "legal_filing",
        court=" 上海市浦东新区人民法院 ",
        case_number="（2026）沪0115民初1234号",
        filed_on="2026-12-04",
    )
    assert json.loads(task_row(store, task).outcome) == {
        "court": "上海市浦东新区人民法院",
        "case_number": "（2026）沪0115民初1234号",
        "filed_on": "2026-12-04",
    }
    record(store, task, "inspected", finding="pledged", note="pledged to a bank")
    assert json.loads(task_row(store, task).outcome) == {
        "finding": "pledged",
        "note": "pledged to a bank",
    }
    assert [e.action for e in events(store, task)] == ["created", "outcome", "outcome"]


def test_a_restructuring_links_only_a_committee_decision_on_the_same_contract(
    store: Engine,
) -> None:
    with store.begin() as conn:
        ids = [
            conn.execute(
                committee_decisions.insert().values(
                    at=T0, actor="risk1", contract_id=contract, kind="action", reason="restructure"
                )
            ).inserted_primary_key[0]
            for contract in ("C1", "C2")
        ]
    task = make_task(store)
    with pytest.raises(TaskError) as other:
        record(store, task, "restructuring_proposed", terms="extend 12 months", decision_id=ids[1])
    assert other.value.code == "decision"
    record(store, task, "restructuring_proposed", terms="extend 12 months", decision_id=ids[0])
    assert json.loads(task_row(store, task).outcome) == {
        "terms": "extend 12 months",
        "decision_id": str(ids[0]),
    }


def test_a_contact_outside_the_window_is_refused_unless_confirmed_then_flagged(
    store: Engine,
) -> None:
    task = make_task(store)
    for at in ("2026-12-06 21:00", "2026-12-07 08:00"):  # both ends are allowed
        record(store, task, "no_contact", **call(at))
        assert "flags" not in json.loads(task_row(store, task).outcome)
    for at in ("2026-12-06 21:01", "2026-12-07 07:59"):
        with pytest.raises(TaskError) as refused:
            record(store, task, "no_contact", **call(at))
        assert refused.value.code == "contact_rules"
        assert refused.value.values["flags"] == ["outside_window"]
    assert [e.action for e in events(store, task)] == ["created", "outcome", "outcome"]
    record(store, task, "no_contact", confirm=True, **call("2026-12-06 21:01"))
    assert json.loads(task_row(store, task).outcome)["flags"] == ["outside_window"]
    assert json.loads(events(store, task)[-1].detail)["flags"] == ["outside_window"]


def test_a_letter_has_no_contact_time_to_judge(store: Engine) -> None:
    task = make_task(store)
    record(store, task, "no_contact", **call("2026-12-06 23:30", channel="letter"))
    assert "flags" not in json.loads(task_row(store, task).outcome)


def test_the_fourth_contact_of_a_debtor_in_a_day_is_over_the_cap(store: Engine) -> None:
    first, second = make_task(store), make_task(store, contract_id="C2")  # one lessee, L1
    other = make_task(store, lessee_id="L2", contract_id="C3")
    record(store, first, "no_contact", **call("2026-12-06 09:00"))
    record(store, second, "no_contact", **call("2026-12-06 10:00"))
    record(store, first, "no_contact", **call("2026-12-06 11:00", party="guarantor"))  # not counted
    record(store, first, "no_contact", **call("2026-12-06 12:00", channel="letter"))  # not counted
    record(store, other, "no_contact", **call("2026-12-06 12:30"))  # another debtor
    record(store, first, "no_contact", **call("2026-12-05 20:00"))  # the day before
    record(store, second, "no_contact", **call("2026-12-06 13:00"))  # the third: allowed
    with pytest.raises(TaskError) as refused:
        record(
            store,
            first,
            "promise_to_pay",
            amount="500",
            date="2026-12-10",
            **call("2026-12-06 14:00"),
        )
    assert (refused.value.code, refused.value.values["flags"]) == (
        "contact_rules",
        ["over_daily_cap"],
    )
    assert refused.value.values["earlier"] == 3
    record(store, first, "no_contact", **call("2026-12-07 09:00"))  # a new day: allowed
    record(store, first, "no_contact", confirm=True, **call("2026-12-06 22:00"))
    assert json.loads(task_row(store, first).outcome)["flags"] == [
        "outside_window",
        "over_daily_cap",
    ]
    assert [e.action for e in events(store, first)].count("outcome") == 6


def test_the_window_and_cap_are_read_from_the_settings(store: Engine) -> None:
    strict = ContactRules.from_settings(
        load_settings(
            overrides={
                "collections.contact_window_start": "09:00",
                "collections.contact_window_end": "18:00",
                "collections.daily_cap": 1,
            }
        )
    )
    assert strict.daily_cap == 1
    task = make_task(store)
    fields = call("2026-12-07 08:30")
    with pytest.raises(TaskError) as refused:
        record_outcome(store, COLLECTOR, task, "no_contact", fields, strict, expected=T0, now=NOW)
    assert refused.value.values["flags"] == ["outside_window"]


def test_two_collectors_at_once_cannot_both_slip_under_the_cap(store: Engine) -> None:
    """L1 has 2 judged contacts on 12-06; two collectors record a third at once on two of its
    tasks: one is stored, the other is refused as the fourth."""
    first, second = make_task(store), make_task(store, contract_id="C2")
    record(store, first, "no_contact", **call("2026-12-06 09:00"))
    record(store, first, "no_contact", **call("2026-12-06 10:00"))
    other = Actor("col_sh", frozenset({"risk_committee"}), ("SH",))
    gate = threading.Barrier(2)
    said: list[str] = []

    def act(who: Actor, task: int) -> None:
        expected = task_row(store, task).updated_at
        gate.wait()
        try:
            record_outcome(
                store,
                who,
                task,
                "no_contact",
                call("2026-12-06 11:00"),
                RULES,
                expected=expected,
                now=NOW,
            )
            said.append("stored")
        except TaskError as exc:
            said.append(str(exc.values.get("flags")))

    threads = [
        threading.Thread(target=act, args=(COLLECTOR, first)),
        threading.Thread(target=act, args=(other, second)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(said) == ["['over_daily_cap']", "stored"]
