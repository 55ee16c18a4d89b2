"""整改台账: the rectification ledger — blocking data-check failures, filing validation findings and
filing corrections, each with owner, deadline, status and evidence; submitted by the owner and
signed off by a second person. Compliance and admin change items (in their department and branch
scope); executives and the risk committee read. Param `item=<id>` opens an item.
docs/rectification.md."""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.data import rectification as ledger
from dashboard.data.source import StoreUnavailable, reading
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import current_lang, download_table
from dashboard.views import rectification as view

user = guard("rectification.py")
lang = current_lang()
st.title(t("page.rectification", lang))
st.caption(t("rc.intro", lang))
view.flash()
statuses, sources, overdue = view.filters(lang)
try:
    with reading():  # the ledger lives in the portal store
        view.sync_button(user, lang)
        frame = ledger.items(user, statuses=statuses, sources=sources, overdue_only=overdue)
        department = ledger.my_department(user)
except StoreUnavailable as exc:
    st.warning(t("rc.unavailable", lang, error=exc.detail))
    st.stop()
if not ledger.may_edit(user):
    st.info(t("rc.read_only", lang))
elif department is None:
    st.info(t("rc.no_department", lang))
if frame.empty:
    st.info(t("rc.none", lang))
    st.stop()
st.caption(t("rc.count", lang, n=len(frame)))
st.dataframe(view.present(frame, lang), hide_index=True, width="stretch")
download_table(
    frame,
    "rectification",
    lang,
    filters={"status": statuses, "source": sources, "overdue": overdue},
    present=lambda rows: view.present(rows, lang),
)
item_id = view.chosen_item(frame, lang)
item = None if item_id is None else ledger.item(user, item_id)
if item is not None:
    view.item_card(user, item, lang)
