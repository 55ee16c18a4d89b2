"""组合概览: KPI cards with MoM/YoY, 24-month trends, breakdowns, concentration vs limits."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import analytics
from dashboard.i18n.catalogue import t
from dashboard.page.format import count_or_dash, display, pct, pct_points, wan_or_dash
from dashboard.page.setup import start
from dashboard.page.widgets import chart_with_table, download_table

ctx = start("overview.py", "page.overview")
lang = ctx.lang

CARDS = (
    "outstanding",
    "open_contracts",
    "new_principal",
    "receipts",
    "overdue_rate_balance_dpd30",
    "overdue_rate_balance_dpd90",
    "overdue_rate_amount",
    "overdue_rate_count_dpd30",
    "npl_ratio",
    "provision_coverage",
    "provision_rate",
    "deviation_90",
)
MONEY = {"outstanding", "new_principal", "receipts", "npl_outstanding", "provision"}
COUNTS = {"open_contracts", "new_contracts"}


def _value(metric: str, value: object) -> str:
    if metric in MONEY:
        return wan_or_dash(value)
    return count_or_dash(value) if metric in COUNTS else pct(value)


def _change(metric: str, value: object) -> str:
    if metric in MONEY:
        text = wan_or_dash(value)
    elif metric in COUNTS:
        text = count_or_dash(value)
    else:
        return pct_points(value)
    return text if text.startswith(("-", "—")) else "+" + text


st.subheader(t("ov.kpis", lang))
kpis = ctx.query("portfolio.kpis").set_index("metric")
cols = st.columns(3)
for n, metric in enumerate(CARDS):
    row = kpis.loc[metric]
    mom, yoy = _change(metric, row["mom_change"]), _change(metric, row["yoy_change"])
    cols[n % 3].metric(
        f"{t(f'm.{metric}', lang)} · {t('basis.' + str(row['basis']), lang)}",
        _value(metric, row["value"]),
        delta=f"{mom} {t('ui.mom', lang)} · {yoy} {t('ui.yoy', lang)}",
        delta_color="off",
        delta_arrow="off" if mom == "—" else "auto",
        border=True,
    )
# Provisions include the build's estimates where the extract gives none (docs/domain.md §5).
st.caption(
    t(
        "ov.provision_estimated",
        lang,
        total=wan_or_dash(kpis.loc["provision", "value"]),
        estimated=wan_or_dash(kpis.loc["provision_estimated", "value"]),
        share=pct(kpis.loc["provision_estimated_share", "value"]),
    )
)
st.caption(t("ui.basis_note", lang))
download_table(kpis.reset_index(), "kpis", lang)

st.subheader(t("ov.trends", lang))
trend = ctx.query("portfolio.trend")
rates = ["overdue_rate_balance_dpd30", "overdue_rate_balance_dpd90", "npl_ratio"]
money = ["outstanding", "npl_outstanding"]
left, right = st.columns(2)
with left:
    chart_with_table(
        analytics.trend_lines(trend, money, lang, percent=False),
        trend[["month_end", *money]],
        display(trend[["month_end", *money]], money=money),
        "trend_balances",
        lang,
    )
with right:
    chart_with_table(
        analytics.trend_lines(trend, rates, lang, percent=True),
        trend,
        display(trend[["month_end", *rates]], rates=rates),
        "trend_rates",
        lang,
    )

st.subheader(t("ov.breakdown", lang))
tabs = st.tabs([t(f"filter.{by}", lang) for by in ("product", "industry", "region")])
shown_cols = ["outstanding", "open_contracts", "share_of_outstanding", "npl_ratio"]
for tab, by in zip(tabs, ("product", "industry", "region"), strict=True):
    with tab:
        part = ctx.query("portfolio.breakdown", by=by)
        chart_with_table(
            analytics.breakdown_bar(part, by, lang),
            part,
            display(
                part[[by, *shown_cols, "overdue_rate_balance_dpd30"]],
                money=["outstanding"],
                rates=["share_of_outstanding", "npl_ratio", "overdue_rate_balance_dpd30"],
                counts=["open_contracts"],
            ),
            f"breakdown_{by}",
            lang,
        )

st.subheader(t("ov.concentration", lang))
conc = ctx.query("exposures.concentration")
breaches = int(sum(1 for b in conc["breach"] if b is True))
(st.error if breaches else st.success)(t("ov.breach_count", lang, n=breaches))
st.caption(t("ov.entity_wide", lang))
if conc.empty or all(r is None for r in conc["ratio"]):
    st.info(t("ov.no_base", lang))
else:
    chart_with_table(
        analytics.concentration_bar(conc, lang),
        conc,
        display(conc, money=["outstanding", "base"], rates=["ratio", "limit"]),
        "concentration",
        lang,
    )
