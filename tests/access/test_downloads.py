"""Every table download is audited (what, filters, rows, SHA-256 of the very bytes) and inert.

On the access book (tests/access/access_app.py) the contracts past due in June
(`threshold=0`) are B (12,000) and A (5,000): 2 rows, B first. B's branch is a HYPERLINK formula
and its asset category `@SUM(1+1)`; in the files they must stay text.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from dashboard.downloads import export as export_module
from dashboard.downloads.audited import SessionEnded
from dashboard.page import contract_params
from tests.access.access_app import (
    HYPERLINK,
    audit_rows,
    download,
    open_page,
)
from tests.file_cells import read_table, screen_rows
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events

PAST_DUE = {"threshold": "0"}


def test_contract_list_xlsx_download_is_audited_with_its_hash_and_rows(access, served) -> None:
    """Clicking writes one `download` row: target, page, filters, 2 rows, SHA-256 of the bytes."""
    at = open_page("contracts.py", PAST_DUE, username="dl.xlsx", roles=("executive",))
    assert not at.exception, [e.value for e in at.exception]
    rendered = [v for v in dict.values(served) if isinstance(v, bytes) and v[:4] != b"\x89PNG"]
    assert rendered == []  # nothing but the favicon is in the media store before the click
    assert [r for r in audit_rows(access, "download") if r["actor"] == "dl.xlsx"] == []
    button, data = download(at, served, "dl_xlsx_contracts")  # the click
    button.click()
    at.run()
    rows = [r for r in audit_rows(access, "download") if r["actor"] == "dl.xlsx"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["target"], row["row_count"]) == ("contracts", 2)
    assert row["sha256"] == hashlib.sha256(data).hexdigest()
    details = json.loads(row["details"])
    assert details["file"] == "contracts.xlsx"
    assert details["page"] == "contracts.py"
    assert details["filters"]["threshold"] == ["0"]


def test_contract_list_csv_download_is_audited_too(access, served) -> None:
    at = open_page("contracts.py", PAST_DUE, username="dl.csv", roles=("risk_committee",))
    button, data = download(at, served, "dl_csv_contracts")
    button.click()
    at.run()
    rows = [r for r in audit_rows(access, "download") if r["actor"] == "dl.csv"]
    assert [(r["target"], r["row_count"]) for r in rows] == [("contracts", 2)]
    assert rows[0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_formula_text_stays_text_in_the_xlsx(access, served) -> None:
    """Row 2 is B: its branch cell holds the HYPERLINK text as a string, not a formula."""
    at = open_page("contracts.py", PAST_DUE, username="dl.inert")
    _, data = download(at, served, "dl_raw_xlsx_contracts")
    ws = load_workbook(io.BytesIO(data)).active
    header = [c.value for c in ws[1]]
    assert ws.max_row == 3
    branch = ws.cell(row=2, column=header.index("branch") + 1)
    asset = ws.cell(row=2, column=header.index("asset_category") + 1)
    assert (branch.value, branch.data_type) == (HYPERLINK, "s")
    assert (asset.value, asset.data_type) == ("@SUM(1+1)", "s")
    assert ws.cell(row=2, column=header.index("contract_id") + 1).value == "B"


def test_formula_text_is_quoted_in_the_csv(access, served) -> None:
    """A spreadsheet opening the CSV sees text: the cell starts with an apostrophe."""
    at = open_page("contracts.py", PAST_DUE, username="dl.inert")
    _, data = download(at, served, "dl_raw_csv_contracts")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["contract_id"] for r in rows] == ["B", "A"]
    assert rows[0]["branch"] == "'" + HYPERLINK
    assert rows[0]["asset_category"] == "'@SUM(1+1)"


def test_a_scoped_user_downloads_only_their_branch(access, served) -> None:
    """Scoped to BJ, the past-due list is A alone, in the file as on screen."""
    at = open_page("contracts.py", PAST_DUE, username="dl.bj", branches=("BJ",))
    _, data = download(at, served, "dl_raw_csv_contracts")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [(r["contract_id"], r["branch"]) for r in rows] == [("A", "BJ")]


def test_download_audit_lands_in_either_portal_store(
    access, served, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the portal store on SQLite or on PostgreSQL ($POSTLOAN_PORTAL_URL), one row each."""
    store = portal_url(db_url)
    monkeypatch.setenv("POSTLOAN_PORTAL_URL", store)
    at = open_page("contracts.py", PAST_DUE, username="dl.store")
    button, data = download(at, served, "dl_csv_contracts")
    button.click()
    at.run()
    engine = portal_engine(store)
    try:
        with engine.connect() as conn:
            rows = (
                conn.execute(sa.select(audit_events).where(audit_events.c.actor == "dl.store"))
                .mappings()
                .all()
            )
    finally:
        engine.dispose()
    assert [(r["action"], r["target"], r["row_count"]) for r in rows] == [
        ("download", "contracts", 2)
    ]
    assert rows[0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_every_download_button_in_the_app_is_built_and_audited_on_the_click() -> None:
    """Every `download_button(...)` call in dashboard/ and pages/ passes `data=on_click(...)`:
    nothing is rendered under /media/ before the click, and no file leaves without an audit
    row."""
    root = Path(__file__).resolve().parents[2]
    unaudited = []
    for path in [*(root / "dashboard").glob("*.py"), *(root / "pages").glob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr != "download_button":
                continue
            data = {k.arg: k.value for k in node.keywords}.get("data")
            built = isinstance(data, ast.Call) and getattr(data.func, "id", "") == "on_click"
            if not built:
                unaudited.append(f"{path.relative_to(root)}:{node.lineno}")
    assert unaudited == []


def test_a_download_clicked_after_sign_out_gives_nothing(access, served) -> None:
    """The button of a page drawn before the sign-out builds no file and writes no row."""
    at = open_page("contracts.py", PAST_DUE, username="dl.late")
    button = next(b for b in at.get("download_button") if b.id.endswith("dl_csv_contracts"))
    build = dict.__getitem__(served, button.proto.deferred_file_id)
    at.sidebar.button(key="auth_sign_out").click().run()
    with pytest.raises(SessionEnded):
        build()
    assert [r for r in audit_rows(access, "download") if r["actor"] == "dl.late"] == []


def test_the_contract_list_file_is_the_screen_cell_by_cell_under_its_header_block(
    access, served
) -> None:
    """The table file: page, as-of, filters, user and time (zone named) above the screen's
    headers and, cell by cell, its values (万元, words)."""
    at = open_page("contracts.py", PAST_DUE, username="dl.same", roles=("risk_committee",))
    _, data = download(at, served, "dl_xlsx_contracts")
    block, head, body = read_table(data)
    assert block["页面"] == "合同列表"
    assert block["筛选条件"] == "DPD > 0"  # the criteria in words, as on the screen
    assert block["下载人"] == "dl.same"
    assert block["数据截至"]
    assert str(block["生成时间"]).endswith("(UTC+08:00 Asia/Shanghai)")
    screen = at.dataframe[0].value
    assert head == list(screen.columns)
    assert body == screen_rows(screen)
    assert "contract_id" not in head and "合同编号" in head


def test_a_paged_list_downloads_every_matching_contract(
    access, served, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One contract a screen page and one a fetch: the screen shows B alone, says 2, and both
    files hold B and A (the whole list, gathered page after page on the click)."""
    monkeypatch.setattr(contract_params, "PAGE_SIZE", 1)
    monkeypatch.setattr(contract_params, "FETCH_SIZE", 1)
    at = open_page("contracts.py", PAST_DUE, username="dl.all", roles=("risk_committee",))
    assert len(at.dataframe[0].value) == 1
    _, data = download(at, served, "dl_xlsx_contracts")
    _, head, body = read_table(data)
    ids = [row[head.index("合同编号")] for row in body]
    assert ids == ["B", "A"]
    _, raw = download(at, served, "dl_raw_csv_contracts")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [r["contract_id"] for r in rows] == ["B", "A"]
    clicked = [r for r in audit_rows(access, "download") if r["actor"] == "dl.all"]
    assert sorted(r["row_count"] for r in clicked) == [2, 2]


def test_an_oversized_table_continues_on_further_sheets() -> None:
    """With a sheet limit of 6 rows: block (2) + blank + header leave 2 rows on the first sheet,
    then 5 per sheet under their own header; nothing is cut."""
    frame = pd.DataFrame({"n": range(9)})
    original = export_module.XLSX_MAX_ROWS
    export_module.XLSX_MAX_ROWS = 6
    try:
        data = export_module.to_xlsx(frame, block=[("页面", "x"), ("下载人", "u")])
    finally:
        export_module.XLSX_MAX_ROWS = original
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["data", "data (2)", "data (3)"]
    _, _, body = read_table(data)
    assert [row[0] for row in body] == list(range(9))
