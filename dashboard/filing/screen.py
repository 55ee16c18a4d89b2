"""The 监管报送 page's widgets: the period and report choosers (kept in the URL as `period` and
`report`), the period's catalogue with the year's calendar, and the compiled report's preview."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard.filing import view
from dashboard.i18n.catalogue import t
from dashboard.page.format import display
from dashboard.page.widgets import download_table
from regulatory.model import ReportData, ReportSpec
from regulatory.registry import REPORTS


def choose_period(periods: list[dt.date], lang: str) -> dt.date:
    """The period asked for by the URL when on offer (else the default, with a warning when one
    was asked for), as picked in the selector; written back to the URL."""
    asked = st.query_params.get("period")
    period = view.parse_period(asked)
    if period not in periods:
        used = view.default_period(periods, st.query_params.get("report"))
        if asked:
            st.warning(t("fl.bad_period", lang, value=asked[:20], used=f"{used:%Y-%m}"))
        period = used
    picked = st.selectbox(
        t("fl.period", lang),
        periods,
        index=periods.index(period),
        format_func=lambda d: f"{d:%Y-%m}",
    )
    if picked != period:
        st.query_params["period"] = f"{picked:%Y-%m}"
        st.query_params.pop("report", None)
        st.rerun()
    st.query_params["period"] = f"{period:%Y-%m}"
    return period  # type: ignore[return-value]


def asked_report(codes: list[str], lang: str) -> str:
    """The report the URL asks for when due this period, else the first (with a warning)."""
    asked = st.query_params.get("report")
    code = str(asked).upper() if asked else codes[0]
    if code not in codes:
        st.warning(t("fl.bad_report", lang, value=str(asked)[:20], used=codes[0]))
        code = codes[0]
    return code


def catalogue(period: dt.date, due: list[ReportSpec], lang: str) -> None:
    """The period's reports with their state, and the last twelve months' calendar in an
    expander (StoreUnavailable when the portal store cannot be read)."""
    entries = view.catalogue_frame(view.calendar(period, period, due), lang)
    year = view.calendar(view.months_back(period, 11), period, REPORTS)
    st.dataframe(view.coloured(entries, lang), hide_index=True, width="stretch")
    with st.expander(t("fl.calendar", lang)):
        frame = view.catalogue_frame(year, lang)
        st.dataframe(view.coloured(frame, lang), hide_index=True, width="stretch")
        download_table(frame, f"filing_calendar_{period:%Y-%m}", lang)


def choose_report(due: list[ReportSpec], code: str, lang: str) -> str:
    """The report picked among those due (named as a filer names it), its code written back to
    the URL."""
    codes = [s.code for s in due]
    titles = {s.code: s.filer_name(lang) for s in due}
    chosen = st.radio(
        t("fl.report", lang),
        codes,
        index=codes.index(code),
        format_func=titles.get,
        horizontal=True,
    )
    if chosen != code:
        st.query_params["report"] = chosen
        st.rerun()
    st.query_params["report"] = code
    return code


def preview(report: ReportData, code: str, period: dt.date, lang: str) -> None:
    """Each sheet as the workbook shows it (or the cells of a report without a grid), each with
    its downloads, then the report's notes."""
    st.subheader(t("fl.preview", lang))
    if report.sheets:
        for sheet in report.sheets:
            st.markdown(f"**{sheet.title}**")
            grid = display(view.preview_frame(sheet))
            st.dataframe(grid, hide_index=True, width="stretch")
            download_table(grid, f"{code}_{period:%Y-%m}_{sheet.name}", lang)
    else:
        st.info(t("fl.detail_preview", lang))
        totals = display(view.cells_frame(report))
        st.dataframe(totals, hide_index=True, width="stretch")
        download_table(totals, f"{code}_{period:%Y-%m}_totals", lang)
    for note in report.notes:
        st.caption(note)
