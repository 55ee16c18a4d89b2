"""账龄分析: vintage curves (x = MOB, a line per cohort), the cohort × MOB triangle, segments."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import analytics, drill
from dashboard.charts.topn import latest
from dashboard.i18n.catalogue import t
from dashboard.page.matrix_links import drill_matrix
from dashboard.page.section import chart_section, choice
from dashboard.page.setup import start
from queries import vintage
from queries.filters import SEGMENTS
from queries.vintage import AMOUNTS, GRAINS, RATES

SHOWN = 12  # cohorts drawn until the user asks for all of them
ctx = start("vintage.py", "page.vintage")
lang = ctx.lang

a, b = st.columns([3, 1])
metric = choice("vt.metric", RATES, lang, "vt_metric", "m.{}", where=a)
grain = choice("vt.grain", GRAINS, lang, "vt_grain", "vt.{}", where=b)
frame = ctx.query("vintage.vintage", grain=grain)
if frame.empty:
    st.info(t("ui.no_data", lang))
    st.stop()
st.subheader(t("vt.curves", lang))
cohorts = frame["cohort"].nunique()
every = st.toggle(t("vt.all_cohorts", lang, n=cohorts), key="vt_all", disabled=cohorts <= SHOWN)
drawn = frame if every else latest(frame, "cohort", SHOWN)
st.caption(t("vt.shown", lang, n=drawn["cohort"].nunique(), total=cohorts))
chart_section(
    analytics.vintage_lines(drawn, metric, lang),
    frame,
    "vintage",
    lang,
    columns=["cohort", "mob", "cohort_contracts", "cohort_principal", *AMOUNTS, *RATES],
    money=["cohort_principal", *AMOUNTS],
    rates=list(RATES),
    counts=["cohort_contracts"],
    drill=drill.vintage(ctx.link, GRAINS[grain]),
)

st.subheader(t("vt.triangle", lang))
st.caption(t("vt.immature", lang))
grid = vintage.triangle(frame, metric)
figure = analytics.triangle_heatmap(grid, metric, lang)
triangle = grid.reset_index()
triangle.columns = [str(c) for c in triangle.columns]
mobs = [c for c in triangle.columns if c != "cohort"]
chart_section(figure, triangle, "vintage_triangle", lang, rates=mobs)
drill_matrix(
    drill.vintage_cells(frame, metric),
    "cohort",
    "mob",
    metric,
    lang,
    drill.vintage_cell(ctx.link, GRAINS[grain]),
    key="vt_cells",
    corner=f"{t('m.cohort', lang)} ↓ · {t('m.mob', lang)} →",
)

st.subheader(t("vt.compare", lang))
by = st.selectbox(
    t("od.dimension", lang), SEGMENTS, format_func=lambda d: t(f"filter.{d}", lang), key="vt_by"
)
comp = ctx.query("vintage_compare.segment_curves", by=by, metric=metric)
if comp.empty:
    st.info(t("ui.no_data", lang))
else:
    figure = analytics.vintage_lines(comp, "rate", lang, "segment", by)
    money = ["cohort_principal", "amount"]
    chart_section(figure, comp, "vintage_segments", lang, money=money, rates=["rate"])
