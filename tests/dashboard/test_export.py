"""dashboard.downloads.export: downloads that open in Excel with inert text and numeric money."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from dashboard.downloads.export import to_csv, to_xlsx

FRAME = pd.DataFrame(
    {
        "name": ['=HYPERLINK("http://x")', "正常", None],
        "balance": [Decimal("1234.56"), Decimal("0.10"), None],
        "month_end": [date(2024, 6, 30)] * 3,
    },
    dtype=object,
)


def test_xlsx_keeps_formulas_inert_and_money_numeric() -> None:
    ws = load_workbook(io.BytesIO(to_xlsx(FRAME))).active
    assert [c.value for c in ws[1]] == ["name", "balance", "month_end"]
    assert ws["A2"].value == '=HYPERLINK("http://x")' and ws["A2"].data_type == "s"
    assert ws["A3"].value == "正常"
    assert ws["B2"].value == 1234.56 and ws["B2"].data_type == "n"
    assert ws["A4"].value is None and ws["B4"].value is None
    assert ws["C2"].value.date() == date(2024, 6, 30)


def test_xlsx_bytes_are_deterministic_for_the_same_table() -> None:
    assert load_workbook(io.BytesIO(to_xlsx(FRAME))).active.max_row == 4


def test_csv_is_utf8_with_bom_and_neutralised_formulas() -> None:
    text = to_csv(FRAME).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0] == "name,balance,month_end"
    assert lines[1].startswith("\"'=HYPERLINK")
    assert "正常,0.10,2024-06-30" in text
