"""The audit trail's hash chain: appends link, and verify finds every kind of tampering.

On both stores (SQLite beside DuckDB, and PostgreSQL). The tampering tests act as an attacker who
can write the store: they first switch the append-only triggers off (SQLite: drop them; PostgreSQL:
`ALTER TABLE … DISABLE TRIGGER USER`, which only the owner or a superuser may do), then edit,
delete or insert. Times are fixed (`record(at=...)`), never read from the clock.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from dashboard.cli.main import main
from tests.conftest import _pg_database
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import GENESIS, audit_chain, audit_events, link, record
from warehouse.portal.audit_chain import verify

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC).replace(tzinfo=None)


@pytest.fixture
def store(db_url: str) -> Iterator[Engine]:
    """A fresh portal store holding rows 1-4 by alice, bob, carol, dan, a minute apart."""
    engine = portal_engine(portal_url(db_url))
    for n, actor in enumerate(("alice", "bob", "carol", "dan")):
        record(engine, actor=actor, action="download", target=f"t{n}", at=T0 + timedelta(minutes=n))
    yield engine
    engine.dispose()


def triggers_off(engine: Engine) -> None:
    """What an attacker with the owner's (or the file's) rights does first."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_delete")
        else:
            conn.exec_driver_sql("ALTER TABLE audit_events DISABLE TRIGGER USER")


def rows(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        stmt = sa.select(audit_events).order_by(audit_events.c.event_id)
        return [dict(r) for r in conn.execute(stmt).mappings()]


def test_rows_are_chained_and_verify_says_so(store: Engine) -> None:
    """Ids 1-4, each prev_hash the row before's row_hash; the head is row 4."""
    trail = rows(store)
    assert [r["event_id"] for r in trail] == [1, 2, 3, 4]
    assert trail[0]["prev_hash"] == GENESIS
    for before, row in itertools.pairwise(trail):
        assert row["prev_hash"] == before["row_hash"] == link(before["prev_hash"], before)
    state = verify(store)
    assert state.ok and state.verified_to == 4 and state.rows == 4
    assert state.head == (4, trail[-1]["row_hash"])
    assert "verified" in state.message() and "row 4" in state.message()


def test_an_edited_row_is_found(store: Engine) -> None:
    triggers_off(store)
    with store.begin() as conn:
        conn.execute(
            audit_events.update().where(audit_events.c.event_id == 2).values(actor="mallory")
        )
    state = verify(store)
    assert (state.broken_at, state.verified_to) == (2, 1)
    assert "changed" in state.problem and "BROKEN at row 2" in state.message()


def test_an_edited_row_with_its_hash_recomputed_breaks_the_next_link(store: Engine) -> None:
    triggers_off(store)
    row = rows(store)[1] | {"target": "nothing to see"}
    with store.begin() as conn:
        conn.execute(
            audit_events.update()
            .where(audit_events.c.event_id == 2)
            .values(target=row["target"], row_hash=link(row["prev_hash"], row))
        )
    state = verify(store)
    assert state.broken_at == 3 and "does not follow row 2" in state.problem


def test_a_deleted_row_is_found(store: Engine) -> None:
    triggers_off(store)
    with store.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.event_id == 2))
    state = verify(store)
    assert state.broken_at == 3 and "rows 2–2 are missing" in state.problem


def test_rows_deleted_from_the_end_are_found(store: Engine) -> None:
    triggers_off(store)
    with store.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.event_id >= 3))
    state = verify(store)
    assert state.broken_at == 3 and "missing from the end" in state.problem


def test_an_emptied_trail_is_found(store: Engine) -> None:
    triggers_off(store)
    with store.begin() as conn:
        conn.execute(audit_events.delete())
    state = verify(store)
    assert state.broken_at == 1 and "rows 1–4 are missing" in state.problem


def test_a_back_dated_row_is_found_even_when_well_chained(store: Engine) -> None:
    """Appended through the portal's own function, hash and head right, but dated a day back."""
    record(store, actor="mallory", action="sign_in", at=T0 - timedelta(days=1))
    state = verify(store)
    assert state.broken_at == 5 and "back-dated" in state.problem
    assert state.verified_to == 4


def test_a_row_within_the_clock_tolerance_is_not_back_dated(store: Engine) -> None:
    record(store, actor="eve", action="sign_in", at=T0 + timedelta(minutes=3, seconds=-30))
    assert verify(store).ok


def test_a_row_inserted_around_the_portal_is_found(store: Engine) -> None:
    """A plain INSERT (no hash), as a careless script or an attacker without the code does."""
    with store.begin() as conn:
        conn.execute(
            audit_events.insert().values(
                event_id=5, at=T0 + timedelta(minutes=9), actor="x", action="sign_in", target=""
            )
        )
    state = verify(store)
    assert state.broken_at == 5 and "no chain hash" in state.problem


def test_a_back_dated_row_slipped_in_the_middle_is_found(store: Engine) -> None:
    """Row 2 replaced by a forged row with a valid-looking hash: the link to row 3 breaks."""
    triggers_off(store)
    trail = rows(store)
    forged = trail[1] | {"actor": "mallory", "at": T0 - timedelta(days=30)}
    with store.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.event_id == 2))
        conn.execute(
            audit_events.insert().values(**forged | {"row_hash": link(forged["prev_hash"], forged)})
        )
    state = verify(store)
    assert state.broken_at == 2 and "back-dated" in state.problem


def test_concurrent_writers_never_fork_the_chain(store: Engine) -> None:
    """Four threads, 15 rows each, each row on its own connection: ids 1-64, one chain."""
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            for i in range(15):
                record(store, actor=name, action="page_view", target=str(i), at=T0 + timedelta(1))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [r["event_id"] for r in rows(store)] == list(range(1, 65))
    state = verify(store)
    assert state.ok and state.verified_to == 64


def test_a_rolled_back_row_leaves_no_gap(store: Engine) -> None:
    with pytest.raises(RuntimeError), store.begin() as conn:
        record(conn, actor="a", action="decision", at=T0 + timedelta(minutes=5))
        raise RuntimeError("the decision failed")
    record(store, actor="a", action="decision", at=T0 + timedelta(minutes=6))
    assert [r["event_id"] for r in rows(store)][-1] == 5
    assert verify(store).ok


def test_nul_is_stored_visibly_and_other_controls_as_given(store: Engine) -> None:
    """PostgreSQL text cannot hold NUL: it becomes ␀; \\x01 stays as typed (evidence)."""
    record(store, actor="evil\x00\x01user", action="sign_in_failed", at=T0 + timedelta(hours=1))
    assert rows(store)[-1]["actor"] == "evil\u2400\x01user"
    assert verify(store).ok


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[str]:
    """A fresh PostgreSQL database (SQLite has no TRUNCATE)."""
    yield from _pg_database(pg_url)


@pytest.mark.postgres
def test_truncate_is_refused_on_postgresql_even_to_the_owner(pg_db: str) -> None:
    """The statement trigger refuses TRUNCATE; dropping it first is seen by verify."""
    engine = portal_engine(portal_url(pg_db))
    try:
        record(engine, actor="a", action="sign_in", at=T0)
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE audit_events")
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP TRIGGER audit_events_no_truncate ON audit_events")
            conn.exec_driver_sql("TRUNCATE audit_events")
        state = verify(engine)
        assert state.broken_at == 1 and "missing" in state.problem
    finally:
        engine.dispose()


def test_head_row_is_one(store: Engine) -> None:
    with store.connect() as conn:
        heads = conn.execute(sa.select(audit_chain)).all()
    assert [(h.chain_id, h.last_event_id) for h in heads] == [(1, 4)]


def old_store(db_url: str) -> Engine:
    """The trail as the previous version wrote it (no chain columns, no head), ids 1, 2 and 4
    (a rolled-back insert skipped 3 on PostgreSQL), then opened by this version."""
    url = portal_url(db_url)
    old = sa.MetaData()
    table = sa.Table(
        "audit_events",
        old,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, default=""),
        sa.Column("details", sa.Text, nullable=False, default="{}"),
        sa.Column("row_count", sa.Integer, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
    )
    engine = sa.create_engine(url)
    old.create_all(engine)
    with engine.begin() as conn:
        for event_id, actor in ((1, "old.a"), (2, "old.b"), (4, "old.c")):
            conn.execute(
                table.insert().values(
                    event_id=event_id,
                    at=T0 - timedelta(days=9 - event_id),
                    actor=actor,
                    action="sign_in",
                    target="",
                )
            )
    engine.dispose()
    return portal_engine(url)


def test_a_store_of_the_previous_version_is_upgraded_and_sealed(db_url: str) -> None:
    engine = old_store(db_url)
    try:
        before = verify(engine)
        assert before.ok and before.legacy == (1, 4) and before.verified_to is None
        assert "rows 1–4 were written by an older version" in before.message()
        assert "the next audit row seals them" in before.message()
        record(engine, actor="new", action="sign_in", at=T0)
        after = verify(engine)
        assert after.ok and (after.sealed_by, after.verified_to) == (5, 5)
        assert "sealed by row 5" in after.message()
        with engine.begin() as conn:  # the old store has no triggers: edit an old row
            conn.execute(
                audit_events.update().where(audit_events.c.event_id == 2).values(actor="x")
            )
        broken = verify(engine)
        assert broken.broken_at == 5 and "older version" in broken.problem
    finally:
        engine.dispose()


def test_postloan_audit_verify_exits_1_at_the_first_broken_row(
    db_url: str, store: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    """Intact: exit 0 and the head; after a deleted row: exit 1 naming the row."""
    assert main(["audit", "verify", "--warehouse", db_url]) == 0
    assert "chain intact up to row 4" in capsys.readouterr().out
    triggers_off(store)
    with store.begin() as conn:
        conn.execute(audit_events.delete().where(audit_events.c.event_id == 3))
    assert main(["audit", "verify", "--warehouse", db_url]) == 1
    err = capsys.readouterr().err
    assert "BROKEN at row 4" in err and "rows 3–3 are missing" in err
