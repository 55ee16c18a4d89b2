"""Reading a downloaded table back as the user sees it, to compare with the screen's frame."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl import load_workbook

from dashboard.page.format import count, pct


def as_seen(value: object, number_format: str) -> object:
    """A workbook cell as its number format shows it, in the screen's notation."""
    if value is None:
        return "—"
    if number_format == "#,##0.00":
        return f"{Decimal(str(value)):,.2f}"
    if number_format == "0.00%":
        return pct(value)
    if number_format == "#,##0":
        return count(int(value))
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    return value


def screen_value(value: object) -> object:
    """A screen cell as a comparable value (Arrow gives Timestamps for dates)."""
    if isinstance(value, pd.Timestamp | datetime):
        return value.date() if value.time() == datetime.min.time() else value.to_pydatetime()
    if isinstance(value, date):
        return value
    return value


def screen_rows(frame: pd.DataFrame) -> list[list[object]]:
    """The screen frame's rows as comparable values."""
    return [[screen_value(v) for v in row] for row in frame.itertuples(index=False)]


def read_table(data: bytes) -> tuple[dict[str, object], list[str], list[list[object]]]:
    """A table download's header block (label -> value; empty without one), its header row and
    its rows as the user sees them, over every sheet the table continues on."""
    book = load_workbook(io.BytesIO(data))
    block: dict[str, object] = {}
    head: list[str] = []
    body: list[list[object]] = []
    for n, ws in enumerate(book.worksheets):
        rows = list(ws.iter_rows())
        empty = [i for i, r in enumerate(rows[:12]) if all(c.value is None for c in r)]
        if n == 0 and empty:  # a header block, then an empty row, then the table
            block = {r[0].value: r[1].value for r in rows[: empty[0]]}
            rows = rows[empty[0] + 1 :]
        head = [c.value for c in rows[0]]
        body += [[as_seen(c.value, c.number_format) for c in r] for r in rows[1:]]
    return block, head, body


def csv_records(data: bytes) -> list[dict[str, str]]:
    """A CSV download's records, below its header block (block lines, then an empty line)."""
    text = data.decode("utf-8-sig")
    table = text.split("\n\n", 1)[1] if "\n\n" in text else text
    return list(csv.DictReader(io.StringIO(table)))
