"""Who is signed in and what they may open: the check every page runs at its top.

A signed-in session lives server-side (`warehouse.portal.sessions`, table `web_sessions`) and is
bound to an HttpOnly cookie the server sets after sign-in (`dashboard.access.http_session`). Every
script run reads the cookie of its own connection (`dashboard.access.session_cookie`) and asks the
store whether that session is alive: not signed out, not idle past `access.idle_minutes`, not older
than `access.absolute_hours`, its account unchanged since sign-in (a disable, lockout, role, scope
or password change ends it). The Streamlit session only caches the answer (`SESSION_KEY`), so a
client replaying someone's session id without the cookie gets the sign-in form, while a reload, a
new tab or a pasted link of the signed-in browser stays signed in. `guard(script)` is the one gate:
it shows the sign-in form (then `st.stop()`) to anyone not signed in, and refuses with a clear
message anyone holding none of the roles the page declares in `dashboard.page.registry.PAGES`.
Hidden pages still open by URL, so the gate runs in the page itself, never only in the navigation.
An open page re-checks its session every `session_cookie.WATCH_SECONDS` without a click and clears
itself when it ended. Every sign-in, failure, lockout, sign-out, expiry and refusal is written to
the audit trail.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

import sqlalchemy as sa
import streamlit as st

from dashboard.access import oidc, session_cookie, signin, signin_form
from dashboard.access.context import NOTICE_KEY, audit_event, limits
from dashboard.access.user import User, user_of
from dashboard.data import portal_store
from dashboard.i18n.catalogue import normalise_lang, t
from dashboard.page.registry import page_spec
from warehouse.portal import sessions, utc_now
from warehouse.portal import users as accounts

PAGE_KEY = "_postloan_page"  # session state: the page script `guard` last admitted

SESSION_KEY = "postloan.user"
TIMES_KEY = "postloan.session"
WEB_KEY = "postloan.web_session"  # id of the web session (cookie) this Streamlit session runs as
CHECKED_KEY = "postloan.checked"  # the entry script checked the cookie in this run

# dashboard.page.widgets.LANG_KEY: widgets builds on this module, so the name is repeated here.
LANG_KEY = "lang"

# The clock every timeout reads; tests pass their own to `guard(now=...)` or `expiry(...)`.
clock: Callable[[], datetime] = utc_now

log = logging.getLogger(__name__)


def current_user() -> User | None:
    """The user signed in to this session, if any (checked against this run's cookie)."""
    user = st.session_state.get(SESSION_KEY)
    if user is None and not st.session_state.get(CHECKED_KEY) and session_cookie.current_cookie():
        user = session_user()  # a script that skipped the entry script's check
    return user if isinstance(user, User) else None


@dataclass(frozen=True)
class SessionTimes:
    """When this session signed in and last ran a page (naive UTC), and how it signed in."""

    signed_in_at: datetime
    last_seen: datetime
    method: str = "password"  # or "oidc"


def expiry(
    times: SessionTimes, now: datetime, idle_minutes: int, absolute_hours: int
) -> str | None:
    """`"absolute"` or `"idle"` when the session is past that timeout at `now`, else None."""
    over = sessions.expiry(times.signed_in_at, times.last_seen, now, idle_minutes, absolute_hours)
    return over or None


# The notice a session's end leaves for the sign-in form, by `sessions` reason.
ENDED_NOTICE = {
    "idle": "auth.expired_idle",
    "absolute": "auth.expired_absolute",
    "account": "auth.revoked",
    "revoked": "auth.session_gone",
}


def _clear_session() -> None:
    # Everything but the language goes: filters, widget state and drill-downs of the last user.
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            with contextlib.suppress(KeyError):  # a widget's value not yet set this run
                del st.session_state[key]


def _deny(key: str, **values: object) -> None:
    """Leave a message for the sign-in form of the next run."""
    st.session_state[NOTICE_KEY] = (key, values)


def _ended(found: sessions.WebSession, known: bool) -> None:
    """Record and announce a session found ended; clear this Streamlit session."""
    cfg = limits()
    if found.reason in {"idle", "absolute"}:
        audit_event(found.username, "session_expired", reason=found.reason)
    elif found.reason == "account":
        audit_event(found.username, "sign_out", reason="revoked")
    oidc = found.method == "oidc" and found.reason != "revoked"
    if known:
        _clear_session()
    if known or found.reason != "revoked":  # else: a notice left by the sign-out stays
        minutes, hours = cfg["idle_minutes"], cfg["absolute_hours"]
        _deny(ENDED_NOTICE[found.reason], minutes=minutes, hours=hours)
    if oidc:
        st.logout()  # else the identity provider's cookie would sign the user straight back in


def _without_cookie(now: datetime) -> None:
    """A signed-in Streamlit session run by a connection without a live cookie: end it.

    The browser that signed in always sends its cookie, so this is another client holding the
    session's id (a replay): the web session is revoked, the attempt audited with its address.
    """
    web_id = st.session_state.get(WEB_KEY)
    user = st.session_state.get(SESSION_KEY)
    if isinstance(web_id, str):
        sessions.revoke_session(portal_store.portal(), web_id, "no_cookie", now)
    if user is not None:
        audit_event(user.username, "sign_out", reason="no_cookie")
        log.warning("session of %s ran without its cookie: revoked", user.username)
    _clear_session()


def _user_of_session(found: sessions.WebSession) -> User | None:
    """The User an alive web session stands for (account or identity provider), if still so."""
    if found.method == "password":
        account = accounts.get_account(portal_store.portal(), found.username)
        return None if account is None or account.disabled else user_of(account)
    claims = oidc.signed_in_claims()
    if claims is None:
        return None
    cfg = portal_store.settings()
    user = oidc.claims_user(
        claims, str(cfg["access.oidc_roles_claim"]), str(cfg["access.oidc_branches_claim"])
    )
    return user if user.username == found.username and user.roles else None


def session_user(now: datetime | None = None) -> User | None:
    """The signed-in user of this run, from the cookie of its connection (checked, seen now)."""
    at = now or clock()
    reference = session_cookie.current_cookie()
    known = SESSION_KEY in st.session_state or WEB_KEY in st.session_state
    found = sessions.check(portal_store.portal(), reference, at, touch=True, **limits())
    user = None
    if found is not None and found.alive:
        user = _user_of_session(found)
        if user is None:  # the account or the identity provider no longer vouches for it
            sessions.revoke(portal_store.portal(), reference, "account", at)
            found = replace(found, reason="account")
    if found is None and known:
        _without_cookie(at)
    elif found is not None and not found.alive:
        _ended(found, known)
    elif user is not None and found is not None:
        if st.session_state.get(WEB_KEY) != found.session_id:
            _clear_session()  # a new sign-in in this browser: nothing of the previous one stays
            st.session_state[WEB_KEY] = found.session_id
        st.session_state[SESSION_KEY] = user
        st.session_state[TIMES_KEY] = SessionTimes(found.signed_in_at, at, found.method)
    st.session_state[CHECKED_KEY] = True
    return user


def session_alive() -> bool:
    """True while this run's cookie names a session alive now (not counted as activity)."""
    try:
        found = sessions.check(
            portal_store.portal(),
            session_cookie.current_cookie(),
            clock(),
            touch=False,
            **limits(),
        )
    except sa.exc.SQLAlchemyError:
        return False  # the full run that follows says the store is down
    return found is not None and found.alive


def sign_out(reason: str = "user") -> None:
    """End this session (audited): revoke its cookie's session in the store and clear it."""
    user = current_user()
    times = st.session_state.get(TIMES_KEY)
    sessions.revoke(portal_store.portal(), session_cookie.current_cookie(), reason, clock())
    if user is not None:
        audit_event(user.username, "sign_out", reason=reason)
    _clear_session()
    if isinstance(times, SessionTimes) and times.method == "oidc":
        st.logout()


def _signed_in(lang: str, now: datetime) -> User:
    """The user of this session, or the sign-in form and `st.stop()`."""
    checked = st.session_state.pop(CHECKED_KEY, False)
    user = st.session_state.get(SESSION_KEY) if checked else session_user(now)
    st.session_state.pop(CHECKED_KEY, None)
    if user is None:
        signin.sso_sign_in(lang, now)
        signin_form.title(lang)
        if oidc.configured():
            signin_form.sso_button(lang)
        signin.password_form(lang, now)
        st.stop()
    return user  # type: ignore[return-value]


def guard(script: str, *, now: Callable[[], datetime] | None = None) -> User:
    """The signed-in user allowed on page `script`; otherwise sign-in form or refusal, then stop."""
    spec = page_spec(script)
    lang = normalise_lang(st.session_state.get(LANG_KEY, st.query_params.get(LANG_KEY)))
    at = (now or clock)()
    try:  # st.stop() and st.rerun() pass through: they are not database errors
        user = _signed_in(lang, at)
        session_cookie.watch(session_alive)
        if signin_form.account_box(user, lang):
            sign_out("user")
            _deny("auth.signed_out")
            st.rerun()
        if not user.has_any(spec.roles):
            signin_form.refused(spec.title_key, spec.roles, user, lang)
            audit_event(user.username, "access_denied", script, roles=sorted(user.roles))
            st.stop()
    except sa.exc.SQLAlchemyError as exc:
        # Fail closed: without the account store nobody is let in.
        st.error(t("auth.store_down", lang, error=type(exc).__name__))
        st.stop()
    st.session_state[PAGE_KEY] = script  # every page passes here first: what is being run
    return user


def page_script() -> str:
    """The script of the page this session last let its user into (`contracts.py`), '' before
    any: what downloads and audit rows name as their page."""
    return str(st.session_state.get(PAGE_KEY, ""))
