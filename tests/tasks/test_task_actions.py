"""Task actions (tasks.actions) on the portal store of SQLite and PostgreSQL: who may act, the
history each act writes, escalation, stale and concurrent updates refused.

Times: the acts happen at NOW = 2026-12-07 02:00 UTC (10:00 in Shanghai); the tasks were made at
T0 = 2026-12-01 01:00 UTC. Departments and branches are those of `task_people.PEOPLE`.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tasks.actions import (
    Actor,
    TaskError,
    assign,
    cancel,
    comment,
    done,
    escalate,
    reassign,
    record_outcome,
    start,
)
from tasks.outcomes import ContactRules
from tests.tasks.task_people import PEOPLE, T0, add_people, events, make_task, task_row
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.settings import load_settings

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC).replace(tzinfo=None)
RULES = ContactRules.from_settings(load_settings())


def who(name: str) -> Actor:
    """The actor of one of `PEOPLE`."""
    roles, branches, _ = PEOPLE[name]
    return Actor(name, frozenset(roles), branches)


def _audit_rows(engine: Engine) -> list:
    """The audit trail's rows for task acts (action `task`), oldest first."""
    a = audit_events.c
    stmt = sa.select(a.actor, a.target, a.at, a.details).where(a.action == "task")
    with engine.connect() as conn:
        return list(conn.execute(stmt.order_by(a.event_id)))


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """A portal store with the people of `PEOPLE`."""
    engine = portal_engine(portal_url(db_url))
    add_people(engine)
    yield engine
    engine.dispose()


def test_a_member_assigns_and_the_history_says_who_when_and_to_whom(store: Engine) -> None:
    task = make_task(store)
    acted = assign(store, who("col_sh"), task, "col_all", expected=T0, now=NOW)
    row = task_row(store, task)
    assert (row.assignee, row.status, row.updated_at) == ("col_all", "open", NOW)
    assert acted.updated_at == NOW
    last = events(store, task)[-1]
    assert (last.actor, last.action, last.at) == ("col_sh", "assigned", NOW)
    assert json.loads(last.detail) == {"to": "col_all"}
    [audited] = _audit_rows(store)
    assert (audited.actor, audited.target, audited.at) == ("col_sh", f"tasks:{task}", NOW)
    assert json.loads(audited.details)["act"] == "assigned"


@pytest.mark.parametrize("name", ["risk1", "admin2", "nodept"])
def test_a_user_outside_the_department_is_refused_and_nothing_is_written(
    store: Engine, name: str
) -> None:
    task = make_task(store)
    for act in (
        lambda: assign(store, who(name), task, "col_all", expected=T0, now=NOW),
        lambda: escalate(store, who(name), task, "no answer", expected=T0, now=NOW),
        lambda: start(store, who(name), task, expected=T0, now=NOW),
        lambda: comment(store, who(name), task, "hello", now=NOW),
        lambda: cancel(store, who(name), task, "duplicate", expected=T0, now=NOW),
    ):
        with pytest.raises(TaskError) as refused:
            act()
        assert refused.value.code == "department"
    assert task_row(store, task).updated_at == T0
    assert [e.action for e in events(store, task)] == ["created"]
    assert _audit_rows(store) == []


def test_a_task_outside_the_actors_branches_is_refused(store: Engine) -> None:
    task = make_task(store, branch="BJ")
    with pytest.raises(TaskError) as refused:
        start(store, who("col_sh"), task, expected=T0, now=NOW)
    assert refused.value.code == "branch"
    nobranch = make_task(store, branch=None)
    with pytest.raises(TaskError):
        start(store, who("col_sh"), nobranch, expected=T0, now=NOW)
    assert [e.action for e in events(store, task)] == ["created"]
    start(store, who("col_all"), nobranch, expected=T0, now=NOW)  # every branch: allowed
    assert task_row(store, nobranch).assignee == "col_all"


def test_an_assignee_must_be_a_member_covering_the_branch(store: Engine) -> None:
    task = make_task(store, branch="BJ")
    with pytest.raises(TaskError) as other_department:
        assign(store, who("col_all"), task, "risk1", expected=T0, now=NOW)
    assert other_department.value.code == "not_member"
    with pytest.raises(TaskError) as other_branch:
        assign(store, who("col_all"), task, "col_sh", expected=T0, now=NOW)
    assert other_branch.value.code == "not_member_branch"
    assert task_row(store, task).assignee is None


def test_an_act_on_a_version_someone_changed_since_is_refused(store: Engine) -> None:
    task = make_task(store)
    assign(store, who("col_sh"), task, "col_sh", expected=T0, now=NOW)
    with pytest.raises(TaskError) as stale:
        escalate(store, who("col_all"), task, "no answer", expected=T0, now=NOW)
    assert stale.value.code == "stale"
    row = task_row(store, task)
    assert (row.department, row.assignee) == ("collections", "col_sh")
    assert [e.action for e in events(store, task)] == ["created", "assigned"]


def test_two_people_acting_at_once_on_one_version_only_one_wins(store: Engine) -> None:
    task = make_task(store)
    gate = threading.Barrier(2)
    results: dict[str, str] = {}

    def act(name: str, target: str) -> None:
        gate.wait()
        try:
            assign(store, who(name), task, target, expected=T0, now=NOW)
            results[name] = "done"
        except TaskError as exc:
            results[name] = exc.code

    threads = [
        threading.Thread(target=act, args=("col_sh", "col_sh")),
        threading.Thread(target=act, args=("col_all", "col_all")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results.values()) in (["assigned", "done"], ["done", "stale"])
    winner = next(name for name, said in results.items() if said == "done")
    assert task_row(store, task).assignee == winner
    assert [e.actor for e in events(store, task)] == ["system", winner]


def test_escalation_climbs_the_ladder_one_priority_at_a_time(store: Engine) -> None:
    task = make_task(store, assignee="col_sh", status="in_progress")
    first = escalate(store, who("col_sh"), task, "promise broken twice", expected=T0, now=NOW)
    row = task_row(store, task)
    assert (row.department, row.priority, row.assignee, row.status, row.escalations) == (
        "risk",
        1,
        None,
        "open",
        1,
    )
    assert json.loads(events(store, task)[-1].detail) == {
        "from": "collections",
        "to": "risk",
        "priority_from": 2,
        "priority_to": 1,
        "reason": "promise broken twice",
    }
    later = NOW + timedelta(hours=1)
    second = escalate(store, who("risk1"), task, "no plan", expected=first.updated_at, now=later)
    assert (task_row(store, task).department, task_row(store, task).priority) == ("legal", 1)
    with pytest.raises(TaskError) as top:
        escalate(store, who("legal1"), task, "again", expected=second.updated_at, now=later)
    assert top.value.code == "top"
    assert [e.action for e in events(store, task)] == ["created", "escalated", "escalated"]


def test_reassign_back_to_the_queue_and_start_claims_it(store: Engine) -> None:
    task = make_task(store, assignee="col_sh", status="in_progress")
    back = reassign(store, who("col_all"), task, None, expected=T0, now=NOW)
    assert (task_row(store, task).assignee, task_row(store, task).status) == (None, "open")
    later = NOW + timedelta(minutes=5)
    start(store, who("col_all"), task, expected=back.updated_at, now=later)
    row = task_row(store, task)
    assert (row.assignee, row.status) == ("col_all", "in_progress")
    assert [(e.actor, e.action) for e in events(store, task)][1:] == [
        ("col_all", "reassigned"),
        ("col_all", "started"),
    ]


def test_only_the_assignee_records_and_finishes_and_done_needs_an_outcome(store: Engine) -> None:
    task = make_task(store, assignee="col_all", status="in_progress")
    fields = {"channel": "phone", "contacted_at": "2026-12-07 09:30", "party": "lessee"}
    with pytest.raises(TaskError) as not_mine:
        record_outcome(
            store, who("col_sh"), task, "no_contact", fields, RULES, expected=T0, now=NOW
        )
    assert not_mine.value.code == "assignee"
    with pytest.raises(TaskError) as bare:
        done(store, who("col_all"), task, expected=T0, now=NOW)
    assert bare.value.code == "no_outcome"
    said = record_outcome(
        store, who("col_all"), task, "no_contact", fields, RULES, expected=T0, now=NOW
    )
    finished = NOW + timedelta(minutes=1)
    done(store, who("col_all"), task, expected=said.updated_at, now=finished)
    row = task_row(store, task)
    assert (row.status, row.close_reason, row.closed_at, row.outcome_kind) == (
        "done",
        "done",
        finished,
        "no_contact",
    )
    with pytest.raises(TaskError) as closed:
        cancel(store, who("col_all"), task, "late", expected=row.updated_at, now=finished)
    assert closed.value.code == "closed"
    comment(store, who("col_sh"), task, "paid at the branch", now=finished)
    assert [e.action for e in events(store, task)] == [
        "created",
        "outcome",
        "done",
        "commented",
    ]


def test_cancel_needs_a_reason_and_closes_the_task(store: Engine) -> None:
    task = make_task(store)
    with pytest.raises(TaskError) as missing:
        cancel(store, who("col_sh"), task, "  ", expected=T0, now=NOW)
    assert missing.value.code == "missing"
    cancel(store, who("col_sh"), task, "contract settled", expected=T0, now=NOW)
    row = task_row(store, task)
    assert (row.status, row.close_reason, row.closed_at) == ("cancelled", "cancelled", NOW)
    assert json.loads(events(store, task)[-1].detail) == {"reason": "contract settled"}
