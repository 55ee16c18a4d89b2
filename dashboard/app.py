"""Postloan dashboard entry script: only the router over `st.navigation`."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import t
from dashboard.page_registry import PAGES
from dashboard.widgets import language_picker

st.set_page_config(page_title="Postloan", page_icon=":material/account_balance:", layout="wide")
lang = language_picker()
pages = [st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, default=p.default) for p in PAGES]
st.navigation(pages).run()
