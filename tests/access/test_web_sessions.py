"""Server-side sessions behind the cookie (`warehouse.portal.sessions`), on SQLite and PostgreSQL.

Times are naive UTC and injected; the limits are the defaults (idle 30 minutes, absolute 12 hours).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from warehouse.portal import portal_engine, portal_url, sessions
from warehouse.portal.sessions import TOKEN_SECONDS, check, redeem, web_sessions
from warehouse.portal.users import add_account, reset_password, set_disabled, update_account

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC).replace(tzinfo=None)
LIMITS = {"idle_minutes": 30, "absolute_hours": 12}
PASSWORD = "Quiet-Harbour-4711"  # noqa: S105 - a throwaway account of a test store


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """The portal store of a fresh warehouse, with the account `ann`."""
    engine = portal_engine(portal_url(db_url))
    add_account(engine, "ann", PASSWORD, ("executive",), actor="test", now=T0 - timedelta(days=1))
    yield engine
    engine.dispose()


def _signed_in(store: Engine, at: datetime = T0) -> str:
    token = sessions.begin(store, "ann", "password", at, absolute_hours=12)
    reference = redeem(store, token, at + timedelta(seconds=5))
    assert reference is not None
    return reference


def _reason(store: Engine, reference: str, at: datetime, touch: bool = True) -> str | None:
    found = check(store, reference, at, touch=touch, **LIMITS)
    return None if found is None else found.reason


def test_the_token_redeems_once_and_only_in_time(store: Engine) -> None:
    token = sessions.begin(store, "ann", "password", T0)
    assert redeem(store, token, T0 + timedelta(seconds=TOKEN_SECONDS + 1)) is None
    token = sessions.begin(store, "ann", "password", T0)
    assert redeem(store, "not-" + token, T0) is None
    reference = redeem(store, token, T0 + timedelta(seconds=TOKEN_SECONDS))
    assert reference is not None
    assert redeem(store, token, T0 + timedelta(seconds=1)) is None  # single use


def test_neither_token_nor_cookie_is_stored_in_clear(store: Engine) -> None:
    token = sessions.begin(store, "ann", "password", T0)
    reference = redeem(store, token, T0)
    with store.connect() as conn:
        stored = [str(v) for row in conn.execute(sa.select(web_sessions)).all() for v in row]
    assert token not in stored and reference not in stored
    assert sessions.digest(str(reference)) in stored


def test_a_session_stays_alive_while_used_and_ends_idle_once(store: Engine) -> None:
    reference = _signed_in(store)
    assert _reason(store, reference, T0 + timedelta(minutes=29)) == ""
    assert _reason(store, reference, T0 + timedelta(minutes=58)) == ""  # seen at 0:29
    # A look without touching neither keeps it alive nor ends it.
    assert _reason(store, reference, T0 + timedelta(minutes=89), touch=False) == "idle"
    assert _reason(store, reference, T0 + timedelta(minutes=89)) == "idle"
    assert _reason(store, reference, T0 + timedelta(minutes=90)) == "revoked"


def test_an_active_session_ends_at_the_absolute_limit(store: Engine) -> None:
    reference = _signed_in(store)
    for minutes in range(20, 12 * 60, 20):
        assert _reason(store, reference, T0 + timedelta(minutes=minutes)) == ""
    assert _reason(store, reference, T0 + timedelta(hours=12, minutes=1)) == "absolute"


@pytest.mark.parametrize("change", ["disable", "roles", "scope", "reset_password"])
def test_an_account_change_ends_its_sessions(store: Engine, change: str) -> None:
    reference = _signed_in(store)
    later = T0 + timedelta(minutes=5)
    if change == "disable":
        set_disabled(store, "ann", True, actor="admin", now=later)
    elif change == "roles":
        update_account(store, "ann", roles=("admin",), actor="admin", now=later)
    elif change == "scope":
        update_account(store, "ann", branches=("BJ",), actor="admin", now=later)
    else:
        reset_password(store, "ann", "Another-Harbour-4712", actor="admin", now=later)
    assert _reason(store, reference, later) == "account"
    assert _reason(store, reference, later) == "revoked"


def test_a_lockout_ends_the_session_and_a_new_sign_in_starts_afresh(store: Engine) -> None:
    reference = _signed_in(store)
    with store.begin() as conn:
        conn.execute(sa.text("UPDATE users SET locked_until = :t"), {"t": T0 + timedelta(hours=1)})
    assert _reason(store, reference, T0 + timedelta(minutes=1)) == "account"
    assert _reason(store, _signed_in(store, T0 + timedelta(hours=2)), T0 + timedelta(hours=2)) == ""


def test_sign_out_revokes_and_an_unknown_cookie_is_nobody(store: Engine) -> None:
    reference = _signed_in(store)
    assert sessions.revoke(store, reference, "user", T0 + timedelta(minutes=1))
    assert _reason(store, reference, T0 + timedelta(minutes=2)) == "revoked"
    assert check(store, "made-up", T0, **LIMITS) is None
    assert check(store, None, T0, **LIMITS) is None


def test_the_security_doc_names_every_column_of_web_sessions() -> None:
    """docs/security.md's `web_sessions` table lists exactly the table's columns."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text()
    start = doc.index("| `web_sessions` column |")
    rows = doc[start:].split("\n\n", 1)[0].splitlines()[2:]
    named = {name for row in rows for name in re.findall(r"`(\w+)`", row.split("|")[1])}
    assert named == {c.name for c in web_sessions.columns}
