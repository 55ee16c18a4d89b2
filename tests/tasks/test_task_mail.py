"""Task notices reach their people once, through a real local SMTP server (aiosmtpd).

At NOW = 2026-12-07 02:00 UTC (10:00 in Shanghai, so today is 12-07 and tomorrow 12-08):
- task A (Shanghai, due 12-20): col_sh assigns it to col_all, who escalates it to 风险管理部
  → col_all hears "assigned", risk1 (the only member of risk) hears "escalated";
- task B (Shanghai, due 12-08, col_sh's) → col_sh hears "due tomorrow";
- task C (Beijing, due 12-04, in the collections queue) → the day's queue digest (1 overdue) to
  col_all only (col_sh's branches do not cover Beijing);
- task D (due 12-08 but done) and task E (due 12-09) → nothing; legal1 has no address;
- task F (col_all's, in progress, due 12-03) → "overdue" to col_all.
Five e-mails in all; asking again queues nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.engine import Engine

from alerts.mail import SmtpConfig
from dashboard.delivery.contacts import set_address
from dashboard.delivery.scheduler import Scheduler
from dashboard.delivery.sender import deliver_due
from dashboard.delivery.task_mail import TaskMailState, queue_task_mail
from tasks.actions import Actor, assign, escalate
from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.mail_server import smtp_server
from tests.tasks.task_people import T0, add_people, make_task
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.tasks import task_events
from warehouse.settings import load_settings

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=UTC).replace(tzinfo=None)
SETTINGS = load_settings(overrides={"delivery.base_url": "https://postloan.example.com"})


class Clock:
    """A clock the test moves."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


ADDRESSES = {"col_sh": "sh@example.com", "col_all": "all@example.com", "risk1": "r@example.com"}


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """A portal store with the people of `task_people.PEOPLE` and their addresses."""
    engine = portal_engine(portal_url(db_url))
    add_people(engine)
    for name, address in ADDRESSES.items():
        set_address(engine, name, address, actor="admin", domains=())
    yield engine
    engine.dispose()


def test_each_task_event_is_mailed_once_to_each_of_its_people(store: Engine) -> None:
    a = make_task(store, due_date=date(2026, 12, 20))
    b = make_task(store, due_date=date(2026, 12, 8), assignee="col_sh")
    make_task(store, due_date=date(2026, 12, 4), branch="BJ")
    f = make_task(store, due_date=date(2026, 12, 3), assignee="col_all", status="in_progress")
    make_task(store, due_date=date(2026, 12, 8), status="done")
    make_task(store, due_date=date(2026, 12, 9))
    col_sh = Actor("col_sh", frozenset({"risk_committee"}), ("SH",))
    col_all = Actor("col_all", frozenset({"risk_committee"}), None)
    given = assign(store, col_sh, a, "col_all", expected=T0, now=NOW)
    escalate(store, col_all, a, "debtor disputes the debt", expected=given.updated_at, now=NOW)

    state = TaskMailState()
    assert queue_task_mail(store, SETTINGS, NOW, state) == 5
    assert queue_task_mail(store, SETTINGS, NOW, state) == 0  # the next round
    assert queue_task_mail(store, SETTINGS, NOW) == 0  # a restarted scheduler: the same keys

    with smtp_server() as (box, port):
        done = deliver_due(store, SmtpConfig("127.0.0.1", port), lambda: NOW)
        assert done.sent == 5
        got = {(m["To"], m["Subject"]) for m in box.received()}
    assert got == {
        ("all@example.com", f"[Postloan 分派给您] 任务 {a} · 催收 · 电话及书面催收"),
        ("r@example.com", f"[Postloan 升级至您的部门] 任务 {a} · 催收 · 电话及书面催收"),
        ("sh@example.com", f"[Postloan 明天到期] 任务 {b} · 催收 · 电话及书面催收"),
        ("all@example.com", "[Postloan 部门队列待办] 催收"),
        ("all@example.com", f"[Postloan 已逾期] 任务 {f} · 催收 · 电话及书面催收"),
    }
    bodies = {m["Subject"]: m.get_content() for m in box.received()}
    digest = bodies["[Postloan 部门队列待办] 催收"]
    assert "催收队列中未分派的任务：明天到期 0 个，已逾期 1 个。" in digest
    assert "Unassigned tasks in the Collections queue: 0 due tomorrow, 1 overdue." in digest
    escalated = bodies[f"[Postloan 升级至您的部门] 任务 {a} · 催收 · 电话及书面催收"]
    assert "风险管理部" in escalated and "Risk management" in escalated
    assert "操作人：col_all" in escalated
    assert f"https://postloan.example.com/tasks?task={a}&lang=zh" in escalated
    assert f"https://postloan.example.com/tasks?task={a}&lang=en" in escalated


def test_nobody_hears_of_a_move_they_made_nor_of_the_syncs_escalation(store: Engine) -> None:
    task = make_task(store, due_date=date(2026, 12, 20))
    me = Actor("col_all", frozenset({"risk_committee"}), None)
    assign(store, me, task, "col_all", expected=T0, now=NOW)
    with store.begin() as conn:  # the sync raises the priority of an overdue task in place
        conn.execute(
            task_events.insert().values(
                task_id=task, at=NOW, actor="system", action="escalated", detail='{"priority": 1}'
            )
        )
    assert queue_task_mail(store, SETTINGS, NOW) == 0


def test_the_schedulers_rounds_send_due_tomorrow_then_overdue_once_each(db_url: str) -> None:
    """Task B of col_sh is due 2026-12-08. The scheduler's round on 12-07 (10:00 in Shanghai)
    sends 明天到期; its rounds on 12-09 send 已逾期 once, however many there are."""
    build_analytics_warehouse(db_url)
    engine = portal_engine(portal_url(db_url))
    add_people(engine)
    set_address(engine, "col_sh", "sh@example.com", actor="admin", domains=())
    task = make_task(engine, due_date=date(2026, 12, 8), assignee="col_sh")
    clock = Clock(NOW)

    def tasks_mail(box) -> list[str]:
        return [str(m["Subject"]) for m in box.received() if str(m["To"]) == "sh@example.com"]

    try:
        with smtp_server() as (box, port):
            scheduler = Scheduler(
                db_url, clock, smtp=lambda: SmtpConfig("127.0.0.1", port), robot=lambda: None
            )
            scheduler.round()
            assert tasks_mail(box) == [f"[Postloan 明天到期] 任务 {task} · 催收 · 电话及书面催收"]
            clock.at = NOW + timedelta(days=2)
            scheduler.round()
            scheduler.round()
            assert tasks_mail(box)[1:] == [f"[Postloan 已逾期] 任务 {task} · 催收 · 电话及书面催收"]
    finally:
        engine.dispose()
