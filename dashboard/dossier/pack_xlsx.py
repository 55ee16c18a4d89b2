"""The committee pack: a contract's dossier as one .xlsx workbook (pure: data in, bytes out).

Sheet 1 (封面 Cover) names the contract, the as-of, who generated it and when, and the header
fields; then one sheet per dossier section with its own column headers. Personal data is masked
for the user (`mask_personal`) before anything is written; then each frame is presented as on the
screen (`headers`, the page passes `dashboard.views.risk.headers_only`): headers in the user's
language, codes in words, money as numbers in 万元 (the unit the headers name, number format
`#,##0.00`), ratios as percentages. The cover's values are the screen's text. Text cells are never
formulas. The same data gives the same bytes: the workbook's timestamps are fixed to the
generation time given.

The same pack as PDF, for reading and printing: `dashboard/dossier/pack_pdf.py`.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from dashboard.downloads.export import Export, sha256_hex, write_sheet
from dashboard.views.present import as_text
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
    per section title. `headers` presents a masked frame as the screen does (default: as given)."""
    rename = headers or (lambda frame: frame)
    book = Workbook()
    used: set[str] = set()
    ws = book.active
    ws.title = _sheet_name("封面 Cover", used)
    shown_header = as_text(rename(mask_personal(header, reveal=reveal)))
    items = list(meta.items())
    if len(shown_header):
        items += [(k, "" if v is None else str(v)) for k, v in shown_header.iloc[0].items()]
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
    data = stamped(buffer.getvalue(), generated_at)
    return Export(data, "xlsx", rows, sha256_hex(data))


MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


def stamped(data: bytes, when: datetime) -> bytes:
    """The workbook with its modification time and zip entries dated `when`: openpyxl sets
    both from the clock on saving, so two saves a second apart would differ."""
    out = io.BytesIO()
    iso = f"{when:%Y-%m-%dT%H:%M:%S}Z".encode()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = MODIFIED.sub(rb"\g<1>" + iso + rb"\g<2>", body)
            info.date_time = (when.year, when.month, when.day, when.hour, when.minute, when.second)
            target.writestr(info, body)
    return out.getvalue()
