"""Table downloads as bytes (pure, no Streamlit): `.xlsx` via openpyxl and UTF-8 `.csv`.

Text cells are written as strings even when they start with `=`, so a value from the data can
never become a formula, and control characters are shown as Control Pictures (`queries.inert_text`:
`\x01` → `␁`) instead of breaking the file; Decimal money is written as a number; None stays an
empty cell. This module is the one place table downloads are made inert.
`export(frame, fmt, reveal=...)` is the one path a download takes: personal data masked unless the
user may see it (queries/personal_data.py), then rendered, with the SHA-256 the audit trail keeps.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from queries.inert_text import csv_text, formula_like, xlsx_text
from queries.personal_data import mask_personal


def _cell_value(value: object) -> object:
    """A value openpyxl writes as-is: numbers, dates, text; None for missing."""
    if value is None or (not isinstance(value, str | bytes) and pd.isna(value)):
        return None
    if isinstance(value, bool | int | float | Decimal | date | datetime):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return str(value)


def _xlsx_value(value: object) -> object:
    value = _cell_value(value)
    return xlsx_text(value) if isinstance(value, str) else value


def write_sheet(ws: Worksheet, frame: pd.DataFrame) -> None:
    """Write the frame's header row, then one row per record; text cells are inert text.

    A column named in `frame.attrs["formats"]` (a presented frame, dashboard/views/present.py)
    gets that Excel number format: 万元 with two decimals, ratios as percentages.
    """
    ws.append([xlsx_text(str(c)) for c in frame.columns])
    top = ws.max_row  # the header row (a sheet may hold a header block above it)
    for record in frame.itertuples(index=False, name=None):
        ws.append([_xlsx_value(v) for v in record])
    formats: dict[str, str] = frame.attrs.get("formats", {})
    for j, column in enumerate(frame.columns, start=1):
        if column in formats:
            for (cell,) in ws.iter_rows(min_row=top + 1, min_col=j, max_col=j):
                cell.number_format = formats[column]
    for row in ws.iter_rows(min_row=top):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if formula_like(cell.value):
                    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited


Block = Sequence[tuple[str, str]]  # a file's header block: (label, value) rows above the table
XLSX_MAX_ROWS = 1_048_576  # rows of one Excel sheet


def _block_rows(block: Block) -> list[list[object]]:
    rows: list[list[object]] = [[xlsx_text(label), xlsx_text(value)] for label, value in block]
    return [*rows, []] if rows else rows


def to_xlsx(frame: pd.DataFrame, sheet: str = "data", block: Block = ()) -> bytes:
    """The frame as a workbook: the header `block` (label, value rows, then an empty row), the
    header row, then one row per record. Rows beyond one sheet's limit continue on further
    sheets (`data (2)` …), each under its own header row, so nothing is cut."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    for row in _block_rows(block):
        ws.append(row)
    for cell in (c for r in ws.iter_rows() for c in r if isinstance(c.value, str)):
        cell.data_type = "s"  # a filter's text is never a formula either
        cell.quotePrefix = formula_like(cell.value)
    first = XLSX_MAX_ROWS - (len(block) + 2 if block else 1)
    write_sheet(ws, frame.iloc[:first])
    per_sheet, start, n = XLSX_MAX_ROWS - 1, first, 2
    while start < len(frame):
        part = frame.iloc[start : start + per_sheet]
        part.attrs = frame.attrs
        write_sheet(book.create_sheet(f"{sheet[:24]} ({n})"), part)
        start, n = start + per_sheet, n + 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv_value(value: object) -> object:
    value = _cell_value(value)
    return csv_text(value) if isinstance(value, str) else value


def to_csv(frame: pd.DataFrame, block: Block = ()) -> bytes:
    """The frame as UTF-8 CSV with a byte-order mark (so Excel reads the Chinese right), under
    the header `block` (label,value lines, then an empty line) when given."""
    safe = frame.astype(object).map(_csv_value)
    safe.columns = [csv_text(str(c)) for c in frame.columns]
    head = pd.DataFrame([[csv_text(a), csv_text(b)] for a, b in block]).to_csv(
        index=False, header=False
    )
    text = (head + "\n" if block else "") + safe.to_csv(index=False)
    return text.encode("utf-8-sig")


MIME: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "pdf": "application/pdf",  # the committee pack (dashboard/dossier/pack_pdf.py)
}
_RENDER: dict[str, Callable[..., bytes]] = {"xlsx": to_xlsx, "csv": to_csv}


@dataclass(frozen=True)
class Export:
    """A file ready to hand over: its bytes, format, row count and SHA-256 (hex)."""

    data: bytes
    fmt: str
    row_count: int
    sha256: str

    @property
    def mime(self) -> str:
        """The file's MIME type."""
        return MIME[self.fmt]


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of `data` as 64 hex digits."""
    return hashlib.sha256(data).hexdigest()


Present = Callable[[pd.DataFrame], pd.DataFrame]


def export(
    frame: pd.DataFrame,
    fmt: str,
    *,
    reveal: bool,
    present: Present | None = None,
    block: Block = (),
) -> Export:
    """`frame` as an .xlsx or .csv file, personal data masked unless `reveal`, then presented
    (`present`: headers, words, units as on the screen; default: the raw values) under the
    header `block` (page, as-of, filters, user, time; default: none)."""
    if fmt not in _RENDER:
        raise ValueError(f"unknown export format {fmt!r}; choose from {sorted(_RENDER)}")
    masked = mask_personal(frame, reveal=reveal)
    data = _RENDER[fmt](masked if present is None else present(masked), block=block)
    return Export(data, fmt, len(frame), sha256_hex(data))
