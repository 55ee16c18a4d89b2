"""People of the rectification tests: a portal store with accounts in departments, as Users."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from dashboard.access.user import User
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.departments import set_department
from warehouse.portal.users import users

HASH = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$not-a-real-hash"  # nobody signs in here
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC).replace(tzinfo=None)  # Fri 4 Dec, 10:00 Shanghai

# username -> (roles, branches, department)
PEOPLE: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None, str | None]] = {
    "comp1": (("compliance",), None, "compliance"),
    "comp2": (("compliance",), None, "compliance"),
    "boss": (("admin",), None, "compliance"),
    "fin1": (("compliance",), None, "finance"),
    "scoped": (("compliance",), ("SH",), "compliance"),
    "exec1": (("executive",), None, "compliance"),
}


def person(name: str) -> User:
    """The User `name` of PEOPLE."""
    roles, branches, _ = PEOPLE[name]
    return User(name, name, frozenset(roles), branches)


def staffed_portal(db_url: str) -> Iterator[Engine]:
    """A portal store holding the accounts of PEOPLE in their departments (for a fixture)."""
    engine = portal_engine(portal_url(db_url))
    rows = [
        {
            "username": name,
            "display_name": name,
            "roles": ",".join(roles),
            "branches": None if branches is None else json.dumps(list(branches)),
            "password_hash": HASH,
            "disabled": False,
            "failed_logins": 0,
            "created_at": NOW,
            "updated_at": NOW,
        }
        for name, (roles, branches, _) in PEOPLE.items()
    ]
    with engine.begin() as conn:
        conn.execute(users.insert(), rows)
    for name, (_, _, department) in PEOPLE.items():
        if department is not None:
            set_department(engine, name, department, "admin", now=NOW)
    try:
        yield engine
    finally:
        engine.dispose()
