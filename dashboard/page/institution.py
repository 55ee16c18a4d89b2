"""The opening of a page over institution-wide figures (监管报送, 数据质量)."""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.access.user import User
from dashboard.data.source import WarehouseState
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import banner, current_lang, ready_state


def open_institution_page(
    script: str, title_key: str, refused_key: str
) -> tuple[User, str, WarehouseState]:
    """Guard and title the page, refuse a branch scope, show the warehouse banner."""
    user = guard(script)
    lang = current_lang()
    st.title(t(title_key, lang))
    if user.branches is not None:  # institution-wide figures: fail closed for a branch scope
        st.warning(t(refused_key, lang))
        st.stop()
    state = ready_state(lang)
    banner(state, lang)
    return user, lang, state
