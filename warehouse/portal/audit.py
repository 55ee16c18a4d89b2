"""The audit trail: one append-only row per sensitive action, written in the acting transaction.

Tamper-evident: every row carries `prev_hash` (the `row_hash` of the row before it) and its own
`row_hash` = SHA-256 over `prev_hash` and the row's canonical content (`canonical`: id, time,
actor, action, target, details, row count, file hash), so changing, removing or inserting a row
breaks the chain at that row (`warehouse.portal.audit_chain.verify`). Rows are appended under
the lock of the one-row table `audit_chain` (the chain's head: last id and hash): the UPDATE of
that row takes SQLite's single write lock, or PostgreSQL's row lock, before the last row is read,
so two writers can never chain onto the same row (no forks) and ids are consecutive (assigned
here, not by a sequence that a rolled-back insert would skip).

A store written by an older version holds rows without hashes; the first row chained after them
seals them: its `prev_hash` continues the chain computed over those rows as if they had been
chained, so they cannot be changed unseen from then on (what happened to them before cannot be
known). `upgrade_store` adds the two columns (and PostgreSQL's TRUNCATE guard) to such a store.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from warehouse.portal import append_only, portal_metadata, utc_now

GENESIS = "0" * 64  # the prev_hash of the first row of a trail that started chained
CHAIN_ID = 1  # the key of the one row of `audit_chain`
CHAIN_COLUMNS: tuple[str, ...] = ("prev_hash", "row_hash")
SCAN_ROWS = 5_000  # rows read per query when walking the trail

# What an audit row may record; `record` refuses anything else so the trail stays searchable.
ACTIONS: frozenset[str] = frozenset(
    {
        "sign_in",
        "sign_in_failed",
        "sign_out",
        "locked_out",
        "session_expired",
        "access_denied",
        "page_view",
        "dossier_view",
        "download",
        "export",
        "load",
        "check_run",
        "filing_transition",
        "decision",
        "user_admin",
        "alert",
        "delivery",
        "model",
        "rectification",
        "task_strategy",
        "task",
    }
)

audit_events = append_only(
    sa.Table(
        "audit_events",
        portal_metadata,
        sa.Column("event_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False, comment="username, or 'system'"),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("target", sa.String(200), nullable=False, default=""),
        sa.Column("details", sa.Text, nullable=False, default="{}", comment="JSON"),
        sa.Column("row_count", sa.Integer, nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("prev_hash", sa.String(64), nullable=True, comment="row_hash of the row before"),
        sa.Column("row_hash", sa.String(64), nullable=True, comment="SHA-256(prev_hash, row)"),
        comment="append-only audit trail, hash-chained",
    )
)

audit_chain = sa.Table(
    "audit_chain",
    portal_metadata,
    sa.Column("chain_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_event_id", sa.Integer, nullable=False),
    sa.Column("last_hash", sa.String(64), nullable=False),
    comment="the audit chain's head: one row, locked and moved by every append",
)


@event.listens_for(audit_chain, "after_create")
def _first_head(_table: sa.Table, connection: Connection, **_kw: object) -> None:
    connection.execute(
        audit_chain.insert().values(chain_id=CHAIN_ID, last_event_id=0, last_hash=GENESIS)
    )


# TRUNCATE skips row triggers: a statement trigger refuses it on PostgreSQL (its owner can still
# drop the trigger, hence the grants of docs/security.md and the chain that shows what happened).
_NO_TRUNCATE = (
    "CREATE OR REPLACE FUNCTION audit_events_no_truncate() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit_events is append-only'; END; $$ LANGUAGE plpgsql",
    "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_events_no_truncate()",
)


def upgrade_store(conn: Connection) -> list[str]:
    """Bring a store written by an older version up to the chain: add `prev_hash`/`row_hash`,
    and on PostgreSQL the TRUNCATE guard; what was done (nothing when up to date)."""
    done: list[str] = []
    present = {c["name"] for c in sa.inspect(conn).get_columns("audit_events")}
    for name in CHAIN_COLUMNS:
        if name not in present:
            conn.execute(sa.DDL(f"ALTER TABLE audit_events ADD COLUMN {name} VARCHAR(64)"))
            done.append(f"added column audit_events.{name}")
    if conn.dialect.name == "postgresql":
        found = conn.execute(
            sa.select(sa.literal_column("1"))
            .select_from(sa.table("pg_trigger"))
            .where(sa.column("tgname") == "audit_events_no_truncate")
        ).first()
        if found is None:
            for statement in _NO_TRUNCATE:
                conn.execute(sa.DDL(statement))
            done.append("added the TRUNCATE guard on audit_events")
    return done


@event.listens_for(portal_metadata, "after_create")
def _upgrade_after_create(_metadata: sa.MetaData, connection: Connection, **_kw: object) -> None:
    # Runs on every `portal_engine` (after create_all); a no-op once the store is up to date.
    upgrade_store(connection)


def storable(text: str) -> str:
    """Text as given but NUL as `␀`: PostgreSQL text cannot hold NUL (JSON details escape it)."""
    return text.replace("\x00", "\u2400")


def canonical(row: Mapping[str, object]) -> str:
    """The row's content as hashed: id, time (microseconds), actor, action, target, details,
    row count and file hash as one line of ASCII JSON."""
    at = row["at"]
    when = at.isoformat(sep=" ", timespec="microseconds") if isinstance(at, datetime) else str(at)
    values = [
        row["event_id"],
        when,
        row["actor"],
        row["action"],
        row["target"],
        row["details"],
        row["row_count"],
        row["sha256"],
    ]
    return json.dumps(values, ensure_ascii=True, separators=(",", ":"))


def link(prev_hash: str, row: Mapping[str, object]) -> str:
    """The row's hash in the chain: SHA-256 over the previous row's hash and `canonical(row)`."""
    return hashlib.sha256(f"{prev_hash}\n{canonical(row)}".encode("ascii")).hexdigest()


def rows_after(conn: Connection, after: int, upto: int | None = None) -> Iterator[Mapping]:
    """Every audit row with `after` < event_id (<= `upto`), in id order, read in bounded pages."""
    a = audit_events.c
    while True:
        stmt = sa.select(audit_events).where(a.event_id > after)
        if upto is not None:
            stmt = stmt.where(a.event_id <= upto)
        page = conn.execute(stmt.order_by(a.event_id).limit(SCAN_ROWS)).mappings().all()
        yield from page
        if len(page) < SCAN_ROWS:
            return
        after = int(page[-1]["event_id"])


def _continue_chain(conn: Connection, last_id: int) -> str:
    """The chain's hash at row `last_id` when the rows at the end carry none: continued over them
    from the last row that does (or from GENESIS). Seals an older version's rows."""
    a = audit_events.c
    hashed = conn.execute(
        sa.select(a.event_id, a.row_hash)
        .where(a.row_hash.is_not(None), a.event_id < last_id)
        .order_by(a.event_id.desc())
        .limit(1)
    ).first()
    prev, after = (GENESIS, -1) if hashed is None else (str(hashed.row_hash), int(hashed.event_id))
    for row in rows_after(conn, after, last_id):
        prev = link(prev, row)
    return prev


def _append(conn: Connection, row: dict[str, object], at: datetime | None) -> None:
    head = audit_chain.c
    locked = conn.execute(  # the chain's lock, held to the end of the caller's transaction
        audit_chain.update()
        .where(head.chain_id == CHAIN_ID)
        .values(last_event_id=head.last_event_id)
    )
    if locked.rowcount == 0:  # the head row was removed: put it back (and lock it so)
        conn.execute(
            audit_chain.insert().values(chain_id=CHAIN_ID, last_event_id=0, last_hash=GENESIS)
        )
    a = audit_events.c
    last = conn.execute(
        sa.select(a.event_id, a.row_hash).order_by(a.event_id.desc()).limit(1)
    ).first()
    if last is None:
        event_id, prev = 1, GENESIS
    else:
        event_id = int(last.event_id) + 1
        prev = last.row_hash or _continue_chain(conn, int(last.event_id))
    row = {"event_id": event_id, "at": at or utc_now(), **row}
    row_hash = link(prev, row)
    conn.execute(audit_events.insert().values(**row, prev_hash=prev, row_hash=row_hash))
    conn.execute(
        audit_chain.update()
        .where(head.chain_id == CHAIN_ID)
        .values(last_event_id=event_id, last_hash=row_hash)
    )


def record(
    bind: Engine | Connection,
    *,
    actor: str,
    action: str,
    target: str = "",
    details: Mapping[str, object] | None = None,
    row_count: int | None = None,
    sha256: str | None = None,
    at: datetime | None = None,
) -> None:
    """Append one chained audit row (time `at`, default now, UTC); on a Connection it joins that
    connection's transaction and holds the chain's lock until it ends."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    row: dict[str, object] = {
        "actor": storable(actor)[:64],
        "action": action,
        "target": storable(target)[:200],
        "details": json.dumps(dict(details or {}), ensure_ascii=False, sort_keys=True, default=str),
        "row_count": row_count,
        "sha256": sha256,
    }
    if isinstance(bind, Connection):
        _append(bind, row, at)
        return
    with bind.begin() as conn:
        _append(conn, row, at)
