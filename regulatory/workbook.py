"""Render the supervisory workbook: pure, data in and bytes out (openpyxl); same data, same bytes.

Sheets: a cover (封面), one sheet per compiled table in its official layout (title, unit line,
Chinese headers over column letters, rows with 行次 and 项目), the findings (校验结果) with each
warning's written explanation, and a hidden index (`_cells`: cell code → sheet and cell) that
`workbook_cells` reads back. Money is in 万元 with 2 decimals; a rate whose denominator is zero
is "—" (as on screen), never empty or 0%; every text cell is written as a string (data type
`s`, quote prefix), so a name such as `=HYPERLINK(...)` stays inert text.
Determinism: the document properties carry the cover's generation time, and every zip entry
the same fixed date, so nothing depends on the clock of the machine that renders.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from queries.inert_text import formula_like, xlsx_text
from regulatory.cover import SETTINGS_HEADING, cover_rows, cover_title
from regulatory.model import Cover, Finding, ReportData, SheetData
from regulatory.registry import report_spec

INDEX_SHEET = "_cells"
FORMATS = {"money": "#,##0.00", "count": "#,##0", "ratio": "0.00%", "text": "@", "label": "@"}
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
SEVERITY_ZH = {"blocking": "阻断", "warning": "警示"}


def _put(ws: Worksheet, row: int, col: int, value: object, fmt: str | None = None):
    """Write one cell; text is forced to string type so it can never become a formula, and its
    control characters are shown as Control Pictures (openpyxl refuses them as they are)."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool):
        value = "是" if value else "否"
    if value is not None and not isinstance(value, int | float | Decimal | str):
        value = str(value)
    if isinstance(value, str):
        value = xlsx_text(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if formula_like(value):
            cell.quotePrefix = True  # Excel keeps it text even when the cell is edited
    if fmt:
        cell.number_format = fmt
    return cell


def _page_setup(ws: Worksheet, title_rows: str | None, draft: bool) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页"
    if draft:
        ws.oddHeader.center.text = "草稿 DRAFT"


def _cover(ws: Worksheet, cover: Cover, reports: Sequence[ReportData]) -> None:
    ws.title = "封面"
    _put(ws, 1, 1, cover_title(cover)).font = _TITLE
    titles = [(r.code, report_spec(r.code).title_zh) for r in reports]
    bold = True
    for r, (key, value) in enumerate(cover_rows(cover, titles), start=3):
        label = _put(ws, r, 1, key or None)
        if bold or key == SETTINGS_HEADING:
            label.font = _BOLD
        bold = bold and bool(key)  # the settings below the empty row are plain
        _put(ws, r, 2, value or None)
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 70
    _page_setup(ws, None, cover.draft)


def _table(
    ws: Worksheet, data: ReportData, sheet: SheetData, cover: Cover, index: list[tuple]
) -> None:
    spec = report_spec(data.code)
    width = len(sheet.kinds)
    _put(ws, 1, 1, f"{data.code} {sheet.title}").font = _TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    line = f"填报机构：{cover.institution}　报表日期：{data.period.isoformat()}　单位：{cover.unit}"
    if spec.code == "CONC":
        line += "（比率为百分比）"
    _put(ws, 2, 1, line)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    top = 3
    for n, header in enumerate(sheet.header_rows):
        for col, text in enumerate(header, start=1):
            cell = _put(ws, top + n, col, text)
            cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    first = top + len(sheet.header_rows)
    for n, (values, codes) in enumerate(zip(sheet.rows, sheet.codes, strict=True)):
        for col, (value, code, kind) in enumerate(
            zip(values, codes, sheet.kinds, strict=True), start=1
        ):
            # "—" (a rate with a zero denominator) is text, whatever the column's kind.
            fmt = FORMATS["text"] if isinstance(value, str) else FORMATS.get(kind)
            cell = _put(ws, first + n, col, value, fmt)
            cell.border = _BORDER
            if code is not None:
                index.append((code, ws.title, f"{get_column_letter(col)}{first + n}"))
    after = first + len(sheet.rows) + 1
    for note in (*sheet.notes, *data.notes):
        _put(ws, after, 1, note)
        after += 1
    ws.freeze_panes = ws.cell(row=first, column=3)
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 40
    for col in range(3, width + 1):
        ws.column_dimensions[get_column_letter(col)].width = 16
    ws.row_dimensions[top].height = 32
    _page_setup(ws, f"{top}:{first - 1}", cover.draft)


def _findings(
    ws: Worksheet, findings: Sequence[Finding], explanations: Mapping[str, str], draft: bool
) -> None:
    header = ("规则", "严重程度", "单元格", "说明", "Message", "期望值", "实际值", "书面说明")
    for col, text in enumerate(header, start=1):
        cell = _put(ws, 1, col, text)
        cell.font, cell.fill, cell.border = _BOLD, _HEAD_FILL, _BORDER
    if not findings:
        _put(ws, 2, 1, "无 / none")
    for r, f in enumerate(findings, start=2):
        values = (
            f.rule_id,
            SEVERITY_ZH.get(f.severity, f.severity),
            ", ".join(f.cells),
            f.message_zh,
            f.message_en,
            "" if f.expected is None else str(f.expected),
            "" if f.actual is None else str(f.actual),
            explanations.get(f.rule_id, ""),
        )
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value).border = _BORDER
    for col, w in zip("ABCDEFGH", (28, 10, 30, 40, 40, 16, 16, 50), strict=True):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = "A2"
    _page_setup(ws, "1:1", draft)


def _fixed_zip(raw: bytes, stamp: datetime) -> bytes:
    """The same package with fixed document dates and zip entry dates, entries in one order."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/core.xml":
                text = data.decode("utf-8")
                for tag in ("created", "modified"):
                    text = re.sub(
                        rf"(<dcterms:{tag}[^>]*>)[^<]*(</dcterms:{tag}>)", rf"\g<1>{iso}\2", text
                    )
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return out.getvalue()


def render_workbook(
    reports: Sequence[ReportData],
    cover: Cover,
    findings: Sequence[Finding] = (),
    explanations: Mapping[str, str] | None = None,
) -> bytes:
    """The workbook of the compiled summary reports, as .xlsx bytes."""
    explanations = explanations or {}
    book = Workbook()
    _cover(book.active, cover, reports)
    index: list[tuple] = []
    for data in reports:
        for sheet in data.sheets:
            _table(book.create_sheet(sheet.name[:31]), data, sheet, cover, index)
    _findings(book.create_sheet("校验结果"), findings, explanations, cover.draft)
    hidden = book.create_sheet(INDEX_SHEET)
    for r, (code, sheet_name, ref) in enumerate(index, start=1):
        for col, value in enumerate((code, sheet_name, ref), start=1):
            _put(hidden, r, col, value)
    hidden.sheet_state = "hidden"
    stamp = cover.generated_at or datetime(cover.period.year, cover.period.month, cover.period.day)  # noqa: DTZ001 - naive UTC, as openpyxl stores it
    book.properties.creator = "Postloan"
    book.properties.lastModifiedBy = "Postloan"
    book.properties.created = stamp.replace(tzinfo=None)
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp)


def _exact(value: object) -> object:
    if isinstance(value, float):
        return Decimal(str(value))
    return value


def workbook_cells(data: bytes) -> dict[str, object]:
    """Read a rendered workbook back: cell code → value (numbers as Decimal, text as str)."""
    book = load_workbook(io.BytesIO(data), data_only=False)
    try:
        index = book[INDEX_SHEET]
        out: dict[str, object] = {}
        for code, sheet_name, ref in index.iter_rows(values_only=True):
            out[str(code)] = _exact(book[str(sheet_name)][str(ref)].value)
        return out
    finally:
        book.close()
