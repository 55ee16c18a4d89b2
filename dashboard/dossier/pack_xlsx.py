"""The committee pack: a contract's dossier as one .xlsx workbook (pure: data in, bytes out).

Sheet 1 (封面 Cover) names the contract, the as-of, who generated it and when, and the header
fields; then one sheet per dossier section with its own column headers. Personal data is masked
for the user (`mask_personal`) before anything is written; text cells are never formulas; money
stays exact (Decimal written as numbers, in yuan). The same data gives the same bytes: the
workbook's timestamps are fixed to the generation time given.

The same pack as PDF, for reading and printing: `dashboard/dossier/pack_pdf.py`.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.downloads.export import Export, sha256_hex, write_sheet
from queries.personal_data import mask_personal

Headers = Callable[[pd.DataFrame], pd.DataFrame]


def _sheet_name(title: str, used: set[str]) -> str:
    name = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "sheet"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def _write(ws: Worksheet, frame: pd.DataFrame) -> None:
    write_sheet(ws, frame)
    for i, column in enumerate(frame.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(column)) + 4, 12), 40)


def dossier_pack(
    meta: Mapping[str, object],
    header: pd.DataFrame,
    sections: Mapping[str, pd.DataFrame],
    *,
    generated_at: datetime,
    reveal: bool,
    headers: Headers | None = None,
) -> Export:
    """The pack: a cover of `meta` then the (one-row) `header` as item/value rows, then one sheet
    per section title. `headers` turns column names into display names (default: as given)."""
    rename = headers or (lambda frame: frame)
    book = Workbook()
    used: set[str] = set()
    ws = book.active
    ws.title = _sheet_name("封面 Cover", used)
    shown_header = rename(mask_personal(header, reveal=reveal))
    items = list(meta.items())
    if len(shown_header):
        items += list(shown_header.iloc[0].items())
    _write(ws, rename(pd.DataFrame(items, columns=["field", "value"])))
    rows = 0
    for title, frame in sections.items():
        _write(
            book.create_sheet(_sheet_name(title, used)), rename(mask_personal(frame, reveal=reveal))
        )
        rows += len(frame)
    book.properties.created = generated_at
    book.properties.modified = generated_at
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    return Export(data, "xlsx", rows, sha256_hex(data))
