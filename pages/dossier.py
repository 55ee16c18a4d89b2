"""合同档案: one contract's whole story, opened by deep link `?contract=ID` (`as_of=YYYY-MM`).

A forged id or one outside the user's branch scope shows only "not found or not permitted".
Every view is audited (`dossier_view`); the committee pack (.xlsx and .pdf) as `export`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.data import cached, risk
from dashboard.dossier import decision_forms, pack_buttons, view
from dashboard.i18n.catalogue import t
from dashboard.page.format import md_text
from dashboard.page.registry import page_path, page_spec
from dashboard.page.widgets import banner, current_lang, ready_state
from queries.filters import Filters
from queries.registry import DOSSIER_SECTIONS

user = guard("dossier.py")
lang = current_lang()
st.title(t("page.dossier", lang))
state = ready_state(lang)
banner(state, lang)
months = {f"{m:%Y-%m}": m for m in cached.choices(state).month_ends}
as_of = months.get(st.query_params.get("as_of", ""), risk.as_of_of(state))
back = {"lang": lang, **({"as_of": f"{as_of:%Y-%m}"} if as_of != state.load.as_of else {})}  # type: ignore[union-attr]
if user.has_any(page_spec("at_risk.py").roles):
    st.page_link(page_path("at_risk.py"), label=t("rk.back", lang), icon="↩", query_params=back)
contract_id = (st.query_params.get("contract") or "").strip()[:64]
if not contract_id:
    st.info(t("rk.no_contract", lang))
    st.stop()

filters = Filters(as_of=as_of, scope=user.branches)
sections = {
    name: cached.query(state, name, filters, contract_id=contract_id) for name in DOSSIER_SECTIONS
}
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
why = cached.query(state, "at_risk.rules_for", filters, contract_id=contract_id, watchlist=watch)
rules = "" if why.empty else str(why["rules"].iloc[0])
view.summary(row, rules, lang)

pack_buttons.pack_buttons(
    user,
    contract_id,
    as_of,
    rules,
    head,
    {
        **{t(f"rk.pack.{k}", lang): v for k, v in sections.items()},
        t("rk.tab.decisions", lang): history,
    },
    lang,
)

TABS = ("overview", "payments", "history", "collections", "assets", "signals", "exposure")
tabs = st.tabs([t(f"rk.tab.{k}", lang) for k in (*TABS, "financials", "decisions")])
with tabs[0]:
    view.overview(head, sections["dossier.guarantors"], lang)
with tabs[1]:
    view.payments(sections, lang)
with tabs[2]:
    view.history(sections, lang)
with tabs[3]:
    view.table(sections["dossier_monitoring.collections"], "collections", lang)
with tabs[4]:
    view.assets(sections, lang)
with tabs[5]:
    view.table(sections["dossier_monitoring.signals"], "signals", lang)
with tabs[6]:
    view.exposure(sections, lang)
with tabs[7]:
    view.table(sections["dossier_monitoring.financials"], "financials", lang)
with tabs[8]:
    if not user.has_any({"risk_committee"}):
        st.caption(t("rk.decide_only", lang))
    elif as_of != risk.as_of_of(state) or not isinstance(row["risk_class"], str):
        st.caption(t("rk.form.latest_only", lang))
    else:
        decision_forms.record_form(user, contract_id, row["risk_class"], as_of, lang)
        decision_forms.review(user, history, lang)
    view.table(history, "decisions", lang)
