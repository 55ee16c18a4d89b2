"""模型监控: the early-warning model in force — its card, discrimination (AUC, KS), calibration
(observed vs predicted by decile, Brier) and stability (PSI of the score and of each feature)
per scored month-end. Roles risk_committee, executive, admin; whole-book figures, so a
branch-scoped user is told why there are none. Opens at `?as_of=YYYY-MM` (an alert's month)."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.page.setup import start
from dashboard.views.model_monitoring import render

ctx = start("model_monitoring.py", "page.model_monitoring", sidebar=False)
st.caption(t("mm.intro", ctx.lang))
if ctx.user.branches is not None:
    st.info(t("mm.scoped", ctx.lang))
    st.stop()
render(ctx.query, ctx.filters.as_of, ctx.lang)
