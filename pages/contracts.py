"""合同列表: the contracts behind a figure, from deep-link params, one page at a time.

Params (besides the filters): `segment=<dimension>:<value>`, `bucket=M1`, `threshold=30`,
`class=substandard`; or `roll=M1:M2` (roll-rate cell); or `migration=<period>:<begin>:<end>`
(G12 cell); `page=2`. Values outside their allow-lists are dropped.
"""

from __future__ import annotations

import math

import streamlit as st

from dashboard.i18n.catalogue import localise, t
from dashboard.page.contract_params import PAGE_SIZE, parse_drill
from dashboard.page.format import display
from dashboard.page.setup import start
from dashboard.page.widgets import download_table

ctx = start("contracts.py", "page.contracts")
lang = ctx.lang
drill = parse_drill({k: st.query_params.get_all(k) for k in st.query_params}, lang)
st.markdown(f"**{t('ct.criteria', lang)}**: {drill.description}")

page = drill.page
frame = ctx.query(drill.query, **drill.options, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
total = int(frame["total_rows"].iloc[0]) if len(frame) else 0
pages = max(1, math.ceil(total / PAGE_SIZE))
st.markdown(t("ct.count", lang, n=f"{total:,}"))
if frame.empty:
    st.info(t("ct.none", lang))
    st.stop()
money = [c for c in frame.columns if "balance" in c or "principal" in c or "interest" in c]
money += [c for c in ("provision",) if c in frame.columns]
shown = localise(display(frame.drop(columns=["total_rows"]), money=money), lang)
st.dataframe(shown, hide_index=True, width="stretch")
chosen = st.number_input(
    f"{t('ct.page', lang)} (1–{pages})", min_value=1, max_value=pages, value=min(page, pages)
)
if chosen != page:
    st.query_params["page"] = str(chosen)
    st.rerun()
download_table(frame.drop(columns=["total_rows"]), "contracts", lang)
