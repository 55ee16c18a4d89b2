"""合同列表: the contracts behind a figure, from deep-link params, one page at a time.

Params (besides the filters): `segment=<dimension>:<value>`, `bucket=M1`, `threshold=30`,
`class=substandard`; or `roll=M1:M2` (roll-rate cell); or `migration=<period>:<begin>:<end>`
(G12 cell); or `vintage`, `exposure`, `device`, `finding`, `inspection`, `action`, `recovery`,
`cure`, `signal`, `lead` (a chart's bar or point, docs/dashboard-links.md); `page=2`. Values
outside their allow-lists are dropped.
"""

from __future__ import annotations

import math

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.page.contract_params import (
    FETCH_SIZE,
    PAGE_SIZE,
    all_rows,
    criteria,
    named_group,
    page_rows,
    parse_drill,
)
from dashboard.page.setup import start
from dashboard.page.widgets import download_table
from dashboard.views.present import as_text, present, table_roles

ctx = start("contracts.py", "page.contracts")
lang = ctx.lang
drill = parse_drill({k: st.query_params.get_all(k) for k in st.query_params}, lang)
page = drill.page
frame = page_rows(drill, ctx.query)
drill = named_group(drill, frame, lang)
st.markdown(f"**{t('ct.criteria', lang)}**: {criteria(drill, ctx.filters, lang)}")

total = int(frame["total_rows"].iloc[0]) if len(frame) else 0
listed = total if drill.paged else min(total, FETCH_SIZE)  # an unpaged list: its first rows
pages = max(1, math.ceil(listed / PAGE_SIZE))
st.markdown(t(drill.count, lang, n=f"{total:,}"))
if listed < total:
    st.caption(t("ct.capped", lang, n=f"{listed:,}"))
if frame.empty:
    st.info(t("ct.none", lang))
    st.stop()
money = [c for c in frame.columns if "balance" in c or "principal" in c or "interest" in c]
money += [c for c in frame.columns if c == "recovered"]  # a recoveries bar's list
roles = table_roles(money=[*money, "provision"])
shown = as_text(present(frame.drop(columns=["total_rows"]), lang, roles))
st.dataframe(shown, hide_index=True, width="stretch")
chosen = st.number_input(
    f"{t('ct.page', lang)} (1–{pages})", min_value=1, max_value=pages, value=min(page, pages)
)
if chosen != page:
    st.query_params["page"] = str(chosen)
    st.rerun()
download_table(
    lambda: all_rows(drill, ctx.query),
    "contracts",
    lang,
    present=lambda rows: present(rows, lang, roles),
)
