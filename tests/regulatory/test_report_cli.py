"""`postloan report` end to end on the report book (tests/regulatory/books.py).

The book's single finding is the 单一客户 concentration warning (55% > 30%): without a written
explanation the export is refused and nothing is written; with one, or as a draft, it is.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dashboard.cli.main import main
from regulatory.workbook import workbook_cells
from tests.regulatory.conftest import INSTITUTION

RULE = "CONC-BREACH-single_lessee"


def run(capsys: pytest.CaptureFixture[str], url: str, *args: str) -> tuple[int, str]:
    code = main(["report", "--period", "2024-06", "--warehouse", url, *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_unexplained_warning_refuses_and_writes_nothing(
    report_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.xlsx"
    code, text = run(capsys, report_url, "--out", str(out))
    assert code == 1
    assert RULE in text and "refused" in text
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_explained_warning_writes_the_workbook(
    report_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """G11 total 17,700 yuan = 1.77 万元; the cover names the load's institution."""
    out = tmp_path / "r.xlsx"
    code, text = run(
        capsys, report_url, "--out", str(out), "--preparer", "张三", "--explain", f"{RULE}=已报告"
    )
    assert code == 0, text
    data = out.read_bytes()
    assert workbook_cells(data)["G11_1_F"] == Decimal("1.77")
    book = load_workbook(io.BytesIO(data))
    cover = {r[0]: r[1] for r in book["封面"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert cover["填报机构 Institution"] == INSTITUTION
    assert cover["填报人 Preparer"] == "张三"
    assert cover["状态 Status"] == "正式 FINAL"
    assert book["校验结果"]["H2"].value == "已报告"


def test_draft_writes_despite_the_warning(
    report_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.xlsx"
    code, _ = run(capsys, report_url, "--out", str(out), "--report", "g11", "--draft")
    assert code == 0
    book = load_workbook(out)
    assert book.sheetnames == ["封面", "G11", "校验结果", "_cells"]
    assert book["封面"]["A1"].value == "监管报表（草稿 DRAFT）"


def test_one_report_without_findings_needs_no_draft(
    report_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "g12.xlsx"
    code, text = run(capsys, report_url, "--out", str(out), "--report", "G12")
    assert code == 0, text
    assert "no findings" in text
    assert workbook_cells(out.read_bytes())["G12_8_B"] == Decimal("1.10")


def test_detail_xlsx_and_csv(
    report_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "detail.xlsx"
    code, text = run(capsys, report_url, "--report", "DETAIL", "--out", str(out))
    assert code == 0, text
    assert "6 contracts" in text
    assert load_workbook(out)["合同明细"].max_row == 7
    csv_out = tmp_path / "detail.csv"
    code, _ = run(capsys, report_url, "--report", "DETAIL", "--out", str(csv_out))
    assert code == 0
    assert len(csv_out.read_text(encoding="utf-8-sig").splitlines()) == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--report", "G99"), "unknown report"),
        (("--explain", "no-equals-sign"), "RULE_ID=TEXT"),
    ],
)
def test_bad_input_exits_2(
    report_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    code, text = run(capsys, report_url, "--out", str(tmp_path / "x.xlsx"), *args)
    assert code == 2 and message in text


def test_a_period_outside_the_warehouse_exits_2(
    report_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "report",
            "--period",
            "2031-01",
            "--warehouse",
            report_url,
            "--out",
            str(tmp_path / "x.xlsx"),
        ]
    )
    assert code == 2
    assert "not a month-end present" in capsys.readouterr().err
