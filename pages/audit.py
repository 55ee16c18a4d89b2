"""审计日志: the append-only audit trail, filtered, newest first, one bounded page at a time.

Roles admin and compliance. Params: `from`, `to`, `actor`, `action`, `q`, `page` (see
dashboard/access/audit_view.py). The export holds every matching row up to a cap and is itself
audited. A branch-scoped user sees only their own actions; admin sees the state of the hash
chain.
"""

from __future__ import annotations

import math

import streamlit as st

from dashboard.access import audit_view
from dashboard.access.gate import guard
from dashboard.data.source import StoreUnavailable, reading
from dashboard.downloads.audited import audited_buttons
from dashboard.i18n.catalogue import localise, t
from dashboard.page.widgets import current_lang
from queries.audit_trail import MAX_EXPORT

user = guard("audit.py")
lang = current_lang()
own = audit_view.own_scope(user)
st.title(t("page.audit", lang))
st.caption(t("audit.intro", lang))
if own is not None:
    st.info(t("audit.own_only", lang))
try:
    with reading():  # the audit trail lives in the portal store
        if user.has_any(("admin",)):
            audit_view.show_chain(lang)
        query = audit_view.filter_widgets(lang, own)
        frame, total = audit_view.events(query, own)
except StoreUnavailable as exc:
    st.warning(t("audit.unavailable", lang, error=exc.detail))
    st.stop()

pages = max(1, math.ceil(total / audit_view.PAGE_SIZE))
st.markdown(t("audit.count", lang, n=f"{total:,}"))
if frame.empty:
    st.info(t("audit.none", lang))
    st.stop()
st.dataframe(localise(audit_view.display(frame, lang), lang), hide_index=True, width="stretch")
chosen = st.number_input(
    f"{t('audit.page', lang)} (1–{pages})",
    min_value=1,
    max_value=pages,
    value=min(query.page, pages),
)
if chosen != query.page:
    st.query_params["page"] = str(chosen)
    st.rerun()
if total > MAX_EXPORT:
    st.caption(t("audit.export_cap", lang, n=f"{MAX_EXPORT:,}"))
audited_buttons(
    lambda: audit_view.exported(audit_view.export_rows(query, own)),
    "audit_trail",
    lang,
    action="export",
    filters=audit_view.to_params(query),
)
