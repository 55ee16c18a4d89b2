"""The risk committee's path in real Chromium: list → dossier → proposal (A) → approval (B) → pack
(.xlsx, then .pdf with its audit row).

User A is `risk` (risk_committee), user B is `everyone` (every role, so also risk_committee).
The contract is the first at-risk one on the list's first page whose class can still get worse.
"""

from __future__ import annotations

import hashlib
import io
from datetime import date
from urllib.parse import parse_qs, urlparse

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from queries.at_risk import at_risk
from queries.filters import Filters
from tests.browser.helpers import assert_no_exception, next_paint, settle, shot
from tests.signin import TEST_PASSWORD, browser_sign_in
from warehouse.engine import create_warehouse_engine
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.decisions import approved_classifications

pytestmark = pytest.mark.browser


def _as_of(url: str) -> date:
    engine = create_warehouse_engine(url, read_only=True)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("SELECT max(as_of) FROM loads").scalar()
    finally:
        engine.dispose()


def _candidate(url: str) -> str:
    """The first contract of the list's first page (largest first) that is not yet `loss`."""
    engine = create_warehouse_engine(url, read_only=True)
    try:
        frame = at_risk(engine, Filters(as_of=_as_of(url)), limit=50)
    finally:
        engine.dispose()
    worse_possible = frame[frame["risk_class"] != "loss"]
    assert not worse_possible.empty, "the demo book has no at-risk contract below loss"
    return str(worse_possible["contract_id"].iloc[0])


def _decisions_tab(page) -> None:
    page.get_by_role("tab", name="委员会决议").click()
    page.get_by_role("tab", name="委员会决议", selected=True).wait_for(timeout=30_000)
    next_paint(page)


def test_list_dossier_proposal_approval_and_pack(
    server_url: str, server_warehouse: str, page
) -> None:
    contract = _candidate(server_warehouse)

    # A: the list, then the dossier of the chosen contract through the page's own control.
    browser_sign_in(page, server_url, "risk", TEST_PASSWORD, "at_risk")
    assert page.locator("h1").first.inner_text() == "风险合同"
    assert_no_exception(page)
    shot(page, "at_risk")
    page.get_by_label("选择合同").click()
    page.keyboard.type(contract)
    page.keyboard.press("Enter")
    settle(page)
    page.get_by_role("button", name="打开合同档案").click()
    page.wait_for_url(lambda u: "contract=" in u, timeout=30_000)
    settle(page)
    assert page.locator("h1").first.inner_text() == "合同档案"
    assert parse_qs(urlparse(page.url).query)["contract"] == [contract]
    assert_no_exception(page)
    shot(page, "dossier")

    # A proposes a worse class with a reason.
    _decisions_tab(page)
    page.get_by_text("提议调整分类", exact=True).click()
    settle(page)
    page.get_by_label("理由 / 说明").fill("lessee's main customer went bankrupt")
    page.keyboard.press("Tab")
    settle(page)
    page.get_by_role("button", name="提交决议").click()
    settle(page)
    page.get_by_text("已记录决议").wait_for(timeout=30_000)
    settle(page)
    _decisions_tab(page)
    page.get_by_text("您本人的提议").wait_for(timeout=30_000)  # A cannot approve it
    assert page.get_by_role("button", name="复核通过").count() == 0

    # B opens the same deep link and approves it.
    browser_sign_in(page, server_url, "everyone", TEST_PASSWORD, f"dossier?contract={contract}")
    _decisions_tab(page)
    approve = page.get_by_role("button", name="复核通过")
    approve.first.click()
    page.get_by_text("下次建模时生效").wait_for(timeout=30_000)
    settle(page)
    assert_no_exception(page)
    portal = portal_engine(portal_url(server_warehouse))
    try:
        approved = [r for r in approved_classifications(portal) if r["contract_id"] == contract]
    finally:
        portal.dispose()
    assert [(r["proposed_by"], r["approved_by"]) for r in approved] == [("risk", "everyone")]

    # The committee pack.
    with page.expect_download() as info:
        page.get_by_role("button", name="导出委员会材料（Excel）").click()
    book = load_workbook(io.BytesIO(info.value.path().read_bytes()))
    assert book.sheetnames[0] == "封面 Cover"
    decisions = book["委员会决议"]
    kinds = [row[3] for row in decisions.iter_rows(min_row=2, values_only=True)]
    assert kinds == ["提议调整分类", "复核通过"]  # the kinds in words, as on screen

    # The same pack as PDF: it opens, names the contract, and its audit row has its SHA-256.
    settle(page)  # the click above reran the page: click the PDF button of the new run
    with page.expect_download() as info:
        page.get_by_role("button", name="导出委员会材料（PDF）").click()
    pdf = info.value.path().read_bytes()
    settle(page)  # the click's audit row is written by the run it starts
    assert info.value.suggested_filename == f"dossier_{contract}.pdf"
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert pages[0].extract_text().startswith(f"合同档案 · 风险委员会材料 · {contract}")
    assert "委员会决议" in "\n".join(p.extract_text() for p in pages[1:])
    portal = portal_engine(portal_url(server_warehouse))
    try:
        with portal.connect() as conn:
            hashes = conn.execute(
                sa.select(audit_events.c.sha256).where(
                    audit_events.c.action == "export",
                    audit_events.c.target == contract,
                    audit_events.c.details.contains("dossier.pdf"),
                )
            ).scalars()
            assert hashlib.sha256(pdf).hexdigest() in list(hashes)
    finally:
        portal.dispose()
