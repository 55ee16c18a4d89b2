"""The 合同档案 page's frame: the way back to the list, and the tabs over the sections."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.dossier import decision_forms, view
from dashboard.i18n.catalogue import t
from dashboard.page.registry import page_path, page_spec
from dashboard.page.setup import PageContext
from dashboard.views.tasks import contract_tasks

TABS = ("overview", "payments", "history", "collections", "assets", "signals", "exposure")
# The tabs' state key: with state tracked, the open tab survives the rerun after a decision is
# recorded (plain st.tabs would jump back to the first tab).
TAB_KEY = "rk_tab"


def back_link(ctx: PageContext) -> None:
    """A link back to 风险合同 (language and a past as-of kept), for those who may open it."""
    as_of = ctx.filters.as_of
    latest = ctx.state.load.as_of  # type: ignore[union-attr]
    back = {"lang": ctx.lang, **({"as_of": f"{as_of:%Y-%m}"} if as_of != latest else {})}
    if ctx.user.has_any(page_spec("at_risk.py").roles):
        label = t("rk.back", ctx.lang)
        st.page_link(page_path("at_risk.py"), label=label, icon="↩", query_params=back)


def tabs(
    ctx: PageContext,
    contract_id: str,
    head: pd.DataFrame,
    sections: dict[str, pd.DataFrame],
    history: pd.DataFrame,
) -> None:
    """One tab per part of the story, then the committee's decisions (forms for members, on the
    latest month only) and the contract's tasks with their history."""
    lang, user, as_of = ctx.lang, ctx.user, ctx.filters.as_of
    row = head.iloc[0]
    labels = [t(f"rk.tab.{k}", lang) for k in (*TABS, "financials", "decisions", "tasks")]
    if st.session_state.get(TAB_KEY) not in (None, *labels):  # the language was switched
        del st.session_state[TAB_KEY]
    shown = st.tabs(labels, key=TAB_KEY, on_change="rerun")
    with shown[0]:
        view.overview(head, sections["dossier.guarantors"], lang)
    with shown[1]:
        view.payments(sections, lang)
    with shown[2]:
        view.history(sections, lang)
    with shown[3]:
        view.table(sections["dossier_monitoring.collections"], "collections", lang)
    with shown[4]:
        view.assets(sections, lang)
    with shown[5]:
        view.signals(sections, lang)
    with shown[6]:
        view.exposure(sections, lang)
    with shown[7]:
        view.table(sections["dossier_monitoring.financials"], "financials", lang)
    with shown[8]:
        if not user.has_any({"risk_committee"}):
            st.caption(t("rk.decide_only", lang))
        elif as_of != ctx.state.load.as_of or not isinstance(row["risk_class"], str):  # type: ignore[union-attr]
            st.caption(t("rk.form.latest_only", lang))
        else:
            decision_forms.record_form(user, contract_id, row["risk_class"], as_of, lang)
            decision_forms.review(user, history, lang)
        view.table(history, "decisions", lang)
    with shown[9]:
        contract_tasks(user, contract_id, lang)
