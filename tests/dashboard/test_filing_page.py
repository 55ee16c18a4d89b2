"""The 监管报送 page in AppTest over the analytics book (tests/queries/books.py portfolio_book).

Hand-worked G11 figures: at 2024-06-30 only A is open, 5,000 yuan, substandard (DPD 112):
row 1 (all receivables) C 次级 = F 合计 = G 不良 = 0.50 万元, H 合同数 = 1. At 2024-03-31:
A 5,000 and B 12,000 special_mention (DPD 21 and 40), C 1,500 normal: A 正常 0.15, B 关注 1.70,
F 1.85, G 0.00, H 3.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
import streamlit as st
from streamlit.testing.v1 import AppTest

from regulatory import filing
from regulatory.filing_archive import archive_dir, read_archived
from regulatory.filing_store import SUBMITTED, VALIDATED, versions
from regulatory.workbook import workbook_cells
from tests.dashboard.analytics_app import APP
from tests.regulatory.filing_portal import filed
from tests.signin import sign_in
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events

JUNE = date(2024, 6, 30)


@pytest.fixture
def store(
    analytics_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> Iterator[sa.Engine]:
    """The app on the analytics warehouse with its own empty portal store and archive."""
    monkeypatch.setenv("POSTLOAN_WAREHOUSE_URL", analytics_url)
    monkeypatch.setenv("POSTLOAN_PORTAL_URL", f"sqlite:///{tmp_path / 'portal.sqlite'}")
    monkeypatch.setenv("POSTLOAN_ARCHIVE_DIR", str(tmp_path / "archive"))
    st.cache_data.clear()
    st.cache_resource.clear()
    engine = portal_engine(portal_url(analytics_url))
    yield engine
    engine.dispose()
    st.cache_data.clear()
    st.cache_resource.clear()


def _open(username: str, roles: tuple[str, ...] = ("compliance",), **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    sign_in(at, username, roles)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("../pages/filing.py").run()


def _clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _buttons(at: AppTest) -> dict[str, bool]:
    """Button key → disabled."""
    return {b.key: b.disabled for b in at.button if b.key}


def _cell(at: AppTest, column: str) -> list[str]:
    """Column `column` of the first table of the preview (the G11 grid)."""
    frames = [df.value for df in at.dataframe if column in df.value.columns]
    return [str(v) for v in frames[0][column]]


def test_g11_preview_shows_the_hand_worked_figures(store: sa.Engine) -> None:
    at = _open("alice", period="2024-06", report="G11")
    _clean(at)
    assert at.title[0].value == "监管报送"
    assert _cell(at, "次级 C")[0] == "0.50"
    assert _cell(at, "合计 F")[0] == "0.50"
    assert _cell(at, "不良合计 G")[0] == "0.50"
    assert _cell(at, "合同数 H")[0] == "1"
    march = _open("alice", period="2024-03", report="G11")
    assert (_cell(march, "正常 A")[0], _cell(march, "关注 B")[0]) == ("0.15", "1.70")
    assert (_cell(march, "合计 F")[0], _cell(march, "合同数 H")[0]) == ("1.85", "3")


def test_catalogue_lists_the_reports_due_with_deadlines(store: sa.Engine) -> None:
    """June is a quarter end: the five quarterly tables (due 2024-07-13) and the monthly detail
    (due 2024-07-15); none started, and all long overdue by today's date."""
    at = _open("alice", period="2024-06")
    _clean(at)
    catalogue = at.dataframe[0].value
    assert list(catalogue["报表"]) == [
        "G11 资产质量五级分类情况表",
        "G12 贷款质量迁徙情况表",
        "逾期情况统计表",
        "最大十家客户情况表",
        "集中度与监管指标表",
        "合同明细",
    ]
    assert list(catalogue["报送截止日"]) == ["2024-07-13"] * 5 + ["2024-07-15"]
    assert set(catalogue["状态"]) == {"● 已逾期"}
    may = _open("alice", period="2024-05")
    assert list(may.dataframe[0].value["报表"]) == ["合同明细"]


def test_reports_are_named_as_a_filer_names_them_not_by_their_codes(store: sa.Engine) -> None:
    """The report picker reads "合同明细", not "DETAIL · 合同明细"; a supervisory form keeps its
    form number ("G11 资产质量五级分类情况表"); the link still carries the code."""
    at = _open("alice", period="2024-06", report="DETAIL")
    _clean(at)
    radio = at.main.radio[0]
    assert radio.value == "DETAIL"
    assert list(radio.options) == [
        "G11 资产质量五级分类情况表",
        "G12 贷款质量迁徙情况表",
        "逾期情况统计表",
        "最大十家客户情况表",
        "集中度与监管指标表",
        "合同明细",
    ]
    assert at.query_params["report"] == "DETAIL"
    english = _open("alice", period="2024-06", report="DETAIL", lang="en")
    assert english.main.radio[0].options[0] == "G11 Asset quality by five-tier class"
    assert english.main.radio[0].options[-1] == "Loan-level detail"


def test_deep_link_opens_the_report_and_bad_links_fall_back(store: sa.Engine) -> None:
    at = _open("alice", period="2024-06", report="g12")
    _clean(at)
    assert at.main.radio[0].value == "G12"
    assert at.query_params["report"] == "G12"
    bad = _open("alice", period="2024-13", report="NOPE")
    _clean(bad)
    warnings = " ".join(w.value for w in bad.warning)
    assert "2024-13" in warnings and "NOPE" in warnings
    assert bad.main.selectbox[0].value == JUNE


def test_executive_is_refused(store: sa.Engine) -> None:
    at = _open("eve", roles=("executive",))
    _clean(at)
    assert "监管报送" in at.error[0].value
    assert not at.dataframe


def test_a_quarter_filed_from_draft_to_archive_by_two_people(store: sa.Engine) -> None:
    """alice drafts, validates (no finding on this book) and submits for review; she may not
    approve; bob approves and submits; the archive's SHA-256 is shown and matches its bytes,
    whose G11_1_C reads back as 0.50 万元 (5,000 yuan)."""
    at = _open("alice", period="2024-06", report="G11")
    at.button(key="fl_new").click().run()
    at.button(key="fl_validate").click().run()
    _clean(at)
    assert "校验通过，无问题。" in [s.value for s in at.success]
    at.button(key="fl_review").click().run()
    _clean(at)
    assert _buttons(at)["fl_approve"] is True
    assert any("不能复核自己的报表" in i.value for i in at.info)
    (v,) = versions(store, "G11", JUNE)
    assert v.state == VALIDATED
    assert Decimal(str(v.cells["G11_1_C"])) == Decimal(5000)

    at = _open("bob", period="2024-06", report="G11")
    assert _buttons(at)["fl_approve"] is False
    at.button(key="fl_approve").click().run()
    at.button(key="fl_submit").click().run()
    _clean(at)
    (v,) = versions(store, "G11", JUNE)
    assert v.state == SUBMITTED
    filed = read_archived(store, v.version_id, archive_dir(""))
    assert filed.sha256 == hashlib.sha256(filed.content).hexdigest()
    assert [c.value for c in at.code] == [f"SHA-256：{filed.sha256}"]
    assert workbook_cells(filed.content)["G11_1_C"] == Decimal("0.50")
    with store.connect() as conn:
        moves = conn.execute(
            sa.select(audit_events.c.actor)
            .where(audit_events.c.action == "filing_transition")
            .order_by(audit_events.c.event_id)
        ).all()
    assert [m.actor for m in moves] == ["alice", "alice", "bob", "bob"]


def test_a_blocking_finding_keeps_the_draft_in_draft(store: sa.Engine) -> None:
    v = filing.new_version(
        store, report_code="G11", period=JUNE, cells={}, actor="alice", load_id=1, data_sha256=""
    )
    blocking = {
        "rule_id": "G11-SUM-1",
        "severity": "blocking",
        "cells": ["G11_1_F"],
        "message_zh": "合计不等于各级之和",
        "message_en": "total differs",
        "expected": "5000",
        "actual": "4000",
    }
    filing.record_validation(store, v, [blocking], "alice")
    at = _open("alice", period="2024-06", report="G11")
    _clean(at)
    findings = next(df.value for df in at.dataframe if "规则" in df.value.columns)
    assert list(findings["规则"]) == ["G11-SUM-1"]
    assert list(findings["级别"]) == ["阻断"]
    at.button(key="fl_review").click().run()
    assert "1 blocking finding" in at.error[0].value
    assert versions(store, "G11", JUNE)[0].state == "draft"


def test_a_warning_needs_its_explanation_before_review(store: sa.Engine) -> None:
    v = filing.new_version(
        store, report_code="G11", period=JUNE, cells={}, actor="alice", load_id=1, data_sha256=""
    )
    warning = {
        "rule_id": "G11-ZERO-re",
        "severity": "warning",
        "cells": ["G11_30_F"],
        "message_zh": "再重组仍未列入不良",
        "message_en": "re-restructured outside NPL",
    }
    filing.record_validation(store, v, [warning], "alice")
    at = _open("alice", period="2024-06", report="G11")
    at.button(key="fl_review").click().run()
    assert "G11-ZERO-re" in at.error[0].value
    at.text_area(key=f"explain_{v}_G11-ZERO-re").input("观察期内按期还款，已报风控委员会。").run()
    at.button(key=f"explain_{v}_G11-ZERO-re_save").click().run()
    at.button(key="fl_review").click().run()
    _clean(at)
    assert versions(store, "G11", JUNE)[0].state == VALIDATED


def test_a_correction_shows_its_cell_difference(store: sa.Engine, tmp_path: Path) -> None:
    """Filed G11_1_C 5,000.00; the correction says 6,000.00: one row, change +1,000.00."""
    filed(store, "G11", JUNE, tmp_path, cells={"G11_1_C": Decimal("5000.00")}, workbook=b"v1")
    filing.new_version(
        store,
        report_code="G11",
        period=JUNE,
        cells={"G11_1_C": Decimal("6000.00")},
        actor="alice",
        load_id=1,
        data_sha256="0" * 64,
        reason="补录",
    )
    at = _open("alice", period="2024-06", report="G11")
    _clean(at)
    diff = next(df.value for df in at.dataframe if "更正后" in df.value.columns)
    assert diff.to_dict("records") == [
        {"单元格": "G11_1_C", "原报送值": "5000.00", "更正后": "6000.00", "变动": "+1000.00"}
    ]
    history = next(df.value for df in at.dataframe if "类型" in df.value.columns)
    assert list(history["类型"]) == ["更正", "首次报送"]
    assert list(history["原因"]) == ["补录", ""]


def test_the_page_speaks_english_on_request(store: sa.Engine) -> None:
    at = _open("alice", period="2024-06", report="G11", lang="en")
    _clean(at)
    assert at.title[0].value == "Regulatory filing"
    assert list(at.dataframe[0].value.columns) == ["Report", "Period", "Deadline", "Status"]
    assert at.dataframe[0].value["Report"].iloc[0] == "G11 Asset quality by five-tier class"
    assert [b.label for b in at.button if b.key == "fl_new"] == ["Create draft"]


def test_a_compliance_user_limited_to_some_branches_cannot_file(store: sa.Engine) -> None:
    """The workbooks are institution-wide: a branch-scoped user sees a refusal, no figures."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    sign_in(at, "bea", ("compliance",), branches=("上海",))
    at.run()
    at.switch_page("../pages/filing.py").run()
    _clean(at)
    assert "全机构" in at.warning[0].value
    assert not at.dataframe
    assert "fl_new" not in _buttons(at)
