"""The streaming writer on awkward values: escaping, control characters, gaps, dates, numbers."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
from openpyxl import load_workbook

from regulatory.xlsx_stream import StreamingWorkbook


def test_values_come_back_in_place(tmp_path: Path) -> None:
    """A null keeps its column; <, & and > survive; a control character is dropped."""
    batch = pa.RecordBatch.from_arrays(
        [
            pa.array(["a<b & c>d", None, "  spaced  ", "bell\x07"]),
            pa.array([Decimal("1.50"), Decimal("-2.25"), None, Decimal("0")]),
            pa.array([date(2024, 1, 31), None, date(1999, 12, 31), date(2024, 2, 29)]),
            pa.array([1, 2, 3, None]),
        ],
        names=["t", "m", "d", "n"],
    )
    out = tmp_path / "s.xlsx"
    book = StreamingWorkbook(out, stamp=date(2024, 6, 30))
    written = book.write_sheet(
        "表", ["文本", "金额", "日期", "数"], ["text", "money", "date", "count"], [batch]
    )
    book.close()
    assert written == 4
    ws = load_workbook(out)["表"]
    rows = [
        tuple(v.date() if isinstance(v, datetime) else v for v in row)
        for row in ws.iter_rows(values_only=True)
    ]
    assert rows[0] == ("文本", "金额", "日期", "数")
    assert rows[1] == ("a<b & c>d", 1.5, date(2024, 1, 31), 1)
    assert rows[2] == (None, -2.25, None, 2)
    assert rows[3] == ("  spaced  ", None, date(1999, 12, 31), 3)
    assert rows[4] == ("bell", 0, date(2024, 2, 29), None)
    assert ws["B2"].number_format == "#,##0.00"
    assert ws.freeze_panes == "A2"
