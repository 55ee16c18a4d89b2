"""风险合同: open contracts meeting any watch rule, why, and a way into each one's dossier.

Shared filters (branch scope included) plus a rule filter and a sort; counts per rule; the list
one page at a time; each row opens 合同档案 (`?contract=ID`, language and as-of kept).
"""

from __future__ import annotations

import math

import streamlit as st

from dashboard.data import risk
from dashboard.i18n.catalogue import t
from dashboard.page.format import count, wan
from dashboard.page.registry import page_path
from dashboard.page.setup import start
from dashboard.page.widgets import download_table
from dashboard.views.risk import coded, headers_only, shown
from queries.at_risk import MAX_PAGE, RULES, SORTS, split_counts

PAGE_SIZE = 50

ctx = start("at_risk.py", "page.at_risk")
lang = ctx.lang
p = risk.watch_settings(ctx.state)
st.caption(
    t(
        "rk.rules_in_force",
        lang,
        signal=p.signal_days,
        iot=p.iot_days,
        promise=p.promise_days,
        interval=p.inspection_interval_days,
        min_value=wan(p.inspection_min_asset_value),
        debt=p.debt_ratio,
        drop=p.revenue_drop_share,
    )
)
watch = risk.watchlist()
left, middle, right = st.columns([4, 2, 1])
rules = left.multiselect(
    t("rk.filter_rules", lang),
    RULES,
    format_func=lambda r: coded(r, "rk.rule", lang),
    placeholder=t("filter.all", lang),
    key="rk_rules",
)
sort = middle.selectbox(
    t("rk.sort", lang), tuple(SORTS), format_func=lambda s: t(f"rk.sort.{s}", lang), key="rk_sort"
)
page = int(right.number_input(t("rk.page", lang), min_value=1, value=1, step=1, key="rk_page"))
options = {"watchlist": watch, "rules": tuple(rules), "sort": sort}
listed = ctx.query("at_risk.at_risk", **options, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
frame, counts = split_counts(listed)
if counts is None:  # an empty page carries no counts: ask for them alone
    counts = ctx.query("at_risk.rule_counts", watchlist=watch)
total = counts[counts["rule"] == "any"].iloc[0]
st.markdown(t("rk.total", lang, n=count(total["contracts"]), amount=wan(total["outstanding"])))
with st.expander(t("rk.counts", lang)):
    st.dataframe(shown(counts, lang), hide_index=True, width="stretch")
    download_table(headers_only(counts, lang), "at_risk_counts", lang)
if frame.empty:
    st.info(t("rk.none", lang))
    st.stop()
matching = int(frame["total_rows"].iloc[0])
st.caption(f"{t('rk.page', lang)} {page} / {max(1, math.ceil(matching / PAGE_SIZE))}")


def open_dossier(contract_id: str) -> None:
    """Switch to the contract's dossier, keeping the language and the as-of."""
    st.switch_page(page_path("dossier.py"), query_params=ctx.link(contract=contract_id))


st.caption(t("rk.click_row", lang))
# Why first: the rules met come right after the contract and lessee.
FIRST = ["contract_id", "lessee_name", "rules", "rules_met", "risk_class", "dpd"]
frame = frame[[*FIRST, *(c for c in frame.columns if c not in FIRST)]]
event = st.dataframe(
    shown(frame, lang),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="rk_table",
)
picked_rows = event.selection.rows if event is not None else []
if picked_rows:
    open_dossier(str(frame["contract_id"].iloc[picked_rows[0]]))
pick, go = st.columns([3, 1], vertical_alignment="bottom")
chosen = pick.selectbox(t("rk.pick", lang), list(frame["contract_id"]), key="rk_pick")
if go.button(t("rk.open", lang), type="primary", key="rk_open") and chosen:
    open_dossier(str(chosen))
download_table(headers_only(frame, lang), "at_risk", lang)
if st.toggle(t("rk.export_all", lang, n=MAX_PAGE), key="rk_export_all"):
    full, _ = split_counts(ctx.query("at_risk.at_risk", **options, limit=MAX_PAGE, offset=0))
    download_table(headers_only(full, lang), "at_risk_all", lang)
