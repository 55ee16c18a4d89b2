"""Verifying the audit trail's hash chain: the first broken, missing, foreign or back-dated row.

`verify(engine)` walks the trail in id order (bounded pages) and stops at the first row that
- was changed after it was written (its `row_hash` is not SHA-256 over `prev_hash` and its
  content),
- does not follow the row before it (its `prev_hash` is not that row's hash: a row before it was
  changed, removed or inserted; or the rows of an older version it seals were changed),
- leaves a gap in the ids (rows removed), or carries no hash after the chain started (written
  around `audit.record`),
- is dated more than `BACKDATE_TOLERANCE` before the row before it (back-dated),
and then compares the last row with the chain's head (`audit_chain`): rows removed from the end
leave the head pointing past the last row. Rows written by an older version before the chain
are counted and reported as sealed by the first chained row, not as a break.

What the chain cannot show: someone who may write the table and recomputes every hash after
their change. Keep the head that `postloan audit verify` prints somewhere else (a ticket, the
operations log): a later head that does not continue from it shows a rewrite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from warehouse.portal.audit import CHAIN_ID, GENESIS, audit_chain, link, rows_after

# How far a row's time may lie before the previous row's: clocks of the server and of the
# hosts running `postloan` may differ a little; anything more is a back-dated row.
BACKDATE_TOLERANCE = timedelta(seconds=60)


@dataclass(frozen=True)
class ChainState:
    """What `verify` found: rows seen, the last row verified intact, the first broken one."""

    rows: int = 0  # rows read up to the break (all rows when intact)
    legacy: tuple[int, int] | None = None  # first and last id written before the chain
    sealed_by: int | None = None  # the first chained row, which seals the legacy rows
    verified_to: int | None = None  # the last row whose link was checked and holds
    broken_at: int | None = None  # the first row that breaks the chain
    problem: str = ""  # what is wrong there, in English
    head: tuple[int, str] | None = None  # last id and hash, to note outside the store

    @property
    def ok(self) -> bool:
        """True when every link holds (a trail of legacy rows only is not broken)."""
        return self.broken_at is None

    def message(self) -> str:
        """One paragraph for the operator (CLI and admin page)."""
        parts: list[str] = []
        if self.broken_at is not None:
            upto = "no row" if self.verified_to is None else f"row {self.verified_to}"
            parts.append(f"BROKEN at row {self.broken_at}: {self.problem}; verified up to {upto}")
        elif self.verified_to is not None:
            parts.append(f"verified: {self.rows:,} rows, chain intact up to row {self.verified_to}")
        else:
            parts.append(f"{self.rows:,} rows, none chained yet")
        if self.legacy is not None:
            first, last = self.legacy
            sealed = (
                f"sealed by row {self.sealed_by}"
                if self.sealed_by is not None
                else "the next audit row seals them"
            )
            parts.append(
                f"rows {first}–{last} were written by an older version before the chain "
                f"({sealed}; changes made to them before that cannot be detected)"
            )
        if self.head is not None and self.broken_at is None:
            parts.append(f"head: row {self.head[0]} {self.head[1]}")
        return "; ".join(parts)


@dataclass
class _Walk:
    prev_hash: str = GENESIS
    prev_id: int | None = None
    prev_at: datetime | None = None
    rows: int = 0
    legacy: tuple[int, int] | None = None
    sealed_by: int | None = None
    verified_to: int | None = None

    def state(self, broken_at: int | None = None, problem: str = "", **extra: object) -> ChainState:
        return ChainState(
            rows=self.rows,
            legacy=self.legacy,
            sealed_by=self.sealed_by,
            verified_to=self.verified_to,
            broken_at=broken_at,
            problem=problem,
            **extra,  # type: ignore[arg-type]
        )


def _problem(walk: _Walk, row: dict) -> str | None:
    """What is wrong with chained `row` after the rows walked so far, if anything."""
    event_id = int(row["event_id"])
    if walk.prev_id is not None and event_id != walk.prev_id + 1:
        return f"rows {walk.prev_id + 1}–{event_id - 1} are missing (removed)"
    if walk.prev_id is None and event_id != 1:
        return f"rows 1–{event_id - 1} are missing (removed)"
    if row["prev_hash"] != walk.prev_hash:
        if walk.sealed_by is None and walk.legacy is not None:
            return "the rows of the older version it seals were changed, removed or added"
        return f"it does not follow row {walk.prev_id}: a row before it was changed or replaced"
    if row["row_hash"] != link(walk.prev_hash, row):
        return "its content was changed after it was written"
    if walk.prev_at is not None and row["at"] < walk.prev_at - BACKDATE_TOLERANCE:
        return (
            f"it is dated {row['at']:%Y-%m-%d %H:%M:%S} UTC, before row {walk.prev_id} "
            f"({walk.prev_at:%Y-%m-%d %H:%M:%S}): back-dated"
        )
    return None


def verify(engine: Engine) -> ChainState:
    """Walk the whole trail and say where, if anywhere, its chain is broken."""
    walk = _Walk()
    with engine.connect() as conn:
        for mapping in rows_after(conn, -1):
            row = dict(mapping)
            event_id = int(row["event_id"])
            walk.rows += 1
            if row["row_hash"] is None:
                if walk.verified_to is not None or walk.sealed_by is not None:
                    problem = "it carries no chain hash: written around the portal's audit"
                    return walk.state(event_id, problem)
                first = event_id if walk.legacy is None else walk.legacy[0]
                walk.legacy = (first, event_id)
                walk.prev_hash = link(walk.prev_hash, row)
                walk.prev_id, walk.prev_at = event_id, row["at"]
                continue
            problem = _problem(walk, row)
            if problem is not None:
                return walk.state(event_id, problem)
            if walk.legacy is not None and walk.sealed_by is None:
                walk.sealed_by = event_id
            walk.prev_hash, walk.prev_id, walk.prev_at = row["row_hash"], event_id, row["at"]
            walk.verified_to = event_id
        head = conn.execute(audit_chain.select().where(audit_chain.c.chain_id == CHAIN_ID)).first()
    return _tail(walk, head)


def _tail(walk: _Walk, head: object) -> ChainState:
    """The end of the trail against the chain's head: rows removed from the end show here."""
    if head is None:
        if walk.verified_to is None:
            return walk.state()  # nothing chained yet; the next append puts the head back
        return walk.state(walk.verified_to, "the chain's head (table audit_chain) is missing")
    recorded = (int(head.last_event_id), str(head.last_hash))  # type: ignore[attr-defined]
    end = walk.prev_id or 0
    if recorded[0] > end:
        problem = f"rows {end + 1}–{recorded[0]} are missing from the end (the head records them)"
        return walk.state(end + 1, problem)
    if walk.verified_to is None:
        return walk.state()
    last = (walk.verified_to, walk.prev_hash)
    if recorded != last:
        problem = f"the chain's head records row {recorded[0]} {recorded[1][:12]}…, not this row"
        return walk.state(walk.verified_to, problem)
    return walk.state(head=last)
