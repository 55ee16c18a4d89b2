"""Single sign-on gets the same server-side session and cookie as a password (AppTest).

AppTest seeds `st.user` with the identity provider's claims (`at.user`); the app then starts a
session, hands over its one-time token, and every later run needs the cookie *and* the
provider's user to be the session's.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.access.apptest import APP, audit_trail, shows_sign_in_form, sign_in_token
from tests.signin import APPTEST_COOKIE, give_cookie
from warehouse.portal import portal_engine, portal_url, sessions, utc_now

CLAIMS = {
    "is_logged_in": True,
    "preferred_username": "sso.amy",
    "name": "Amy",
    "roles": ["executive"],
}


def _redeemed(url: str, at: AppTest) -> str:
    token = sign_in_token(at)
    assert token is not None, "no token handed over"
    engine = portal_engine(portal_url(url))
    try:
        reference = sessions.redeem(engine, token, utc_now())
    finally:
        engine.dispose()
    assert reference is not None
    return reference


def test_sso_sign_in_starts_a_cookie_session(app_url: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.user = dict(CLAIMS)
    at.run()
    assert not at.metric  # nothing shown before the cookie
    give_cookie(at, _redeemed(app_url, at))
    at.run()
    assert not shows_sign_in_form(at) and at.metric
    assert "sign_in" in [a for a, _, _ in audit_trail(app_url, "sso.amy")]


def test_an_sso_session_needs_its_cookie_and_its_provider_user(app_url: str) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90)
    at.user = dict(CLAIMS)
    at.run()
    reference = _redeemed(app_url, at)
    give_cookie(at, reference)
    assert at.run().metric
    # The provider's user changes under the same cookie: the session ends.
    at.user = {**CLAIMS, "preferred_username": "sso.bob", APPTEST_COOKIE: reference}
    at.run()
    assert not at.metric
