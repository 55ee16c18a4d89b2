"""Text from outside (usernames, URL parameters, extract values) made safe to show and to file.

The portal stores such text exactly as it came (the audit trail is evidence) and makes it safe
only where it leaves, in one function per output kind:

- `visible(text)`: every control character except tab, line feed and carriage return becomes its
  Unicode Control Picture (U+0001 → `␁`, NUL → `␀`, DEL → `␡`), so it is seen, not obeyed, and
  never breaks a file format (openpyxl refuses them with `IllegalCharacterError`; XML 1.0 and PDF
  text cannot hold them). The screen and every file go through it.
- `xlsx_text(text)`: `visible`; the writer then forces the cell's type to text (`data_type = "s"`)
  and sets `quotePrefix` on text starting with a formula character, so it can never become a
  formula (`dashboard.downloads.export.write_sheet`).
- `csv_text(text)`: `visible`, and a leading apostrophe on text starting with `=`, `+`, `-`,
  `@`, tab or CR, which spreadsheet applications would evaluate (OWASP "CSV injection").
- `pdf_text(text)`: `visible`, then XML-escaped for a ReportLab `Paragraph` (whose markup would
  otherwise interpret `<` and `&`), line breaks as `<br/>`.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import pandas as pd

# C0 controls but tab, LF and CR (exactly what openpyxl and XML 1.0 refuse), and DEL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "\u2421" if code == 0x7F else chr(0x2400 + code)


def visible(text: str) -> str:
    """`text` with each control character (but tab, LF, CR) shown as its Control Picture."""
    return CONTROL.sub(_picture, text)


def xlsx_text(text: str) -> str:
    """Text for an openpyxl cell: control characters made visible (the cell type is forced by
    the writer)."""
    return visible(text)


def formula_like(text: str) -> bool:
    """True when a spreadsheet would read `text` as a formula (or strip its leading space)."""
    return text.startswith(FORMULA_START)


def csv_text(text: str) -> str:
    """Text for a .csv cell: control characters visible, a formula start neutralised by `'`."""
    shown = visible(text)
    return "'" + shown if formula_like(shown) else shown


def pdf_text(text: str) -> str:
    """Text for a ReportLab Paragraph: control characters visible, markup escaped."""
    return escape(visible(text)).replace("\r\n", "\n").replace("\n", "<br/>")


def visible_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` with every text cell passed through `visible` (for the screen)."""
    out = frame.copy()
    for j in range(out.shape[1]):  # by position: headers may repeat
        column = out.iloc[:, j]
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            out.isetitem(j, [visible(v) if isinstance(v, str) else v for v in column])
    return out
