"""Shared widgets: language switch, warehouse messages, banner, charts with table downloads."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.data import source
from dashboard.data.source import WarehouseState
from dashboard.downloads.audited import audited_buttons
from dashboard.downloads.export import Present
from dashboard.i18n.catalogue import LANG_NAMES, LANGS, normalise_lang, t
from dashboard.page.format import md_text, shown_time_zoned
from dashboard.page.sidebar import filters_words, month_words
from dashboard.views.present import as_text
from queries.filters import Filters

# No Plotly logo link, no cloud editing: nothing on the page reaches the internet.
PLOTLY_CONFIG = {"displaylogo": False, "showLink": False, "showSendToCloud": False}

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
    elif state.status == "stale":
        st.warning(t("warehouse.stale", lang, missing=state.detail))
    else:
        st.warning(t("warehouse.unreachable", lang, error=state.detail))


def download_table(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    lang: str,
    *,
    filters: Mapping[str, object] | None = None,
    present: Present | None = None,
) -> None:
    """Buttons offering `frame` (or what it returns on the click: a whole list, not the page
    shown) as `<name>.xlsx` and `.csv`: masked for the user, `present`ed as on the screen
    (headers, words, 万元) under a header block, audited on click; with `present`, the raw data
    too.

    `filters` (default: the page's query parameters) is what the audit row says was filtered.
    """
    audited_buttons(frame, name, lang, filters=filters, present=present)


def chart_with_table(
    figure: go.Figure, raw: pd.DataFrame, name: str, lang: str, *, present: Present
) -> None:
    """A chart, its table as the user reads it (`present(raw)`) in an expander, that same table
    as the download and `raw` as the raw-data download.

    With no rows (a month or a filter that leaves nothing) it says so instead of an empty frame.
    """
    if raw.empty:
        st.info(t("ui.no_data", lang))
        return
    st.plotly_chart(figure, width="stretch", key=f"chart_{name}", config=PLOTLY_CONFIG)
    with st.expander(t("ui.table", lang)):
        st.dataframe(as_text(present(raw)), hide_index=True, width="stretch")
    download_table(raw, name, lang, present=present)


def banner_text(
    state: WarehouseState,
    lang: str,
    *,
    month: date | None = None,
    filters: Filters | None = None,
) -> str:
    """The banner's words: the month shown (`month`, else the latest), the latest month when
    another is shown, the load time (display zone, named) and the load id; then, on a page with
    `filters`, the filters in force (`sidebar.filters_words`), all in `lang`."""
    load = state.load
    if load is None:
        return ""
    month = load.as_of if month is None else month
    values = {"loaded": shown_time_zoned(load.loaded_at), "load_id": load.load_id}
    if month == load.as_of:
        text = t("ctx.banner_latest", lang, month=month_words(month), **values)
    else:
        text = t(
            "ctx.banner", lang, month=month_words(month), latest=month_words(load.as_of), **values
        )
    if filters is None:
        return text
    return f"{text}  \n{md_text(t('ctx.filters', lang, filters=filters_words(filters, lang)))}"


def banner(
    state: WarehouseState,
    lang: str,
    *,
    month: date | None = None,
    filters: Filters | None = None,
) -> None:
    """Above the figures: the month shown and, with `filters`, every filter in force; with the
    load's time and id (`banner_text`)."""
    text = banner_text(state, lang, month=month, filters=filters)
    if text:
        st.info(text, icon=":material/event:")


def ready_state(lang: str) -> WarehouseState:
    """The warehouse state, or stop the page with a plain explanation when there is no data."""
    state = source.warehouse_state()
    if state.status != "ok" or state.load is None:
        warehouse_problem(state, lang)
        st.stop()
    return state
