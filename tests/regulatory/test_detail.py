"""The loan-level detail 合同明细: one row per open contract, streamed, continued past a row limit.

The book (tests/regulatory/books.py) has six open contracts at 2024-06-30, by contract id:
D1, L1, N1, NEW, R1, S1, adding up to 17,700 outstanding; W1 is written off and absent. The
cover (封面, the first sheet) is tested in test_cover.py.
"""

from __future__ import annotations

import csv
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.engine import Engine

from queries import contract_detail
from regulatory.cover import make_cover
from regulatory.detail import write_detail, write_detail_csv
from regulatory.registry import DETAIL_COLUMNS
from tests.regulatory.books import INJECTION, PERIOD
from tests.regulatory.libreoffice import sheets_as_csv

IDS = ["D1", "L1", "N1", "NEW", "R1", "S1"]
HEADER = [c.label_zh for c in DETAIL_COLUMNS]


def rows_of(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
    finally:
        book.close()


def test_one_row_per_open_contract_with_labels(report_engine: Engine, tmp_path: Path) -> None:
    """D1: loan, substandard, DPD 121, 3,000 outstanding and overdue, 100 interest, 750
    provision (25%, estimated)."""
    out = tmp_path / "d.xlsx"
    result = write_detail(report_engine, PERIOD, out)
    assert (result.rows, result.sheets, result.outstanding) == (6, ("合同明细",), Decimal(17700))
    sheet = rows_of(out)["合同明细"]
    assert list(sheet[0]) == HEADER
    assert [r[0] for r in sheet[1:]] == IDS
    d1 = dict(zip(HEADER, sheet[1], strict=True))
    assert d1["五级分类"] == "次级"
    assert d1["产品"] == "贷款"
    assert (d1["未偿本金"], d1["逾期本金"], d1["逾期利息"]) == (3000, 3000, 100)
    assert (d1["逾期天数"], d1["账龄段"], d1["减值准备"]) == (121, "M5", 750)
    assert d1["起租日"].date().isoformat() == "2023-10-10"
    assert d1["准备是否估算"] == "是"
    r1 = dict(zip(HEADER, sheet[5], strict=True))
    assert (r1["五级分类"], r1["分类依据"], r1["重组观察期"]) == ("关注", "重组观察期", "是")


def test_continues_on_further_sheets_past_the_row_limit(
    report_engine: Engine, tmp_path: Path
) -> None:
    """Limit 4: 4 rows then 2 on 合同明细(2); limit 3: exactly two full sheets, no empty third."""
    out = tmp_path / "d4.xlsx"
    result = write_detail(report_engine, PERIOD, out, rows_per_sheet=4, batch_rows=3)
    assert result.sheets == ("合同明细", "合同明细(2)") and result.rows == 6
    sheets = rows_of(out)
    assert [r[0] for r in sheets["合同明细"]] == ["合同编号", *IDS[:4]]
    assert [r[0] for r in sheets["合同明细(2)"]] == ["合同编号", *IDS[4:]]
    exact = write_detail(report_engine, PERIOD, tmp_path / "d3.xlsx", rows_per_sheet=3)
    assert exact.sheets == ("合同明细", "合同明细(2)")
    with pytest.raises(ValueError, match="rows_per_sheet"):
        write_detail(report_engine, PERIOD, tmp_path / "x.xlsx", rows_per_sheet=1_048_576)


def test_same_data_gives_the_same_bytes(report_engine: Engine, tmp_path: Path) -> None:
    cover = make_cover(report_engine, PERIOD, generated_at=datetime(2024, 7, 5), unit="元")  # noqa: DTZ001 - naive UTC
    first = write_detail(report_engine, PERIOD, tmp_path / "a.xlsx", batch_rows=2, cover=cover)
    second = write_detail(report_engine, PERIOD, tmp_path / "b.xlsx", cover=cover)
    assert first.sha256 == second.sha256
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_a_formula_like_name_is_inert_text(report_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "d.xlsx"
    write_detail(report_engine, PERIOD, out)
    book = load_workbook(out)
    cell = book["合同明细"]["C7"]
    assert (cell.value, cell.data_type) == (INJECTION, "s")
    with zipfile.ZipFile(out) as z:
        for name in ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"):  # cover, detail
            assert b"<f>" not in z.read(name)


def test_libreoffice_reads_every_sheet(report_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "d.xlsx"
    write_detail(report_engine, PERIOD, out, rows_per_sheet=4)
    sheets = sheets_as_csv(out, tmp_path)
    assert set(sheets) == {"封面", "合同明细", "合同明细(2)"}
    first, second = sheets["合同明细"], sheets["合同明细(2)"]
    assert first[0] == HEADER
    assert [r[0] for r in first[1:]] == IDS[:4]
    assert second[2][2] == INJECTION
    assert second[2][13] == "2000"  # S1 outstanding
    assert first[1][10] == "2023-10-10"  # the date format


def test_csv_variant(report_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "d.csv"
    result = write_detail_csv(report_engine, PERIOD, out)
    assert (result.rows, result.outstanding) == (6, Decimal(17700))
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == IDS
    assert rows[6][2] == "'" + INJECTION  # a spreadsheet opening the CSV sees text
    assert rows[1][13] == "3000.00"


def test_rows_stream_in_order_across_contract_ranges(report_engine: Engine) -> None:
    """Ranges of two contracts (DuckDB reads D1 L1 | N1 NEW | R1 S1), batches of one row."""
    got = [
        b.column(0).to_pylist()
        for b in contract_detail.batches(report_engine, PERIOD, batch_rows=1, chunk_rows=2)
    ]
    assert [x for part in got for x in part] == IDS
    assert all(len(part) == 1 for part in got)
