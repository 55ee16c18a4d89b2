"""A task from creation to done across two departments, in real Chromium.

The sync (`tasks.sync`, as every load runs it) makes the demo book's collections tasks; a
collector (催收) opens the first by its deep link and escalates it to 风险管理部 (the ladder of
`tasks.actions.ESCALATION`); a risk manager opens the same link, records a restructuring proposal
sent to the committee and marks the task done. The store then holds exactly that history.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from tasks.sync import sync
from tests.browser.helpers import assert_no_exception, settle, shot
from tests.signin import TEST_PASSWORD, browser_sign_in, ensure_account
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.departments import set_department
from warehouse.portal.tasks import task_events, tasks
from warehouse.settings import load_settings

pytestmark = pytest.mark.browser

SYNCED = datetime(2026, 11, 3, 1, 0, tzinfo=UTC).replace(tzinfo=None)  # after the 2026-10 book


def _first_collections_task(url: str) -> tuple[int, str]:
    """Sync the tasks of the book, then the first open collections task in the queue."""
    warehouse = create_warehouse_engine(url, read_only=True)
    portal = portal_engine(portal_url(url))
    try:
        sync(warehouse, portal, load_settings(), SYNCED)
        for name, department in (("collector1", "collections"), ("riskmgr1", "risk")):
            ensure_account(url, name, ("risk_committee",))
            set_department(portal, name, department, "admin")
        with portal.connect() as conn:
            row = conn.execute(
                sa.select(tasks.c.task_id, tasks.c.contract_id)
                .where(
                    tasks.c.department == "collections",
                    tasks.c.status == "open",
                    tasks.c.assignee.is_(None),
                )
                .order_by(tasks.c.task_id)
                .limit(1)
            ).first()
    finally:
        portal.dispose()
        warehouse.dispose()
    assert row is not None, "the demo book made no collections task"
    return int(row.task_id), str(row.contract_id)


def _saved(page) -> None:
    page.get_by_text("已保存。").wait_for(timeout=30_000)
    settle(page)
    assert_no_exception(page)


def test_a_collector_escalates_and_risk_management_finishes_the_task(
    server_url: str, server_warehouse: str, page
) -> None:
    task_id, contract = _first_collections_task(server_warehouse)

    browser_sign_in(page, server_url, "collector1", TEST_PASSWORD, f"tasks?task={task_id}")
    assert page.locator("h1").first.inner_text() == "任务中心"
    page.get_by_text(f"合同 {contract} · 催收").wait_for(timeout=30_000)
    assert_no_exception(page)
    page.get_by_label("升级至 风险管理部").fill("lessee disputes the debt; needs a restructuring")
    page.get_by_role("button", name="升级", exact=True).click()
    _saved(page)
    page.get_by_text(f"合同 {contract} · 风险管理部").wait_for(timeout=30_000)
    shot(page, "task_escalated")

    browser_sign_in(page, server_url, "riskmgr1", TEST_PASSWORD, f"tasks?task={task_id}")
    page.get_by_text(f"合同 {contract} · 风险管理部").wait_for(timeout=30_000)
    page.get_by_label("结果", exact=True).click()
    page.get_by_role("option", name="重组方案已提交风委会").click()
    settle(page)
    page.get_by_label("方案要点").fill("extend by 12 months, second lien on the excavator")
    page.get_by_role("button", name="保存结果").click()
    _saved(page)
    page.get_by_role("button", name="标记完成").click()
    _saved(page)
    page.get_by_text("已完成").first.wait_for(timeout=30_000)
    shot(page, "task_done")

    portal = portal_engine(portal_url(server_warehouse))
    try:
        with portal.connect() as conn:
            row = conn.execute(sa.select(tasks).where(tasks.c.task_id == task_id)).one()
            history = conn.execute(
                sa.select(task_events.c.actor, task_events.c.action, task_events.c.detail)
                .where(task_events.c.task_id == task_id)
                .order_by(task_events.c.event_id)
            ).all()
    finally:
        portal.dispose()
    assert (row.status, row.close_reason, row.department, row.assignee) == (
        "done",
        "done",
        "risk",
        "riskmgr1",
    )
    assert json.loads(row.outcome) == {"terms": "extend by 12 months, second lien on the excavator"}
    assert [(h.actor, h.action) for h in history] == [
        ("system", "created"),
        ("collector1", "escalated"),
        ("riskmgr1", "outcome"),
        ("riskmgr1", "done"),
    ]
    assert json.loads(history[1].detail)["to"] == "risk"
