"""The audit page's filters (kept in the URL), loaders over the portal store and display table.

URL parameters: `from` / `to` = `YYYY-MM-DD` (Beijing dates, both included), `actor=<name>`,
repeated `action=<code>`, `q=<text>`, `page=<n>`. Anything malformed or not on offer is dropped,
so a forged link shows the unfiltered trail, never an error. A branch-scoped user sees only their
own actions (`own_scope`, from the account; queries/audit_trail.py says why), and `admin` sees
the state of the trail's hash chain (`chain_state`, verified at most once a minute).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import streamlit as st

from dashboard.access.user import User
from dashboard.data import portal_store
from dashboard.i18n.catalogue import t
from dashboard.page.format import shown_time, zone, zone_name
from queries import audit_trail
from queries.audit_trail import AuditFilter
from queries.inert_text import visible, visible_frame
from warehouse.portal import portal_url
from warehouse.portal.audit import ACTIONS
from warehouse.portal.audit_chain import ChainState, verify
from warehouse.settings import warehouse_url

PAGE_SIZE = 100
MAX_PAGE_NO = 100_000
PARAM_KEYS: tuple[str, ...] = ("from", "to", "actor", "action", "q", "page")
CHAIN_TTL = 60  # seconds: how stale the chain's state on the admin's page may be


@dataclass(frozen=True)
class AuditQuery:
    """The audit page's state: date range (display zone), actor, actions, search text and page."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    actions: tuple[str, ...] = ()
    text: str = ""
    page: int = 1

    def audit_filter(self, own: str | None = None) -> AuditFilter:
        """The UTC filter over the trail: [from 00:00, to+1 00:00) in the display zone; only `own`'s
        rows when given (a branch-scoped user)."""
        return AuditFilter(
            own=own,
            since=None if self.date_from is None else midnight_utc(self.date_from),
            until=None if self.date_to is None else midnight_utc(self.date_to + timedelta(days=1)),
            actor=self.actor,
            actions=self.actions,
            text=self.text,
        )


def midnight_utc(day: date) -> datetime:
    """00:00 of `day` in the display zone, as naive UTC (how the trail stores times)."""
    return datetime.combine(day, time(), zone()).astimezone(UTC).replace(tzinfo=None)


def _day(values: list[str]) -> date | None:
    try:
        return date.fromisoformat(values[0]) if values else None
    except ValueError:
        return None


def parse(params: Mapping[str, list[str]]) -> AuditQuery:
    """The page state from raw URL values, dropping what is malformed (pure; no Streamlit)."""
    date_from, date_to = _day(params.get("from", [])), _day(params.get("to", []))
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    page_text = (params.get("page") or ["1"])[0]
    digits = page_text.isascii() and page_text.isdigit() and len(page_text) <= 6
    page = int(page_text) if digits else 1
    return AuditQuery(
        date_from=date_from,
        date_to=date_to,
        actor=(params.get("actor") or [""])[0][: audit_trail.MAX_TEXT],
        actions=tuple(a for a in params.get("action", []) if a in ACTIONS),
        text=(params.get("q") or [""])[0][: audit_trail.MAX_TEXT],
        page=min(max(page, 1), MAX_PAGE_NO),
    )


def to_params(query: AuditQuery) -> dict[str, list[str]]:
    """The URL parameters of `query` (empty fields left out)."""
    params: dict[str, list[str]] = {}
    if query.date_from:
        params["from"] = [query.date_from.isoformat()]
    if query.date_to:
        params["to"] = [query.date_to.isoformat()]
    if query.actor:
        params["actor"] = [query.actor]
    if query.actions:
        params["action"] = list(query.actions)
    if query.text:
        params["q"] = [query.text]
    if query.page > 1:
        params["page"] = [str(query.page)]
    return params


def own_scope(user: User) -> str | None:
    """The username whose rows alone `user` may see, or None for every row (no branch scope)."""
    return None if user.branches is None else user.username


def filter_widgets(lang: str, own: str | None = None) -> AuditQuery:
    """Draw the filters (seeded from the URL), write them back to the URL, return them."""
    url = parse({k: st.query_params.get_all(k) for k in PARAM_KEYS})
    known = audit_trail.actors(portal_store.portal(), own=own)
    actors = ["", *sorted(set(known) | ({url.actor} if url.actor else set()))]
    left, mid, right = st.columns(3)
    date_from = left.date_input(t("audit.from", lang), value=url.date_from, format="YYYY-MM-DD")
    date_to = left.date_input(t("audit.to", lang), value=url.date_to, format="YYYY-MM-DD")
    actor = mid.selectbox(
        t("audit.actor", lang),
        actors,
        index=actors.index(url.actor),
        format_func=lambda a: visible(a) or t("audit.all", lang),
    )
    actions = mid.multiselect(
        t("audit.action", lang),
        sorted(ACTIONS),
        default=list(url.actions),
        format_func=lambda a: t(f"audit.action.{a}", lang),
        placeholder=t("audit.all", lang),
    )
    text = right.text_input(t("audit.text", lang), value=url.text, max_chars=audit_trail.MAX_TEXT)
    if date_from and date_to and date_from > date_to:
        st.info(t("audit.bad_range", lang))
        date_from, date_to = date_to, date_from
    chosen = AuditQuery(date_from, date_to, actor, tuple(actions), text.strip(), url.page)
    if (chosen.date_from, chosen.date_to, chosen.actor, chosen.actions, chosen.text) != (
        url.date_from,
        url.date_to,
        url.actor,
        url.actions,
        url.text,
    ):
        chosen = AuditQuery(date_from, date_to, actor, tuple(actions), text.strip(), 1)
    write_params(chosen)
    return chosen


def write_params(query: AuditQuery) -> None:
    """Put `query` into the URL (so the view is bookmarkable), removing stale keys."""
    params = to_params(query)
    for key in PARAM_KEYS:
        if key in params:
            st.query_params[key] = params[key]
        elif key in st.query_params:
            del st.query_params[key]


def events(query: AuditQuery, own: str | None = None) -> tuple[pd.DataFrame, int]:
    """The page of rows `query` asks for and the total matching (read live, never cached)."""
    engine = portal_store.portal()
    f = query.audit_filter(own)
    offset = (query.page - 1) * PAGE_SIZE
    return audit_trail.events(engine, f, PAGE_SIZE, offset), audit_trail.count(engine, f)


def export_rows(query: AuditQuery, own: str | None = None) -> pd.DataFrame:
    """Every row `query` matches, newest first, up to `audit_trail.MAX_EXPORT`."""
    return audit_trail.export_rows(portal_store.portal(), query.audit_filter(own))


@st.cache_data(ttl=CHAIN_TTL, max_entries=4, show_spinner=False)
def _chain(url: str) -> ChainState:  # keyed by the store's URL
    return verify(portal_store.portal())


def chain_state() -> ChainState:
    """The hash chain's state of the trail in force (walked at most once per `CHAIN_TTL`)."""
    return _chain(portal_url(warehouse_url()))


def show_chain(lang: str) -> None:
    """The chain's state for the admin: verified up to row N, or broken at row N and why."""
    state = chain_state()
    if not state.ok:
        upto = "—" if state.verified_to is None else str(state.verified_to)
        st.error(t("audit.chain_broken", lang, n=state.broken_at, upto=upto, why=state.problem))
    elif state.verified_to is not None:
        st.success(t("audit.chain_ok", lang, n=state.verified_to, rows=f"{state.rows:,}"))
    else:
        st.info(t("audit.chain_empty", lang, rows=f"{state.rows:,}"))
    st.caption(state.message())


def _local(value: object) -> str:
    if not isinstance(value, datetime):
        return "" if value is None else str(value)
    return shown_time(value, "%Y-%m-%d %H:%M:%S")


def _details(value: object) -> str:
    try:
        parsed = json.loads(str(value))
    except ValueError:
        return str(value)
    return json.dumps(parsed, ensure_ascii=False, sort_keys=True) if parsed else ""


def display(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Rows for the screen: times in the display zone (the header names it), action names in
    `lang`, compact details, control characters shown as Control Pictures (the trail keeps them
    as typed)."""
    out = frame.astype(object).copy()
    out["at"] = [_local(v) for v in frame["at"]]
    out["action"] = [t(f"audit.action.{a}", lang) if a in ACTIONS else a for a in frame["action"]]
    out["details"] = [_details(v) for v in frame["details"]]
    return visible_frame(out)


def exported(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows for an export: times in the display zone as text (the header names it), everything
    else as stored."""
    out = frame.astype(object).copy()
    out["at"] = [_local(v) for v in frame["at"]]
    return out.rename(columns={"at": f"at ({zone_name()})"})
