"""合同档案: one contract's whole story, opened by deep link `?contract=ID` (`as_of=YYYY-MM`).

A forged id or one outside the user's branch scope shows only "not found or not permitted".
Every view is audited (`dossier_view`); the committee pack (.xlsx and .pdf) as `export`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.data import risk
from dashboard.dossier import decision_forms, layout, view
from dashboard.dossier.pack_buttons import pack_buttons, pack_sections
from dashboard.i18n.catalogue import t
from dashboard.page.format import md_text
from dashboard.page.setup import start
from queries.registry import DOSSIER_SECTIONS

# No filter sidebar: the deep link's `as_of` and the user's branch scope are the filters.
ctx = start("dossier.py", "page.dossier", sidebar=False)
user, lang = ctx.user, ctx.lang
layout.back_link(ctx)
contract_id = (st.query_params.get("contract") or "").strip()[:64]
if not contract_id:
    st.info(t("rk.no_contract", lang))
    st.stop()

sections = {name: ctx.query(name, contract_id=contract_id) for name in DOSSIER_SECTIONS}
head = sections.pop("dossier.header")
risk.audit_view(user, contract_id, found=not head.empty)
if head.empty:
    st.error(t("rk.not_found", lang))
    st.stop()

row = head.iloc[0]
st.subheader(md_text(f"{row['contract_id']} · {row['lessee_name']}"))
decision_forms.flash()
history = risk.contract_decisions(contract_id)
watch = risk.watchlist()
why = ctx.query("at_risk.rules_for", contract_id=contract_id, watchlist=watch)
rules = "" if why.empty else str(why["rules"].iloc[0])
view.summary(row, rules, lang)
sheets = pack_sections(sections, history, lang)
pack_buttons(user, contract_id, ctx.filters.as_of, rules, head, sheets, lang)
layout.tabs(ctx, contract_id, head, sections, history)
