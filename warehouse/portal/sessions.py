"""Signed-in browser sessions, kept server-side and bound to an HttpOnly cookie.

One row per sign-in (`web_sessions`). A sign-in first makes a *pending* row holding the SHA-256 of
a one-time token (`begin`), good for `TOKEN_SECONDS`; the browser posts that token to the server's
`/_postloan/session` route, which redeems it once (`redeem`) for a fresh random cookie value, the
session reference, whose SHA-256 the row keeps. Neither the token nor the reference is stored in
clear, so a copy of the store signs nobody in.

`check` is what every script run asks: is the reference's session alive at `now`? A session ends
— the row is marked revoked, once, with the reason — when it has been idle longer than
`idle_minutes`, signed in longer than `absolute_hours`, signed out (`revoke`), or when its local
account was disabled, locked, or changed in any way since the sign-in (roles, branch scope,
password, name: the account's `updated_at` no longer matches the stamp taken at sign-in).
Times are naive UTC; callers pass `now`, so tests drive the clock.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from warehouse.portal import portal_metadata
from warehouse.portal.users import users

TOKEN_SECONDS = 60  # how long the one-time sign-in token may wait for the browser
METHODS: tuple[str, ...] = ("password", "oidc")
# Why a session ended (`revoked_reason`); `check` reports the same words.
REASONS: tuple[str, ...] = ("user", "idle", "absolute", "account", "no_cookie")

web_sessions = sa.Table(
    "web_sessions",
    portal_metadata,
    sa.Column("session_id", sa.String(32), primary_key=True, comment="random; not a secret"),
    sa.Column("username", sa.String(64), nullable=False),
    sa.Column("method", sa.String(16), nullable=False, comment="password or oidc"),
    sa.Column("token_hash", sa.String(64), nullable=True, unique=True, comment="SHA-256"),
    sa.Column("token_expires", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("cookie_hash", sa.String(64), nullable=True, unique=True, comment="SHA-256"),
    sa.Column("account_stamp", sa.DateTime, nullable=True, comment="users.updated_at"),
    sa.Column("signed_in_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("last_seen", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("revoked_at", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("revoked_reason", sa.String(16), nullable=True),
    sa.Index("ix_web_sessions_username", "username"),
    comment="signed-in browser sessions (one row per sign-in), bound to an HttpOnly cookie",
)


@dataclass(frozen=True)
class WebSession:
    """A session as stored: who, how, since when, last seen; `reason` says why it is not alive."""

    session_id: str
    username: str
    method: str
    signed_in_at: datetime
    last_seen: datetime
    reason: str = ""  # "" = alive; else one of REASONS, or "revoked" when it ended before

    @property
    def alive(self) -> bool:
        """True when the session may be used."""
        return not self.reason


def digest(secret: str) -> str:
    """The SHA-256 (hex) under which a token or a cookie value is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def begin(
    engine: Engine,
    username: str,
    method: str,
    now: datetime,
    *,
    signed_in_at: datetime | None = None,
    last_seen: datetime | None = None,
    absolute_hours: int = 24,
) -> str:
    """Record a signed-in session awaiting its cookie; the one-time token that redeems it."""
    if method not in METHODS:
        raise ValueError(f"unknown sign-in method {method!r}")
    token = secrets.token_urlsafe(32)
    since = signed_in_at or now
    with engine.begin() as conn:
        _forget_ended(conn, now, absolute_hours)
        stamp = None
        if method == "password":
            stamp = conn.execute(
                sa.select(users.c.updated_at).where(users.c.username == username)
            ).scalar_one_or_none()
        conn.execute(
            web_sessions.insert().values(
                session_id=secrets.token_hex(16),
                username=username,
                method=method,
                token_hash=digest(token),
                token_expires=now + timedelta(seconds=TOKEN_SECONDS),
                cookie_hash=None,
                account_stamp=stamp,
                signed_in_at=since,
                last_seen=last_seen or since,
            )
        )
    return token


def _forget_ended(conn: Connection, now: datetime, absolute_hours: int) -> None:
    """Drop rows past the absolute limit and unredeemed expired tokens (the audit trail stays)."""
    t = web_sessions
    conn.execute(
        t.delete().where(
            sa.or_(
                t.c.signed_in_at < now - timedelta(hours=max(absolute_hours, 1)),
                sa.and_(t.c.cookie_hash.is_(None), t.c.token_expires < now),
            )
        )
    )


def redeem(engine: Engine, token: str, now: datetime) -> str | None:
    """Exchange a one-time token for the session's cookie value, once; None when it is not good."""
    if not token or len(token) > 200:
        return None
    reference = secrets.token_urlsafe(32)
    t = web_sessions
    with engine.begin() as conn:
        done = conn.execute(
            t.update()
            .where(
                t.c.token_hash == digest(token),
                t.c.cookie_hash.is_(None),
                t.c.revoked_at.is_(None),
                t.c.token_expires >= now,
            )
            .values(token_hash=None, token_expires=None, cookie_hash=digest(reference))
        )
    return reference if done.rowcount == 1 else None


def _session_of(row: sa.Row, reason: str) -> WebSession:
    m = row._mapping
    return WebSession(
        m["session_id"], m["username"], m["method"], m["signed_in_at"], m["last_seen"], reason
    )


def expiry(
    signed_in_at: datetime, last_seen: datetime, now: datetime, idle_minutes: int, hours: int
) -> str:
    """`absolute` or `idle` when a session is past that limit at `now`, else ''."""
    if now - signed_in_at > timedelta(hours=hours):
        return "absolute"
    if now - last_seen > timedelta(minutes=idle_minutes):
        return "idle"
    return ""


def _ended_reason(m: sa.RowMapping, now: datetime, idle: int, hours: int) -> str:
    """Why the stored session `m` (joined with its account) may not go on at `now`, or ''."""
    if m["revoked_at"] is not None:
        return "revoked"
    over = expiry(m["signed_in_at"], m["last_seen"], now, idle, hours)
    if over:
        return over
    if m["method"] == "password":
        locked = m["locked_until"]
        if (
            m["updated_at"] is None
            or m["disabled"]
            or m["updated_at"] != m["account_stamp"]
            or (locked is not None and locked > now)
        ):
            return "account"
    return ""


def check(
    engine: Engine,
    reference: str | None,
    now: datetime,
    *,
    idle_minutes: int,
    absolute_hours: int,
    touch: bool = True,
) -> WebSession | None:
    """The session behind cookie value `reference` at `now` (None: no such session).

    An alive session is returned with `reason == ""`. With `touch` (a script run) it is seen at
    `now`, and a session found past a limit is revoked here and returned with that reason
    (`idle`, `absolute`, `account`) exactly once; afterwards it reads as `revoked`. Without
    `touch` nothing is written: the reason is reported, and the next run records it.
    """
    if not reference or len(reference) > 200:
        return None
    t = web_sessions
    stmt = (
        sa.select(t, users.c.disabled, users.c.updated_at, users.c.locked_until)
        .select_from(t.outerjoin(users, users.c.username == t.c.username))
        .where(t.c.cookie_hash == digest(reference))
    )
    with engine.begin() as conn:
        row = conn.execute(stmt).first()
        if row is None:
            return None
        reason = _ended_reason(row._mapping, now, idle_minutes, absolute_hours)
        key = t.c.session_id == row.session_id
        if not touch:  # a look only (a tab's timer, a media request): the next run records it
            pass
        elif reason and reason != "revoked":
            done = conn.execute(
                t.update()
                .where(key, t.c.revoked_at.is_(None))
                .values(revoked_at=now, revoked_reason=reason)
            )
            if done.rowcount != 1:  # another run ended it first: report it once only
                reason = "revoked"
        elif not reason:
            conn.execute(t.update().where(key).values(last_seen=now))
    return _session_of(row, reason)


def revoke(engine: Engine, reference: str | None, reason: str, now: datetime) -> bool:
    """End the session behind cookie value `reference` (sign-out); True when it was alive."""
    if not reference:
        return False
    return _revoke_where(engine, web_sessions.c.cookie_hash == digest(reference), reason, now)


def revoke_session(engine: Engine, session_id: str, reason: str, now: datetime) -> bool:
    """End the session with id `session_id`; True when it was alive."""
    return _revoke_where(engine, web_sessions.c.session_id == session_id, reason, now)


def revoke_user(engine: Engine, username: str, reason: str, now: datetime) -> int:
    """End every alive session of `username`; how many there were."""
    t = web_sessions
    with engine.begin() as conn:
        done = conn.execute(
            t.update()
            .where(t.c.username == username, t.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason, token_hash=None)
        )
    return done.rowcount


def _revoke_where(
    engine: Engine, where: sa.ColumnElement[bool], reason: str, now: datetime
) -> bool:
    t = web_sessions
    with engine.begin() as conn:
        done = conn.execute(
            t.update()
            .where(where, t.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_reason=reason, token_hash=None)
        )
    return done.rowcount == 1
