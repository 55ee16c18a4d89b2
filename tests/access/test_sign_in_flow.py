"""The sign-in form, lockout, sign-out, disabling and the session timeouts, in AppTest.

Defaults (warehouse/settings.py): 5 failures lock for 15 minutes; idle 30 minutes; absolute
12 hours. The clock is `dashboard.access.gate.clock`, replaced by the tests (no sleeping). A refused
sign-in says the same whatever the reason, and costs the same: one argon2 verification, counted
by wrapping the verifier (never timed).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import argon2
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access import gate
from dashboard.i18n.catalogue import t
from tests.access.apptest import (
    APP,
    audit_trail,
    open_as,
    refusal,
    shows_sign_in_form,
    submit_sign_in,
)
from tests.access.verifications import count_verifications
from tests.signin import TEST_PASSWORD, ensure_account, sign_in
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.users import HASHER, reset_password, set_disabled

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC).replace(tzinfo=None)  # naive UTC, as stored


def _actions(url: str, username: str) -> list[str]:
    return [action for action, _, _ in audit_trail(url, username)]


def _fresh(username: str, url: str, roles: tuple[str, ...] = ("executive",)) -> AppTest:
    ensure_account(url, username, roles)
    return AppTest.from_file(str(APP), default_timeout=90).run()


def _infos(at: AppTest) -> str:
    return " ".join(i.value for i in at.info)


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_right_password_opens_the_home_page(app_url: str) -> None:
    at = _fresh("ann", app_url)
    assert shows_sign_in_form(at)
    at = submit_sign_in(at, "ann", TEST_PASSWORD)
    assert not shows_sign_in_form(at)
    # branch_book at June: A only is open, 5,000 yuan = 0.50 万元 (tests/access/books.py).
    assert {m.label: m.value for m in at.metric}["存续合同数"] == "1"
    assert _actions(app_url, "ann")[-1] == "sign_in"


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(app_url: str) -> None:
    at = submit_sign_in(_fresh("ben", app_url), "ben", "not-the-password")
    assert shows_sign_in_form(at)
    assert t("auth.bad_credentials", "zh") in _errors(at)
    at = submit_sign_in(at, "no_such_user", TEST_PASSWORD)
    assert t("auth.bad_credentials", "zh") in _errors(at)
    assert not at.metric
    assert _actions(app_url, "ben")[-1] == "sign_in_failed"
    assert _actions(app_url, "no_such_user") == ["sign_in_failed"]


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(app_url: str) -> None:
    at = _fresh("cat", app_url)
    for _ in range(5):
        at = submit_sign_in(at, "cat", "not-the-password")
    assert _errors(at) == t("auth.bad_credentials", "zh")  # the lock is not announced
    at = submit_sign_in(at, "cat", TEST_PASSWORD)
    assert _errors(at) == t("auth.bad_credentials", "zh") and shows_sign_in_form(at)
    actions = _actions(app_url, "cat")
    assert actions.count("locked_out") == 1 and actions.count("sign_in") == 0


def test_disabled_account_cannot_sign_in(app_url: str) -> None:
    at = _fresh("dan", app_url)
    engine = portal_engine(portal_url(app_url))
    set_disabled(engine, "dan", True, actor="test")
    engine.dispose()
    at = submit_sign_in(at, "dan", TEST_PASSWORD)
    assert _errors(at) == t("auth.bad_credentials", "zh") and shows_sign_in_form(at)
    assert _actions(app_url, "dan")[-1] == "sign_in_failed"
    assert '"reason": "disabled"' in audit_trail(app_url, "dan")[-1][2]


def test_unknown_wrong_locked_and_disabled_look_and_cost_the_same(
    app_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The form's answer and the argon2 work do not tell whether a username exists."""
    at = _fresh("kim", app_url)
    ensure_account(app_url, "lou", ("executive",))
    ensure_account(app_url, "max", ("executive",))
    for _ in range(5):
        at = submit_sign_in(at, "lou", "not-the-password")  # lou is locked now
    engine = portal_engine(portal_url(app_url))
    set_disabled(engine, "max", True, actor="test")
    engine.dispose()
    hasher = count_verifications(monkeypatch)
    attempts = {
        "unknown": ("no_such_person", TEST_PASSWORD),
        "password": ("kim", "not-the-password"),
        "locked": ("lou", TEST_PASSWORD),
        "disabled": ("max", TEST_PASSWORD),
    }
    shown, costs = {}, {}
    for reason, (name, password) in attempts.items():
        at = submit_sign_in(at, name, password)
        shown[reason] = (_errors(at), _infos(at), shows_sign_in_form(at), bool(at.metric))
        costs[reason] = hasher.take()
    assert set(shown.values()) == {(t("auth.bad_credentials", "zh"), "", True, False)}
    assert {reason: len(done) for reason, done in costs.items()} == dict.fromkeys(attempts, 1)
    reference = argon2.extract_parameters(HASHER.hash("x"))
    assert all(done == [reference] for done in costs.values())  # same argon2 parameters
    for reason, (name, _) in attempts.items():
        assert f'"reason": "{reason}"' in audit_trail(app_url, name)[-1][2]


def test_disabling_an_open_session_signs_it_out_at_the_next_run(app_url: str) -> None:
    at = open_as("overview.py", ("executive",), username="eve")
    assert at.metric
    engine = portal_engine(portal_url(app_url))
    set_disabled(engine, "eve", True, actor="test")
    engine.dispose()
    at.run()
    assert shows_sign_in_form(at) and not at.metric
    assert t("auth.revoked", "zh") in _infos(at)


def test_sign_out_button_ends_the_session(app_url: str) -> None:
    at = open_as("overview.py", ("executive",), username="fay")
    at.sidebar.button(key="auth_sign_out").click().run()
    assert shows_sign_in_form(at) and not at.metric
    assert t("auth.signed_out", "zh") in _infos(at)
    assert "flt_as_of" not in at.session_state  # the last user's filters went with the session
    assert _actions(app_url, "fay")[-1] == "sign_out"


@pytest.mark.parametrize(
    ("idle", "since_sign_in", "expired"),
    [
        (timedelta(minutes=29), timedelta(minutes=29), None),
        (timedelta(minutes=30, seconds=1), timedelta(minutes=31), "idle"),
        (timedelta(minutes=1), timedelta(hours=12), None),
        (timedelta(minutes=1), timedelta(hours=12, seconds=1), "absolute"),
    ],
)
def test_expiry_after_idle_or_absolute_limit(
    idle: timedelta, since_sign_in: timedelta, expired: str | None
) -> None:
    now = T0 + timedelta(hours=13)
    times = gate.SessionTimes(signed_in_at=now - since_sign_in, last_seen=now - idle)
    assert gate.expiry(times, now, idle_minutes=30, absolute_hours=12) == expired


def _signed_in_at_t0(username: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setattr(gate, "clock", lambda: T0)
    at = AppTest.from_file(str(APP), default_timeout=90)
    sign_in(at, username=username, signed_in_at=T0)
    return at.run()


def test_idle_session_is_signed_out_and_audited(
    app_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _signed_in_at_t0("gus", monkeypatch)
    assert at.metric
    monkeypatch.setattr(gate, "clock", lambda: T0 + timedelta(minutes=29))
    assert at.run().metric  # 29 minutes idle: still signed in, and last seen moves on
    monkeypatch.setattr(gate, "clock", lambda: T0 + timedelta(minutes=59, seconds=1))
    at.run()
    assert shows_sign_in_form(at) and not at.metric
    assert "30 分钟无操作" in _infos(at)
    trail = audit_trail(app_url, "gus")
    assert trail[-1][0] == "session_expired" and '"reason": "idle"' in trail[-1][2]


def test_active_session_still_ends_after_the_absolute_limit(
    app_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Signed in at T0 and active ever since: last seen at 11:50 after sign-in.
    monkeypatch.setattr(gate, "clock", lambda: T0 + timedelta(hours=11, minutes=59))
    at = AppTest.from_file(str(APP), default_timeout=90)
    sign_in(at, username="hal", signed_in_at=T0, last_seen=T0 + timedelta(hours=11, minutes=50))
    assert at.run().metric  # 9 minutes idle, 11:59 in: still signed in
    monkeypatch.setattr(gate, "clock", lambda: T0 + timedelta(hours=12, minutes=1))
    at.run()
    assert shows_sign_in_form(at) and "12 小时" in _infos(at)
    assert '"reason": "absolute"' in audit_trail(app_url, "hal")[-1][2]


def test_role_change_ends_the_session_and_the_new_roles_apply_at_sign_in(app_url: str) -> None:
    at = open_as("overview.py", ("executive",), username="ivy")
    assert refusal(at) is None
    ensure_account(app_url, "ivy", ("admin",))  # the administrator takes executive away
    at.run()
    assert shows_sign_in_form(at) and not at.metric
    assert t("auth.revoked", "zh") in _infos(at)
    assert '"reason": "revoked"' in audit_trail(app_url, "ivy")[-1][2]
    at = submit_sign_in(at, "ivy", TEST_PASSWORD).switch_page("../pages/overview.py").run()
    assert refusal(at) is not None and not at.metric


@pytest.mark.parametrize("change", ["reset_password", "lockout"])
def test_a_password_reset_or_a_lockout_ends_the_open_session(app_url: str, change: str) -> None:
    username = {"reset_password": "jules", "lockout": "kurt"}[change]
    at = open_as("overview.py", ("executive",), username=username)
    assert at.metric
    if change == "reset_password":
        engine = portal_engine(portal_url(app_url))
        reset_password(engine, username, "Quiet-Harbour-4711", actor="test")
        engine.dispose()
    else:  # someone else types wrong passwords for the name until it locks
        other = AppTest.from_file(str(APP), default_timeout=90).run()
        for _ in range(5):
            other = submit_sign_in(other, username, "not-the-password")
    at.run()
    assert shows_sign_in_form(at) and not at.metric
    assert t("auth.revoked", "zh") in _infos(at)


def test_unreachable_account_store_lets_nobody_in(
    app_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = AppTest.from_file(str(APP), default_timeout=90)
    sign_in(at, username="jon")  # a valid session, then the store goes away
    monkeypatch.setenv("POSTLOAN_PORTAL_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    at.run()
    assert "账户库不可用" in _errors(at)
    assert not at.metric and not shows_sign_in_form(at)
