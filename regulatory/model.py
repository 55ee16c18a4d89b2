"""The data model of the supervisory reports: specs (the registry's shape), compiled data, findings.

A report is a `ReportSpec` (code, titles, frequency, deadline rule, sheets); each sheet lists its
rows and columns, and every figure has a cell code `<REPORT>_<row>_<column>` such as `G11_1_C`
(row 1, column C). Compiling a report for a period gives a `ReportData`: exact cell values by
code (money in yuan as Decimal, counts as int, ratios as Decimal fractions, text as str, None =
not applicable) and the grids exactly as the workbook and the screen show them.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

import pandas as pd

Frequency = Literal["monthly", "quarterly"]
Severity = Literal["blocking", "warning"]
# How a column's figures are stored and shown: money (yuan; shown in 万元, 2 decimals), an
# integer count, a ratio (a fraction; shown as a percentage), text, or a date.
Kind = Literal["money", "count", "ratio", "text", "date"]
CellValue = Decimal | int | str | None

BLOCKING: Severity = "blocking"
WARNING: Severity = "warning"
YUAN_PER_WAN = Decimal(10000)
# A rate whose denominator is zero (docs/domain.md §7): shown as a dash, never as 0% or empty.
DASH = "—"


def cell_code(report: str, row: int | str, column: str) -> str:
    """The code of one cell: report, row number, column letter (`G11_1_C`)."""
    return f"{report}_{row}_{column}"


def column_letter(n: int) -> str:
    """The n-th column letter of a report table (0 → A, 25 → Z, 26 → AA)."""
    letters = ""
    n += 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class RowSpec:
    """One row of a report table: its number (行次), labels and where its figures come from."""

    number: int
    label_zh: str
    label_en: str
    source: str  # the query (and its arguments) behind the row's cells
    indent: int = 0


@dataclass(frozen=True)
class ColumnSpec:
    """One figure column: letter, Chinese and English header, kind, and what it measures."""

    letter: str
    label_zh: str
    label_en: str
    kind: Kind
    source: str = ""


@dataclass(frozen=True)
class SheetSpec:
    """One table of a report in its official layout: a sheet name, a title, rows and columns."""

    name: str
    title: str
    rows: tuple[RowSpec, ...]
    columns: tuple[ColumnSpec, ...]

    def column(self, letter: str) -> ColumnSpec:
        """The column with this letter."""
        return next(c for c in self.columns if c.letter == letter)


@dataclass(frozen=True)
class ReportSpec:
    """A supervisory report: code, titles, frequency, deadline rule and its sheets."""

    code: str
    title_zh: str
    title_en: str
    frequency: Frequency
    deadline_days: int  # calendar days after the period end
    sheets: tuple[SheetSpec, ...]
    basis: str = ""  # what the report covers and our reading of the rule behind it
    summary: bool = True  # False: the loan-level detail, written by its own streaming writer

    def filer_name(self, lang: str) -> str:
        """The report as a filer names it: its title after its code when that is a supervisory
        form number (G11 资产质量五级分类情况表), else its title alone (合同明细, not DETAIL)."""
        title = self.title_en if lang == "en" else self.title_zh
        return f"{self.code} {title}" if self.code.startswith("G") else title

    def deadline(self, period: date) -> date:
        """The filing deadline of the period ending at the month-end `period`."""
        return period + timedelta(days=self.deadline_days)

    def is_period_end(self, period: date) -> bool:
        """True when `period` is a month-end closing one of this report's periods."""
        last_day = calendar.monthrange(period.year, period.month)[1]
        if period.day != last_day:
            return False
        return self.frequency == "monthly" or period.month % 3 == 0

    def cell_codes(self) -> tuple[str, ...]:
        """Every cell code of the report (row × figure column of each sheet)."""
        return tuple(
            cell_code(self.code, row.number, col.letter)
            for sheet in self.sheets
            for row in sheet.rows
            for col in sheet.columns
        )


@dataclass(frozen=True)
class SheetData:
    """A compiled table as the workbook and the screen show it.

    `header_rows` are the column headings (Chinese, then the column letters); `rows` the display
    values (money already in 万元 to 2 decimals, ratios as fractions or "—" when the denominator
    is zero, text as str, None empty);
    `codes` runs parallel to `rows` with each figure's cell code (None for labels); `kinds`
    gives the kind of each grid column (`label` for the 行次 and 项目 columns).
    """

    name: str
    title: str
    header_rows: tuple[tuple[str, ...], ...]
    rows: tuple[tuple[object, ...], ...]
    codes: tuple[tuple[str | None, ...], ...]
    kinds: tuple[str, ...]
    notes: tuple[str, ...] = ()

    def frame(self) -> pd.DataFrame:
        """The grid as a DataFrame with the first header row as column names (object dtype)."""
        columns = list(self.header_rows[0]) if self.header_rows else None
        return pd.DataFrame([list(r) for r in self.rows], columns=columns, dtype=object)


@dataclass(frozen=True)
class ReportData:
    """One report compiled for one period: exact values by cell code and the display grids."""

    code: str
    period: date
    cells: dict[str, CellValue]
    sheets: tuple[SheetData, ...] = ()
    notes: tuple[str, ...] = ()  # readings in force, e.g. why a figure is 不适用

    def value(self, code: str) -> CellValue:
        """The exact value of one cell (KeyError for a code the report does not have)."""
        return self.cells[code]


@dataclass(frozen=True)
class Finding:
    """One validation result that did not hold: which rule, how bad, which cells, why."""

    rule_id: str
    severity: Severity
    cells: tuple[str, ...]
    message_zh: str
    message_en: str
    expected: object = None
    actual: object = None

    @property
    def blocking(self) -> bool:
        """True when this finding stops the final export."""
        return self.severity == BLOCKING


@dataclass(frozen=True)
class Rule:
    """One validation check over cell codes; kinds in `regulatory/rules.py`."""

    rule_id: str
    severity: Severity
    kind: str
    cells: tuple[str, ...]
    text_zh: str
    text_en: str
    minus: tuple[str, ...] = ()
    figure: str = ""

    @property
    def reports(self) -> frozenset[str]:
        """The reports whose cells the rule reads."""
        return frozenset(c.split("_")[0] for c in (*self.cells, *self.minus))


def sum_rule(
    rid: str, total: str, parts: list[str], zh: str, en: str, minus: Sequence[str] = ()
) -> Rule:
    """A blocking rule: `total` = the sum of `parts` − the sum of `minus`."""
    return Rule(rid, BLOCKING, "sum", (total, *parts), zh, en, tuple(minus))


@dataclass(frozen=True)
class Cover:
    """The cover sheet: who reports what, when, on which data and under which settings."""

    institution: str
    period: date
    unit: str = "万元"
    preparer: str = ""
    reviewer: str = ""
    generated_at: datetime | None = None
    fingerprint: str = ""
    settings: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    draft: bool = False


def columns(*items: tuple[str, str, str, str]) -> tuple[ColumnSpec, ...]:
    """Columns lettered A, B, … from (label_zh, label_en, kind, source) tuples."""
    return tuple(
        ColumnSpec(column_letter(n), zh, en, kind, source)  # type: ignore[arg-type]
        for n, (zh, en, kind, source) in enumerate(items)
    )


def to_wan(yuan: Decimal | int | None) -> Decimal | None:
    """Yuan as 万元 rounded half-up to 2 decimals (the workbook's unit)."""
    if yuan is None:
        return None
    return (Decimal(yuan) / YUAN_PER_WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
