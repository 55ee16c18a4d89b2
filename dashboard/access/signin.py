"""Signing in: the password form and single sign-on, each ending in a new server-side session.

A good password (or the identity provider's signed-in user with a portal role) records a pending
session in the portal store and hands the browser its one-time token
(`dashboard.access.session_cookie.continue_to_session`); the server's `/_postloan/session` route
turns it into the HttpOnly cookie. Every attempt is audited (`warehouse.portal.sign_in`,
`audit_event`).
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from dashboard.access import oidc, session_cookie, signin_form
from dashboard.access.context import NOTICE_KEY, audit_event, client, limits
from dashboard.access.user import User, user_of
from dashboard.data import portal_store
from dashboard.i18n.catalogue import t
from warehouse.portal import sessions, sign_in


def begin_session(user: User, method: str, lang: str, now: datetime, since: datetime) -> None:
    """Record the signed-in session, hand the browser its one-time token, and stop the run."""
    token = sessions.begin(
        portal_store.portal(),
        user.username,
        method,
        now,
        signed_in_at=since,
        absolute_hours=limits()["absolute_hours"],
    )
    session_cookie.continue_to_session(token, t("auth.continuing", lang))
    st.stop()


def password_form(lang: str, now: datetime) -> None:
    """Draw the sign-in form; on a good password start the session (the cookie follows)."""
    notice = st.session_state.pop(NOTICE_KEY, None)
    submitted = signin_form.sign_in_form(lang, notice)
    if submitted is None:
        return
    username, password = submitted
    if not username or not password:
        signin_form.problem(t("auth.missing_fields", lang))
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
        begin_session(user_of(result.account), "password", lang, now, now)
        return
    # One message for an unknown name, a wrong password, a locked or a disabled account.
    signin_form.problem(t("auth.bad_credentials", lang))


def sso_sign_in(lang: str, now: datetime) -> None:
    """When the identity provider has signed the browser in, start a session (or refuse)."""
    claims = oidc.signed_in_claims()
    if claims is None:
        return
    cfg = portal_store.settings()
    user = oidc.claims_user(
        claims, str(cfg["access.oidc_roles_claim"]), str(cfg["access.oidc_branches_claim"])
    )
    if not user.roles:
        if not st.session_state.get("postloan.sso_refused"):
            audit_event(user.username, "sign_in_failed", reason="no_role", method="oidc")
            st.session_state["postloan.sso_refused"] = True
        signin_form.sso_refused(t("auth.oidc_no_role", lang, name=user.display_name), lang)
        st.stop()
    audit_event(user.username, "sign_in", method="oidc")
    # The absolute limit counts from the identity provider's sign-in, not from this redirect.
    begin_session(user, "oidc", lang, now, min(oidc.signed_in_at(claims, now), now))
