"""Postloan dashboard entry script: only the router over `st.navigation`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from dashboard.i18n import t
from dashboard.page_registry import PAGES
from dashboard.widgets import language_picker

FAVICON = Path(__file__).resolve().parent / "assets" / "favicon.png"

# A local favicon: a material icon would be fetched from fonts.gstatic.com (no internet here).
st.set_page_config(page_title="Postloan", page_icon=str(FAVICON), layout="wide")
lang = language_picker()
pages = [st.Page(p.path, title=t(p.title_key, lang), icon=p.icon, default=p.default) for p in PAGES]
st.navigation(pages).run()
