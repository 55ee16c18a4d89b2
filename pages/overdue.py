"""逾期分析: DPD bucket distribution over time; rates by segment; one click to the contracts."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import analytics, drill
from dashboard.i18n.catalogue import t
from dashboard.page.format import count_or_dash
from dashboard.page.registry import page_path
from dashboard.page.section import SHARES, chart_section, choice
from dashboard.page.setup import start
from queries.filters import SEGMENTS
from queries.overdue import BASES

CONTRACTS = page_path("contracts.py")
ctx = start("overdue.py", "page.overdue")
lang = ctx.lang

st.subheader(t("od.distribution", lang))
a, b = st.columns(2)
view = choice("od.view", ("overdue", "all"), lang, "od_view", "od.view.{}", where=a)
share = choice("od.share_basis", SHARES, lang, "od_share", SHARES, where=b)
dist = analytics.overdue_shares(ctx.query("overdue.bucket_distribution"))
money = ["outstanding", "overdue_principal", "overdue_interest"]
figure = analytics.bucket_stack(dist, f"overdue_{share}" if view == "overdue" else share, lang)
st.caption(t(f"od.view_note.{view}", lang))
shares = [*SHARES, *(f"overdue_{s}" for s in SHARES)]
chart_section(
    figure,
    dist,
    "bucket_distribution",
    lang,
    drill=drill.bucket(ctx.link),
    money=money,
    rates=shares,
    counts=["contracts"],
)
st.caption(t("od.as_of_buckets", lang))
now = dist[dist["month_end"] == ctx.filters.as_of]
cols = st.columns(len(now) or 1)
for col, row in zip(cols, now.to_dict("records"), strict=False):
    col.page_link(
        CONTRACTS,
        label=f"{row['dpd_bucket']} · {count_or_dash(row['contracts'])}",
        query_params=ctx.link(bucket=row["dpd_bucket"]),
        disabled=not row["contracts"],
    )

st.subheader(t("od.by_segment", lang))
a, b, c = st.columns(3)
by = a.selectbox(
    t("od.dimension", lang), SEGMENTS, format_func=lambda d: t(f"filter.{d}", lang), key="od_by"
)
basis = choice("od.basis", BASES, lang, "od_basis", "basis.{}", where=b)
threshold = c.radio(t("od.threshold", lang), (0, 30, 60, 90), index=1, horizontal=True, key="od_x")
rates = ctx.query("overdue.segment_rates", by=by, basis=basis, threshold=threshold)
parts = ["numerator", "denominator"]
chart_section(
    analytics.segment_rate_bar(rates, by, lang),
    rates,
    "segment_rates",
    lang,
    columns=[by, *parts, "rate"],
    **{"counts" if basis == "count" else "money": parts},
    rates=["rate"],
    drill=drill.segment(ctx.link, by, 1, threshold=str(threshold)),
)
st.caption(f"{t('m.rate', lang)}: {t(f'basis.{basis}', lang)}, DPD > {threshold}")
