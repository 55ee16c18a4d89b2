"""The workbook: re-opened with openpyxl and converted by LibreOffice, deterministic, inert text.

Figures from `tests/regulatory/books.py` in 万元: G11 total 17,700 yuan = 1.77, normal 1.10, NPL
0.35; the normal migration rate 33.33%.
"""

from __future__ import annotations

import dataclasses
import io
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from regulatory.model import Cover, Finding, ReportData
from regulatory.workbook import render_workbook, workbook_cells
from tests.regulatory.books import INJECTION, PERIOD
from tests.regulatory.libreoffice import sheets_as_csv

COVER = Cover(
    institution="=示例融资租赁",
    period=PERIOD,
    preparer="张三",
    reviewer="李四",
    generated_at=datetime(2024, 7, 5, 8, 30),  # noqa: DTZ001 - naive UTC
    fingerprint="load 1 sha256 " + "cd" * 32,
    settings=(("provisions.normal", "0.01"),),
)
WARNING = Finding(
    "CONC-BREACH-single_lessee", "warning", ("CONC_5_E",), "单一客户超标", "breach", "否", "是"
)
EXPLAINED = {"CONC-BREACH-single_lessee": "已于7月3日向监管报告"}


def book_sheet(data: bytes, name: str):
    """One sheet of a rendered workbook, re-opened with openpyxl."""
    return load_workbook(io.BytesIO(data))[name]


def summary(reports: dict[str, ReportData]) -> list[ReportData]:
    return [r for r in reports.values() if r.sheets]


@pytest.fixture(scope="module")
def workbook(reports: dict[str, ReportData]) -> bytes:
    return render_workbook(summary(reports), COVER, [WARNING], EXPLAINED)


def test_sheets_headers_and_figures_read_back_with_openpyxl(workbook: bytes) -> None:
    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == [
        "封面",
        "G11",
        "G12",
        "G12迁徙率",
        "逾期",
        "最大十家",
        "集中度",
        "校验结果",
        "_cells",
    ]
    assert book["_cells"].sheet_state == "hidden"
    g11 = book["G11"]
    assert g11["A1"].value == "G11 资产质量五级分类情况表"
    assert [c.value for c in g11[3]][:4] == ["行次", "项目", "正常", "关注"]
    assert [c.value for c in g11[4]][2:10] == list("ABCDEFGH")
    assert g11["C5"].value == 1.1
    assert g11["C5"].number_format == "#,##0.00"
    assert g11["J5"].value == 6 and g11["J5"].number_format == "#,##0"
    assert g11.freeze_panes == "C5"
    assert g11.page_setup.orientation == "landscape"
    assert g11.print_title_rows == "$3:$4"
    rates = book["G12迁徙率"]
    assert rates["E5"].number_format == "0.00%"


def test_cells_read_back_by_code_in_wan_yuan(workbook: bytes) -> None:
    """1.77 万元 total, 0.35 NPL, 33.33% normal rate, the injection name as plain text."""
    cells = workbook_cells(workbook)
    assert cells["G11_1_F"] == Decimal("1.77")
    assert cells["G11_1_G"] == Decimal("0.35")
    assert cells["G11_1_H"] == 6
    assert cells["G12_9_C"] == Decimal("0.3333")
    assert cells["G12_10_C"] == "—"  # special mention: denominator 600 − 600 = 0
    assert cells["TOP10_1_B"] == INJECTION
    assert cells["CONC_5_E"] == "是"


def test_a_rate_with_a_zero_denominator_is_a_dash(workbook: bytes) -> None:
    """G12 special-mention and doubtful rates (0 ÷ 0) and CONC row 9 (no shareholder data) are
    "—" as text, never empty or 0%; the 100% substandard rate stays a number."""
    book = load_workbook(io.BytesIO(workbook))
    rates = book["G12迁徙率"]
    for ref in ("E6", "E8"):  # rows 10 and 12: 关注类, 可疑类
        assert (rates[ref].value, rates[ref].data_type, rates[ref].number_format) == (
            "—",
            "s",
            "@",
        )
    assert (rates["E7"].value, rates["E7"].number_format) == (1, "0.00%")
    assert book["集中度"]["E13"].value == "—"


def test_overdue_sheet_rows_per_bucket_by_product_and_industry(workbook: bytes) -> None:
    """Table row r is sheet row r + 4; the four measures in 万元: loan × M5 (D1) 1 contract,
    0.30 outstanding, 0.30 overdue principal, 0.01 overdue interest; industry C × M2 (S1)."""
    sheet = book_sheet(workbook, "逾期")
    assert [c.value for c in sheet[3]] == [
        "行次",
        "项目",
        "合同数",
        "未偿本金",
        "逾期本金",
        "逾期利息",
    ]
    values = {r[0]: r[1:] for r in sheet.iter_rows(min_row=5, values_only=True) if r[0]}
    assert values[6] == ("　M4 逾期91-120天", 0, 0, 0, 0)
    assert values[7] == ("　M5 逾期121-150天", 1, 0.3, 0.3, 0.01)
    assert values[29] == ("产品：贷款", 2, 0.35, 0.35, 0.01)
    assert values[35] == ("　M5 逾期121-150天", 1, 0.3, 0.3, 0.01)
    assert values[56][0] == "行业：C 制造业"
    assert values[59][1:] == (1, 0.2, 0.1, 0)
    assert max(values) == 217


def test_cover_and_findings_sheets(workbook: bytes) -> None:
    book = load_workbook(io.BytesIO(workbook))
    cover = {r[0]: r[1] for r in book["封面"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert cover["填报机构 Institution"] == "=示例融资租赁"
    assert cover["报表期间 Period"] == "2024-06-30"
    assert cover["金额单位 Unit"] == "万元"
    assert cover["填报人 Preparer"] == "张三"
    assert cover["复核人 Reviewer"] == "李四"
    assert cover["生成时间 Generated"] == "2024-07-05 16:30:00 (UTC+08:00 Asia/Shanghai)"
    assert cover["数据指纹 Data fingerprint"].endswith("cd" * 32)
    assert cover["状态 Status"] == "正式 FINAL"
    assert cover["拨备计提比例：正常类 Provision rate: normal"] == "1%"
    findings = list(book["校验结果"].iter_rows(min_row=2, values_only=True))
    assert findings == [
        (
            "CONC-BREACH-single_lessee",
            "警示",
            "CONC_5_E",
            "单一客户超标",
            "breach",
            "否",
            "是",
            "已于7月3日向监管报告",
        )
    ]


def test_same_data_gives_the_same_bytes(reports: dict[str, ReportData], workbook: bytes) -> None:
    again = render_workbook(summary(reports), COVER, [WARNING], EXPLAINED)
    assert again == workbook
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert "2024-07-05T08:30:00Z" in core


def test_text_that_looks_like_a_formula_stays_text_in_every_sheet(workbook: bytes) -> None:
    book = load_workbook(io.BytesIO(workbook))
    seen = []
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    assert cell.data_type == "s", (ws.title, cell.coordinate)
                    seen.append(ws.title)
    assert {"封面", "最大十家"} <= set(seen)
    with zipfile.ZipFile(io.BytesIO(workbook)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name), name


def test_draft_cover_says_draft(reports: dict[str, ReportData]) -> None:
    import dataclasses

    data = render_workbook(summary(reports), dataclasses.replace(COVER, draft=True), [], {})
    book = load_workbook(io.BytesIO(data))
    assert book["封面"]["A1"].value == "监管报表（草稿 DRAFT）"
    assert book["G11"].oddHeader.center.text == "草稿 DRAFT"
    assert book["校验结果"]["A2"].value == "无 / none"


def test_libreoffice_opens_the_workbook_and_reads_the_same_figures(
    workbook: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "g.xlsx"
    path.write_bytes(workbook)
    sheets = sheets_as_csv(path, tmp_path)
    assert {"封面", "G11", "G12", "逾期", "最大十家", "集中度", "校验结果"} <= set(sheets)
    g11 = sheets["G11"]
    assert g11[2][:4] == ["行次", "项目", "正常", "关注"]
    assert g11[4][:10] == [
        "1",
        "租赁应收（贷款）合计",
        "1.1",
        "0.32",
        "0.3",
        "0",
        "0.05",
        "1.77",
        "0.35",
        "6",
    ]
    top = sheets["最大十家"]
    assert top[4][:4] == ["1", "关注类第1名", "LS1", INJECTION]
    rates = sheets["G12迁徙率"]
    assert rates[4][:5] == ["9", "正常类贷款迁徙率", "0.5", "1.5", "33.33%"]  # 0.00% format
    assert rates[5][:5] == ["10", "关注类贷款迁徙率", "0", "0", "—"]  # 0 ÷ 0
    cover = {r[0]: r[1] for r in sheets["封面"] if len(r) > 1}
    assert cover["填报机构 Institution"] == "=示例融资租赁"


def test_render_period_on_the_cover(reports: dict[str, ReportData]) -> None:
    assert reports["G11"].period == date(2024, 6, 30)


def test_control_characters_in_typed_text_are_shown_not_refused(
    reports: dict[str, ReportData],
) -> None:
    """A preparer name or a warning's explanation typed with a control character (\\x01, NUL)
    used to make openpyxl refuse the whole workbook; it is written as its Control Picture."""
    cover = dataclasses.replace(COVER, preparer="张\x01三", reviewer="=李\x00四")
    data = render_workbook(summary(reports), cover, [WARNING], {WARNING.rule_id: "已报告\x07"})
    text = [c.value for row in book_sheet(data, "封面").iter_rows() for c in row]
    assert "张␁三" in text and "=李␀四" in text
    reviewer = next(
        c for row in book_sheet(data, "封面").iter_rows() for c in row if c.value == "=李␀四"
    )
    assert reviewer.data_type == "s" and reviewer.quotePrefix
    findings = [c.value for row in book_sheet(data, "校验结果").iter_rows() for c in row]
    assert "已报告␇" in findings
