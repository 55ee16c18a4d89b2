"""Postloan dashboard entry script: only the router over `st.navigation`.

Every registered page is routable (a hidden page still opens by URL, where its own guard decides);
the sidebar lists only the pages the signed-in user's roles allow, and nothing before sign-in.
Served through `dashboard/server.py` (st.App), which adds the session-cookie routes and the
security middleware; `streamlit run dashboard/server.py` runs it.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
import streamlit as st

from dashboard.access.gate import session_user
from dashboard.data import portal_store
from dashboard.i18n.catalogue import t
from dashboard.page.registry import PAGES
from dashboard.page.search import search_box
from dashboard.page.widgets import language_picker

FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

# A local favicon: a material icon would be fetched from fonts.gstatic.com (no internet here).
st.set_page_config(page_title="Postloan", page_icon=str(FAVICON), layout="wide")
portal_store.first_start()
lang = language_picker()
pages = {
    p.script: st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, default=p.default)
    for p in PAGES
}
navigation = st.navigation(list(pages.values()), position="hidden")
try:  # the cookie of this run's connection, checked once per run (the page's guard reuses it)
    user = session_user()
except sa.exc.SQLAlchemyError:
    user = None  # the page's guard says the account store is down
if user is not None:
    st.sidebar.caption(t("auth.nav", lang))
    for spec in PAGES:
        if user.has_any(spec.roles):
            st.sidebar.page_link(pages[spec.script])
    search_box(user, lang)  # 查找合同: for those who may open the dossier
navigation.run()
