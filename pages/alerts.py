"""预警: the signed-in user's open alerts (acknowledge, snooze, open the figure; many of one rule
as one card, acknowledged together or one by one) and the ones that resolved last. Roles
executive, risk_committee, compliance; alerts are on whole-book figures, so a branch-scoped user
is told why there are none. Rules and states: docs/alerts.md."""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.data import alerts
from dashboard.data.source import StoreUnavailable, reading
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import current_lang
from dashboard.views.alerts import last_evaluation, open_list, resolved_table

user = guard("alerts.py")
lang = current_lang()
st.title(t("page.alerts", lang))
st.caption(t("al.intro", lang))
said = st.session_state.pop("al_message", None)
if said is not None:
    (st.success if said[0] == "success" else st.error)(said[1])
if not alerts.sees_alerts(user):
    st.info(t("al.scoped", lang))
    st.stop()
try:
    with reading():  # the alerts live in the portal store
        mine, done = alerts.inbox(user), alerts.resolved(user)
        run = alerts.last_evaluation()
    names = alerts.subject_names([*mine.get("subject", []), *done.get("subject", [])])
except StoreUnavailable as exc:
    st.warning(t("al.unavailable", lang, error=exc.detail))
    st.stop()
last_evaluation(run, lang)
if mine.empty:
    st.success(t("al.none", lang))
else:
    open_list(user, mine, lang, names)
resolved_table(done, lang, names)
