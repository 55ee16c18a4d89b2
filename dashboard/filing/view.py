"""What the 监管报送 page shows: compiled reports (cached), the period's catalogue, and the tables
of previews, findings, differences and history, as display frames. No widgets here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import streamlit as st
from pandas.io.formats.style import Styler
from sqlalchemy.engine import Engine

from dashboard.access import gate
from dashboard.data import portal_store
from dashboard.data.source import DATA_TTL, WarehouseState, loaded, reading, warehouse_engine
from dashboard.i18n.catalogue import t
from dashboard.page.format import display, shown_time, shown_time_zoned, zone
from regulatory.calendar import CalendarEntry, filing_calendar, month_end
from regulatory.compile import compile_report
from regulatory.filing_diff import CellChange
from regulatory.filing_store import FilingVersion, versions
from regulatory.model import ReportData, ReportSpec, SheetData
from regulatory.registry import REPORTS
from warehouse.settings import Settings

# Status lights: one dot coloured per state (emoji would need a font the server may not have).
COLOURS: dict[str, str] = {
    "not_started": "gray",
    "draft": "blue",
    "validated": "orange",
    "reviewed": "violet",
    "submitted": "green",
    "overdue": "red",
    "withdrawn": "gray",
}
CSS: dict[str, str] = {
    "gray": "#808495",
    "blue": "#1c83e1",
    "orange": "#e07000",
    "violet": "#803df5",
    "green": "#21a350",
    "red": "#e02424",
}
DOT = "●"


def parse_period(text: object) -> dt.date | None:
    """The month-end of a `YYYY-MM` query parameter, or None when it is not one."""
    if not isinstance(text, str) or len(text) != 7 or text[4] != "-":
        return None
    try:
        return month_end(int(text[:4]), int(text[5:]))
    except ValueError:
        return None


def due_reports(period: dt.date) -> list[ReportSpec]:
    """The reports with a period ending at `period` (quarterly ones only at quarter ends)."""
    return [spec for spec in REPORTS if spec.is_period_end(period)]


def when(at: dt.datetime | None) -> str:
    """A stored naive-UTC time in the display zone, for a column whose header names the zone."""
    return "" if at is None else shown_time(at)


def when_zoned(at: dt.datetime | None) -> str:
    """A stored naive-UTC time in the display zone, naming it (for a sentence)."""
    return "" if at is None else shown_time_zoned(at)


@st.cache_data(ttl=DATA_TTL, max_entries=64, show_spinner=False)
def _compiled(
    _engine: Engine, url: str, load_id: int, code: str, period: dt.date, _settings: Settings
) -> ReportData:
    return compile_report(_engine, code, period, _settings)


def compiled(state: WarehouseState, code: str, period: dt.date, settings: Settings) -> ReportData:
    """Report `code` compiled for `period` on the state's load (cached per load).

    ValueError when the report cannot be compiled; StoreUnavailable when the warehouse cannot be
    read."""
    load_id = loaded(state)
    with reading():
        return _compiled(warehouse_engine(state.url), state.url, load_id, code, period, settings)


def state_text(status: str, lang: str) -> str:
    """A status as a dot and its name (the dot is coloured by `coloured` / `state_markdown`)."""
    return f"{DOT} {t(f'fl.state.{status}', lang)}"


def state_markdown(status: str, lang: str) -> str:
    """A status as coloured markdown text, for headings."""
    return f":{COLOURS.get(status, 'gray')}[{state_text(status, lang)}]"


def coloured(frame: pd.DataFrame, lang: str) -> Styler:
    """The frame with every status cell in its state's colour."""
    by_text = {state_text(s, lang): CSS[c] for s, c in COLOURS.items()}

    def colour(value: object) -> str:
        text = str(value)
        hit = next((css for name, css in by_text.items() if text.startswith(name)), None)
        return f"color: {hit}" if hit else ""

    return display(frame).style.map(colour)  # "—", never "None", in an empty cell


def catalogue_frame(entries: Iterable[CalendarEntry], lang: str) -> pd.DataFrame:
    """The calendar as a display table: the report as a filer names it (G11 资产质量五级分类情况表,
    合同明细), period, deadline, status light."""
    names = {s.code: s.filer_name(lang) for s in REPORTS}
    rows = [
        {
            t("fl.col.report", lang): names.get(e.report_code, e.report_code),
            t("fl.col.period", lang): e.period.isoformat(),
            t("fl.col.deadline", lang): e.deadline.isoformat(),
            t("fl.col.status", lang): state_text(e.status, lang)
            + (t("fl.correcting", lang) if e.correcting else ""),
        }
        for e in entries
    ]
    return pd.DataFrame(rows)


def _shown(value: object, kind: str) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return value  # text, or "—" for a rate whose denominator is zero
    if kind == "money":
        return f"{Decimal(str(value)).quantize(Decimal('0.01'), ROUND_HALF_UP):,.2f}"
    if kind == "ratio":
        pct = (Decimal(str(value)) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return f"{pct:.2f}%"
    if kind == "count":
        return f"{int(value):,}"  # type: ignore[call-overload]
    return str(value)


def preview_frame(sheet: SheetData) -> pd.DataFrame:
    """A sheet's grid as the workbook shows it: its headings (with column letters), its rows."""
    headings = list(sheet.header_rows[0]) if sheet.header_rows else []
    letters = list(sheet.header_rows[1]) if len(sheet.header_rows) > 1 else [""] * len(headings)
    columns = [f"{h} {x}".strip() if x else h for h, x in zip(headings, letters, strict=False)]
    rows = [[_shown(v, k) for v, k in zip(row, sheet.kinds, strict=False)] for row in sheet.rows]
    return pd.DataFrame(rows, columns=columns, dtype=object)


def cells_frame(report: ReportData) -> pd.DataFrame:
    """A report's cells (code, exact value) in cell order, for reports without a grid."""
    return pd.DataFrame(
        [{"cell": k, "value": "" if v is None else str(v)} for k, v in report.cells.items()]
    )


def relevant(findings: Iterable[Mapping[str, object]], code: str) -> list[Mapping[str, object]]:
    """The findings touching report `code` (any of its cells, or a rule named after it)."""
    out = []
    for f in findings:
        cells = [str(c) for c in f.get("cells") or ()]  # type: ignore[union-attr]
        if any(c.split("_")[0] == code for c in cells) or str(f["rule_id"]).startswith(code):
            out.append(f)
    return out


def findings_frame(findings: Iterable[Mapping[str, object]], lang: str) -> pd.DataFrame:
    """Findings as a display table: severity, rule, cells, message, expected, actual."""
    rows = [
        {
            t("fl.col.severity", lang): t(f"fl.severity.{f['severity']}", lang),
            t("fl.col.rule", lang): f["rule_id"],
            t("fl.col.cells", lang): ", ".join(f.get("cells") or ()),  # type: ignore[arg-type]
            t("fl.col.message", lang): f["message_zh"] if lang == "zh" else f["message_en"],
            t("fl.col.expected", lang): "" if f.get("expected") is None else f["expected"],
            t("fl.col.actual", lang): "" if f.get("actual") is None else f["actual"],
        }
        for f in findings
    ]
    return pd.DataFrame(rows)


def diff_frame(changes: Iterable[CellChange], lang: str) -> pd.DataFrame:
    """A correction's cell-by-cell difference (exact values, yuan)."""
    rows = [
        {
            t("fl.col.cell", lang): c.cell,
            t("fl.col.before", lang): "" if c.before is None else str(c.before),
            t("fl.col.after", lang): "" if c.after is None else str(c.after),
            t("fl.col.change", lang): "" if c.change is None else f"{c.change:+}",
        }
        for c in changes
    ]
    return pd.DataFrame(rows)


def versions_frame(filed: Iterable[FilingVersion], lang: str) -> pd.DataFrame:
    """The versions of a report and period, newest first."""
    rows = [
        {
            t("fl.col.version", lang): v.version,
            t("fl.col.kind", lang): t(f"fl.kind.{v.kind}", lang),
            t("fl.col.status", lang): state_text(v.state, lang),
            t("fl.col.created", lang): when(v.created_at),
            t("fl.col.by", lang): v.created_by,
            t("fl.col.reason", lang): v.reason,
        }
        for v in filed
    ]
    return pd.DataFrame(rows)


def events_frame(history: Iterable[Mapping[str, object]], lang: str) -> pd.DataFrame:
    """The state changes of one version, oldest first."""
    rows = [
        {
            t("fl.col.at", lang): when(e["at"]),  # type: ignore[arg-type]
            t("fl.col.by", lang): e["actor"],
            t("fl.col.from", lang): state_text(str(e["from_state"]), lang)
            if e["from_state"]
            else "",
            t("fl.col.to", lang): state_text(str(e["to_state"]), lang),
            t("fl.col.note", lang): e["note"],
        }
        for e in history
    ]
    return pd.DataFrame(rows)


def filed_versions(code: str, period: dt.date) -> list[FilingVersion]:
    """Every version of report `code` for `period` in the portal store, newest first."""
    return versions(portal_store.portal(), code, period)


def calendar(first: dt.date, last: dt.date, specs: Iterable[ReportSpec]) -> list[CalendarEntry]:
    """The filing calendar of `specs` for the months `first`..`last`, as seen today (display zone).

    Today comes from the app's one clock (`dashboard.access.gate.clock`), which tests replace.
    StoreUnavailable when the portal store cannot be read."""
    today = gate.clock().replace(tzinfo=UTC).astimezone(zone()).date()
    with reading():
        return filing_calendar(portal_store.portal(), list(specs), first, last, today)


def default_period(periods: Iterable[dt.date], report: str | None = None) -> dt.date | None:
    """The latest reportable period among `periods`: the latest month-end with `report` due
    when a link names one (a quarterly report: the latest quarter end), else the latest with any
    report due (the monthly detail makes every month-end one), else the latest (None when
    none)."""
    ordered = sorted(periods, reverse=True)
    code = (report or "").upper()
    named = [p for p in ordered if code in {s.code for s in due_reports(p)}]
    reportable = [p for p in ordered if due_reports(p)]
    return (named or reportable or ordered or [None])[0]


def months_back(period: dt.date, months: int) -> dt.date:
    """The month-end `months` months before `period`."""
    index = period.year * 12 + period.month - 1 - months
    return month_end(index // 12, index % 12 + 1)
