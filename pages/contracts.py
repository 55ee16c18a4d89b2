"""合同列表: the contracts behind a figure, from deep-link params, one page at a time.

Params (besides the filters): `segment=<dimension>:<value>`, `bucket=M1`, `threshold=30`,
`class=substandard`; or `roll=M1:M2` (roll-rate cell); or `migration=<period>:<begin>:<end>`
(G12 cell); `page=2`. Values outside their allow-lists are dropped.
"""

from __future__ import annotations

import math

import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.page.contract_params import (
    PAGE_SIZE,
    criteria,
    named_group,
    parse_drill,
    whole_list,
)
from dashboard.page.setup import start
from dashboard.page.widgets import download_table
from dashboard.views.present import as_text, present, table_roles

ctx = start("contracts.py", "page.contracts")
lang = ctx.lang
drill = parse_drill({k: st.query_params.get_all(k) for k in st.query_params}, lang)
page = drill.page
frame = ctx.query(drill.query, **drill.options, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
drill = named_group(drill, frame, lang)
st.markdown(f"**{t('ct.criteria', lang)}**: {criteria(drill, ctx.filters, lang)}")

total = int(frame["total_rows"].iloc[0]) if len(frame) else 0
pages = max(1, math.ceil(total / PAGE_SIZE))
st.markdown(t("ct.count", lang, n=f"{total:,}"))
if frame.empty:
    st.info(t("ct.none", lang))
    st.stop()
money = [c for c in frame.columns if "balance" in c or "principal" in c or "interest" in c]
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
    lambda: whole_list(lambda n, at: ctx.query(drill.query, **drill.options, limit=n, offset=at)),
    "contracts",
    lang,
    present=lambda rows: present(rows, lang, roles),
)
