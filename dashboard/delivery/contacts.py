"""Users' e-mail addresses: set, check against the allowed domains, and who gets an alert."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from alerts.rules import audience_of, excluded_user
from warehouse.portal import utc_now
from warehouse.portal.audit import record
from warehouse.portal.deliveries import user_contacts
from warehouse.portal.users import get_account, list_accounts

ADDRESS = re.compile(r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}\.[A-Za-z]{2,24}$")


def allowed_domains(text: str) -> tuple[str, ...]:
    """The `delivery.allowed_domains` setting as lower-case domains (empty: any)."""
    return tuple(d.strip().lower() for d in text.split(",") if d.strip())


def check_address(address: str, domains: tuple[str, ...]) -> str:
    """`address` when it is a plain e-mail address in an allowed domain; ValueError otherwise."""
    text = address.strip()
    if not ADDRESS.match(text):
        raise ValueError(f"not an e-mail address: {address!r}")
    domain = text.rpartition("@")[2].lower()
    if domains and not any(domain == d or domain.endswith(f".{d}") for d in domains):
        raise ValueError(f"{domain} is not an allowed recipient domain ({', '.join(domains)})")
    return text


def set_address(
    engine: Engine, username: str, address: str, *, actor: str, domains: tuple[str, ...]
) -> None:
    """Give `username` the address `address` ("" removes it); audited as user administration."""
    if get_account(engine, username) is None:
        raise ValueError(f"no account {username!r}")
    with engine.begin() as conn:
        conn.execute(user_contacts.delete().where(user_contacts.c.username == username))
        if address.strip():
            conn.execute(
                user_contacts.insert().values(
                    username=username, email=check_address(address, domains), updated_at=utc_now()
                )
            )
        change = "email_set" if address.strip() else "email_removed"
        record(conn, actor=actor, action="user_admin", target=username, details={"change": change})


def addresses(engine: Engine) -> dict[str, str]:
    """username -> e-mail address, for every account that has one."""
    with engine.connect() as conn:
        rows = conn.execute(sa.select(user_contacts.c.username, user_contacts.c.email)).all()
    return dict(rows)


def alert_recipients(
    engine: Engine, rule: str, domains: tuple[str, ...], subject: str = ""
) -> list[tuple[str, str]]:
    """(username, address) of every enabled account an alert of `rule` on `subject` is for: a
    role in its audience, every branch in scope (alerts are on whole-book figures), an allowed
    address, and not the one user it leaves out (a proposal's proposer)."""
    known = addresses(engine)
    audience = audience_of(rule)
    left_out = excluded_user(rule, subject)
    found = []
    for account in list_accounts(engine):
        address = known.get(account.username)
        if account.disabled or account.branches is not None or address is None:
            continue
        if account.username == left_out:
            continue
        if not account.roles & audience:
            continue
        try:
            found.append((account.username, check_address(address, domains)))
        except ValueError:
            continue  # the allowed domains changed since the address was set
    return found
