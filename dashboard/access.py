"""Who is signed in and what they may open: the check every page runs at its top.

The signed-in user lives in the Streamlit session under `SESSION_KEY`, its sign-in and last-seen
times under `TIMES_KEY`. `guard(script)` is the one gate: it shows the sign-in form (then
`st.stop()`) to anyone not signed in, signs out a session past its idle or absolute timeout or
whose account was disabled, and refuses with a clear message anyone holding none of the roles the
page declares in `dashboard.page_registry.PAGES`. Hidden pages still open by URL, so the gate runs
in the page itself, never only in the navigation. Every sign-in, failure, lockout, sign-out,
expiry and refusal is written to the audit trail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import streamlit as st

from dashboard import access_form, portal_store
from dashboard.i18n import normalise_lang, t
from dashboard.page_registry import page_spec
from warehouse.portal import audit, sign_in, utc_now
from warehouse.portal import users as accounts

ROLES: tuple[str, ...] = accounts.ROLES
SESSION_KEY = "postloan.user"
TIMES_KEY = "postloan.session"
NOTICE_KEY = "postloan.notice"
BEIJING = ZoneInfo("Asia/Shanghai")

# dashboard.widgets.LANG_KEY: widgets builds on this module, so the name is repeated here.
LANG_KEY = "lang"

# The clock every timeout reads; tests pass their own to `guard(now=...)` or `expiry(...)`.
clock: Callable[[], datetime] = utc_now


@dataclass(frozen=True)
class User:
    """A signed-in user: name, roles, and branch scope (None = every branch, () = none)."""

    username: str
    display_name: str
    roles: frozenset[str]
    branches: tuple[str, ...] | None = None

    def has_any(self, roles: frozenset[str] | set[str] | tuple[str, ...]) -> bool:
        """True when the user holds at least one of `roles`."""
        return bool(self.roles & frozenset(roles))


def current_user() -> User | None:
    """The user signed in to this session, if any."""
    user = st.session_state.get(SESSION_KEY)
    return user if isinstance(user, User) else None


# Roles whose work needs individual lessees' names, ID numbers and phones (docs/security.md);
# executive and admin see them masked (queries/personal_data.py).
PERSONAL_DATA_ROLES: frozenset[str] = frozenset({"risk_committee", "compliance"})


def sees_personal_data(user: User | None) -> bool:
    """True when `user` may see personal data unmasked (nobody signed in: False)."""
    return user is not None and user.has_any(PERSONAL_DATA_ROLES)


@dataclass(frozen=True)
class SessionTimes:
    """When this session signed in and last ran a page (naive UTC), and how it signed in."""

    signed_in_at: datetime
    last_seen: datetime
    method: str = "password"  # or "oidc"


def user_of(account: accounts.Account) -> User:
    """The session's User for a stored account."""
    return User(account.username, account.display_name, account.roles, account.branches)


def expiry(
    times: SessionTimes, now: datetime, idle_minutes: int, absolute_hours: int
) -> str | None:
    """`"absolute"` or `"idle"` when the session is past that timeout at `now`, else None."""
    if now - times.signed_in_at > timedelta(hours=absolute_hours):
        return "absolute"
    if now - times.last_seen > timedelta(minutes=idle_minutes):
        return "idle"
    return None


def start_session(user: User, method: str, now: datetime) -> None:
    """Put `user` into this browser session as signed in at `now`."""
    st.session_state[SESSION_KEY] = user
    st.session_state[TIMES_KEY] = SessionTimes(now, now, method)
    st.session_state.pop(NOTICE_KEY, None)


def _clear_session() -> None:
    # Everything but the language goes: filters, widget state and drill-downs of the last user.
    for key in list(st.session_state.keys()):
        if key != LANG_KEY:
            del st.session_state[key]


def client() -> dict[str, str]:
    """Where this session comes from, for the audit trail: address(es) and browser."""
    found: dict[str, str] = {}
    try:
        ip = st.context.ip_address
        headers = st.context.headers
    except (AttributeError, RuntimeError):
        return found
    if ip:
        found["ip"] = ip
    forwarded = headers.get("X-Forwarded-For") if headers else None
    if forwarded:  # behind the reverse proxy of docs/security.md, the real client comes first
        found["forwarded_for"] = forwarded[:200]
    agent = headers.get("User-Agent") if headers else None
    if agent:
        found["user_agent"] = agent[:200]
    return found


def _audit(actor: str, action: str, target: str = "", **details: object) -> None:
    details = {**details, **client()}
    audit.record(portal_store.portal(), actor=actor, action=action, target=target, details=details)


def sign_out(reason: str = "user") -> None:
    """End this session (audited): `user` signs out, `idle`/`absolute` expire, `revoked`."""
    user = current_user()
    times = st.session_state.get(TIMES_KEY)
    if user is not None:
        action = "sign_out" if reason in {"user", "revoked"} else "session_expired"
        _audit(user.username, action, reason=reason)
    _clear_session()
    if isinstance(times, SessionTimes) and times.method == "oidc":
        st.logout()


def _deny(key: str, **values: object) -> None:
    """Leave a message for the sign-in form of the next run."""
    st.session_state[NOTICE_KEY] = (key, values)


def _sign_in_with_password(lang: str, now: datetime) -> None:
    """Draw the sign-in form; on a good password start the session and rerun."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    submitted = access_form.sign_in_form(lang, notice)
    if submitted is None:
        return
    username, password = submitted
    if not username or not password:
        access_form.problem(t("auth.missing_fields", lang))
        return
    cfg = portal_store.settings()
    result = sign_in.authenticate(
        portal_store.portal(),
        username,
        password,
        max_failed=int(cfg["access.max_failed_logins"]),
        lockout_minutes=int(cfg["access.lockout_minutes"]),
        now=now,
        client=client(),
    )
    if result.ok and result.account is not None:
        start_session(user_of(result.account), "password", now)
        st.rerun()
    if result.outcome == "locked" and result.locked_until is not None:
        until = result.locked_until.replace(tzinfo=UTC).astimezone(BEIJING)
        access_form.problem(t("auth.locked", lang, until=f"{until:%Y-%m-%d %H:%M}"))
    elif result.outcome == "disabled":
        access_form.problem(t("auth.disabled", lang))
    else:
        access_form.problem(t("auth.bad_credentials", lang))


def _sso_user(lang: str, now: datetime) -> User | None:
    """The user signed in through OIDC, started as a session; refuses one with no role."""
    from dashboard import oidc  # here: oidc builds on User, defined above

    claims = oidc.signed_in_claims()
    if claims is None:
        return None
    cfg = portal_store.settings()
    user = oidc.claims_user(
        claims, str(cfg["access.oidc_roles_claim"]), str(cfg["access.oidc_branches_claim"])
    )
    if not user.roles:
        if not st.session_state.get("postloan.sso_refused"):
            _audit(user.username, "sign_in_failed", reason="no_role", method="oidc")
            st.session_state["postloan.sso_refused"] = True
        access_form.sso_refused(t("auth.oidc_no_role", lang, name=user.display_name), lang)
        st.stop()
    start_session(user, "oidc", now)
    since = min(oidc.signed_in_at(claims, now), now)
    st.session_state[TIMES_KEY] = SessionTimes(since, now, "oidc")
    _audit(user.username, "sign_in", method="oidc")
    return user


def _signed_in(lang: str, now: datetime) -> User:
    """The user of this session, or the sign-in form and `st.stop()`."""
    user = current_user()
    if user is None:
        user = _sso_user(lang, now)
    if user is None:
        from dashboard import oidc

        access_form.title(lang)
        if oidc.configured():
            access_form.sso_button(lang)
        _sign_in_with_password(lang, now)
        st.stop()
    return user  # type: ignore[return-value]


def _still_valid(user: User, lang: str, now: datetime) -> User:
    """Apply the timeouts and the account's current state; sign out and stop when over."""
    times = st.session_state.get(TIMES_KEY)
    if not isinstance(times, SessionTimes):
        times = SessionTimes(now, now)
    cfg = portal_store.settings()
    idle, hours = int(cfg["access.idle_minutes"]), int(cfg["access.absolute_hours"])
    over = expiry(times, now, idle, hours)
    if over is not None:
        sign_out(over)
        key = "auth.expired_idle" if over == "idle" else "auth.expired_absolute"
        _deny(key, minutes=idle, hours=hours)
        st.rerun()
    if times.method == "password":
        account = accounts.get_account(portal_store.portal(), user.username)
        if account is None or account.disabled:
            sign_out("revoked")
            _deny("auth.revoked")
            st.rerun()
        user = user_of(account)  # role or scope changes apply at the next page run
        st.session_state[SESSION_KEY] = user
    st.session_state[TIMES_KEY] = replace(times, last_seen=now)
    return user


def guard(script: str, *, now: Callable[[], datetime] | None = None) -> User:
    """The signed-in user allowed on page `script`; otherwise sign-in form or refusal, then stop."""
    spec = page_spec(script)
    lang = normalise_lang(st.session_state.get(LANG_KEY, st.query_params.get(LANG_KEY)))
    at = (now or clock)()
    try:  # st.stop() and st.rerun() pass through: they are not database errors
        user = _still_valid(_signed_in(lang, at), lang, at)
        if access_form.account_box(user, lang):
            sign_out("user")
            _deny("auth.signed_out")
            st.rerun()
        if not user.has_any(spec.roles):
            access_form.refused(spec.title_key, spec.roles, user, lang)
            _audit(user.username, "access_denied", script, roles=sorted(user.roles))
            st.stop()
    except sa.exc.SQLAlchemyError as exc:
        # Fail closed: without the account store nobody is let in.
        st.error(t("auth.store_down", lang, error=type(exc).__name__))
        st.stop()
    return user
