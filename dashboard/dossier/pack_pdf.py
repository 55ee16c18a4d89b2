"""The committee pack as PDF: a contract's dossier on paper (pure: data in, bytes out).

A cover (the title, then the `meta` items — contract, as-of, rules met, generated at and by —
and the one-row `header` as item/value rows), then one table per section under its title (the
committee decisions are the last section), and "page n of m" on every page. A4 landscape
throughout so wide sections fit: column widths follow the content, cells wrap (Chinese too), and
a table longer than a page continues on the next under its repeated header row. A section of
more than `MAX_ROWS` rows shows its first `MAX_ROWS` under a note saying so (the .xlsx has all).

Personal data is masked for the user (`mask_personal`) before anything else; only then does
`display` turn values into text (the page passes the screen's: codes in words, money in 万元).
ReportLab's invariant mode fixes the document's dates and ids, so the same data (with the same
font) gives the same bytes and the SHA-256 the audit trail keeps can be reproduced.

Chinese text, with nothing fetched: WenQuanYi Zen Hei is embedded (as a subset) when the system
has it (`make test` installs it); otherwise the PDF names ReportLab's built-in CID font
STSong-Light, which needs no font file: Acrobat, browsers' viewers and poppler with poppler-data
draw it with their own Song typeface.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
)

from dashboard.downloads.export import Export, sha256_hex
from queries.inert_text import pdf_text, visible
from queries.personal_data import mask_personal

Display = Callable[[pd.DataFrame], pd.DataFrame]
Styles = dict[str, ParagraphStyle]

CID_FONT = "STSong-Light"
EMBEDDED_FONT = ("WenQuanYiZenHei", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
PAGE = landscape(A4)
MARGIN = 12 * mm
WIDTH = PAGE[0] - 2 * MARGIN
SIZE = 7.5  # table text (pt): 11 to 20 columns of a section must fit across the page
PAD = 2.5  # cell padding (pt)
SAMPLE = 300  # rows measured to size a column (the rest wrap to the width found)
# Rows of one section in the PDF (~25 pages; the .xlsx pack has them all): ReportLab lays a long
# table out page by page in time that grows faster than its length (5,000 rows: 4 s).
MAX_ROWS = 1000
DASH = "—"
NUMBER = re.compile(r"[-+]?[\d,]+(\.\d+)?%?|—")  # right-aligned when a whole column is so


@dataclass(frozen=True)
class PackText:
    """The words of the pack in the user's language (from the label catalogue)."""

    title: str  # on the cover and in the footer
    empty: str  # under a section with no rows
    page: str  # footer page number, with {page} and {pages}
    yes: str  # a true flag
    no: str  # a false flag
    cut: str  # above a section cut at MAX_ROWS, with {shown} and {rows}


@cache
def pack_font(embed: bool = True) -> str:
    """Register and name the font: WenQuanYi Zen Hei if installed and `embed`, else STSong."""
    name, path = EMBEDDED_FONT
    if embed and path.is_file():
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        return name
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    return CID_FONT


def cell_text(value: object, text: PackText) -> str:
    """A displayed value as text: exact decimals, floats to 6 decimal places, dates without a
    midnight time, flags in words, "—" if missing."""
    if value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value))):
        return DASH
    if isinstance(value, bool | np.bool_):
        return text.yes if value else text.no
    if isinstance(value, Decimal):
        return f"{value:,f}"
    if isinstance(value, float | np.floating):  # sensor readings (money is Decimal)
        return str(round(float(value), 6))
    if isinstance(value, datetime):  # pandas Timestamps too
        midnight = (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0)
        return value.strftime("%Y-%m-%d" if midnight else "%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return visible(str(value))  # a control character shown (␁), never drawn as nothing


def _styles(font: str) -> Styles:
    base = ParagraphStyle("cell", fontName=font, fontSize=SIZE, leading=SIZE * 1.25)
    return {
        "cell": base,
        "cjk": ParagraphStyle("cjk", parent=base, wordWrap="CJK"),
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=8),
        "section": ParagraphStyle(
            "section",
            fontName=font,
            fontSize=12,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,  # never a title alone at the foot of a page
        ),
        "note": ParagraphStyle("note", fontName=font, fontSize=9, leading=12),
    }


def _line_width(text: str, font: str) -> float:
    return max(pdfmetrics.stringWidth(line, font, SIZE) for line in text.split("\n"))


def _header_width(text: str, font: str) -> float:
    """Half the header (it may wrap onto two lines), but never less than its longest English
    word, which wraps only between words."""
    half = _line_width(text, font) / 2
    if not text.isascii():
        return half
    return max([half, *(pdfmetrics.stringWidth(w, font, SIZE) for w in text.split())])


def column_widths(
    head: list[str], body: list[list[str]], font: str, width: float = WIDTH
) -> list[float]:
    """Each column's width: its widest cell (a header counts half: it may wrap onto two lines)
    when all fit, else the narrow columns keep theirs and the wide ones share the rest equally
    (their cells wrap)."""
    natural = [
        max([_header_width(h, font), *(_line_width(row[j], font) for row in body)]) + 2 * PAD + 1
        for j, h in enumerate(head)
    ]
    widths = [0.0] * len(natural)
    remaining = width
    order = sorted(range(len(natural)), key=lambda j: (natural[j], j))
    for k, j in enumerate(order):
        widths[j] = min(natural[j], remaining / (len(order) - k))
        remaining -= widths[j]
    return widths


def _paragraph(text: str, width: float, font: str, styles: Styles) -> Paragraph:
    """Wrapped text: between words for English, anywhere for Chinese or a too-long word."""
    inner = width - 2 * PAD
    long_token = any(pdfmetrics.stringWidth(w, font, SIZE) > inner for w in text.split())
    style = styles["cjk"] if long_token or not text.isascii() else styles["cell"]
    return Paragraph(pdf_text(text), style)


def _cell(text: str, width: float, font: str, styles: Styles) -> Any:
    if "\n" not in text and pdfmetrics.stringWidth(text, font, SIZE) <= width - 2 * PAD:
        return text  # drawn as is: faster than a paragraph
    return _paragraph(text, width, font, styles)


def _numeric(body: list[list[str]], j: int) -> bool:
    return any(row[j] != DASH for row in body) and all(NUMBER.fullmatch(row[j]) for row in body)


def _table(frame: pd.DataFrame, font: str, styles: Styles, text: PackText) -> LongTable:
    head = [visible(str(c)) for c in frame.columns]
    body = [[cell_text(v, text) for v in row] for row in frame.itertuples(index=False, name=None)]
    widths = column_widths(head, body[:SAMPLE], font)
    rows = [[_paragraph(h, w, font, styles) for h, w in zip(head, widths, strict=True)]]
    rows += [[_cell(v, w, font, styles) for v, w in zip(row, widths, strict=True)] for row in body]
    table = LongTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    right = [("ALIGN", (j, 1), (j, -1), "RIGHT") for j in range(len(head)) if _numeric(body, j)]
    table.setStyle(
        [
            ("FONT", (0, 0), (-1, -1), font, SIZE, SIZE * 1.25),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde3ea")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f5f7f9")]),
            *((side, (0, 0), (-1, -1), PAD) for side in ("LEFTPADDING", "RIGHTPADDING")),
            *((side, (0, 0), (-1, -1), PAD / 2) for side in ("TOPPADDING", "BOTTOMPADDING")),
            *right,
        ]
    )
    return table


def _numbered(text: PackText, font: str) -> type[Canvas]:
    """A canvas that holds its pages back until it knows their number, then adds the footer."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self._held:
                self.__dict__.update(state)
                page = text.page.format(page=self._pageNumber, pages=len(self._held))
                self.setFont(font, 8)
                self.setFillColor(colors.grey)
                self.drawString(MARGIN, MARGIN / 2, text.title)
                self.drawRightString(PAGE[0] - MARGIN, MARGIN / 2, page)
                super().showPage()
            super().save()

    return NumberedCanvas


def _items(frame: pd.DataFrame) -> list[tuple[str, object]]:
    return list(frame.iloc[0].items()) if len(frame) else []


def _figure(png: bytes) -> Flowable:
    """A PNG scaled to the page's width (keeping its proportions)."""
    reader = ImageReader(io.BytesIO(png))
    width, height = reader.getSize()
    scale = min(WIDTH / width, (PAGE[1] - 4 * MARGIN) / height)
    return Image(io.BytesIO(png), width=width * scale, height=height * scale)


def dossier_pdf(
    meta: Mapping[str, object],
    header: pd.DataFrame,
    sections: Mapping[str, pd.DataFrame],
    *,
    reveal: bool,
    text: PackText,
    display: Display | None = None,
    embed_font: bool = True,
    figures: Mapping[str, bytes] | None = None,
) -> Export:
    """The pack as PDF: a cover of `meta` and the (one-row) `header` as item/value rows, then
    one table per section title, then each of `figures` (title -> PNG, drawn offline); `display`
    turns a masked frame into display values and headers (default: as given)."""
    shown = display or (lambda frame: frame)
    font = pack_font(embed_font)
    styles = _styles(font)
    items = list(meta.items()) + _items(shown(mask_personal(header, reveal=reveal)))
    cover = shown(pd.DataFrame(items, columns=["field", "value"]))
    story: list[Flowable] = [Paragraph(pdf_text(text.title), styles["title"])]
    story += [_table(cover, font, styles, text), PageBreak()]
    rows = 0
    for title, frame in sections.items():
        story.append(Paragraph(pdf_text(title), styles["section"]))
        if frame.empty:
            story.append(Paragraph(pdf_text(text.empty), styles["note"]))
            continue
        if len(frame) > MAX_ROWS:
            cut = text.cut.format(shown=MAX_ROWS, rows=len(frame))
            story.append(Paragraph(pdf_text(cut), styles["note"]))
        kept = frame.head(MAX_ROWS)
        story.append(_table(shown(mask_personal(kept, reveal=reveal)), font, styles, text))
        rows += len(kept)
    for title, png in (figures or {}).items():
        story.append(Paragraph(pdf_text(title), styles["section"]))
        story.append(_figure(png))
    story.append(Spacer(1, 1))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=text.title,
        author="Postloan",
        creator="Postloan",
        invariant=1,
    )
    doc.build(story, canvasmaker=_numbered(text, font))
    data = buffer.getvalue()
    return Export(data, "pdf", rows, sha256_hex(data))
