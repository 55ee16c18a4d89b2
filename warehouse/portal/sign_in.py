"""Signing in with a local account: password check, failure count and lockout, all audited.

A sign-in gives nothing away. Whether the username is unknown, the password wrong, the account
locked or disabled, the caller gets the same outcome, `refused`, and every attempt costs exactly
one argon2 verification: against the account's hash, or — when the account is missing or locked —
against a dummy hash made once with the same parameters. Usernames without an account count
failures and lock like real ones (`users.sign_in_misses`). The real reason goes only to the audit
trail (`sign_in_failed` with `reason`: `unknown`, `password`, `locked` or `disabled`) and to
`SignIn.reason`, which is for the server and tests, never for the screen.

A run of `max_failed` wrong passwords locks for `lockout_minutes`; while locked even the right
password is refused. Every attempt writes an audit row in the same transaction as the change it
causes. `now` is passed in so tests drive the clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.engine import Connection, Engine

from warehouse.portal import audit, utc_now
from warehouse.portal.users import (
    HASHER,
    USERNAME,
    Account,
    account_of,
    row_of,
    sign_in_misses,
    users,
)

# Verified when the account is missing or locked, so those cost what a wrong password costs.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class SignIn:
    """The outcome of a sign-in attempt: `ok` or `refused`, the same whatever the reason.

    `reason` (`unknown`, `password`, `locked`, `disabled`) is what the audit trail records; a
    screen must show one message for every refusal.
    """

    outcome: str
    account: Account | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        """True when the user may enter."""
        return self.outcome == "ok"


def _refused(reason: str) -> SignIn:
    return SignIn("refused", reason=reason)


def _verify(password_hash: str, password: str) -> bool:
    """The one argon2 verification of an attempt (tests count calls of `HASHER.verify`)."""
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
    # PostgreSQL text cannot hold NUL: such a name is counted under its visible form (as the
    # audit trail stores it), so the attempt is refused like any other instead of failing.
    name = audit.storable((username or "").strip()[:64])
    limits = (max_failed, lockout_minutes)
    with engine.begin() as conn:
        row = row_of(conn, name) if USERNAME.match(name) else None
        if row is None:
            _verify(_DUMMY_HASH, password)
            return _missed(conn, name or "?", at, limits, extra)
        account = account_of(row)
        if account.locked_until is not None and account.locked_until > at:
            _verify(_DUMMY_HASH, password)
            audit.record(
                conn, actor=name, action="sign_in_failed", details={"reason": "locked", **extra}
            )
            return _refused("locked")
        stored = row._mapping["password_hash"]
        if not _verify(stored, password):
            return _failed(conn, account, at, limits, extra)
        if account.disabled:
            audit.record(
                conn, actor=name, action="sign_in_failed", details={"reason": "disabled", **extra}
            )
            return _refused("disabled")
        values: dict[str, object] = {"failed_logins": 0, "locked_until": None}
        if HASHER.check_needs_rehash(stored):  # keep every hash at the dummy's parameters
            values["password_hash"] = HASHER.hash(password)
        conn.execute(users.update().where(users.c.username == name).values(**values))
        audit.record(conn, actor=name, action="sign_in", details={"method": "password", **extra})
    return SignIn("ok", account)


def _count(
    conn: Connection,
    table: sa.Table,
    name: str,
    failures: int,
    at: datetime,
    limits: tuple[int, int],
    extra: dict[str, object],
    reason: str,
) -> SignIn:
    """Record failure number `failures` of `name` in `table`; lock at the limit. Audited.

    The account row is written before the audit rows: the trail's chain lock is taken last, so
    a transaction holding it never waits for an account row (no deadlock with user admin).
    """
    max_failed, lockout_minutes = limits
    key = table.c.username == name
    failed = {"reason": reason, "failures": failures, **extra}
    if failures < max_failed:
        conn.execute(table.update().where(key).values(failed_logins=failures))
        audit.record(conn, actor=name, action="sign_in_failed", details=failed)
        return _refused(reason)
    until = at + timedelta(minutes=lockout_minutes)
    conn.execute(table.update().where(key).values(failed_logins=0, locked_until=until))
    audit.record(conn, actor=name, action="sign_in_failed", details=failed)
    details = {"failures": failures, "minutes": lockout_minutes, **extra}
    if reason == "unknown":
        details["reason"] = reason
    audit.record(conn, actor=name, action="locked_out", details=details)
    return _refused(reason)


def _failed(
    conn: Connection,
    account: Account,
    at: datetime,
    limits: tuple[int, int],
    extra: dict[str, object],
) -> SignIn:
    failures = account.failed_logins + 1
    return _count(conn, users, account.username, failures, at, limits, extra, "password")


def _missed(
    conn: Connection,
    name: str,
    at: datetime,
    limits: tuple[int, int],
    extra: dict[str, object],
) -> SignIn:
    """A username with no account: counted and locked like a wrong password, audited `unknown`."""
    misses = sign_in_misses
    row = conn.execute(sa.select(misses).where(misses.c.username == name)).first()
    if row is not None and row.locked_until is not None and row.locked_until > at:
        details = {"reason": "unknown", "locked": True, **extra}
        audit.record(conn, actor=name, action="sign_in_failed", details=details)
        return _refused("unknown")
    if row is None:
        # Names left alone longer than a lockout are forgotten, so the table stays small.
        stale = at - timedelta(minutes=limits[1])
        conn.execute(
            misses.delete().where(
                misses.c.updated_at < stale,
                sa.or_(misses.c.locked_until.is_(None), misses.c.locked_until <= at),
            )
        )
        _insert_new(conn, misses, {"username": name, "failed_logins": 0, "updated_at": at})
        failures = 1
    else:
        conn.execute(misses.update().where(misses.c.username == name).values(updated_at=at))
        failures = row.failed_logins + 1
    return _count(conn, misses, name, failures, at, limits, extra, "unknown")


def _insert_new(conn: Connection, table: sa.Table, values: dict[str, object]) -> None:
    """Insert a row unless a concurrent attempt just did (that attempt's count is enough)."""
    dialect = conn.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        conn.execute(table.insert().values(**values))
        return
    conn.execute(insert(table).values(**values).on_conflict_do_nothing())
