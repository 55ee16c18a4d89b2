"""The 数据质量 page in AppTest: stored runs summarised by hand, a run on demand, access by role."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from data_checks.runner import CheckResult, CheckRun
from data_checks.store import list_runs, save_run
from tests.dashboard.analytics_app import APP, link_params, links
from tests.signin import sign_in
from warehouse.engine import duckdb_path
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events


@pytest.fixture
def warehouse(analytics_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """A private copy of the analytics warehouse (its check runs and portal beside it)."""
    source = duckdb_path(analytics_url)
    assert source is not None
    shutil.copyfile(source, tmp_path / "w.duckdb")
    url = f"duckdb:///{tmp_path / 'w.duckdb'}"
    monkeypatch.setenv("POSTLOAN_WAREHOUSE_URL", url)
    monkeypatch.delenv("POSTLOAN_PORTAL_URL", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield url
    st.cache_data.clear()
    st.cache_resource.clear()


def _open(username: str, roles: tuple[str, ...] = ("compliance",), **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=180)
    sign_in(at, username, roles)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("../pages/data_quality.py").run()


def _result(check: str, dataset: str, severity: str, failing: int, *examples) -> CheckResult:
    status = "failed" if failing else "passed"
    return CheckResult(check, dataset, check, severity, status, failing, tuple(examples))


# Four checks: contracts has one blocking pass and one blocking failure (contracts A and B);
# contract_month one failing warning (contract C); payments one passing warning.
RESULTS = (
    _result("contracts.key_unique", "contracts", "blocking", 0),
    _result(
        "contracts.product.in_set",
        "contracts",
        "blocking",
        2,
        {"contract_id": "A"},
        {"contract_id": "B"},
    ),
    _result(
        "contract_month.par_ordering",
        "contract_month",
        "warning",
        1,
        {"contract_id": "C", "month_end": "2024-06-30"},
    ),
    _result("payments.refs", "payments", "warning", 0),
)


def _stored(url: str, results=RESULTS) -> int:
    at = dt.datetime(2024, 7, 1, 2, 0)  # noqa: DTZ001 - stored naive UTC
    return save_run(url, CheckRun(at, None, 1, "0" * 64, 1.5, tuple(results)))


def test_no_runs_yet_says_how_to_run_them(warehouse: str) -> None:
    at = _open("carol")
    assert not at.exception
    assert at.info[-1].value == "还没有数据检查记录。请点击上方按钮运行数据检查。"


def test_a_stored_run_by_dataset_and_severity(warehouse: str) -> None:
    """Summary worked from RESULTS, most failures first then by dataset ('contract_month' sorts
    before 'contracts'), each named in words: 合同月末状态/提示 0 passed 1 failed; 合同/阻断 1 and
    1; payments (not a dataset of ours: as given)/提示 1 and 0. Failing checks: two, in words,
    naming contracts A, B and C."""
    _stored(warehouse)
    at = _open("carol")
    assert not at.exception, [e.value for e in at.exception]
    summary = at.dataframe[0].value
    assert summary.to_dict("records") == [
        {"数据集": "合同月末状态", "严重程度": "提示", "通过": 0, "未通过": 1},
        {"数据集": "合同", "严重程度": "阻断", "通过": 1, "未通过": 1},
        {"数据集": "payments", "严重程度": "提示", "通过": 1, "未通过": 0},
    ]
    titles = [e.label for e in at.expander]
    assert titles[:2] == [
        ":red[●] 合同 · 产品取值有效 · 2",
        ":orange[●] 合同月末状态 · 逾期率 30+ ≥ 60+ ≥ 90+（余额口径） · 1",
    ]
    assert links(at) == ["A", "B", "C"]
    assert link_params(at, "B") == {"contract": ["B"]}
    results = next(df.value for df in at.dataframe if "检查" in df.value.columns)
    assert len(results) == 4
    assert list(results["结果"]).count("未通过") == 2


def test_run_now_stores_an_audited_run(warehouse: str) -> None:
    _stored(warehouse)
    at = _open("carol")
    at.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    runs = list_runs(warehouse)
    assert [r["run_id"] for r in runs] == [2, 1]
    assert at.query_params["run"] == "2"
    assert at.main.selectbox[0].value == 2
    engine = portal_engine(portal_url(warehouse))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(audit_events.c.actor, audit_events.c.target).where(
                    audit_events.c.action == "check_run"
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in rows] == [("carol", "run 2")]
    trend = next(df.value for df in at.dataframe if "运行编号" in df.value.columns)
    assert list(trend["运行编号"]) == [2, 1]


@pytest.mark.parametrize("roles", [("admin",), ("compliance",)])
def test_admin_and_compliance_may_open_it(warehouse: str, roles: tuple[str, ...]) -> None:
    _stored(warehouse)
    at = _open("dora", roles=roles)
    assert not at.exception
    assert at.title[0].value == "数据质量"
    assert at.dataframe
    # The dossier serves compliance but not admin: an admin sees the contract ids as text.
    if roles == ("admin",):
        assert (links(at), [x.value for x in at.text]) == ([], ["A", "B", "C"])
    else:
        assert links(at) == ["A", "B", "C"]


@pytest.mark.parametrize("roles", [("executive",), ("risk_committee",)])
def test_other_roles_are_refused(warehouse: str, roles: tuple[str, ...]) -> None:
    _stored(warehouse)
    at = _open("eve", roles=roles)
    assert not at.exception
    assert "数据质量" in at.error[0].value
    assert not at.dataframe


def test_a_user_limited_to_some_branches_sees_no_check_results(warehouse: str) -> None:
    _stored(warehouse)
    at = AppTest.from_file(str(APP), default_timeout=120)
    sign_in(at, "bea", ("compliance",), branches=("上海",))
    at.run()
    at.switch_page("../pages/data_quality.py").run()
    assert not at.exception
    assert "全机构" in at.warning[0].value
    assert not at.dataframe
