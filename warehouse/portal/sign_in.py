"""Signing in with a local account: password check, failure count and lockout, all audited.

A run of `max_failed` wrong passwords locks the account for `lockout_minutes`; while locked even
the right password is refused. An unknown username is checked against a dummy hash, so a miss
costs as long as a wrong password and gets the same answer. Every attempt writes an audit row in
the same transaction as the account change it causes. `now` is passed in so tests drive the clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from warehouse.portal import audit, utc_now
from warehouse.portal.users import HASHER, USERNAME, Account, account_of, row_of, users

# Verified when the username is unknown, so a miss costs as long as a wrong password.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: `ok`, `bad_credentials`, `locked` or `disabled`."""

    outcome: str
    account: Account | None = None
    locked_until: datetime | None = None

    @property
    def ok(self) -> bool:
        """True when the user may enter."""
        return self.outcome == "ok"


def _verify(password_hash: str, password: str) -> bool:
    try:
        return HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def authenticate(
    engine: Engine,
    username: str,
    password: str,
    *,
    max_failed: int,
    lockout_minutes: int,
    now: datetime | None = None,
    client: Mapping[str, object] | None = None,
) -> SignIn:
    """Check a password; count failures, lock after `max_failed`, audit every attempt.

    `client` (address, browser) is added to the details of every audit row written.
    """
    at = now or utc_now()
    extra = dict(client or {})
    name = (username or "").strip()[:64]
    with engine.begin() as conn:
        row = row_of(conn, name) if USERNAME.match(name) else None
        if row is None:
            _verify(_DUMMY_HASH, password)
            audit.record(
                conn,
                actor=name or "?",
                action="sign_in_failed",
                details={"reason": "unknown", **extra},
            )
            return SignIn("bad_credentials")
        account = account_of(row)
        locked = account.locked_until is not None and account.locked_until > at
        if locked:
            audit.record(
                conn, actor=name, action="sign_in_failed", details={"reason": "locked", **extra}
            )
            return SignIn("locked", account, account.locked_until)
        if not _verify(row._mapping["password_hash"], password):
            return _failed(conn, account, at, max_failed, lockout_minutes, extra)
        if account.disabled:
            audit.record(
                conn, actor=name, action="sign_in_failed", details={"reason": "disabled", **extra}
            )
            return SignIn("disabled", account)
        conn.execute(
            users.update()
            .where(users.c.username == name)
            .values(failed_logins=0, locked_until=None)
        )
        audit.record(conn, actor=name, action="sign_in", details={"method": "password", **extra})
    return SignIn("ok", account)


def _failed(
    conn: Connection,
    account: Account,
    at: datetime,
    max_failed: int,
    lockout_minutes: int,
    extra: dict[str, object],
) -> SignIn:
    failures = account.failed_logins + 1
    name = account.username
    audit.record(
        conn,
        actor=name,
        action="sign_in_failed",
        details={"reason": "password", "failures": failures, **extra},
    )
    if failures < max_failed:
        conn.execute(users.update().where(users.c.username == name).values(failed_logins=failures))
        return SignIn("bad_credentials", account)
    until = at + timedelta(minutes=lockout_minutes)
    conn.execute(
        users.update().where(users.c.username == name).values(failed_logins=0, locked_until=until)
    )
    audit.record(
        conn,
        actor=name,
        action="locked_out",
        details={"failures": failures, "minutes": lockout_minutes, **extra},
    )
    return SignIn("locked", account, until)
