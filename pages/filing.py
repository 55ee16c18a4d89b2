"""监管报送: the period's report catalogue, each table as in the workbook, and the filing workflow.

Role compliance. Deep link: `?period=YYYY-MM&report=CODE`. The workflow rules (maker ≠ checker,
no blocking finding, explained warnings, archive immutability) live in `regulatory.filing`.
"""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from dashboard.data import cached, portal_store
from dashboard.filing import history, panel
from dashboard.filing import view as view
from dashboard.filing.workbook import Filing
from dashboard.i18n.catalogue import t
from dashboard.page.institution import open_institution_page
from dashboard.page.widgets import download_table
from regulatory.filing_store import WITHDRAWN
from regulatory.registry import REPORTS

user, lang, state = open_institution_page("filing.py", "page.filing", "fl.scope_refused")

periods = sorted(cached.choices(state).month_ends, reverse=True)
if not periods:
    st.info(t("fl.no_period", lang))
    st.stop()
asked = st.query_params.get("period")
period = view.parse_period(asked)
if period not in periods:
    if asked:
        used = view.default_period(periods)
        st.warning(t("fl.bad_period", lang, value=asked[:20], used=f"{used:%Y-%m}"))
    period = view.default_period(periods)
picked = st.selectbox(
    t("fl.period", lang), periods, index=periods.index(period), format_func=lambda d: f"{d:%Y-%m}"
)
if picked != period:
    st.query_params["period"] = f"{picked:%Y-%m}"
    st.query_params.pop("report", None)
    st.rerun()
st.query_params["period"] = f"{period:%Y-%m}"

due = view.due_reports(period)
codes = [s.code for s in due]
asked_report = st.query_params.get("report")
code = str(asked_report).upper() if asked_report else codes[0]
if code not in codes:
    st.warning(t("fl.bad_report", lang, value=str(asked_report)[:20], used=codes[0]))
    code = codes[0]

st.subheader(t("fl.catalogue", lang))
try:
    catalogue = view.catalogue_frame(view.calendar(period, period, due), lang)
    year = view.calendar(view.months_back(period, 11), period, REPORTS)
except sa.exc.SQLAlchemyError as exc:
    st.error(t("auth.store_down", lang, error=type(exc).__name__))
    st.stop()
st.dataframe(view.coloured(catalogue, lang), hide_index=True, width="stretch")
with st.expander(t("fl.calendar", lang)):
    frame = view.catalogue_frame(year, lang)
    st.dataframe(view.coloured(frame, lang), hide_index=True, width="stretch")
    download_table(frame, f"filing_calendar_{period:%Y-%m}", lang)

titles = {s.code: f"{s.code} · {s.title_zh if lang == 'zh' else s.title_en}" for s in due}
chosen = st.radio(
    t("fl.report", lang), codes, index=codes.index(code), format_func=titles.get, horizontal=True
)
if chosen != code:
    st.query_params["report"] = chosen
    st.rerun()
st.query_params["report"] = code

spec = next(s for s in due if s.code == code)
settings = portal_store.settings()
try:
    report = view.compiled(state, code, period, settings)
except (ValueError, sa.exc.SQLAlchemyError) as exc:
    st.error(t("fl.compile_failed", lang, error=str(exc)[:300]))
    st.stop()

st.subheader(t("fl.preview", lang))
if report.sheets:
    for sheet in report.sheets:
        st.markdown(f"**{sheet.title}**")
        grid = view.preview_frame(sheet)
        st.dataframe(grid, hide_index=True, width="stretch")
        download_table(grid, f"{code}_{period:%Y-%m}_{sheet.name}", lang)
else:
    st.info(t("fl.detail_preview", lang))
    totals = view.cells_frame(report)
    st.dataframe(totals, hide_index=True, width="stretch")
    download_table(totals, f"{code}_{period:%Y-%m}_totals", lang)
for note in report.notes:
    st.caption(note)

filed = view.filed_versions(code, period)
live = [v for v in filed if v.state != WITHDRAWN]
current = live[0] if live else None
panel.workflow(Filing(state, settings, spec, period, report), current, user, lang)
history.history(filed, current, lang)
