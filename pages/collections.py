"""催收: actions, contact / promise / kept rates, recoveries, cures, workload, compliance flags."""

from __future__ import annotations

import streamlit as st

from dashboard.access.user import sees_personal_data
from dashboard.charts import drill
from dashboard.charts import monitoring as charts
from dashboard.i18n.catalogue import t
from dashboard.page.section import chart_section, choice
from dashboard.page.setup import start
from dashboard.views.monitoring import (
    ACTION_LISTS,
    RATE_LISTS,
    RECOVERY_LISTS,
    collection_cards,
    contract_list,
    flag_cards,
    label_radio,
    months_picker,
    table,
)
from queries.collections_compliance import FLAGS

RATES = ["contact_rate", "promise_rate", "kept_rate"]
COUNTS = ["actions", "contracts", "attempts", "reached", "promises", "promises_due"]
COUNTS += ["promises_kept", "promises_part"]

ctx = start("collections.py", "page.collections")
lang = ctx.lang
months = months_picker(ctx, "col_months")

total = ctx.query("collections.contact_rates", months=months, by="all").iloc[0]
recovered = ctx.query("collections.recoveries", months=months, by="all").iloc[0]
collection_cards(total, recovered, RATES, lang)

st.subheader(t("col.h_activity", lang))
by = choice("col.colour_by", ["channel", "outcome"], lang, "col_colour", "col.by_{}")
acts = ctx.query("collections.actions_over_time", months=months, by=by)
figure = charts.stacked_months(acts, by, "actions", lang)
to_actions = drill.month_lists(ctx.link, ACTION_LISTS[by])
counts = ["actions", "contracts"]
chart_section(figure, acts, f"collection_actions_by_{by}", lang, counts=counts, drill=to_actions)

st.subheader(t("col.h_rates", lang))
rates = ctx.query("collections.contact_rates", months=months, by="month")
figure = charts.rate_lines(rates, RATES, lang)
to_rates = drill.month_lists(ctx.link, RATE_LISTS)
chart_section(figure, rates, "collection_rates", lang, rates=RATES, counts=COUNTS, drill=to_rates)

st.subheader(t("col.h_recoveries", lang))
rec = ctx.query("collections.recoveries", months=months)
figure = charts.stacked_months(rec, "channel", "recovered", lang, money=True)
to_credits = drill.month_lists(ctx.link, RECOVERY_LISTS)
money, counts = ["recovered"], ["receipts"]
chart_section(
    figure, rec, "collection_recoveries", lang, money=money, counts=counts, drill=to_credits
)

st.subheader(t("col.h_cures", lang))
cures = ctx.query("collections.cure_rates", months=months)
figure = charts.rate_bars(cures, "first_channel", "cure_rate", "spells", lang)
rates, counts = ["cure_rate"], ["spells", "cured"]
to_spells = drill.cure_bars(ctx.link, months)
chart_section(figure, cures, "collection_cures", lang, rates=rates, counts=counts, drill=to_spells)

st.subheader(t("col.h_workload", lang))
st.caption(t("col.workload_note", lang))
if not sees_personal_data(ctx.user):
    st.caption(t("mon.masked", lang))
work = ctx.query("collections.collector_workload", months=months)
table(work, "collector_workload", lang, money=["recovered"], rates=RATES, counts=COUNTS)

st.subheader(t("col.h_compliance", lang))
flag_cards(ctx.query("collections_compliance.flag_counts", months=months), lang)
flag = label_radio("col.flag", FLAGS, lang, "col_flag")
behind = ctx.query("collections_compliance.flagged_contracts", flag=flag, months=months)
contract_list(ctx, behind, f"compliance_{flag}", counts=["flagged_actions"])
