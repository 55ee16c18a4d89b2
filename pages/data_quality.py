"""数据质量: the latest data-check runs, a run on demand with progress, failures and their rows.

Roles compliance and admin. Param `run=<id>` shows a stored run (default: the latest).
"""

from __future__ import annotations

import streamlit as st

from dashboard.data.source import StoreUnavailable
from dashboard.i18n.catalogue import t
from dashboard.page.format import display
from dashboard.page.institution import open_institution_page
from dashboard.page.widgets import PLOTLY_CONFIG, download_table
from dashboard.views import quality as qv
from dashboard.views.check_runs import choose_run, failing_checks, run_button

user, lang, state = open_institution_page(
    "data_quality.py", "page.data_quality", "dq.scope_refused"
)
st.caption(t("dq.intro", lang))
run_button(state, user, lang)

try:
    runs = qv.runs(state.url)
except StoreUnavailable as exc:
    st.warning(t("dq.store_down", lang, error=exc.detail))
    st.stop()
if runs.empty:
    st.info(t("dq.no_runs", lang))
    st.stop()
run_id = choose_run(runs, lang)

results = qv.results(state.url, run_id)
st.subheader(t("dq.summary", lang))
summary = display(qv.summary_frame(results, lang))
st.dataframe(summary, hide_index=True, width="stretch")
download_table(summary, f"check_summary_run{run_id}", lang)

st.subheader(t("dq.failing", lang))
failing_checks(results, user, lang)

st.subheader(t("dq.results", lang))
table = display(qv.results_frame(results, lang))
st.dataframe(table, hide_index=True, width="stretch")
download_table(table, f"check_results_run{run_id}", lang)

st.subheader(t("dq.trend", lang))
st.plotly_chart(qv.trend_figure(runs, lang), width="stretch", config=PLOTLY_CONFIG)
trend = display(qv.runs_frame(runs, lang))
st.dataframe(trend, hide_index=True, width="stretch")
download_table(trend, "check_runs", lang)
