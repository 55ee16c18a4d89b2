"""The rectification ledger: items made once per finding, findings that go and come back, the
deadline and overdue by working days, and who may change an item (second-person sign-off).

Each test runs on the SQLite store beside a DuckDB warehouse and on PostgreSQL (`db_url`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tasks.findings import Finding
from tasks.rectification import (
    RectificationError,
    add_working_days,
    apply_findings,
    assign,
    closed_on_time,
    send_back,
    sign_off,
    start,
    submit,
)
from tests.tasks.rectification_people import NOW, person, staffed_portal
from warehouse.portal.audit import audit_events
from warehouse.portal.rectification import rectification_events, rectification_items

FRIDAY = date(2026, 12, 4)
DAYS = {"data_check": 5, "validation": 3, "correction": 10}
ALL = ("data_check", "validation", "correction")
CHECK = Finding("data_check", "check:contract_pk", "contract_pk (contract)", "2 rows fail")
RULE = Finding("validation", "validation:G01:2026-11-30:R7", "G01 2026-11-30 v1 R7", "A1 ≠ B1")
FIX = Finding("correction", "correction:4", "G01 2026-10-31 更正报送", '=HYPERLINK("x")')
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    """A portal store with the people of `rectification_people` and an empty ledger."""
    yield from staffed_portal(db_url)


def _apply(portal: Engine, findings, today: date = FRIDAY, sources=ALL, later: int = 0):
    return apply_findings(
        portal,
        findings,
        sources=sources,
        days=DAYS,
        today=today,
        now=NOW + timedelta(minutes=later),
    )


def _items(portal: Engine) -> dict[str, dict]:
    with portal.connect() as conn:
        rows = conn.execute(sa.select(rectification_items)).mappings().all()
    return {r["source_key"]: dict(r) for r in rows}


def _events(portal: Engine) -> list[tuple[int, str, str]]:
    e = rectification_events.c
    with portal.connect() as conn:
        rows = conn.execute(sa.select(e.item_id, e.actor, e.action).order_by(e.event_id)).all()
    return [tuple(r) for r in rows]


def _count(portal: Engine, table: sa.Table) -> int:
    with portal.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()


def test_working_days_skip_the_weekend() -> None:
    """Friday + 1 = Monday; Friday + 5 = next Friday; Saturday + 1 = Monday."""
    assert add_working_days(FRIDAY, 1) == date(2026, 12, 7)
    assert add_working_days(FRIDAY, 5) == date(2026, 12, 11)
    assert add_working_days(FRIDAY, 10) == date(2026, 12, 18)
    assert add_working_days(date(2026, 12, 5), 1) == date(2026, 12, 7)


def test_one_item_per_finding_and_a_second_run_makes_nothing(portal: Engine) -> None:
    """Three findings: three open items owned by compliance with deadlines by source; the same
    findings again change nothing at all (no item, no event, no audit row)."""
    first = _apply(portal, [CHECK, RULE, FIX, CHECK])
    assert len(first.created) == 3
    items = _items(portal)
    assert sorted(items) == [
        "check:contract_pk#1",
        "correction:4#1",
        "validation:G01:2026-11-30:R7#1",
    ]
    assert {
        k: (v["status"], v["department"], v["owner"]) for k, v in items.items()
    } == dict.fromkeys(items, ("open", "compliance", None))
    assert items["check:contract_pk#1"]["deadline"] == date(2026, 12, 11)
    assert items["validation:G01:2026-11-30:R7#1"]["deadline"] == date(2026, 12, 9)
    assert items["correction:4#1"]["deadline"] == date(2026, 12, 18)
    assert items["correction:4#1"]["description"] == '=HYPERLINK("x")'  # stored as given
    events, audits = _count(portal, rectification_events), _count(portal, audit_events)

    second = _apply(portal, [CHECK, RULE, FIX], later=60)
    assert not second.changed
    assert _items(portal) == items
    assert (_count(portal, rectification_events), _count(portal, audit_events)) == (
        events,
        audits,
    )


def test_a_finding_that_went_away_is_marked_never_closed(portal: Engine) -> None:
    """CHECK disappears: its item stays open, marked not present; it comes back: marked present,
    no second item."""
    _apply(portal, [CHECK, RULE])
    gone = _apply(portal, [RULE], later=1)
    item = _items(portal)["check:contract_pk#1"]
    assert gone.gone == (item["item_id"],)
    assert (item["status"], item["finding_present"], item["closed_at"]) == ("open", False, None)
    back = _apply(portal, [CHECK, RULE], later=2)
    assert back.back == (item["item_id"],) and back.created == ()
    assert _items(portal)["check:contract_pk#1"]["finding_present"] is True
    actions = [a for i, _, a in _events(portal) if i == item["item_id"]]
    assert actions == ["created", "finding_gone", "finding_back"]


def test_a_source_that_could_not_be_read_leaves_its_items_alone(portal: Engine) -> None:
    """A sync that read only the filing sources does not take CHECK for gone."""
    _apply(portal, [CHECK, RULE])
    result = _apply(portal, [RULE], sources=("validation", "correction"), later=1)
    assert not result.changed
    assert _items(portal)["check:contract_pk#1"]["finding_present"] is True


def test_a_closed_finding_that_returns_after_going_away_is_a_second_episode(
    portal: Engine,
) -> None:
    """Closed while present, then gone, then back: item #2; closed and still present: nothing."""
    _apply(portal, [CHECK, FIX])
    items = _items(portal)
    for key in ("check:contract_pk#1", "correction:4#1"):
        item_id = items[key]["item_id"]
        assign(portal, item_id, "comp1", person("comp2"), now=NOW)
        submit(portal, item_id, "fixed the source system", person("comp1"), now=NOW)
        sign_off(portal, item_id, person("comp2"), now=NOW)
    assert not _apply(portal, [CHECK, FIX], later=5).created  # closed, finding still there
    _apply(portal, [FIX], later=6)
    again = _apply(portal, [CHECK, FIX], later=7)
    assert len(again.created) == 1
    assert sorted(_items(portal)) == [
        "check:contract_pk#1",
        "check:contract_pk#2",
        "correction:4#1",
    ]
    assert _items(portal)["check:contract_pk#2"]["status"] == "open"


def test_open_items_past_their_deadline_become_overdue_once(portal: Engine) -> None:
    """On Wed 9 Dec nothing is late; on Thu 10 Dec the validation item (due 9 Dec) is overdue;
    on Mon 14 Dec the open check item (due 11 Dec) too, not the submitted correction (due 18)
    and not the check item submitted for sign-off."""
    _apply(portal, [CHECK, RULE, FIX])
    items = {k.split(":")[0]: v["item_id"] for k, v in _items(portal).items()}
    assert _apply(portal, [CHECK, RULE, FIX], today=date(2026, 12, 9)).overdue == ()
    late = _apply(portal, [CHECK, RULE, FIX], today=date(2026, 12, 10))
    assert late.overdue == (items["validation"],)
    assign(portal, items["correction"], "comp1", person("comp1"))
    submit(portal, items["correction"], "resubmitted with the reason", person("comp1"))
    later = _apply(portal, [CHECK, RULE, FIX], today=date(2026, 12, 14))
    assert later.overdue == (items["check"],)
    statuses = {k.split(":")[0]: v["status"] for k, v in _items(portal).items()}
    assert statuses == {"check": "overdue", "validation": "overdue", "correction": "submitted"}


def test_the_submitter_cannot_sign_off_and_nothing_is_written(portal: Engine) -> None:
    """comp1 submits; comp1 (in any case) signing off or sending back is refused; comp2 signs."""
    _apply(portal, [CHECK])
    item_id = _items(portal)["check:contract_pk#1"]["item_id"]
    assign(portal, item_id, "comp1", person("boss"), now=NOW)
    submit(portal, item_id, "  reran the load after the fix  ", person("comp1"), now=NOW)
    before = (_items(portal), _count(portal, rectification_events), _count(portal, audit_events))
    with pytest.raises(RectificationError, match="a second person signs it off"):
        sign_off(portal, item_id, person("comp1"))
    shouting = person("comp1").__class__("COMP1", "", frozenset({"compliance"}), None)
    with pytest.raises(RectificationError):
        sign_off(portal, item_id, shouting)
    with pytest.raises(RectificationError, match="a second person reviews it"):
        send_back(portal, item_id, "not enough", person("comp1"))
    assert (
        _items(portal),
        _count(portal, rectification_events),
        _count(portal, audit_events),
    ) == before
    sign_off(portal, item_id, person("comp2"), now=NOW + timedelta(hours=1))
    item = _items(portal)["check:contract_pk#1"]
    assert (item["status"], item["evidence"], item["submitted_by"], item["closed_by"]) == (
        "closed",
        "reran the load after the fix",
        "comp1",
        "comp2",
    )
    assert item["closed_at"] == NOW + timedelta(hours=1)
    e = rectification_events.c
    with portal.connect() as conn:
        history = conn.execute(
            sa.select(e.actor, e.action).where(e.item_id == item_id).order_by(e.event_id)
        ).all()
    assert [tuple(h) for h in history] == [
        ("system", "created"),
        ("boss", "assigned"),
        ("comp1", "submitted"),
        ("comp2", "signed_off"),
    ]


@pytest.mark.parametrize(
    ("who", "code"),
    [("fin1", "department"), ("scoped", "branch"), ("exec1", "role")],
)
def test_a_change_from_outside_the_department_branch_or_role_is_refused(
    portal: Engine, who: str, code: str
) -> None:
    """Finance, a Shanghai-only user (the item is institution-wide) and an executive may not
    assign, start, submit or sign off; nothing is written."""
    _apply(portal, [CHECK])
    item_id = _items(portal)["check:contract_pk#1"]["item_id"]
    before = (_items(portal), _count(portal, rectification_events), _count(portal, audit_events))
    attempts = [
        lambda: assign(portal, item_id, who, person(who)),
        lambda: start(portal, item_id, person(who)),
        lambda: submit(portal, item_id, "done", person(who)),
        lambda: sign_off(portal, item_id, person(who)),
    ]
    for attempt in attempts:
        with pytest.raises(RectificationError) as refused:
            attempt()
        assert refused.value.code == code
    after = (_items(portal), _count(portal, rectification_events), _count(portal, audit_events))
    assert after == before


def test_owner_rules_and_evidence_are_enforced(portal: Engine) -> None:
    """Only an enabled member of compliance can own; only the owner submits, with a note."""
    _apply(portal, [RULE])
    item_id = _items(portal)["validation:G01:2026-11-30:R7#1"]["item_id"]
    with pytest.raises(RectificationError, match="not an enabled member of department"):
        assign(portal, item_id, "fin1", person("comp1"))
    with pytest.raises(RectificationError, match="only the owner"):
        submit(portal, item_id, "done", person("comp1"))
    assign(portal, item_id, "comp2", person("comp1"))
    with pytest.raises(RectificationError, match="only the owner of item"):
        submit(portal, item_id, "done", person("comp1"))
    with pytest.raises(RectificationError, match="evidence note is required"):
        submit(portal, item_id, " \x00 ", person("comp2"))
    start(portal, item_id, person("comp2"))
    submit(portal, item_id, "rule R7 fixed in the mapping", person("comp2"))
    send_back(portal, item_id, "attach the new workbook", person("comp1"))
    assert _items(portal)["validation:G01:2026-11-30:R7#1"]["status"] == "in_progress"
    with pytest.raises(RectificationError, match="cannot be signed off"):
        sign_off(portal, item_id, person("comp1"))
    a = audit_events.c
    with portal.connect() as conn:
        rows = conn.execute(
            sa.select(a.details).where(a.action == "rectification", a.target != "sync")
        ).all()
    audited = [json.loads(r.details)["change"] for r in rows]
    assert audited == ["assigned", "started", "submitted", "sent_back"]


def test_closed_on_time_counts_by_hand(portal: Engine) -> None:
    """Deadlines: check 11 Dec, validation 9 Dec, correction 18 Dec. The check item is signed off
    on 11 Dec 15:00 UTC (23:00 Shanghai, 11 Dec): on time; the validation item on 9 Dec 16:30 UTC
    (00:30 Shanghai, 10 Dec): late; the correction is still open. Due 1–15 Dec: the check and
    validation items, one on time (1/2); due 1–31 Dec adds the open correction: late (1/3) once
    18 Dec has passed, pending (not counted, 1/2) until then."""
    _apply(portal, [CHECK, RULE, FIX])
    items = {k.split(":")[0]: v["item_id"] for k, v in _items(portal).items()}
    closing = {
        "check": NOW.replace(day=11, hour=15),
        "validation": NOW.replace(day=9, hour=16, minute=30),
    }
    for source, at in closing.items():
        assign(portal, items[source], "comp1", person("comp1"), now=NOW)
        submit(portal, items[source], "fixed", person("comp1"), now=NOW)
        sign_off(portal, items[source], person("comp2"), now=at)
    after = date(2026, 12, 19)  # every deadline passed
    half = closed_on_time(portal, date(2026, 12, 1), date(2026, 12, 15), SHANGHAI, today=after)
    assert (half.on_time, half.late, half.due, half.share) == (
        (items["check"],),
        (items["validation"],),
        2,
        0.5,
    )
    month = closed_on_time(portal, date(2026, 12, 1), date(2026, 12, 31), SHANGHAI, today=after)
    assert (len(month.on_time), len(month.late)) == (1, 2)
    # On 18 Dec (the correction's own deadline) the open correction can still be closed on time:
    # pending, neither on time nor late (1/2); on 19 Dec it is late.
    on_18 = closed_on_time(
        portal, date(2026, 12, 1), date(2026, 12, 31), SHANGHAI, today=date(2026, 12, 18)
    )
    assert (on_18.on_time, on_18.late, on_18.pending) == (
        (items["check"],),
        (items["validation"],),
        (items["correction"],),
    )
    assert on_18.share == 0.5
    only_fix = closed_on_time(
        portal, date(2026, 12, 1), date(2026, 12, 31), SHANGHAI, today=after, source="correction"
    )
    assert (only_fix.on_time, only_fix.late) == ((), (items["correction"],))
    nothing = closed_on_time(portal, date(2027, 1, 1), date(2027, 1, 31), SHANGHAI, today=after)
    assert (nothing.due, nothing.share) == (0, None)
