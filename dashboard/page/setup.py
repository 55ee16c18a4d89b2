"""What every analytics page does first: sign-in gate, language, data state, banner, filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from dashboard.access.gate import guard
from dashboard.access.user import User
from dashboard.data import cached
from dashboard.data.cached import Choices
from dashboard.data.source import WarehouseState
from dashboard.i18n.catalogue import t
from dashboard.page.sidebar import link_params, month_text, sidebar_filters
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
        return cached.query_as(self.user, self.state, name, filters or self.filters, **options)

    def link(self, **extra: str) -> dict:
        """Query params for a link to another page that keeps the filters and language."""
        return link_params(self.filters, self.state.load.as_of, self.lang, **extra)  # type: ignore[union-attr]


def linked_as_of(offer: Choices, default: date) -> date:
    """The month-end of the `as_of=YYYY-MM` parameter when on offer, else `default`."""
    months = {month_text(m): m for m in offer.month_ends}
    return months.get(st.query_params.get("as_of", ""), default)


def start(script: str, title_key: str, *, sidebar: bool = True) -> PageContext:
    """Guard, title, sidebar filters and the banner naming the month and every filter in force
    above the figures; stops the page when refused or without data.

    `ctx.filters.scope` is the user's branch scope, so every query the page runs is limited to
    it (None = every branch, () = nothing). Without the `sidebar` (a page opened by deep link,
    合同档案) the filters are the `as_of` parameter's month alone (`linked_as_of`).
    """
    user = guard(script)
    lang = current_lang()
    st.title(t(title_key, lang))
    state = ready_state(lang)
    offer = cached.choices(state)
    as_of = state.load.as_of  # type: ignore[union-attr]
    if sidebar:
        filters = sidebar_filters(offer, as_of, lang, scope=user.branches)
    else:
        filters = Filters(as_of=linked_as_of(offer, as_of), scope=user.branches)
    # Drawn once the filters are known: the month and filters the figures below are for.
    banner(state, lang, month=filters.as_of, filters=filters if sidebar else None)
    return PageContext(lang, state, filters, user)
