"""组合概览: KPI cards with MoM/YoY, 24-month trends, breakdowns, concentration vs limits."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import analytics, drill
from dashboard.i18n.catalogue import t
from dashboard.page.section import chart_section
from dashboard.page.setup import start
from dashboard.page.widgets import download_table
from dashboard.views.overview import entity_wide_link, kpi_cards, kpi_table, regulatory_lines

ctx = start("overview.py", "page.overview")
lang = ctx.lang
as_of = ctx.state.load.as_of  # type: ignore[union-attr]

st.subheader(t("ov.kpis", lang))
kpis = ctx.query("portfolio.kpis").set_index("metric")
st.caption(t("ov.lines", lang))
regulatory_lines(kpis, ctx.state.load.entity_type, lang)  # type: ignore[union-attr]
kpi_cards(kpis, lang)
download_table(kpis.reset_index(), "kpis", lang, present=lambda f: kpi_table(f, lang))

st.subheader(t("ov.trends", lang))
trend = ctx.query("portfolio.trend")
rates = ["overdue_rate_balance_dpd30", "overdue_rate_balance_dpd90", "npl_ratio"]
money = ["outstanding", "npl_outstanding"]
to_list = drill.trend(ctx.link)
left, right = st.columns(2)
with left:
    figure = analytics.trend_lines(trend, money, lang, percent=False)
    chart_section(
        figure, trend[["month_end", *money]], "trend_balances", lang, money=money, drill=to_list
    )
with right:
    figure = analytics.trend_lines(trend, rates, lang, percent=True)
    columns = ["month_end", *rates]
    chart_section(figure, trend, "trend_rates", lang, columns=columns, rates=rates, drill=to_list)

st.subheader(t("ov.breakdown", lang))
tabs = st.tabs([t(f"filter.{by}", lang) for by in ("product", "industry", "region")])
rates = ["share_of_outstanding", "npl_ratio", "overdue_rate_balance_dpd30"]
for tab, by in zip(tabs, ("product", "industry", "region"), strict=True):
    with tab:
        part = ctx.query("portfolio.breakdown", by=by)
        chart_section(
            analytics.breakdown_bar(part, by, lang),
            part,
            f"breakdown_{by}",
            lang,
            columns=[by, "outstanding", "open_contracts", *rates],
            money=["outstanding"],
            rates=rates,
            counts=["open_contracts"],
            drill=drill.segment(ctx.link, by, 2),
        )

st.subheader(t("ov.concentration", lang))
conc = ctx.query("exposures.concentration")
breaches = int(sum(1 for b in conc["breach"] if b is True))
(st.error if breaches else st.success)(t("ov.breach_count", lang, n=breaches))
st.caption(t("ov.entity_wide", lang))
if conc.empty or all(r is None for r in conc["ratio"]):
    st.info(t("ov.no_base", lang))
else:
    figure = analytics.concentration_bar(conc, lang)
    rates = ["ratio", "limit"]
    to_list = drill.exposure(entity_wide_link(ctx.filters, as_of, lang))
    money = ["outstanding", "base"]
    chart_section(figure, conc, "concentration", lang, money=money, rates=rates, drill=to_list)
