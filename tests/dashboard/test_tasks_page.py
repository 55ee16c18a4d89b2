"""任务中心 (AppTest): lists by department and branch, the deep link, an act and its refusal.

The portal store holds (hand-made, `tests.tasks.task_people`) for the collections department:
task A in Shanghai assigned to `tester`, task B in Shanghai in the queue that the sync marked
overdue, task C in Beijing (outside tester's branches), and task D of 风险管理部; every due date
is 2099-12-31, so no list depends on the day the test runs. Tester sees: mine 1 (A), queue 2
(A, B), overdue 1 (B).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard import risk_app
from tests.dashboard.analytics_app import (
    APP,
    assert_clean,
    build_analytics_warehouse,
    open_page,
    table_text,
)
from tests.dashboard.app_fixtures import app_on
from tests.signin import sign_in
from tests.tasks.task_people import events, make_task, task_row
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.departments import set_department

DUE = date(2099, 12, 31)
# The fixtures of risk_app (the watch book, contract D1 in Shanghai), used by name below.
risk_url, risk = risk_app.risk_url, risk_app.risk


@pytest.fixture
def store(tmp_path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, int]]]:
    """A small warehouse, the tasks above and tester's account (collections, Shanghai)."""
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    build_analytics_warehouse(url)
    for _ in app_on(url, monkeypatch):
        engine = portal_engine(portal_url(url))
        ids = {
            "A": make_task(engine, assignee="tester", due_date=DUE),
            "B": make_task(engine, due_date=DUE, contract_id="C2", status="overdue"),
            "C": make_task(engine, due_date=DUE, branch="BJ", contract_id="C3"),
            "D": make_task(engine, due_date=DUE, department="risk", contract_id="C4"),
        }
        engine.dispose()
        yield url, ids


def _open(url: str, params: dict[str, str], department: str | None = "collections") -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    sign_in(at, "tester", ("risk_committee",), ("SH",))
    if department is not None:
        engine = portal_engine(portal_url(url))
        set_department(engine, "tester", department, "admin")
        engine.dispose()
    at.run()
    return at.switch_page("../pages/tasks.py").run()


def test_a_user_without_a_department_is_told_why_there_is_no_queue(store) -> None:
    url, _ = store
    at = _open(url, {}, department=None)
    assert_clean(at)
    assert "尚未分配部门" in at.info[0].value


def test_the_lists_follow_department_and_branches(store) -> None:
    url, _ = store
    at = _open(url, {})
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == ["我的任务（1）", "部门队列（2）", "逾期任务（1）"]
    shown = table_text(at)
    assert "C3" not in shown and "C4" not in shown  # another branch, another department


def test_the_deep_link_opens_the_task_and_escalating_moves_it(store) -> None:
    url, ids = store
    at = _open(url, {"task": str(ids["B"])})
    assert_clean(at)
    assert f"任务 {ids['B']} · 催收 · 电话及书面催收" in [h.value for h in at.subheader]
    at.text_input(key=f"tk_why_{ids['B']}").input("debtor disputes the debt")
    next(b for b in at.button if b.label == "升级").click()
    at.run()
    assert_clean(at)
    assert at.success[0].value == "已保存。"
    engine = portal_engine(portal_url(url))
    row, history = task_row(engine, ids["B"]), events(engine, ids["B"])
    engine.dispose()
    assert (row.department, row.priority) == ("risk", 1)
    assert (history[-1].actor, history[-1].action) == ("tester", "escalated")
    assert json.loads(history[-1].detail)["reason"] == "debtor disputes the debt"


def test_a_task_of_another_department_opens_read_only(store) -> None:
    url, ids = store
    at = _open(url, {"task": str(ids["D"])})
    assert_clean(at)
    assert "仅可查看" in " ".join(c.value for c in at.caption)
    assert not [b for b in at.button if b.label == "升级"]


def test_a_task_outside_the_branches_is_not_found(store) -> None:
    url, ids = store
    at = _open(url, {"task": str(ids["C"])})
    assert at.error[0].value == "未找到该任务，或您无权查看。"


def test_the_page_reads_in_english(store) -> None:
    url, ids = store
    at = _open(url, {"task": str(ids["B"]), "lang": "en"})
    assert_clean(at)
    assert [tab.label for tab in at.tabs] == ["My tasks (1)", "Department queue (2)", "Overdue (1)"]
    assert f"Task {ids['B']} · Collections · Call and written notice" in [
        h.value for h in at.subheader
    ]


def test_the_dossier_tab_lists_the_tasks_masking_who_worked_them_for_an_executive(risk) -> None:
    engine = portal_engine(portal_url(risk))
    task = make_task(engine, contract_id="D1", assignee="collector7", due_date=DUE)
    engine.dispose()
    for roles, shown, hidden in (
        (("executive",), "c*********", "collector7"),
        (("risk_committee",), "collector7", "c*********"),
    ):
        at = open_page("dossier", {"contract": "D1"}, roles=roles)
        assert_clean(at)
        assert "任务" in [tab.label for tab in at.tabs]
        text = table_text(at)
        assert str(task) in text
        assert shown in text and hidden not in text


@pytest.mark.parametrize("forged", ["9" * 40, "²", "1;DROP", "-1"])
def test_a_forged_task_link_shows_the_lists_only(store, forged: str) -> None:
    url, _ = store
    at = _open(url, {"task": forged})
    assert_clean(at)
    assert not at.error
    assert len(at.tabs) == 3
