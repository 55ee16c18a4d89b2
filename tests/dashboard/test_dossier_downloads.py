"""合同档案: every table's .xlsx download holds, cell by cell, what the screen shows (AppTest).

The screen shows 万元 with two decimals and ratios as percentages; the file holds the same
numbers as numbers, in the unit its header names, with an Excel number format that shows them
the same way; codes are words in both.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.dossier.pack_xlsx import dossier_pack
from dashboard.views.risk import headers_only
from tests.access.access_app import capture_served, download
from tests.dashboard import risk_app
from tests.dashboard.analytics_app import assert_clean, open_page
from tests.file_cells import read_table, screen_rows

risk_url, risk = risk_app.risk_url, risk_app.risk
COMMITTEE = ("risk_committee",)


def sheet_rows(data: bytes) -> tuple[list[str], list[list[object]]]:
    """The header row and the body rows of a table download, as the user sees them."""
    _, head, body = read_table(data)
    return head, body


def test_every_dossier_table_download_matches_its_screen_table(
    risk: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """D1: each section's file has the screen's headers and, cell by cell, its values."""
    served = capture_served(monkeypatch)
    at = open_page("dossier", {"contract": "D1"}, roles=COMMITTEE)
    assert_clean(at)
    screens = [frame.value for frame in at.dataframe]
    keys = [b.id.split("-", 2)[-1] for b in at.get("download_button")]
    names = [k.split("dl_xlsx_", 1)[1] for k in keys if k.startswith("dl_xlsx_dossier_")]
    names = [n for n in names if n != "dossier_contract"]  # the item/value overview: below
    assert len(names) >= 5
    compared = 0
    for name in names:
        _, data = download(at, served, f"dl_xlsx_{name}")
        head, body = sheet_rows(data)
        matches = [s for s in screens if list(s.columns) == head and len(s) == len(body)]
        assert matches, f"{name}: no screen table with headers {head}"
        screen = screen_rows(matches[0])
        assert body == screen, name
        compared += len(body)
    assert compared > 0


def test_money_is_in_wan_and_codes_are_words_in_the_file(
    risk: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table file: a header block (page, user, time with its zone), 万元 columns with the
    万元 number format, words for codes; the raw file: no block, the query's column names."""
    served = capture_served(monkeypatch)
    at = open_page("dossier", {"contract": "D1"}, roles=COMMITTEE)
    _, data = download(at, served, "dl_xlsx_dossier_lessee_contracts")
    block, head, body = read_table(data)
    assert block["页面"] == "合同档案"
    assert block["下载人"] == "tester"
    assert str(block["生成时间"]).endswith("(UTC+08:00 Asia/Shanghai)")
    money = [j for j, h in enumerate(head) if "万元" in str(h)]
    assert money
    for row in body:
        for j in money:
            # read through its number format `#,##0.00`: text such as "0.10", never a bare number
            assert isinstance(row[j], str), (head[j], row[j])
    text = {str(v) for row in body for v in row}
    assert not text & {"normal", "direct_lease", "special_mention", "individual", "corporate"}
    _, raw = download(at, served, "dl_raw_xlsx_dossier_lessee_contracts")
    raw_block, raw_head, _ = read_table(raw)
    assert raw_block == {}
    assert "outstanding" in raw_head or "contract_id" in raw_head


def test_committee_pack_puts_wan_under_wan_and_words_for_codes() -> None:
    """206,015,677 yuan is 20,601.57 万元 (the PDF's figure); `direct_lease` is 直租; the cover's
    class is 正常 and its principal the screen's text."""
    head = pd.DataFrame(
        [{"contract_id": "C1", "risk_class": "normal", "principal": Decimal(206015677)}]
    )
    lessee = pd.DataFrame(
        {
            "contract_id": ["C1"],
            "product": ["direct_lease"],
            "principal": [Decimal(206015677)],
            "risk_class": ["normal"],
        }
    )
    pack = dossier_pack(
        {"合同": "C1"},
        head,
        {"其他合同": lessee},
        generated_at=datetime(2026, 10, 31, 10, 5, tzinfo=UTC).replace(tzinfo=None),
        reveal=False,
        headers=lambda frame: headers_only(frame, "zh"),
    )
    book = load_workbook(io.BytesIO(pack.data))
    ws = book["其他合同"]
    head_row = [c.value for c in ws[1]]
    assert "合同本金（万元）" in head_row
    cell = ws.cell(row=2, column=head_row.index("合同本金（万元）") + 1)
    assert (cell.value, cell.number_format) == (20601.57, "#,##0.00")
    assert [c.value for c in ws[2]] == ["C1", "直租", 20601.57, "正常"]
    cover = {r[0]: r[1] for r in book["封面 Cover"].iter_rows(min_row=2, values_only=True)}
    assert cover["合同本金（万元）"] == "20,601.57"
    assert cover["五级分类"] == "正常"
