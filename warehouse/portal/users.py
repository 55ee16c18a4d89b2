"""Local accounts in the portal store: argon2id password hashes, roles, branch scope, lockout.

One row per account. `roles` is a comma-separated subset of `ROLES`; `branches` is NULL for every
branch, else a JSON list (`[]` = no branch at all: the user sees nothing, access fails closed).
`failed_logins` / `locked_until` hold the lockout state that `warehouse.portal.sign_in` keeps;
`sign_in_misses` keeps the same state for usernames that have no account, so trying one behaves
like trying a wrong password. New passwords must pass `warehouse.portal.passwords` (NIST SP
800-63B checks); existing hashes are never re-checked.
Every change is audited in the same transaction (`warehouse.portal.audit`). Times are naive UTC
(`utc_now`); callers pass `now` so tests drive the clock.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from sqlalchemy.engine import Connection, Engine

from warehouse.portal import audit, portal_metadata, utc_now
from warehouse.portal.passwords import MIN_LENGTH, weakness

ROLES: tuple[str, ...] = ("executive", "risk_committee", "compliance", "admin")
USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")
MIN_PASSWORD = MIN_LENGTH  # default of access.min_password_length; callers pass the setting
FIRST_ADMIN = "admin"

HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters

users = sa.Table(
    "users",
    portal_metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("display_name", sa.String(200), nullable=False, default=""),
    sa.Column("roles", sa.String(200), nullable=False, comment="comma-separated"),
    sa.Column("branches", sa.Text, nullable=True, comment="JSON list; NULL = every branch"),
    sa.Column("password_hash", sa.String(200), nullable=False, comment="argon2id"),
    sa.Column("disabled", sa.Boolean, nullable=False, default=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("created_at", sa.DateTime, nullable=False, comment="UTC"),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="UTC"),
    comment="local portal accounts",
)

sign_in_misses = sa.Table(
    "sign_in_misses",
    portal_metadata,
    sa.Column("username", sa.String(64), primary_key=True, comment="a name with no account"),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0),
    sa.Column("locked_until", sa.DateTime, nullable=True, comment="UTC"),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="UTC"),
    comment="failure count and lockout of usernames without an account (one row per name tried)",
)


@dataclass(frozen=True)
class Account:
    """A stored account without its hash: what sign-in and the user list need."""

    username: str
    display_name: str
    roles: frozenset[str]
    branches: tuple[str, ...] | None
    disabled: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None


class AccountError(ValueError):
    """A refused account change; `code` and `values` let the UI say it in the user's language."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (salted; never the same twice)."""
    return HASHER.hash(password)


def check_username(username: str) -> str:
    """`username` when well formed (letters, digits, `_.@-`, at most 64), else AccountError."""
    if not USERNAME.match(username or ""):
        raise AccountError(
            "invalid_username",
            f"invalid username {username!r}: letters, digits and _.@- only",
            name=username,
        )
    return username


def check_roles(roles: object) -> frozenset[str]:
    """The roles as a set, refusing unknown ones and an empty list."""
    given = [roles] if isinstance(roles, str) else list(roles)  # type: ignore[call-overload]
    found = frozenset(r.strip() for r in given if r and r.strip())
    unknown = sorted(found - set(ROLES))
    if unknown:
        raise AccountError(
            "unknown_role",
            f"unknown role(s) {', '.join(unknown)}; choose from {', '.join(ROLES)}",
            roles=", ".join(unknown),
        )
    if not found:
        raise AccountError("no_role", "an account needs at least one role")
    return found


def check_password(password: str, username: str = "", *, min_length: int = MIN_PASSWORD) -> str:
    """`password` when it may be set for `username`, else AccountError naming the rule it breaks."""
    found = weakness(password, username, min_length=min_length)
    if found is not None:
        raise AccountError(found.code, found.message, **found.values)
    return password


def _branches_text(branches: tuple[str, ...] | list[str] | None) -> str | None:
    if branches is None:
        return None
    return json.dumps(sorted({b.strip() for b in branches if b.strip()}), ensure_ascii=False)


def account_of(row: sa.Row) -> Account:
    m = row._mapping
    branches = None if m["branches"] is None else tuple(json.loads(m["branches"]))
    return Account(
        username=m["username"],
        display_name=m["display_name"] or m["username"],
        roles=frozenset(r for r in m["roles"].split(",") if r),
        branches=branches,
        disabled=bool(m["disabled"]),
        failed_logins=int(m["failed_logins"]),
        locked_until=m["locked_until"],
    )


def row_of(conn: Connection, username: str) -> sa.Row | None:
    return conn.execute(sa.select(users).where(users.c.username == username)).first()


def get_account(engine: Engine, username: str) -> Account | None:
    """The account `username`, or None."""
    with engine.connect() as conn:
        row = row_of(conn, username)
    return None if row is None else account_of(row)


def list_accounts(engine: Engine) -> list[Account]:
    """Every account, by username."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(users).order_by(users.c.username)).all()
    return [account_of(r) for r in rows]


def add_account(
    engine: Engine,
    username: str,
    password: str,
    roles: object,
    *,
    branches: tuple[str, ...] | list[str] | None = None,
    display_name: str = "",
    actor: str,
    now: datetime | None = None,
    min_length: int = MIN_PASSWORD,
) -> Account:
    """Create an account (AccountError when the name is taken or a value is refused)."""
    check_username(username)
    role_set = check_roles(roles)
    check_password(password, username, min_length=min_length)
    at = now or utc_now()
    values = {
        "username": username,
        "display_name": display_name.strip() or username,
        "roles": ",".join(sorted(role_set)),
        "branches": _branches_text(branches),
        "password_hash": hash_password(password),
        "disabled": False,
        "failed_logins": 0,
        "locked_until": None,
        "created_at": at,
        "updated_at": at,
    }
    try:
        with engine.begin() as conn:
            conn.execute(users.insert().values(**values))
            audit.record(
                conn,
                actor=actor,
                action="user_admin",
                target=username,
                details={"change": "add", "roles": values["roles"], "branches": branches},
            )
    except sa.exc.IntegrityError as exc:
        raise AccountError("exists", f"user {username!r} exists already", name=username) from exc
    return get_account(engine, username)  # type: ignore[return-value]


def _change(
    engine: Engine, username: str, values: dict, *, actor: str, details: dict, now: datetime | None
) -> Account:
    with engine.begin() as conn:
        done = conn.execute(
            users.update()
            .where(users.c.username == username)
            .values(**values, updated_at=now or utc_now())
        )
        if done.rowcount != 1:
            raise AccountError("no_user", f"no user {username!r}", name=username)
        audit.record(conn, actor=actor, action="user_admin", target=username, details=details)
    return get_account(engine, username)  # type: ignore[return-value]


def set_disabled(
    engine: Engine, username: str, disabled: bool, *, actor: str, now: datetime | None = None
) -> Account:
    """Disable or enable an account; enabling also clears a lockout."""
    values: dict = {"disabled": disabled}
    if not disabled:
        values.update(failed_logins=0, locked_until=None)
    change = "disable" if disabled else "enable"
    return _change(engine, username, values, actor=actor, details={"change": change}, now=now)


def reset_password(
    engine: Engine,
    username: str,
    password: str,
    *,
    actor: str,
    now: datetime | None = None,
    min_length: int = MIN_PASSWORD,
) -> Account:
    """Set a new password (checked like a new account's) and clear any lockout."""
    values = {
        "password_hash": hash_password(check_password(password, username, min_length=min_length)),
        "failed_logins": 0,
        "locked_until": None,
    }
    details = {"change": "reset_password"}
    return _change(engine, username, values, actor=actor, details=details, now=now)


def update_account(
    engine: Engine,
    username: str,
    *,
    roles: object | None = None,
    branches: tuple[str, ...] | list[str] | str | None = "keep",
    display_name: str | None = None,
    actor: str,
    now: datetime | None = None,
) -> Account:
    """Change roles, branch scope (None = every branch) or display name; `"keep"` leaves scope."""
    values: dict = {}
    details: dict = {"change": "update"}
    if roles is not None:
        values["roles"] = details["roles"] = ",".join(sorted(check_roles(roles)))
    if branches != "keep":
        values["branches"] = _branches_text(branches)  # type: ignore[arg-type]
        details["branches"] = branches
    if display_name is not None:
        values["display_name"] = details["display_name"] = display_name.strip() or username
    return _change(engine, username, values, actor=actor, details=details, now=now)


def ensure_first_admin(engine: Engine) -> str | None:
    """When no account exists, create `admin` (role admin); return its one-time password."""
    with engine.connect() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(users)).scalar_one():
            return None
    password = secrets.token_urlsafe(15)
    while weakness(password, FIRST_ADMIN) is not None:  # e.g. "admin" drawn inside it
        password = secrets.token_urlsafe(15)
    try:
        add_account(engine, FIRST_ADMIN, password, ("admin",), actor="system")
    except AccountError:
        return None  # another process created it first
    return password
