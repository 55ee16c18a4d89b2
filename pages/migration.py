"""资产质量迁徙: the G12 five-tier matrix, official migration-rate trends, DPD roll rates."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import analytics
from dashboard.i18n.catalogue import t
from dashboard.page.matrix_links import drill_matrix
from dashboard.page.section import SHARES, chart_section, choice
from dashboard.page.setup import start
from dashboard.views.migration import g12_heatmap, roll_heatmap
from queries.migration import OFFICIAL_RATES, PERIODS

ctx = start("migration.py", "page.migration")
lang = ctx.lang
VIEWS = {"balance": "mg.balances", "contracts": "mg.counts", "row_share": "mg.row_pct"}

st.subheader(t("mg.matrix", lang))
a, b = st.columns(2)
period = choice("mg.period", PERIODS, lang, "mg_period", "mg.{}", where=a)
view = choice("mg.view", VIEWS, lang, "mg_view", VIEWS, where=b)
matrix = ctx.query("migration.migration_matrix", period=period)
begin, end = matrix["begin"].iloc[0], matrix["end"].iloc[0]
st.caption(t("mg.matrix_note", lang, begin=begin, end=end))
chart_section(
    g12_heatmap(matrix, view, lang),
    matrix,
    "migration_matrix",
    lang,
    columns=[c for c in matrix.columns if c not in ("period", "begin", "end")],
    money=["balance", "begin_balance"],
    rates=["row_share"],
    counts=["contracts", "begin_contracts"],
)
drill_matrix(
    matrix,
    "begin_class",
    "end_class",
    view,
    lang,
    lambda s, d: ctx.link(migration=f"{period}:{s}:{d}"),
    key="mg_cells",
    corner=f"{t('mg.begin', lang)} ↓ · {t('mg.end', lang)} →",
)

st.subheader(t("mg.rates", lang))
names = list(OFFICIAL_RATES)
rates = ctx.query("migration.migration_rates", period=period)
figure = analytics.rate_trend(rates, names, lang)
chart_section(figure, rates, "migration_rates", lang, columns=["begin", "end", *names], rates=names)

st.subheader(t("mg.roll", lang))
weight = choice("mg.weight", SHARES, lang, "mg_weight", SHARES)
roll = ctx.query("migration.roll_rates")
money, shares = ["balance", "balance_at_t"], list(SHARES)
chart_section(roll_heatmap(roll, weight, lang), roll, "roll_rates", lang, money=money, rates=shares)
drill_matrix(
    roll,
    "from_bucket",
    "to_bucket",
    weight,
    lang,
    lambda s, d: ctx.link(roll=f"{s}:{d}"),
    key="mg_roll_cells",
    corner=f"{t('mg.t_prev', lang)} ↓ · {t('mg.t', lang)} →",
)
