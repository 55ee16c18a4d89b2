"""Every report against the figures worked out by hand in `tests/regulatory/books.py`.

Money cells are exact yuan (Decimal); the workbook shows them in 万元.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from regulatory.compile import compile_report
from regulatory.model import ReportData
from regulatory.registry import (
    G11_ESTIMATED_ROW,
    G11_PROVISION_ROW,
    G11_RESTRUCTURED_ROW,
    G11_ROWS,
)
from regulatory.validation import validate
from tests.regulatory.books import AS_OF, PERIOD
from tests.warehouse.book import Book, build_book, monthly
from warehouse.engine import create_warehouse_engine

D = Decimal


def cells(data: ReportData, row: int, cols: str) -> list[object]:
    """The values of one row's columns, in the order of `cols`."""
    return [data.cells[f"{data.code}_{row}_{c}"] for c in cols]


def test_g11_class_totals_and_segments(reports: dict[str, ReportData]) -> None:
    """Normal 11,000 · SM 3,200 · sub 3,000 · doubtful 0 · loss 500; total 17,700; NPL 3,500."""
    g11 = reports["G11"]
    assert cells(g11, 1, "ABCDEFGH") == [
        D(11000),
        D(3200),
        D(3000),
        0,
        D(500),
        D(17700),
        D(3500),
        6,
    ]
    product = G11_ROWS["product"]
    assert cells(g11, product, "ABFH") == [D(11000), D(1200), D(12200), 3]  # direct_lease
    assert cells(g11, product + 1, "BFH") == [D(2000), D(2000), 1]  # sale_leaseback
    assert cells(g11, product + 2, "CEFGH") == [D(3000), D(500), D(3500), D(3500), 2]  # loan
    kind = G11_ROWS["lessee_type"]
    assert cells(g11, kind, "AFH") == [D(11000), D(11000), 2]  # corporate
    assert cells(g11, kind + 1, "BCEFGH") == [D(3200), D(3000), D(500), D(6700), D(3500), 4]
    industry = G11_ROWS["industry"]
    assert cells(g11, industry + 2, "FH") == [D(6700), 4]  # C manufacturing
    assert cells(g11, industry + 5, "AFH") == [D(11000), D(11000), 2]  # F trade
    assert cells(g11, industry, "FH") == [0, 0]  # A: nobody


def test_g11_provisions_and_restructured_rows(reports: dict[str, ReportData]) -> None:
    """Provisions 110 / 64 / 750 / 0 / 500 = 1,424 (NPL 1,250); R1 1,200 SM restructured."""
    g11 = reports["G11"]
    assert cells(g11, G11_PROVISION_ROW, "ABCDEFG") == [
        D(110),
        D(64),
        D(750),
        0,
        D(500),
        D(1424),
        D(1250),
    ]
    assert g11.cells[f"G11_{G11_PROVISION_ROW}_H"] is None
    # of which estimated: all of them (the book gives no extract provision)
    assert cells(g11, G11_ESTIMATED_ROW, "ABCDEFGH") == [
        D(110),
        D(64),
        D(750),
        0,
        D(500),
        D(1424),
        D(1250),
        None,
    ]
    assert G11_ESTIMATED_ROW == 28 and G11_RESTRUCTURED_ROW == 29
    row = G11_RESTRUCTURED_ROW
    assert cells(g11, row, "BFGH") == [D(1200), D(1200), 0, 1]
    assert cells(g11, row + 1, "FH") == [0, 0]  # of which over 90 DPD
    assert cells(g11, row + 2, "BFH") == [D(1200), D(1200), 1]  # extended
    assert cells(g11, row + 3, "FH") == [0, 0]  # re-restructured still outside NPL


def test_g12_matrix_is_the_year_to_date_migration(reports: dict[str, ReportData]) -> None:
    """Beginning normal 15,000 → 10,000 / 2,000 / 3,000; SM 600 reduced; sub 500 → loss."""
    g12 = reports["G12"]
    assert cells(g12, 1, "ABCDEFG") == [D(15000), D(10000), D(2000), D(3000), 0, 0, 0]
    assert cells(g12, 2, "ABG") == [D(600), 0, D(600)]
    assert cells(g12, 3, "ADFG") == [D(500), 0, D(500), 0]
    assert cells(g12, 6, "ABCDEFG") == [D(16100), D(10000), D(2000), D(3000), 0, D(500), D(600)]
    assert cells(g12, 7, "ABCDEFG") == [None, D(1000), D(1200), 0, 0, 0, None]
    assert cells(g12, 8, "BCDEF") == [D(11000), D(3200), D(3000), 0, D(500)]


def test_g12_official_rates(reports: dict[str, ReportData]) -> None:
    """Normal 5,000 ÷ 15,000; SM — (0 ÷ 0); substandard 500 ÷ 500; doubtful —; performing 3,000
    ÷ 15,000."""
    g12 = reports["G12"]
    assert cells(g12, 9, "AB") == [D(5000), D(15000)]
    assert round(g12.cells["G12_9_C"], 6) == D("0.333333")
    assert cells(g12, 10, "ABC") == [0, 0, None]
    assert cells(g12, 11, "ABC") == [D(500), D(500), D(1)]
    assert g12.cells["G12_12_C"] is None
    assert cells(g12, 13, "ABC") == [D(3000), D(15000), D("0.2")]


def test_overdue_table_by_bucket_product_and_industry(reports: dict[str, ReportData]) -> None:
    """Rows 1–10: total, M0…M7+ (M4, M5, M6 apart), overdue total; then per product (rows
    11, 20, 29) and per industry (from row 38, A, B, C = 56, …, F = 83) a subtotal and its eight
    buckets, each with contracts, outstanding, overdue principal, overdue interest."""
    ovd = reports["OVERDUE"]
    assert cells(ovd, 1, "ABCD") == [6, D(17700), D(4500), D(100)]
    assert cells(ovd, 2, "ABCD") == [3, D(12200), 0, 0]  # M0: N1, NEW, R1
    assert cells(ovd, 3, "ABCD") == [0, 0, 0, 0]  # M1
    assert cells(ovd, 4, "ABCD") == [1, D(2000), D(1000), 0]  # M2: S1
    assert cells(ovd, 6, "ABCD") == [0, 0, 0, 0]  # M4 91–120
    assert cells(ovd, 7, "ABCD") == [1, D(3000), D(3000), D(100)]  # M5 121–150: D1
    assert cells(ovd, 8, "ABCD") == [0, 0, 0, 0]  # M6 151–180
    assert cells(ovd, 9, "ABCD") == [1, D(500), D(500), 0]  # M7+: L1
    assert cells(ovd, 10, "ABCD") == [3, D(5500), D(4500), D(100)]
    assert cells(ovd, 11, "ABCD") == [3, D(12200), 0, 0]  # direct_lease
    assert cells(ovd, 12, "ABCD") == [3, D(12200), 0, 0]  # direct_lease × M0
    assert cells(ovd, 20, "ABCD") == [1, D(2000), D(1000), 0]  # sale_leaseback
    assert cells(ovd, 23, "ABCD") == [1, D(2000), D(1000), 0]  # sale_leaseback × M2
    assert cells(ovd, 29, "ABCD") == [2, D(3500), D(3500), D(100)]  # loan
    assert cells(ovd, 34, "ABCD") == [0, 0, 0, 0]  # loan × M4
    assert cells(ovd, 35, "ABCD") == [1, D(3000), D(3000), D(100)]  # loan × M5: D1
    assert cells(ovd, 37, "ABCD") == [1, D(500), D(500), 0]  # loan × M7+: L1
    assert cells(ovd, 38, "ABCD") == [0, 0, 0, 0]  # industry A: nobody
    assert cells(ovd, 56, "ABCD") == [4, D(6700), D(4500), D(100)]  # C: R1, S1, D1, L1
    assert cells(ovd, 57, "ABCD") == [1, D(1200), 0, 0]  # C × M0: R1
    assert cells(ovd, 59, "ABCD") == [1, D(2000), D(1000), 0]  # C × M2: S1
    assert cells(ovd, 62, "ABCD") == [1, D(3000), D(3000), D(100)]  # C × M5: D1
    assert cells(ovd, 64, "ABCD") == [1, D(500), D(500), 0]  # C × M7+: L1
    assert cells(ovd, 83, "ABCD") == [2, D(11000), 0, 0]  # F: N1, NEW
    assert cells(ovd, 84, "ABCD") == [2, D(11000), 0, 0]  # F × M0
    assert cells(ovd, 217, "ABCD") == [0, 0, 0, 0]  # T × M7+, the last row
    assert "OVERDUE_218_A" not in ovd.cells and "OVERDUE_1_E" not in ovd.cells


def test_top_ten_per_class(reports: dict[str, ReportData]) -> None:
    """SM: LS1 2,000 then LR1 1,200; substandard LD1 3,000; doubtful none; loss LL1 500."""
    top = reports["TOP10"]
    assert cells(top, 1, "ABDEFGH") == [
        "LS1",
        '=HYPERLINK("http://x","y")',
        D(2000),
        1,
        D(2000),
        D(40),
        D(40),  # of which estimated: all
    ]
    assert cells(top, 2, "ADF") == ["LR1", D(1200), D(1200)]
    assert cells(top, 3, "ABD") == [None, None, None]
    assert cells(top, 11, "ACD") == ["LD1", "零售（个人）客户", D(3000)]
    assert cells(top, 21, "AD") == [None, None]
    assert cells(top, 31, "ADG") == ["LL1", D(500), D(500)]


def test_concentration_and_prudential_ratios(reports: dict[str, ReportData]) -> None:
    """Leasing 70%, risk assets 4.7×, fixed income 10%, single lessee 55% > 30% (breach)."""
    conc = reports["CONC"]
    assert cells(conc, 1, "ABCDE") == [D(70000), D(100000), D("0.7"), "≥ 60%", "否"]
    assert cells(conc, 2, "ABCDE") == [D(94000), D(20000), D("4.7"), "≤ 8倍", "否"]
    assert cells(conc, 3, "CDE") == [D(5), "—", "不适用"]  # no such limit for 融资租赁公司
    assert cells(conc, 4, "CE") == [D("0.1"), "否"]
    assert cells(conc, 5, "ABCDE") == [D(11000), D(20000), D("0.55"), "≤ 30%", "是"]
    assert cells(conc, 6, "ACE") == [0, 0, "否"]
    assert cells(conc, 9, "ACE") == [None, None, "不适用"]
    assert "shareholder" in conc.cells["CONC_9_F"]
    assert cells(conc, 10, "ABG") == [D(1424), D(3500), D(1424)]  # G: of which estimated
    assert cells(conc, 11, "ABG") == [D(1424), D(17700), D(1424)]
    assert cells(conc, 5, "G") == [None]


def test_detail_totals(reports: dict[str, ReportData]) -> None:
    """Six open contracts; principal and outstanding 17,700; overdue 4,500 / 100; provision
    1,424."""
    det = reports["DETAIL"]
    assert cells(det, 1, "ALNOPVW") == [6, D(17700), D(17700), D(4500), D(100), D(1424), D(1424)]


def test_a_period_the_warehouse_lacks_is_a_clear_error(report_engine: Engine) -> None:
    with pytest.raises(ValueError, match="not a month-end present"):
        compile_report(report_engine, "G11", date(2030, 6, 30))
    with pytest.raises(ValueError, match="unknown report"):
        compile_report(report_engine, "G99", date(2024, 6, 30))


def test_display_grid_shows_wan_yuan_with_two_decimals(reports: dict[str, ReportData]) -> None:
    """17,700 yuan is 1.77 万元; the grid starts with 行次 and 项目 and the codes run beside."""
    sheet = reports["G11"].sheets[0]
    assert sheet.header_rows[0][:3] == ("行次", "项目", "正常")
    assert sheet.header_rows[1][2:] == tuple("ABCDEFGH")
    assert sheet.rows[0][:2] == (1, "租赁应收（贷款）合计")
    assert sheet.rows[0][7] == D("1.77")
    assert sheet.codes[0][7] == "G11_1_F"
    assert list(sheet.frame().columns[:2]) == ["行次", "项目"]


def test_re_restructured_outside_npl_is_reported_and_needs_an_explanation(db_url: str) -> None:
    """RR: 1,200 due 2024-04-10, restructured 2024-04-05 (600 due 07-10 and 08-10, observation
    from 07-10), restructured again 2024-05-15 (600 due 09-10 and 10-10), inside the first span.
    With `re_restructuring_class` = special_mention it stays outside NPL: G11 row 31 holds 1,200
    in 关注, and the warning G11-RERESTRUCTURED asks for an explanation. TW: restructured once,
    in observation, not counted."""
    book = Book()
    book.contract("RR", "2024-01-10", [("2024-04-10", "1200", "0")], valid_to="2024-04-05")
    book.version("RR", monthly("2024-07-10", 2, "600"), "2024-04-05", valid_to="2024-05-15")
    book.restructure("RR", "2024-04-05")
    book.version("RR", monthly("2024-09-10", 2, "600"), "2024-05-15")
    book.restructure("RR", "2024-05-15", "grace_period")
    book.contract("TW", "2024-01-10", [("2024-04-10", "800", "0")], valid_to="2024-04-05")
    book.version("TW", monthly("2024-07-10", 2, "400"), "2024-04-05")
    book.restructure("TW", "2024-04-05")
    build_book(db_url, book, AS_OF, **{"classification.re_restructuring_class": "special_mention"})
    engine = create_warehouse_engine(db_url)
    try:
        g11 = compile_report(engine, "G11", PERIOD)
    finally:
        engine.dispose()
    row = G11_RESTRUCTURED_ROW
    assert cells(g11, row, "BFH") == [D(2000), D(2000), 2]  # both in observation
    assert cells(g11, row + 2, "BFH") == [D(800), D(800), 1]  # extended: TW (RR's latest: grace)
    assert cells(g11, row + 3, "BFH") == [D(1200), D(1200), 1]  # RR
    findings = validate({"G11": g11})
    assert [(f.rule_id, f.severity) for f in findings] == [("G11-RERESTRUCTURED", "warning")]
