"""What every analytics page does first: language, data state, banner and the filter sidebar."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard import data
from dashboard.filters_sidebar import link_params, sidebar_filters
from dashboard.i18n import t
from dashboard.loaders import WarehouseState
from dashboard.widgets import banner, current_lang, ready_state
from queries.filters import Filters


@dataclass(frozen=True)
class PageContext:
    """The language, warehouse state and filters a page renders with."""

    lang: str
    state: WarehouseState
    filters: Filters

    def query(self, name: str, filters: Filters | None = None, **options: object):
        """A cached query on this page's load (see `dashboard.data.QUERIES`)."""
        return data.query(self.state, name, filters or self.filters, **options)

    def link(self, **extra: str) -> dict:
        """Query params for a link to another page that keeps the filters and language."""
        return link_params(self.filters, self.state.load.as_of, self.lang, **extra)  # type: ignore[union-attr]


def start(title_key: str) -> PageContext:
    """Title, banner and sidebar filters; stops the page when there is no data to show."""
    lang = current_lang()
    st.title(t(title_key, lang))
    state = ready_state(lang)
    banner(state, lang)
    offer = data.choices(state)
    filters = sidebar_filters(offer, state.load.as_of, lang)  # type: ignore[union-attr]
    return PageContext(lang, state, filters)
