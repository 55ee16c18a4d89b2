"""查找合同: the search box in the sidebar of every signed-in page (drawn by `dashboard/app.py`).

A contract number, a lessee's name or ID number (as far as the role may see them: see
`queries.search`) finds the contract; each match links to its dossier
(`pages/dossier.py?contract=ID`). The user's branch scope applies and names are masked for roles
without personal data (`dashboard.data.cached.query`). Shown only to users who may open the
dossier. Labels are escaped, so typed or stored markup shows as text.
"""

from __future__ import annotations

import sqlalchemy as sa
import streamlit as st

from dashboard.access.user import User, sees_personal_data
from dashboard.data import cached, source
from dashboard.dossier.links import DOSSIER, may_open_dossier
from dashboard.i18n.catalogue import t
from dashboard.page.format import md_text
from dashboard.page.registry import page_path
from queries.filters import Filters
from queries.search import MAX_RESULTS, MAX_TEXT, MIN_TEXT, clean_text

SEARCH_KEY = "postloan.search"


def search_box(user: User, lang: str) -> None:
    """The sidebar search box and its matches, each a link to the contract's dossier."""
    if not may_open_dossier(user):
        return
    personal = sees_personal_data(user)
    text = st.sidebar.text_input(
        t("rk.search", lang),
        key=SEARCH_KEY,
        max_chars=MAX_TEXT,
        help=t("rk.search.help" if personal else "rk.search.help_masked", lang),
    )
    cleaned = clean_text(text)
    if not cleaned:
        return
    if len(cleaned) < MIN_TEXT:
        st.sidebar.caption(t("rk.search.short", lang, n=MIN_TEXT))
        return
    try:
        state = source.warehouse_state()
        if state.status != "ok" or state.load is None:
            return  # the page itself explains that there is no data
        filters = Filters(as_of=state.load.as_of, scope=user.branches)
        found = cached.query(state, "search.search", filters, text=cleaned, personal=personal)
    except (source.StoreUnavailable, sa.exc.SQLAlchemyError):
        return
    if found.empty:
        st.sidebar.caption(t("rk.search.none", lang))
    for row in found.head(MAX_RESULTS).itertuples(index=False):
        st.sidebar.page_link(
            page_path(DOSSIER),
            label=md_text(f"{row.contract_id} · {row.lessee_name}"),
            query_params={"contract": row.contract_id, "lang": lang},
        )
    if len(found) > MAX_RESULTS:
        st.sidebar.caption(t("rk.search.more", lang, n=MAX_RESULTS))
