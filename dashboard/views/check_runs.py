"""The 数据质量 page's widgets: a run on demand, the run picker (URL `run=<id>`) and the failing
checks with their offending rows."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access.gate import User
from dashboard.data.source import WarehouseState
from dashboard.dossier.links import contract_links
from dashboard.i18n.catalogue import t
from dashboard.i18n.checks import check_words, dataset_words
from dashboard.page.format import display, shown_time_zoned
from dashboard.views import quality as qv
from dashboard.views.present import column_header


def run_button(state: WarehouseState, user: User, lang: str) -> None:
    """Run every check now with a progress bar, then show that run."""
    if st.button(t("dq.run", lang), type="primary", icon=":material/play_arrow:"):
        bar = st.progress(0.0, text=t("dq.running", lang))
        run_id = qv.run_now(state, user.username, lambda done, total: bar.progress(done / total))
        st.query_params["run"] = str(run_id)
        st.rerun()


def choose_run(runs: pd.DataFrame, lang: str) -> int:
    """The run the URL asks for when stored (else the latest), as picked in the selector."""
    ids = [int(r) for r in runs["run_id"]]
    asked = st.query_params.get("run")
    run_id = int(asked) if asked and asked.isdigit() and int(asked) in ids else ids[0]
    labels = {
        int(r.run_id): t(
            "dq.run_label",
            lang,
            run=r.run_id,
            at=shown_time_zoned(pd.Timestamp(r.run_at).to_pydatetime()),
            blocking=r.blocking_failures,
            warnings=r.warnings,
        )
        for r in runs.itertuples()
    }
    picked = st.selectbox(
        t("dq.run_pick", lang), ids, index=ids.index(run_id), format_func=labels.get
    )
    if picked != run_id:
        st.query_params["run"] = str(picked)
        st.rerun()
    return run_id


def failing_checks(results: pd.DataFrame, user: User, lang: str) -> None:
    """Each failed check in an expander (red blocking, orange warning) with its example rows and
    links to the contracts they name; a success note when none failed."""
    bad = qv.failing(results)
    if bad.empty:
        st.success(t("dq.all_passed", lang))
    for row in bad.itertuples():
        light = ":red[●]" if row.severity == "blocking" else ":orange[●]"
        words = check_words(row.check_id, lang, getattr(row, "description", None))
        title = f"{light} {dataset_words(row.dataset, lang)} · {words} · {row.failing_rows:,}"
        with st.expander(title):
            if row.message:
                st.caption(str(row.message))
            examples = list(row.examples or [])
            st.caption(t("dq.examples", lang, n=len(examples), total=f"{row.failing_rows:,}"))
            if examples:
                rows = pd.DataFrame(examples)
                rows.columns = [column_header(str(c), lang) for c in rows.columns]
                st.dataframe(display(rows), hide_index=True, width="stretch")
            contract_links(qv.contract_ids(examples), user)
