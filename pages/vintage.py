"""账龄分析: vintage curves (x = MOB, a line per cohort), the cohort × MOB triangle, segments."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import analytics
from dashboard.i18n.catalogue import t
from dashboard.page.format import display
from dashboard.page.setup import start
from dashboard.page.widgets import chart_with_table
from queries.filters import SEGMENTS
from queries.vintage import AMOUNTS, GRAINS, RATES

ctx = start("vintage.py", "page.vintage")
lang = ctx.lang

a, b = st.columns([3, 1])
metric = a.radio(
    t("vt.metric", lang),
    list(RATES),
    format_func=lambda m: t(f"m.{m}", lang),
    horizontal=True,
    key="vt_metric",
)
grain = b.radio(
    t("vt.grain", lang),
    list(GRAINS),
    format_func=lambda g: t(f"vt.{g}", lang),
    horizontal=True,
    key="vt_grain",
)
frame = ctx.query("vintage.vintage", grain=grain)
if frame.empty:
    st.info(t("ui.no_data", lang))
    st.stop()
shown = display(
    frame[["cohort", "mob", "cohort_contracts", "cohort_principal", *AMOUNTS, *RATES]],
    money=["cohort_principal", *AMOUNTS],
    rates=list(RATES),
    counts=["cohort_contracts"],
)
st.subheader(t("vt.curves", lang))
chart_with_table(analytics.vintage_lines(frame, metric, lang), frame, shown, "vintage", lang)

st.subheader(t("vt.triangle", lang))
st.caption(t("vt.immature", lang))
triangle = frame.pivot(index="cohort", columns="mob", values=metric).reset_index()
triangle.columns = [str(c) for c in triangle.columns]
chart_with_table(
    analytics.triangle_heatmap(frame, metric, lang),
    triangle,
    display(triangle, rates=[c for c in triangle.columns if c != "cohort"]),
    "vintage_triangle",
    lang,
)

st.subheader(t("vt.compare", lang))
by = st.selectbox(
    t("od.dimension", lang), SEGMENTS, format_func=lambda d: t(f"filter.{d}", lang), key="vt_by"
)
comp = ctx.query("vintage_compare.segment_curves", by=by, metric=metric)
if comp.empty:
    st.info(t("ui.no_data", lang))
else:
    chart_with_table(
        analytics.vintage_lines(comp, "rate", lang, series="segment"),
        comp,
        display(comp, money=["cohort_principal", "amount"], rates=["rate"]),
        "vintage_segments",
        lang,
    )
