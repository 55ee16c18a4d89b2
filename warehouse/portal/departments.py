"""Departments of portal users: which department's queue a user works (one row per user).

The department codes are stable data (like `users.ROLES`): they are stored in this table and in
the work tables (`tasks`, `rectification_items`), and named in `tasks.departments` for display.
A user without a row has no department: they see no department queue (access fails closed).
Department scope adds to branch scope, it never widens it: a user's queue is the work of their
department inside their branches (`users.branches`). Every change is audited (`user_admin`) in
the same transaction.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal import audit, portal_metadata, utc_now
from warehouse.portal.users import AccountError, users

# code -> (zh, en); the order is the order shown in pickers and lists.
DEPARTMENTS: dict[str, tuple[str, str]] = {
    "service": ("客服", "Customer service"),
    "collections": ("催收", "Collections"),
    "risk": ("风险管理部", "Risk management"),
    "legal": ("法务部", "Legal"),
    "operations": ("运营部", "Operations"),
    "finance": ("财务部", "Finance"),
    "compliance": ("合规部", "Compliance"),
}

user_departments = sa.Table(
    "user_departments",
    portal_metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("department", sa.String(32), nullable=False, comment="a code of DEPARTMENTS"),
    sa.Column("updated_by", sa.String(64), nullable=False),
    sa.Column("updated_at", sa.DateTime, nullable=False, comment="UTC"),
    comment="one row per user with a department; no row = no department queue",
)


def is_department(code: object) -> bool:
    """True when `code` is one of the department codes of `DEPARTMENTS`."""
    return isinstance(code, str) and code in DEPARTMENTS


def check_department(code: object) -> str:
    """`code` when it is a department code, else AccountError naming the codes allowed."""
    if not is_department(code):
        raise AccountError(
            "unknown_department",
            f"unknown department {code!r}; choose from {', '.join(DEPARTMENTS)}",
            department=code,
            choices=", ".join(DEPARTMENTS),
        )
    return code  # type: ignore[return-value]


def department_of(engine: Engine, username: str) -> str | None:
    """The department code of `username`, or None when they have none."""
    with engine.connect() as conn:
        return conn.execute(
            sa.select(user_departments.c.department).where(user_departments.c.username == username)
        ).scalar_one_or_none()


def departments_of_users(engine: Engine) -> dict[str, str]:
    """username -> department code, for every user that has one."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(user_departments.c.username, user_departments.c.department))
        return {r.username: r.department for r in rows}


def members(engine: Engine, department: str) -> list[str]:
    """The usernames of enabled accounts in `department`, sorted (unknown code: AccountError)."""
    check_department(department)
    d, u = user_departments.c, users.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(d.username)
            .join(users, u.username == d.username)
            .where(d.department == department, u.disabled.is_(False))
            .order_by(d.username)
        )
        return [r.username for r in rows]


def set_department(
    engine: Engine,
    username: str,
    department: str | None,
    actor: str,
    *,
    now: datetime | None = None,
) -> str | None:
    """Put `username` in `department` (None: no department); refused for an unknown code or user.

    The row and its audit row are written in one transaction; the department is returned.
    """
    if department is not None:
        check_department(department)
    at = now or utc_now()
    d = user_departments.c
    with engine.begin() as conn:
        known = conn.execute(
            sa.select(users.c.username).where(users.c.username == username)
        ).first()
        if known is None:
            raise AccountError("no_user", f"no user {username!r}", name=username)
        before = conn.execute(
            sa.select(d.department).where(d.username == username)
        ).scalar_one_or_none()
        if before == department:
            return department
        conn.execute(user_departments.delete().where(d.username == username))
        if department is not None:
            conn.execute(
                user_departments.insert().values(
                    username=username, department=department, updated_by=actor, updated_at=at
                )
            )
        audit.record(
            conn,
            actor=actor,
            action="user_admin",
            target=username,
            details={"change": "department", "from": before, "to": department},
            at=at,
        )
    return department
