"""What every analytics page does first: sign-in gate, language, data state, banner, filters."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from dashboard.access.gate import guard
from dashboard.access.user import User
from dashboard.data import cached
from dashboard.data.source import WarehouseState
from dashboard.i18n.catalogue import t
from dashboard.page.sidebar import link_params, sidebar_filters
from dashboard.page.widgets import banner, current_lang, ready_state
from queries.filters import Filters


@dataclass(frozen=True)
class PageContext:
    """The signed-in user, language, warehouse state and filters (scoped) a page renders with."""

    lang: str
    state: WarehouseState
    filters: Filters
    user: User

    def query(self, name: str, filters: Filters | None = None, **options: object):
        """The registered query `name` on this page's load, cached (see `queries.registry`)."""
        return cached.query(self.state, name, filters or self.filters, **options)

    def link(self, **extra: str) -> dict:
        """Query params for a link to another page that keeps the filters and language."""
        return link_params(self.filters, self.state.load.as_of, self.lang, **extra)  # type: ignore[union-attr]


def start(script: str, title_key: str) -> PageContext:
    """Guard, title, banner and sidebar filters; stops the page when refused or without data.

    `ctx.filters.scope` is the user's branch scope, so every query the page runs is limited to
    it (None = every branch, () = nothing).
    """
    user = guard(script)
    lang = current_lang()
    st.title(t(title_key, lang))
    state = ready_state(lang)
    banner(state, lang)
    offer = cached.choices(state)
    filters = sidebar_filters(offer, state.load.as_of, lang, scope=user.branches)  # type: ignore[union-attr]
    return PageContext(lang, state, filters, user)
