"""催收: actions, contact / promise / kept rates, recoveries, cures, workload, compliance flags."""

from __future__ import annotations

import streamlit as st

from dashboard.access.user import sees_personal_data
from dashboard.charts import monitoring as charts
from dashboard.i18n.catalogue import label, t
from dashboard.page.format import count_or_dash, display, pct, wan_or_dash
from dashboard.page.setup import start
from dashboard.page.widgets import chart_with_table
from dashboard.views.monitoring import contract_list, label_radio, months_picker, table
from queries.collections_compliance import FLAGS

RATES = ["contact_rate", "promise_rate", "kept_rate"]
COUNTS = ["actions", "contracts", "attempts", "reached", "promises", "promises_due"]
COUNTS += ["promises_kept", "promises_part"]

ctx = start("collections.py", "page.collections")
lang = ctx.lang
months = months_picker(ctx, "col_months")

total = ctx.query("collections.contact_rates", months=months, by="all").iloc[0]
recovered = ctx.query("collections.recoveries", months=months, by="all").iloc[0]
cards = st.columns(5)
cards[0].metric(t("m.attempts", lang), count_or_dash(total["attempts"]))
for card, rate in zip(cards[1:4], RATES, strict=True):
    card.metric(t(f"m.{rate}", lang), pct(total[rate]))
cards[4].metric(t("m.recovered", lang), wan_or_dash(recovered["recovered"]))
st.caption(t("col.definitions", lang))

st.subheader(t("col.h_activity", lang))
by = st.radio(
    t("col.colour_by", lang),
    ["channel", "outcome"],
    format_func=lambda k: t(f"col.by_{k}", lang),
    horizontal=True,
    key="col_colour",
)
acts = ctx.query("collections.actions_over_time", months=months, by=by)
chart_with_table(
    charts.stacked_months(acts, by, "actions", lang),
    acts,
    display(acts, counts=["actions", "contracts"]),
    f"collection_actions_by_{by}",
    lang,
)

st.subheader(t("col.h_rates", lang))
rates = ctx.query("collections.contact_rates", months=months, by="month")
chart_with_table(
    charts.rate_lines(rates, RATES, lang),
    rates,
    display(rates, rates=RATES, counts=COUNTS),
    "collection_rates",
    lang,
)

st.subheader(t("col.h_recoveries", lang))
rec = ctx.query("collections.recoveries", months=months)
chart_with_table(
    charts.stacked_months(rec, "channel", "recovered", lang, money=True),
    rec,
    display(rec, money=["recovered"], counts=["receipts"]),
    "collection_recoveries",
    lang,
)

st.subheader(t("col.h_cures", lang))
cures = ctx.query("collections.cure_rates", months=months)
chart_with_table(
    charts.rate_bars(cures, "first_channel", "cure_rate", "spells", lang),
    cures,
    display(cures, rates=["cure_rate"], counts=["spells", "cured"]),
    "collection_cures",
    lang,
)

st.subheader(t("col.h_workload", lang))
st.caption(t("col.workload_note", lang))
if not sees_personal_data(ctx.user):
    st.caption(t("mon.masked", lang))
work = ctx.query("collections.collector_workload", months=months)
table(work, "collector_workload", lang, money=["recovered"], rates=RATES, counts=COUNTS)

st.subheader(t("col.h_compliance", lang))
flags = ctx.query("collections_compliance.flag_counts", months=months)
cards = st.columns(len(FLAGS))
for card, row in zip(cards, flags.to_dict("records"), strict=True):
    card.metric(
        label(row["flag"], lang),
        count_or_dash(row["contracts"]),
        help=f"{t('m.flagged_actions', lang)}: {row['actions']:,}",
    )
settings = "; ".join(s for s in flags["settings"] if s)
st.caption(t("mon.settings", lang, values=settings))
flag = label_radio("col.flag", FLAGS, lang, "col_flag")
behind = ctx.query("collections_compliance.flagged_contracts", flag=flag, months=months)
contract_list(ctx, behind, f"compliance_{flag}", counts=["flagged_actions"])
