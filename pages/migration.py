"""资产质量迁徙: the G12 five-tier matrix, official migration-rate trends, DPD roll rates."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import analytics
from dashboard.i18n.catalogue import t
from dashboard.page.format import display
from dashboard.page.matrix_links import link_grid, pivot
from dashboard.page.setup import start
from dashboard.page.widgets import chart_with_table
from queries.migration import OFFICIAL_RATES, PERIODS

ctx = start("migration.py", "page.migration")
lang = ctx.lang

st.subheader(t("mg.matrix", lang))
a, b = st.columns(2)
period = a.radio(
    t("mg.period", lang),
    PERIODS,
    format_func=lambda p: t(f"mg.{p}", lang),
    horizontal=True,
    key="mg_period",
)
views = {"balance": "mg.balances", "contracts": "mg.counts", "row_share": "mg.row_pct"}
view = b.radio(
    t("mg.view", lang),
    list(views),
    format_func=lambda v: t(views[v], lang),
    horizontal=True,
    key="mg_view",
)
matrix = ctx.query("migration.migration_matrix", period=period)
begin, end = matrix["begin"].iloc[0], matrix["end"].iloc[0]
st.caption(t("mg.matrix_note", lang, begin=begin, end=end))
grid = pivot(matrix, "begin_class", "end_class", view)
chart_with_table(
    analytics.matrix_heatmap(
        grid.map(lambda v: None if v is None else float(v) / (1 if view != "balance" else 10000)),
        lang,
        percent=view == "row_share",
        x_title=t("mg.end", lang) + " " + str(end),
        y_title=t("mg.begin", lang) + " " + str(begin),
    ),
    matrix,
    display(
        matrix.drop(columns=["period", "begin", "end"]),
        money=["balance", "begin_balance"],
        rates=["row_share"],
        counts=["contracts", "begin_contracts"],
    ),
    "migration_matrix",
    lang,
)
st.caption(t("ui.drill", lang))
link_grid(
    matrix,
    "begin_class",
    "end_class",
    view,
    lang,
    lambda src, dst: ctx.link(migration=f"{period}:{src}:{dst}"),
)

st.subheader(t("mg.rates", lang))
names = list(OFFICIAL_RATES)
rates = ctx.query("migration.migration_rates", period=period)
chart_with_table(
    analytics.rate_trend(rates, names, lang),
    rates,
    display(rates[["begin", "end", *names]], rates=names),
    "migration_rates",
    lang,
)

st.subheader(t("mg.roll", lang))
weight = st.radio(
    t("mg.weight", lang),
    ["balance_share", "count_share"],
    format_func=lambda s: t(f"basis.{s.split('_')[0]}", lang),
    horizontal=True,
    key="mg_weight",
)
roll = ctx.query("migration.roll_rates")
roll_grid = pivot(roll, "from_bucket", "to_bucket", weight)
chart_with_table(
    analytics.matrix_heatmap(
        roll_grid, lang, percent=True, x_title=t("mg.t", lang), y_title=t("mg.t_prev", lang)
    ),
    roll,
    display(roll, money=["balance", "balance_at_t"], rates=["balance_share", "count_share"]),
    "roll_rates",
    lang,
)
st.caption(t("ui.drill", lang))
link_grid(
    roll,
    "from_bucket",
    "to_bucket",
    weight,
    lang,
    lambda src, dst: ctx.link(roll=f"{src}:{dst}"),
)
