"""管理指标 (AppTest): the measures on screen for each kind of user, the lists behind them, and
downloads that hold what the screen shows.

Portal store: the tasks and rectification items of tests/tasks/measure_tasks.py; warehouse: the
analytics portfolio book to June 2024 (tests/dashboard/analytics_app.py). The clock is
2026-12-08 17:00 UTC = 2026-12-09 01:00 in Asia/Shanghai (the display zone), so a closing time is
read on Shanghai's calendar: task 4, closed 11-20 23:59:59 UTC, was closed on 11-21, a day late.

November by department (hand-worked): 客服 service 3 came due (1, 2, 10), 2 met; 催收 collections
3 (4, 5, 6), 0 met; 法务部 legal 1 (14), 0; 运营部 operations 1 (9), 1; all 8, 3 → 37.50%.
December (the default month): collections 1 (13), legal 1 (7), all 2, none met.

Cure and roll-forward by step, default strategy, the 6 month-ends 2023-12 … 2024-05: A is at
DPD 21 (Mar, notice), 51 (Apr, visit), 82 (May, demand) then 112; B at 9 (Feb, notice), 40 (Mar,
visit), 70 (Apr, demand), 101 (May, litigation) then written off. Every one rolled forward:
notice 2, visit 2, demand 2, litigation 1 (100%); reminder 0 (no rate: "—"). Over the last 3
month-ends (Mar … May) B's February notice drops out: notice 1, the rest as before.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard.analytics_app import build_analytics_warehouse
from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.tasks.measure_tasks import rectification_rows, task_rows
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.departments import set_department
from warehouse.portal.rectification import rectification_items
from warehouse.portal.tasks import tasks
from warehouse.portal.users import add_account

NOW = datetime(2026, 12, 8, 17, 0, tzinfo=UTC).replace(tzinfo=None)
PASSWORD = "Harbour-lantern-47-quiet"  # noqa: S105 - a test account


def _build(url: str) -> None:
    build_analytics_warehouse(url)
    engine = portal_engine(portal_url(url))
    with engine.begin() as conn:
        conn.execute(tasks.insert(), task_rows())
        conn.execute(rectification_items.insert(), rectification_rows())
    for name, department in (("lawyer", "legal"), ("clerk", None)):
        add_account(engine, name, PASSWORD, {"compliance"}, display_name=name, actor="admin")
        if department is not None:
            set_department(engine, name, department, "admin")
    engine.dispose()


@pytest.fixture(scope="module")
def measures_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built_duckdb(tmp_path_factory, "task_measures", _build)


@pytest.fixture
def app(measures_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr("dashboard.data.task_measures.now", lambda: NOW)
    yield from app_on(measures_url, monkeypatch)


def _view(
    username: str, roles: tuple[str, ...], branches: tuple[str, ...] | None, lang: str
) -> None:
    from dashboard.access.user import User
    from dashboard.views.task_measures import measures

    measures(User(username, username, frozenset(roles), branches), lang)


def _open(
    username: str = "boss", roles: tuple[str, ...] = ("executive",), branches=None, lang="zh"
) -> AppTest:
    at = AppTest.from_function(_view, args=(username, roles, branches, lang), default_timeout=90)
    return at.run()


def _rows(at: AppTest, n: int) -> list[list[str]]:
    return at.dataframe[n].value.astype(str).values.tolist()


def test_an_executive_sees_every_departments_sla_for_the_month(app: str) -> None:
    at = _open()
    assert not at.exception
    assert _rows(at, 0) == [
        ["催收", "1", "0", "1", "0.00%"],
        ["法务部", "1", "0", "1", "0.00%"],
        ["合计", "2", "0", "2", "0.00%"],
    ]
    at.selectbox(key="tm_month").set_value(date(2026, 11, 30)).run()
    assert _rows(at, 0) == [
        ["催收", "3", "0", "3", "0.00%"],
        ["法务部", "1", "0", "1", "0.00%"],
        ["运营部", "1", "1", "0", "100.00%"],
        ["客服", "3", "2", "1", "66.67%"],
        ["合计", "8", "3", "5", "37.50%"],
    ]


def test_in_english_every_header_and_name_is_english(app: str) -> None:
    at = _open(lang="en")
    sla = at.dataframe[0].value
    assert list(sla.columns) == ["Department", "Came due", "Met", "Missed", "Adherence"]
    assert list(sla.iloc[:, 0]) == ["Collections", "Legal", "Total"]
    steps = next(d.value for d in at.dataframe if "Contract-months" in d.value.columns)
    assert list(steps.iloc[:, 0]) == [
        "Reminder",
        "Call and written notice",
        "Visit and negotiation",
        "Formal demand",
        "Litigation assessment",
    ]
    assert [s.value for s in at.subheader] == [
        "SLA adherence",
        "Ageing of open tasks",
        "Rectification items closed on time",
        "Which step works: cure and roll-forward",
    ]


def test_the_list_behind_a_figure_holds_exactly_its_tasks(app: str) -> None:
    at = _open()
    at.selectbox(key="tm_month").set_value(date(2026, 11, 30)).run()
    at.toggle(key="tm_sla_drill").set_value(True).run()
    at.selectbox(key="tm_sla_group_department").set_value("service").run()
    at.radio(key="tm_sla_which").set_value("met").run()
    listed = at.dataframe[1].value
    assert list(listed["任务号"]) == [1, 10]
    assert list(listed["按时"]) == ["是", "是"]
    assert list(listed["处理人"]) == ["w******", "—"]  # an executive reads no names
    assert "共 2 条，显示 2 条" in " ".join(c.value for c in at.caption)


def test_a_committee_member_reads_the_assignees_name(app: str) -> None:
    at = _open("member", ("risk_committee",))
    at.selectbox(key="tm_month").set_value(date(2026, 11, 30)).run()
    at.toggle(key="tm_sla_drill").set_value(True).run()
    at.selectbox(key="tm_sla_group_department").set_value("service").run()
    listed = at.dataframe[1].value
    assert list(listed["任务号"]) == [1, 10, 2]
    assert list(listed["处理人"]) == ["wang_li", "—", "—"]
    assert "共 3 条，显示 3 条" in " ".join(c.value for c in at.caption)


def test_cure_and_roll_forward_by_step_on_screen(app: str) -> None:
    at = _open()
    table = next(d.value for d in at.dataframe if "合同·月" in d.value.columns)
    assert table.astype(str).values.tolist() == [
        ["还款提醒", "0", "0", "0", "0", "—", "—"],
        ["电话及书面催收", "2", "0", "2", "0", "0.00%", "100.00%"],
        ["上门及协商", "2", "0", "2", "0", "0.00%", "100.00%"],
        ["正式催告", "2", "0", "2", "0", "0.00%", "100.00%"],
        ["诉讼评估", "1", "0", "1", "0", "0.00%", "100.00%"],
    ]


def test_fewer_month_ends_drop_the_earlier_contract_months(app: str) -> None:
    at = _open()
    assert any("统计 2023-12 至 2024-05 的月末" in c.value for c in at.caption)
    at.selectbox(key="tm_step_months").set_value(3).run()
    table = next(d.value for d in at.dataframe if "合同·月" in d.value.columns)
    assert table.astype(str).values.tolist()[1] == [
        "电话及书面催收",
        "1",
        "0",
        "1",
        "0",
        "0.00%",
        "100.00%",
    ]
    assert any("统计 2024-03 至 2024-05 的月末" in c.value for c in at.caption)


def test_a_branch_scoped_manager_sees_only_their_branches(app: str) -> None:
    at = _open(branches=("B1",))
    at.selectbox(key="tm_month").set_value(date(2026, 11, 30)).run()
    assert ["客服", "2", "1", "1", "50.00%"] in _rows(at, 0)  # task 10 is in B2


def test_a_member_of_a_department_sees_only_it_and_one_without_is_told(app: str) -> None:
    at = _open("lawyer", ("compliance",))
    at.selectbox(key="tm_month").set_value(date(2026, 11, 30)).run()
    assert _rows(at, 0) == [["法务部", "1", "0", "1", "0.00%"], ["合计", "1", "0", "1", "0.00%"]]
    assert "仅显示本部门：法务部" in [c.value for c in at.caption]
    refused = _open("clerk", ("compliance",))
    assert [i.value for i in refused.info] == [
        "管理指标面向管理层、风险管理委员会和管理员；其他用户须已设置所属部门，仅看本部门。"
    ]
    assert len(refused.dataframe) == 0
