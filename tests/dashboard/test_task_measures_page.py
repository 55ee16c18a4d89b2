"""管理指标 on 任务中心 (AppTest through the real page, signed in): behind a switch for managers,
its files the tables on screen, every download on the audit trail.

Same store and book as tests/dashboard/test_task_measures_view.py; the clock is 2026-12-08 17:00
UTC (2026-12-09 in Shanghai). December (the default month): 催收 collections 1 came due (13),
法务部 legal 1 (7), none met.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from streamlit.testing.v1 import AppTest

from tests.access.access_app import audit_rows, capture_served, download
from tests.dashboard.analytics_app import APP, assert_clean
from tests.dashboard.app_fixtures import app_on, built_duckdb
from tests.dashboard.test_task_measures_view import _build
from tests.file_cells import read_table, screen_rows
from tests.signin import sign_in

NOW = datetime(2026, 12, 8, 17, 0, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return built_duckdb(tmp_path_factory, "task_measures_page", _build)


@pytest.fixture
def app(page_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr("dashboard.data.task_measures.now", lambda: NOW)
    yield from app_on(page_url, monkeypatch)


def _tasks_page(username: str, roles: tuple[str, ...]) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=90)
    sign_in(at, username, roles)
    at.run()
    return at.switch_page("../pages/tasks.py").run()


def test_an_executive_switches_the_measures_on_and_the_files_are_the_tables(
    app: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    served = capture_served(monkeypatch)
    at = _tasks_page("boss", ("executive",))
    assert_clean(at)
    assert len(at.dataframe) == 0  # off until asked for: the page does not pay for it
    at.toggle(key="tm_on").set_value(True).run()
    assert_clean(at)
    sla = at.dataframe[0].value
    assert sla.astype(str).values.tolist() == [
        ["催收", "1", "0", "1", "0.00%"],
        ["法务部", "1", "0", "1", "0.00%"],
        ["合计", "2", "0", "2", "0.00%"],
    ]
    _, data = download(at, served, "dl_xlsx_task_sla_department")
    block, head, body = read_table(data)
    assert block["页面"] == "任务中心"
    assert head == list(sla.columns) and body == screen_rows(sla)
    steps = next(d.value for d in at.dataframe if "合同·月" in d.value.columns)
    _, data = download(at, served, "dl_xlsx_task_step_outcomes")
    _, head, body = read_table(data)
    assert head == list(steps.columns) and body == screen_rows(steps)
    rows = audit_rows(app, "download")
    assert [(r["actor"], r["target"]) for r in rows[-2:]] == [
        ("boss", "task_sla_department"),
        ("boss", "task_step_outcomes"),
    ]


def test_a_user_without_department_or_manager_role_gets_no_switch(app: str) -> None:
    at = _tasks_page("clerk", ("compliance",))
    assert_clean(at)
    assert [w for w in at.toggle if w.key == "tm_on"] == []
