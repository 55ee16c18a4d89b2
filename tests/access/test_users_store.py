"""Local accounts in the portal store, on SQLite (beside DuckDB) and on PostgreSQL.

The clock is passed in (`now=`), so lockout and its release are checked at exact instants:
with the defaults 5 failures / 15 minutes, the fifth wrong password at 09:00:00 locks the account
until 09:15:00; at 09:14:59 even the right password is refused, at 09:15:01 it is accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.sign_in import authenticate
from warehouse.portal.users import (
    AccountError,
    add_account,
    ensure_first_admin,
    get_account,
    list_accounts,
    reset_password,
    set_disabled,
    update_account,
    users,
)

PASSWORD = "long-enough-secret-1"  # noqa: S105 - a test account
NINE = datetime(2026, 11, 24, 9, 0, 0, tzinfo=UTC).replace(tzinfo=None)  # stored naive UTC
LIMITS = {"max_failed": 5, "lockout_minutes": 15}


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """A fresh portal store: SQLite beside a DuckDB warehouse, or the PostgreSQL database."""
    engine = portal_engine(portal_url(db_url))
    yield engine
    engine.dispose()


def _audit(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(audit_events.c.actor, audit_events.c.action, audit_events.c.details).order_by(
                audit_events.c.event_id
            )
        ).all()
    return [tuple(r) for r in rows]


def _sign_in(engine: Engine, password: str, at: datetime, name: str = "alice"):
    return authenticate(engine, name, password, now=at, **LIMITS)


def test_added_account_keeps_roles_scope_and_an_argon2id_hash(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive", "compliance"], branches=["SH"], actor="t")
    add_account(store, "bob", PASSWORD, "admin", actor="t")
    add_account(store, "carl", PASSWORD, ["executive"], branches=[], actor="t")
    alice, bob, carl = list_accounts(store)
    assert alice.roles == {"executive", "compliance"} and alice.branches == ("SH",)
    assert bob.roles == {"admin"} and bob.branches is None  # every branch
    assert carl.branches == ()  # no branch at all
    with store.connect() as conn:
        stored = conn.execute(sa.select(users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored)
    assert len(set(stored)) == 3  # salted: equal passwords, different hashes
    assert [a for _, a, _ in _audit(store)] == ["user_admin"] * 3


@pytest.mark.parametrize(
    ("name", "roles", "password", "message"),
    [
        ("bad name!", ["executive"], PASSWORD, "invalid username"),
        ("alice", ["boss"], PASSWORD, "unknown role"),
        ("alice", [], PASSWORD, "at least one role"),
        ("alice", ["executive"], "short", "at least 12"),
    ],
)
def test_bad_account_values_are_refused(
    store: Engine, name: str, roles: list[str], password: str, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        add_account(store, name, password, roles, actor="t")
    assert list_accounts(store) == []


def test_a_taken_username_is_refused(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    with pytest.raises(AccountError, match="exists already"):
        add_account(store, "alice", PASSWORD, ["admin"], actor="t")
    assert get_account(store, "alice").roles == {"executive"}  # type: ignore[union-attr]


def test_right_password_signs_in_and_wrong_or_unknown_do_not(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    assert _sign_in(store, PASSWORD, NINE).ok
    assert _sign_in(store, PASSWORD + "x", NINE).outcome == "bad_credentials"
    assert _sign_in(store, PASSWORD, NINE, name="nobody").outcome == "bad_credentials"
    assert _sign_in(store, PASSWORD, NINE, name="'; drop table users; --").outcome == (
        "bad_credentials"
    )
    trail = [(actor, action) for actor, action, _ in _audit(store)][1:]  # after the add
    assert trail == [
        ("alice", "sign_in"),
        ("alice", "sign_in_failed"),
        ("nobody", "sign_in_failed"),
        ("'; drop table users; --", "sign_in_failed"),
    ]
    assert get_account(store, "alice") is not None


def test_five_failures_lock_for_fifteen_minutes_then_release(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    outcomes = [_sign_in(store, "wrong-password-xx", NINE).outcome for _ in range(5)]
    assert outcomes == ["bad_credentials"] * 4 + ["locked"]
    assert get_account(store, "alice").locked_until == NINE + timedelta(minutes=15)  # type: ignore[union-attr]
    refused = _sign_in(store, PASSWORD, NINE + timedelta(minutes=14, seconds=59))
    assert refused.outcome == "locked"
    assert _sign_in(store, PASSWORD, NINE + timedelta(minutes=15, seconds=1)).ok
    assert get_account(store, "alice").failed_logins == 0  # type: ignore[union-attr]
    actions = [a for _, a, _ in _audit(store)]
    assert actions.count("locked_out") == 1
    assert actions.count("sign_in_failed") == 6  # five wrong passwords + one while locked
    assert actions[-1] == "sign_in"


def test_a_success_resets_the_failure_count(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    for _ in range(4):
        _sign_in(store, "wrong-password-xx", NINE)
    assert _sign_in(store, PASSWORD, NINE).ok
    # Four more failures do not lock: the count started again at 0.
    assert [_sign_in(store, "wrong-password-xx", NINE).outcome for _ in range(4)] == [
        "bad_credentials"
    ] * 4


def test_disabled_account_is_refused_even_with_the_right_password(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    set_disabled(store, "alice", True, actor="boss")
    assert _sign_in(store, PASSWORD, NINE).outcome == "disabled"
    set_disabled(store, "alice", False, actor="boss")
    assert _sign_in(store, PASSWORD, NINE).ok
    changes = [(a, act) for a, act, _ in _audit(store) if act == "user_admin"]
    assert changes == [("t", "user_admin"), ("boss", "user_admin"), ("boss", "user_admin")]


def test_enable_and_reset_password_clear_a_lockout(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    for _ in range(5):
        _sign_in(store, "wrong-password-xx", NINE)
    reset_password(store, "alice", "a-brand-new-secret", actor="boss", now=NINE)
    assert _sign_in(store, PASSWORD, NINE).outcome == "bad_credentials"  # old one is gone
    assert _sign_in(store, "a-brand-new-secret", NINE).ok


def test_update_changes_roles_and_scope(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    update_account(store, "alice", roles=["compliance"], branches=["BJ", "SH"], actor="boss")
    assert get_account(store, "alice").roles == {"compliance"}  # type: ignore[union-attr]
    assert get_account(store, "alice").branches == ("BJ", "SH")  # type: ignore[union-attr]
    update_account(store, "alice", display_name="Alice Li", actor="boss")  # scope kept
    assert get_account(store, "alice").branches == ("BJ", "SH")  # type: ignore[union-attr]
    update_account(store, "alice", branches=None, actor="boss")
    assert get_account(store, "alice").branches is None  # type: ignore[union-attr]
    with pytest.raises(AccountError, match="no user"):
        update_account(store, "nobody", roles=["admin"], actor="boss")


def test_first_start_creates_one_admin_once(store: Engine) -> None:
    password = ensure_first_admin(store)
    assert password is not None and len(password) >= 20
    assert ensure_first_admin(store) is None  # the store is no longer empty
    (admin,) = list_accounts(store)
    assert admin.username == "admin" and admin.roles == {"admin"} and admin.branches is None
    assert _sign_in(store, password, NINE, name="admin").ok
    assert ("system", "user_admin") in [(a, act) for a, act, _ in _audit(store)]


def test_audit_rows_cannot_be_edited(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    with pytest.raises(sa.exc.DatabaseError), store.begin() as conn:
        conn.execute(audit_events.delete())
    assert len(_audit(store)) == 1


def test_sign_in_audit_rows_carry_the_client(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    client = {"ip": "10.0.0.7", "user_agent": "Chromium"}
    authenticate(store, "alice", "wrong-password-xx", now=NINE, client=client, **LIMITS)
    authenticate(store, "alice", PASSWORD, now=NINE, client=client, **LIMITS)
    rows = _audit(store)[1:]
    assert [a for _, a, _ in rows] == ["sign_in_failed", "sign_in"]
    assert all('"ip": "10.0.0.7"' in d and '"user_agent": "Chromium"' in d for _, _, d in rows)
