"""The shared filter sidebar; its state lives in the URL query parameters (bookmarkable).

Parameters: `as_of=YYYY-MM`, one repeated key per segment (`product=loan&product=…`),
`cohort_from` / `cohort_to` = `YYYY-MM`. Values not on offer (forged or stale links) are dropped.
A URL without any filter parameter (a sidebar navigation link) keeps the session's filters.
The user's branch scope never comes from the URL: the page passes it in, the branch filter offers
only branches inside it, and the returned Filters carry it (`Filters.scope`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

import streamlit as st

from dashboard.data.cached import Choices
from dashboard.i18n.catalogue import label, t
from queries.filters import SEGMENTS, Filters
from warehouse.months import month_end_of

MONTH_KEYS: tuple[str, ...] = ("as_of", "cohort_from", "cohort_to")
FILTER_KEYS: tuple[str, ...] = (*MONTH_KEYS, *SEGMENTS)
_WRITTEN = "_filters_written"
_TRUTH = "_filters"


def month_text(value: date) -> str:
    """A month-end as `YYYY-MM` (the URL form)."""
    return f"{value:%Y-%m}"


def parse(params: Mapping[str, list[str]], offer: Choices, default_as_of: date) -> Filters:
    """Filters from raw URL values, keeping only values on offer (pure; no Streamlit)."""
    months = {month_text(m): m for m in offer.month_ends}

    def month(key: str) -> date | None:
        values = [v for v in params.get(key, []) if v in months]
        return months[values[0]] if values else None

    segs = {
        name: tuple(v for v in params.get(name, []) if v in offer.segments.get(name, ()))
        for name in SEGMENTS
    }
    cohort_from, cohort_to = month("cohort_from"), month("cohort_to")
    if cohort_from and cohort_to and cohort_from > cohort_to:
        cohort_from, cohort_to = cohort_to, cohort_from
    return Filters(
        as_of=month("as_of") or default_as_of,
        cohort_from=cohort_from,
        cohort_to=cohort_to,
        **segs,
    )


def to_params(filters: Filters, default_as_of: date) -> dict[str, list[str]]:
    """The URL parameters of `filters` (defaults left out, so plain links stay short)."""
    params: dict[str, list[str]] = {}
    if filters.as_of != default_as_of:
        params["as_of"] = [month_text(filters.as_of)]
    for name in ("cohort_from", "cohort_to"):
        value = getattr(filters, name)
        if value is not None:
            params[name] = [month_text(value)]
    for name, values in filters.segments().items():
        params[name] = list(values)
    return params


def link_params(filters: Filters, default_as_of: date, lang: str, **extra: str) -> dict:
    """Query params for an in-page link: the filters, the language and `extra` drill keys."""
    params: dict[str, object] = {**to_params(filters, default_as_of), "lang": lang}
    params.update({k: v for k, v in extra.items() if v is not None})
    return params


def month_words(value: date) -> str:
    """A month-end as the context line names it: `2024-05-31`."""
    return value.isoformat()


def value_words(dimension: str, values: Sequence[str], lang: str) -> str:
    """The chosen values of a segment filter in words (GB/T names for industry and region)."""
    return t("ctx.join", lang).join(label(v, lang, dimension) for v in values)


def filter_pairs(filters: Filters, lang: str) -> list[tuple[str, str]]:
    """The filters in force besides the month, as (filter name, values in words) in the
    sidebar's order: segments, then the cohort range. Empty when nothing is filtered."""
    pairs = [
        (t(f"filter.{name}", lang), value_words(name, values, lang))
        for name, values in filters.segments().items()
    ]
    start, end = filters.cohort_from, filters.cohort_to
    if start is not None or end is not None:
        if start is not None and end is not None:
            span = t("ctx.between", lang, start=month_text(start), end=month_text(end))
        elif start is not None:
            span = t("ctx.from", lang, month=month_text(start))
        else:
            span = t("ctx.to", lang, month=month_text(end))  # type: ignore[arg-type]
        pairs.append((t("ctx.cohorts", lang), span))
    return pairs


def filters_words(filters: Filters, lang: str) -> str:
    """The filters in force in one line (`产品：直租、贷款；地区：邯郸市`), or "all" in words."""
    pairs = filter_pairs(filters, lang)
    if not pairs:
        return t("ctx.none", lang)
    return t("ctx.sep", lang).join(t("ctx.pair", lang, name=n, values=v) for n, v in pairs)


def month_of(text: str) -> date | None:
    """The month-end of a `YYYY-MM` text (None when it is not one)."""
    year, _, mon = text.partition("-")
    if not (year.isascii() and year.isdigit() and mon.isascii() and mon.isdigit()):
        return None
    ok = 1 <= int(year) <= 9998 and 1 <= int(mon) <= 12
    return month_end_of(int(year) * 12 + int(mon) - 1) if ok else None


def params_filters(params: Mapping[str, Sequence[str]], as_of: date) -> Filters:
    """The Filters a page's URL parameters name (no allow-list: for describing a download whose
    page already applied them, not for querying)."""

    def month(key: str) -> date | None:
        return month_of(next(iter(params.get(key) or []), ""))

    return Filters(
        as_of=as_of,
        cohort_from=month("cohort_from"),
        cohort_to=month("cohort_to"),
        **{name: tuple(str(v) for v in params.get(name) or ()) for name in SEGMENTS},
    )


def _url_filters() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in FILTER_KEYS if st.query_params.get_all(k)}


def _seed(filters: Filters) -> None:
    """Put `filters` into the widgets' session state (before the widgets are drawn)."""
    st.session_state["flt_as_of"] = filters.as_of
    st.session_state["flt_cohort_from"] = filters.cohort_from
    st.session_state["flt_cohort_to"] = filters.cohort_to
    for name in SEGMENTS:
        st.session_state[f"flt_{name}"] = list(getattr(filters, name))


def _from_widgets(offer: Choices, default_as_of: date) -> Filters:
    """The filters the widgets hold now."""
    chosen = {n: list(st.session_state.get(f"flt_{n}") or []) for n in SEGMENTS}
    for name in MONTH_KEYS:
        value = st.session_state.get(f"flt_{name}")
        chosen[name] = [] if value is None else [month_text(value)]
    return parse(chosen, offer, default_as_of)


def _changed(offer: Choices, default_as_of: date) -> None:
    st.session_state[_TRUTH] = _from_widgets(offer, default_as_of)


def _clear(default_as_of: date) -> None:
    st.session_state[_TRUTH] = Filters(as_of=default_as_of)


def scoped_offer(offer: Choices, scope: tuple[str, ...] | None) -> Choices:
    """The choices with the branch list cut to the user's scope (None = every branch)."""
    if scope is None:
        return offer
    allowed = set(scope)
    branches = tuple(b for b in offer.segments.get("branch", ()) if b in allowed)
    return replace(offer, segments={**offer.segments, "branch": branches})


def sidebar_filters(
    offer: Choices, default_as_of: date, lang: str, *, scope: tuple[str, ...] | None = None
) -> Filters:
    """Draw the sidebar filters, sync them with the URL; the Filters in force, with `scope`."""
    offer = scoped_offer(offer, scope)
    url = _url_filters()
    if (url and url != st.session_state.get(_WRITTEN)) or _TRUTH not in st.session_state:
        st.session_state[_TRUTH] = parse(url, offer, default_as_of)  # a link or bookmark wins
    truth: Filters = st.session_state[_TRUTH]
    # Re-seeded every run: Streamlit drops widget state on a page switch, the session's
    # filters (and the URL) carry over.
    _seed(truth)
    args = (offer, default_as_of)
    side = st.sidebar
    side.subheader(t("filter.header", lang))
    months = list(reversed(offer.month_ends))
    side.selectbox(
        t("filter.as_of", lang),
        months,
        format_func=month_text,
        key="flt_as_of",
        on_change=_changed,
        args=args,
    )
    for name in SEGMENTS:
        side.multiselect(
            t(f"filter.{name}", lang),
            list(offer.segments.get(name, ())),
            format_func=lambda v, name=name: label(v, lang, name),
            placeholder=t("filter.all", lang),
            key=f"flt_{name}",
            on_change=_changed,
            args=args,
        )
    cohorts: list[date | None] = [None, *offer.month_ends]
    for name in ("cohort_from", "cohort_to"):
        side.selectbox(
            t(f"filter.{name}", lang),
            cohorts,
            format_func=lambda m: t("filter.all", lang) if m is None else month_text(m),
            # A None value shows the placeholder, not the option's label.
            placeholder=t("filter.all", lang),
            key=f"flt_{name}",
            on_change=_changed,
            args=args,
        )
    side.button(t("filter.reset", lang), on_click=_clear, args=(default_as_of,))
    filters = truth
    params = to_params(filters, default_as_of)
    for key in FILTER_KEYS:
        if key in params:
            st.query_params[key] = params[key]
        elif key in st.query_params:
            del st.query_params[key]
    st.session_state[_WRITTEN] = params
    return replace(filters, scope=scope)
