"""合同档案 (AppTest): deep link, not-found for forged or out-of-scope ids, decisions, audit."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from openpyxl import load_workbook

from dashboard.dossier.pack_xlsx import dossier_pack
from tests.dashboard import risk_app
from tests.dashboard.analytics_app import assert_clean, open_page, table_text
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.decisions import committee_decisions

# The fixtures of risk_app, used by name below.
risk_url, risk = risk_app.risk_url, risk_app.risk
COMMITTEE = ("risk_committee",)
NOT_FOUND = "未找到该合同，或您无权查看。"


def _errors(at) -> list[str]:
    return [e.value for e in at.error]


def test_deep_link_opens_the_contract(risk: str) -> None:
    """D1: DPD 20, special_mention by days past due; its June row and payments shown."""
    at = open_page("dossier", {"contract": "D1"}, roles=COMMITTEE)
    assert_clean(at)
    assert not _errors(at)
    values = {m.label: m.value for m in at.metric}
    assert values["逾期天数"] == "20"
    assert values["五级分类"] == "关注"
    assert "2024-06-30" in table_text(at)


def test_forged_and_out_of_scope_ids_show_only_not_found(risk: str) -> None:
    """An unknown id, and an SH contract for a user scoped to BJ: the message and no table."""
    for params, branches in (({"contract": "NOPE"}, None), ({"contract": "D1"}, ("BJ",))):
        at = open_page("dossier", params, roles=COMMITTEE, branches=branches)
        assert _errors(at) == [NOT_FOUND]
        assert not at.dataframe
        assert not at.metric


def test_view_is_audited(risk: str) -> None:
    """Opening a dossier writes one dossier_view row for the contract."""
    open_page("dossier", {"contract": "IO"}, roles=COMMITTEE)
    engine = portal_engine(portal_url(risk))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(audit_events.c.target).where(audit_events.c.action == "dossier_view")
            ).scalars()
            assert "IO" in list(rows)
    finally:
        engine.dispose()


def test_committee_member_records_a_watchlist_decision(risk: str) -> None:
    """Adding SG to the watchlist writes one decision row by the signed-in user."""
    at = open_page("dossier", {"contract": "SG"}, roles=COMMITTEE)
    at.text_area(key="rk_reason").set_value("court case")
    at.button(key="rk_submit").click().run()
    assert_clean(at)
    engine = portal_engine(portal_url(risk))
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.select(committee_decisions.c.kind, committee_decisions.c.actor).where(
                    committee_decisions.c.contract_id == "SG"
                )
            ).all()
    finally:
        engine.dispose()
    assert rows == [("watch_add", "tester")]
    assert any("已记录决议" in s.value for s in at.success)


def test_executive_reads_without_forms(risk: str) -> None:
    """An executive sees the dossier but no decision form."""
    at = open_page("dossier", {"contract": "D1"}, roles=("executive",))
    assert_clean(at)
    assert not [b for b in at.button if b.key == "rk_submit"]


def _back_links(at) -> list[str]:
    return [
        link.proto.page for link in at.get("page_link") if link.proto.label == "返回风险合同列表"
    ]


def test_back_link_to_the_list_only_for_roles_that_may_open_it(risk: str) -> None:
    """Compliance reaches dossiers from collections flags but may not open 风险合同: no link."""
    committee = open_page("dossier", {"contract": "D1"}, roles=COMMITTEE)
    compliance = open_page("dossier", {"contract": "D1"}, roles=("compliance",))
    assert_clean(compliance)
    assert len(_back_links(committee)) == 1
    assert _back_links(compliance) == []


def test_committee_pack_masks_personal_data_and_never_writes_formulas() -> None:
    """An individual's name 张三丰 → 张** unless revealed; '=1+1' stays text; one sheet per
    section after the cover; the row count is the sections' rows (2 + 1)."""
    head = pd.DataFrame(
        [{"contract_id": "C1", "lessee_name": "张三丰", "lessee_type": "individual"}]
    )
    sections = {
        "收款": pd.DataFrame({"note": ["=1+1", "ok"]}),
        "决议": pd.DataFrame({"kind": ["approve"]}),
    }
    at = datetime(2024, 7, 1, 2, 0, tzinfo=UTC).replace(tzinfo=None)
    pack = dossier_pack({"合同": "C1"}, head, sections, generated_at=at, reveal=False)
    book = load_workbook(io.BytesIO(pack.data))
    assert book.sheetnames == ["封面 Cover", "收款", "决议"]
    cover = {r[0]: r[1] for r in book["封面 Cover"].iter_rows(min_row=2, values_only=True)}
    assert cover["lessee_name"] == "张**"
    cell = book["收款"]["A2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    assert pack.row_count == 3
    same = dossier_pack({"合同": "C1"}, head, sections, generated_at=at, reveal=False)
    assert same.sha256 == pack.sha256  # same data, same bytes
    shown = dossier_pack({"合同": "C1"}, head, sections, generated_at=at, reveal=True)
    cover = {
        r[0]: r[1]
        for r in load_workbook(io.BytesIO(shown.data))["封面 Cover"].iter_rows(
            min_row=2, values_only=True
        )
    }
    assert cover["lessee_name"] == "张三丰"


def test_codes_are_shown_in_words_in_both_languages(risk: str) -> None:
    """IA's latest inspection found the asset damaged: 损坏 in Chinese, Damaged in English."""
    at = open_page("dossier", {"contract": "IA"}, roles=COMMITTEE)
    assert_clean(at)
    assert "损坏" in table_text(at)
    at = open_page("dossier", {"contract": "IA", "lang": "en"}, roles=COMMITTEE)
    assert_clean(at)
    assert at.title[0].value == "Contract dossier"
    assert "Damaged" in table_text(at)
