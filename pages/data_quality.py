"""数据质量: the latest data-check runs, a run on demand with progress, failures and their rows.

Roles compliance and admin. Param `run=<id>` shows a stored run (default: the latest).
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from dashboard.dossier.links import contract_links
from dashboard.i18n.catalogue import t
from dashboard.page.institution import open_institution_page
from dashboard.page.widgets import (
    PLOTLY_CONFIG,
    download_table,
)
from dashboard.views import quality as qv

user, lang, state = open_institution_page(
    "data_quality.py", "page.data_quality", "dq.scope_refused"
)
st.caption(t("dq.intro", lang))

if st.button(t("dq.run", lang), type="primary", icon=":material/play_arrow:"):
    bar = st.progress(0.0, text=t("dq.running", lang))
    run_id = qv.run_now(state, user.username, lambda done, total: bar.progress(done / total))
    st.query_params["run"] = str(run_id)
    st.rerun()

try:
    runs = qv.runs(state.url)
except sa.exc.SQLAlchemyError as exc:
    st.warning(t("dq.store_down", lang, error=type(exc).__name__))
    st.stop()
if runs.empty:
    st.info(t("dq.no_runs", lang))
    st.stop()

ids = [int(r) for r in runs["run_id"]]
asked = st.query_params.get("run")
run_id = int(asked) if asked and asked.isdigit() and int(asked) in ids else ids[0]
labels = {
    int(r.run_id): t(
        "dq.run_label",
        lang,
        run=r.run_id,
        at=f"{pd.Timestamp(r.run_at):%Y-%m-%d %H:%M} UTC",
        blocking=r.blocking_failures,
        warnings=r.warnings,
    )
    for r in runs.itertuples()
}
picked = st.selectbox(t("dq.run_pick", lang), ids, index=ids.index(run_id), format_func=labels.get)
if picked != run_id:
    st.query_params["run"] = str(picked)
    st.rerun()

results = qv.results(state.url, run_id)
st.subheader(t("dq.summary", lang))
summary = qv.summary_frame(results, lang)
st.dataframe(summary, hide_index=True, width="stretch")
download_table(summary, f"check_summary_run{run_id}", lang)

st.subheader(t("dq.failing", lang))
bad = qv.failing(results)
if bad.empty:
    st.success(t("dq.all_passed", lang))
for row in bad.itertuples():
    light = ":red[●]" if row.severity == "blocking" else ":orange[●]"
    title = f"{light} {row.dataset} · {row.check_id} · {row.failing_rows:,}"
    with st.expander(title):
        if row.message:
            st.caption(str(row.message))
        examples = list(row.examples or [])
        st.caption(t("dq.examples", lang, n=len(examples), total=f"{row.failing_rows:,}"))
        if examples:
            st.dataframe(pd.DataFrame(examples), hide_index=True, width="stretch")
        contract_links(qv.contract_ids(examples), user)

st.subheader(t("dq.results", lang))
table = qv.results_frame(results, lang)
st.dataframe(table, hide_index=True, width="stretch")
download_table(table, f"check_results_run{run_id}", lang)

st.subheader(t("dq.trend", lang))
st.plotly_chart(qv.trend_figure(runs, lang), width="stretch", config=PLOTLY_CONFIG)
trend = qv.runs_frame(runs, lang)
st.dataframe(trend, hide_index=True, width="stretch")
download_table(trend, "check_runs", lang)
