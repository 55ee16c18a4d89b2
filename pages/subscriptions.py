"""消息与订阅: where the user's alerts and report packs go (their address), their subscriptions
(create, pause, resume, send a test) and latest deliveries; admin also sees the delivery log, the
failed deliveries counted first. Rules and packs: docs/alerts.md."""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.data import deliveries
from dashboard.data.source import StoreUnavailable, reading
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import current_lang
from dashboard.views import subscriptions as view

user = guard("subscriptions.py")
lang = current_lang()
st.title(t("page.subscriptions", lang))
st.caption(t("sub.intro", lang))
view.messages()
try:
    with reading():  # addresses, subscriptions and the outbox live in the portal store
        view.address_form(user, lang)
        if user.has_any(("executive", "risk_committee", "compliance")):
            view.new_form(user, lang)
            view.my_list(user, lang)
        st.subheader(t("sub.deliveries", lang))
        view.deliveries_table(deliveries.my_deliveries(user), lang, with_recipient=False)
        if user.has_any(("admin",)):
            view.admin_log(lang)
except StoreUnavailable as exc:
    st.warning(t("al.unavailable", lang, error=exc.detail))
    st.stop()
