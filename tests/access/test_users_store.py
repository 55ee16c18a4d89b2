"""Local accounts in the portal store, on SQLite (beside DuckDB) and on PostgreSQL.

The clock is passed in (`now=`), so lockout and its release are checked at exact instants:
with the defaults 5 failures / 15 minutes, the fifth wrong password at 09:00:00 locks the account
until 09:15:00; at 09:14:59 even the right password is refused, at 09:15:01 it is accepted.
Every refusal looks the same to the caller (`refused`) and costs one argon2 verification; only
`reason` and the audit trail tell them apart.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import argon2
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tests.access.verifications import count_verifications
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events
from warehouse.portal.sign_in import SignIn, authenticate
from warehouse.portal.users import (
    HASHER,
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
    assert _sign_in(store, PASSWORD + "x", NINE).outcome == "refused"
    assert _sign_in(store, PASSWORD, NINE, name="nobody").outcome == "refused"
    assert _sign_in(store, PASSWORD, NINE, name="'; drop table users; --").outcome == "refused"
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
    assert outcomes == ["refused"] * 5
    assert get_account(store, "alice").locked_until == NINE + timedelta(minutes=15)  # type: ignore[union-attr]
    refused = _sign_in(store, PASSWORD, NINE + timedelta(minutes=14, seconds=59))
    assert refused.outcome == "refused" and refused.reason == "locked"
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
    assert [_sign_in(store, "wrong-password-xx", NINE).reason for _ in range(4)] == ["password"] * 4


def test_disabled_account_is_refused_even_with_the_right_password(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    set_disabled(store, "alice", True, actor="boss")
    assert _sign_in(store, PASSWORD, NINE).reason == "disabled"
    set_disabled(store, "alice", False, actor="boss")
    assert _sign_in(store, PASSWORD, NINE).ok
    changes = [(a, act) for a, act, _ in _audit(store) if act == "user_admin"]
    assert changes == [("t", "user_admin"), ("boss", "user_admin"), ("boss", "user_admin")]


def test_enable_and_reset_password_clear_a_lockout(store: Engine) -> None:
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    for _ in range(5):
        _sign_in(store, "wrong-password-xx", NINE)
    reset_password(store, "alice", "a-brand-new-secret", actor="boss", now=NINE)
    assert _sign_in(store, PASSWORD, NINE).reason == "password"  # the old one is gone
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


def test_every_refusal_looks_the_same_and_costs_one_verification(
    store: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unknown user, wrong password, locked, disabled: one answer, one argon2 verify each."""
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    add_account(store, "dora", PASSWORD, ["executive"], actor="t")
    set_disabled(store, "dora", True, actor="t")
    add_account(store, "lena", PASSWORD, ["executive"], actor="t")
    for _ in range(5):
        _sign_in(store, "wrong-password-xx", NINE, name="lena")
    hasher = count_verifications(monkeypatch)
    attempts = {
        "unknown": ("nobody", PASSWORD),
        "password": ("alice", "wrong-password-xx"),
        "locked": ("lena", PASSWORD),
        "disabled": ("dora", PASSWORD),
    }
    costs = {}
    for reason, (name, password) in attempts.items():
        result = _sign_in(store, password, NINE + timedelta(minutes=1), name=name)
        assert result == SignIn("refused", reason=reason)  # no account, no lock time
        costs[reason] = hasher.take()
    reference = argon2.extract_parameters(HASHER.hash("x"))
    assert {reason: len(done) for reason, done in costs.items()} == dict.fromkeys(attempts, 1)
    assert all(done == [reference] for done in costs.values())  # same parameters, same cost
    details = {actor: d for actor, action, d in _audit(store) if action == "sign_in_failed"}
    for reason, (name, _) in attempts.items():
        assert f'"reason": "{reason}"' in details[name]  # the administrators see the truth


def test_unknown_usernames_are_counted_and_locked_like_accounts(store: Engine) -> None:
    outcomes = [_sign_in(store, PASSWORD, NINE, name="ghost").reason for _ in range(6)]
    assert outcomes == ["unknown"] * 6
    trail = [(a, d) for actor, a, d in _audit(store) if actor == "ghost"]
    assert [a for a, _ in trail] == ["sign_in_failed"] * 5 + ["locked_out", "sign_in_failed"]
    assert '"failures": 5' in trail[5][1] and '"reason": "unknown"' in trail[5][1]
    assert '"locked": true' in trail[6][1]
    # After the lockout the count starts again, as for an account.
    _sign_in(store, PASSWORD, NINE + timedelta(minutes=15, seconds=1), name="ghost")
    assert '"failures": 1' in _audit(store)[-1][2]


def test_a_username_with_a_nul_byte_is_refused_like_any_unknown_name(store: Engine) -> None:
    """PostgreSQL text cannot hold NUL: the attempt is counted under the visible form ␀."""
    outcome = _sign_in(store, PASSWORD, NINE, name="evil\x00user")
    assert (outcome.outcome, outcome.reason) == ("refused", "unknown")
    assert _audit(store)[-1][:2] == ("evil\u2400user", "sign_in_failed")


@pytest.mark.parametrize(
    ("password", "code"),
    [
        (" " * 12, "blank_password"),
        ("aaaaaaaaaaaa", "repetitive_password"),
        ("abcdefghijklm", "sequential_password"),
        ("password1234", "common_password"),
        ("Password1234", "common_password"),
        ("alice.wonder", "password_has_username"),
        ("ALICE.WONDER", "password_has_username"),
    ],
)
def test_weak_passwords_are_refused_on_add_and_reset(
    store: Engine, password: str, code: str
) -> None:
    with pytest.raises(AccountError) as refused:
        add_account(store, "alice.wonder", password, ["executive"], actor="t")
    assert refused.value.code == code and list_accounts(store) == []
    add_account(store, "alice.wonder", PASSWORD, ["executive"], actor="t")
    with pytest.raises(AccountError) as refused:
        reset_password(store, "alice.wonder", password, actor="t")
    assert refused.value.code == code
    assert _sign_in(store, PASSWORD, NINE, name="alice.wonder").ok  # unchanged


def test_minimum_length_comes_from_the_caller(store: Engine) -> None:
    with pytest.raises(AccountError, match="at least 16"):
        add_account(store, "alice", "kiwi-falcon-77", ["executive"], actor="t", min_length=16)
    add_account(store, "alice", "kiwi-falcon-77", ["executive"], actor="t", min_length=14)
    with pytest.raises(AccountError, match="at least 20"):
        reset_password(store, "alice", "kiwi-falcon-7788", actor="t", min_length=20)


def test_existing_weak_or_old_hashes_keep_working_and_are_brought_up_to_date(
    store: Engine,
) -> None:
    """Accounts set before the checks keep their password; an old-parameter hash is renewed."""
    add_account(store, "alice", PASSWORD, ["executive"], actor="t")
    old = argon2.PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash("aaaaaaaaaaaa")
    with store.begin() as conn:
        conn.execute(users.update().values(password_hash=old))
    assert _sign_in(store, "aaaaaaaaaaaa", NINE).ok
    with store.connect() as conn:
        renewed = conn.execute(sa.select(users.c.password_hash)).scalar_one()
    assert argon2.extract_parameters(renewed) == argon2.extract_parameters(HASHER.hash("x"))
    assert _sign_in(store, "aaaaaaaaaaaa", NINE).ok
