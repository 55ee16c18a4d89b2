"""Shared widgets: the language switch and the friendly warehouse messages."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import LANG_NAMES, LANGS, normalise_lang, t
from dashboard.loaders import WarehouseState

LANG_KEY = "lang"


def language_picker() -> str:
    """The sidebar zh/en switch, kept in the URL query parameter `lang`; returns the choice."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = normalise_lang(st.query_params.get(LANG_KEY))
    lang = st.sidebar.radio(
        t("sidebar.language", st.session_state[LANG_KEY]),
        LANGS,
        format_func=LANG_NAMES.__getitem__,
        horizontal=True,
        key=LANG_KEY,
    )
    st.query_params[LANG_KEY] = lang
    return lang


def current_lang() -> str:
    """The language chosen in the sidebar (Chinese until chosen)."""
    return normalise_lang(st.session_state.get(LANG_KEY, st.query_params.get(LANG_KEY)))


def warehouse_problem(state: WarehouseState, lang: str) -> None:
    """Explain in plain words why there is nothing to show (never a traceback)."""
    if state.status == "missing":
        st.info(t("warehouse.missing", lang, where=state.detail))
    elif state.status == "empty":
        st.info(t("warehouse.empty", lang))
    else:
        st.warning(t("warehouse.unreachable", lang, error=state.detail))
