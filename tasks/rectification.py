"""The rectification ledger (整改台账): items made from findings by every load and build, and
what people do to them (no Streamlit).

`sync` reads the findings present now (`tasks.findings`) and, in one transaction: makes an item
for each finding that has none (idempotent: `source_key` is unique), marks items whose finding
went away as "finding no longer present" (never closed by that: closing needs evidence and a
second person), marks a returning finding, and marks open items past their deadline `overdue`.
The deadline is `rectification.days_<source>` working days (Mon–Fri) after the day the item was
made.

People act through `assign`, `start`, `submit` (the owner, with an evidence note),
`sign_off` (a second person: never the one who submitted) and `send_back`. Each is refused with
a `RectificationError` unless the actor holds an editing role (compliance, admin), belongs to
the item's department and covers its branch scope (an institution-wide item needs every
branch); a refused change writes nothing. Every change is a `rectification_events` row and an
audit row (`rectification`) in the same transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from tasks.findings import (
    CORRECTION,
    DATA_CHECK,
    VALIDATION,
    Finding,
    correction_findings,
    data_check_findings,
    inert,
    validation_findings,
)
from tasks.workdays import add_working_days, local_today
from warehouse.portal import audit, utc_now
from warehouse.portal.departments import user_departments
from warehouse.portal.rectification import (
    OPEN_STATUSES,
    SOURCES,
    STATUSES,
    rectification_events,
    rectification_items,
)
from warehouse.portal.users import users

SYSTEM = "system"
EDIT_ROLES: frozenset[str] = frozenset({"compliance", "admin"})
READ_ROLES: frozenset[str] = frozenset({"executive", "risk_committee", "compliance", "admin"})
EVIDENCE_MAX = 4000
DAYS_SETTINGS: dict[str, str] = {s: f"rectification.days_{s}" for s in SOURCES}
OPEN, IN_PROGRESS, SUBMITTED, CLOSED, OVERDUE = STATUSES


class Actor(Protocol):
    """Who acts: a username, roles and branch scope (None = every branch)."""

    username: str
    roles: frozenset[str]
    branches: tuple[str, ...] | None


class RectificationError(ValueError):
    """A refused change; `code` and `values` let the page say it in the user's language."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class SyncResult:
    """What one sync changed: item ids created, gone, back and newly overdue."""

    created: tuple[int, ...] = ()
    gone: tuple[int, ...] = ()
    back: tuple[int, ...] = ()
    overdue: tuple[int, ...] = ()
    unread: tuple[str, ...] = field(default=())  # sources that could not be read this time

    @property
    def changed(self) -> bool:
        """True when the sync wrote anything."""
        return bool(self.created or self.gone or self.back or self.overdue)


def deadline_days(settings: Mapping[str, object] | object) -> dict[str, int]:
    """Working days allowed per source, from the settings `rectification.days_<source>`."""
    get = settings.__getitem__  # type: ignore[attr-defined]
    days = {source: int(get(key)) for source, key in DAYS_SETTINGS.items()}
    bad = [DAYS_SETTINGS[s] for s, d in days.items() if d < 1]
    if bad:
        raise ValueError(f"{', '.join(bad)} must be at least 1 working day")
    return days


def _event(
    conn: Connection, item_id: int, action: str, actor: str, at: datetime, **detail: object
) -> None:
    conn.execute(
        rectification_events.insert().values(
            item_id=item_id,
            at=at,
            actor=actor,
            action=action,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str)
            if detail
            else None,
        )
    )


def _episode(source_key: str) -> int:
    return int(source_key.rsplit("#", 1)[1])


def _apply(
    conn: Connection,
    findings: Iterable[Finding],
    sources: frozenset[str],
    days: Mapping[str, int],
    today: date,
    at: datetime,
) -> SyncResult:
    i = rectification_items.c
    newest = sa.select(sa.func.max(i.item_id)).where(i.source.in_(sources)).group_by(i.finding_key)
    latest = {
        r.finding_key: r
        for r in conn.execute(sa.select(rectification_items).where(i.item_id.in_(newest)))
    }
    present: dict[str, Finding] = {}
    for f in findings:
        if f.source in sources:
            present.setdefault(f.finding_key, f)
    created, gone, back = [], [], []
    for key, f in present.items():
        row = latest.get(key)
        if row is not None and row.finding_present:
            continue
        if row is not None and row.status != CLOSED:  # still being worked: the finding is back
            conn.execute(
                rectification_items.update()
                .where(i.item_id == row.item_id)
                .values(finding_present=True, updated_at=at)
            )
            _event(conn, row.item_id, "finding_back", SYSTEM, at)
            back.append(row.item_id)
            continue
        episode = 1 if row is None else _episode(row.source_key) + 1
        item_id = conn.execute(
            rectification_items.insert().values(
                source_key=f"{key}#{episode}",
                finding_key=key,
                source=f.source,
                title=inert(f.title, 300),
                description=inert(f.description, 4000),
                branch=f.branch,
                department=f.department,
                owner=None,
                deadline=add_working_days(today, days[f.source]),
                status=OPEN,
                evidence=None,
                finding_present=True,
                created_at=at,
                updated_at=at,
            )
        ).inserted_primary_key[0]
        _event(conn, int(item_id), "created", SYSTEM, at, episode=episode)
        created.append(int(item_id))
    for key, row in latest.items():
        if key not in present and row.finding_present:
            conn.execute(
                rectification_items.update()
                .where(i.item_id == row.item_id)
                .values(finding_present=False, updated_at=at)
            )
            _event(conn, row.item_id, "finding_gone", SYSTEM, at)
            gone.append(row.item_id)
    late = [
        r.item_id
        for r in conn.execute(
            sa.select(i.item_id).where(i.status.in_((OPEN, IN_PROGRESS)), i.deadline < today)
        )
    ]
    if late:
        conn.execute(
            rectification_items.update()
            .where(i.item_id.in_(late))
            .values(status=OVERDUE, updated_at=at)
        )
        for item_id in late:
            _event(conn, item_id, "overdue", SYSTEM, at)
    return SyncResult(tuple(created), tuple(gone), tuple(back), tuple(late))


def _apply_once(
    portal: Engine,
    findings: list[Finding],
    sources: frozenset[str],
    days: Mapping[str, int],
    today: date,
    at: datetime,
    actor: str,
) -> SyncResult:
    with portal.begin() as conn:
        result = _apply(conn, findings, sources, days, today, at)
        if result.changed:
            counts = {
                "created": len(result.created),
                "gone": len(result.gone),
                "back": len(result.back),
                "overdue": len(result.overdue),
            }
            audit.record(
                conn, actor=actor, action="rectification", target="sync", details=counts, at=at
            )
    return result


def apply_findings(
    portal: Engine,
    findings: Iterable[Finding],
    *,
    sources: Iterable[str],
    days: Mapping[str, int],
    today: date,
    now: datetime | None = None,
    actor: str = SYSTEM,
) -> SyncResult:
    """Bring the ledger in line with `findings` (the findings present now of `sources`); the
    audit row names `actor` (who ran the sync; the items' events say `system`)."""
    at = now or utc_now()
    findings = list(findings)
    read = frozenset(sources)
    try:
        return _apply_once(portal, findings, read, days, today, at, actor)
    except sa.exc.IntegrityError:  # another sync made the same items first: look again, once
        return _apply_once(portal, findings, read, days, today, at, actor)


def sync(
    portal: Engine,
    warehouse_url: str,
    settings: Mapping[str, object] | object,
    *,
    today: date,
    now: datetime | None = None,
    actor: str = SYSTEM,
) -> SyncResult:
    """Read every source's findings and apply them; a source that cannot be read is left as is."""
    days = deadline_days(settings)
    findings: list[Finding] = []
    sources: list[str] = []
    unread: list[str] = []
    checks = data_check_findings(warehouse_url)
    if checks is None:
        unread.append(DATA_CHECK)
    else:
        findings += checks
        sources.append(DATA_CHECK)
    findings += validation_findings(portal) + correction_findings(portal)
    sources += [VALIDATION, CORRECTION]
    result = apply_findings(
        portal, findings, sources=sources, days=days, today=today, now=now, actor=actor
    )
    return SyncResult(result.created, result.gone, result.back, result.overdue, tuple(unread))


# --- what people do ------------------------------------------------------------------------


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.casefold() == b.casefold()


def _department_of(conn: Connection, username: str) -> str | None:
    d = user_departments.c
    return conn.execute(sa.select(d.department).where(d.username == username)).scalar_one_or_none()


def _locked_item(conn: Connection, item_id: int) -> sa.Row:
    stmt = sa.select(rectification_items).where(rectification_items.c.item_id == item_id)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update()
    row = conn.execute(stmt).first()
    if row is None:
        raise RectificationError("no_item", f"no rectification item {item_id}", item=item_id)
    return row


def check_may_edit(conn: Connection, item: sa.Row, actor: Actor) -> None:
    """Refuse unless `actor` edits (role), is in the item's department and covers its branch."""
    if not actor.roles & EDIT_ROLES:
        raise RectificationError(
            "role", f"{actor.username} may read the ledger but not change it", name=actor.username
        )
    mine = _department_of(conn, actor.username)
    if mine != item.department:
        raise RectificationError(
            "department",
            f"item {item.item_id} belongs to department {item.department}; "
            f"{actor.username} is in {mine or 'no department'}",
            item=item.item_id,
            department=item.department,
            name=actor.username,
        )
    if actor.branches is not None and (item.branch is None or item.branch not in actor.branches):
        raise RectificationError(
            "branch",
            f"item {item.item_id} is outside {actor.username}'s branch scope"
            + (" (it concerns the whole institution)" if item.branch is None else ""),
            item=item.item_id,
            name=actor.username,
        )


def _change(
    conn: Connection,
    item: sa.Row,
    actor: Actor,
    action: str,
    at: datetime,
    values: dict[str, object],
    **detail: object,
) -> None:
    conn.execute(
        rectification_items.update()
        .where(rectification_items.c.item_id == item.item_id)
        .values(**values, updated_at=at)
    )
    _event(conn, item.item_id, action, actor.username, at, **detail)
    audit.record(
        conn,
        actor=actor.username,
        action="rectification",
        target=f"item {item.item_id}",
        details={"change": action, "source_key": item.source_key, **detail},
        at=at,
    )


def _status_in(item: sa.Row, allowed: tuple[str, ...], doing: str) -> None:
    if item.status not in allowed:
        raise RectificationError(
            "status",
            f"item {item.item_id} is {item.status}: it cannot be {doing}",
            item=item.item_id,
            status=item.status,
        )


def assign(
    portal: Engine, item_id: int, owner: str, actor: Actor, *, now: datetime | None = None
) -> None:
    """Make `owner` (an enabled member of the item's department) the item's owner."""
    at = now or utc_now()
    with portal.begin() as conn:
        item = _locked_item(conn, item_id)
        check_may_edit(conn, item, actor)
        _status_in(item, (*OPEN_STATUSES,), "assigned")
        enabled = conn.execute(
            sa.select(users.c.username).where(
                users.c.username == owner, users.c.disabled.is_(False)
            )
        ).first()
        if enabled is None or _department_of(conn, owner) != item.department:
            raise RectificationError(
                "owner",
                f"{owner!r} is not an enabled member of department {item.department}",
                name=owner,
                department=item.department,
            )
        action = "assigned" if item.owner is None else "reassigned"
        _change(conn, item, actor, action, at, {"owner": owner}, owner=owner, before=item.owner)


def _owner_only(item: sa.Row, actor: Actor, doing: str) -> None:
    if not _same(item.owner, actor.username):
        raise RectificationError(
            "not_owner",
            f"only the owner of item {item.item_id} ({item.owner or 'none yet'}) may {doing} it",
            item=item.item_id,
            owner=item.owner or "—",
        )


def start(portal: Engine, item_id: int, actor: Actor, *, now: datetime | None = None) -> None:
    """The owner starts work on the item (open or overdue → in progress)."""
    at = now or utc_now()
    with portal.begin() as conn:
        item = _locked_item(conn, item_id)
        check_may_edit(conn, item, actor)
        _owner_only(item, actor, "start")
        _status_in(item, (OPEN, OVERDUE), "started")
        _change(conn, item, actor, "started", at, {"status": IN_PROGRESS})


def submit(
    portal: Engine, item_id: int, evidence: str, actor: Actor, *, now: datetime | None = None
) -> None:
    """The owner submits the item for sign-off with an evidence note (what was put right)."""
    note = inert_note(evidence)
    at = now or utc_now()
    with portal.begin() as conn:
        item = _locked_item(conn, item_id)
        check_may_edit(conn, item, actor)
        _owner_only(item, actor, "submit")
        _status_in(item, OPEN_STATUSES, "submitted")
        values = {
            "status": SUBMITTED,
            "evidence": note,
            "submitted_by": actor.username,
            "submitted_at": at,
        }
        _change(conn, item, actor, "submitted", at, values, evidence=note)


def inert_note(text: str) -> str:
    """An evidence or return note as stored: NUL removed, not blank, at most EVIDENCE_MAX."""
    note = (text or "").replace("\x00", "").strip()
    if not note:
        raise RectificationError("no_evidence", "an evidence note is required")
    if len(note) > EVIDENCE_MAX:
        raise RectificationError(
            "long_evidence", f"the note has at most {EVIDENCE_MAX} characters", n=EVIDENCE_MAX
        )
    return note


def _second_person(item: sa.Row, actor: Actor, does: str) -> None:
    """Refuse the person who submitted `item` the review a second person `does`."""
    if _same(item.submitted_by, actor.username):
        raise RectificationError(
            "same_person",
            f"{actor.username} submitted item {item.item_id}: a second person {does}",
            name=actor.username,
        )


def sign_off(portal: Engine, item_id: int, actor: Actor, *, now: datetime | None = None) -> None:
    """A second person signs the submitted item off: it is closed (never by its submitter)."""
    at = now or utc_now()
    with portal.begin() as conn:
        item = _locked_item(conn, item_id)
        check_may_edit(conn, item, actor)
        _status_in(item, (SUBMITTED,), "signed off")
        _second_person(item, actor, "signs it off")
        values = {"status": CLOSED, "closed_by": actor.username, "closed_at": at}
        _change(conn, item, actor, "signed_off", at, values, submitted_by=item.submitted_by)


def send_back(
    portal: Engine, item_id: int, note: str, actor: Actor, *, now: datetime | None = None
) -> None:
    """A second person returns a submitted item to its owner with a note (→ in progress)."""
    text = inert_note(note)
    at = now or utc_now()
    with portal.begin() as conn:
        item = _locked_item(conn, item_id)
        check_may_edit(conn, item, actor)
        _status_in(item, (SUBMITTED,), "sent back")
        _second_person(item, actor, "reviews it")
        _change(conn, item, actor, "sent_back", at, {"status": IN_PROGRESS}, note=text)


# --- reading ---------------------------------------------------------------------------------

ITEM_COLUMNS: tuple[str, ...] = (
    "item_id",
    "source",
    "title",
    "department",
    "owner",
    "deadline",
    "status",
    "finding_present",
    "evidence",
    "submitted_by",
    "closed_by",
    "closed_at",
    "description",
)


def items(
    portal: Engine,
    *,
    statuses: Iterable[str] = (),
    sources: Iterable[str] = (),
    overdue_only: bool = False,
    item_id: int | None = None,
    branches: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """The ledger's items (newest first), filtered; `branches` limits to a branch scope
    (an institution-wide item only for every-branch scope, None)."""
    i = rectification_items.c
    stmt = sa.select(*(i[c] for c in ITEM_COLUMNS)).order_by(i.item_id.desc())
    statuses, sources = tuple(statuses), tuple(sources)
    if statuses:
        stmt = stmt.where(i.status.in_(statuses))
    if sources:
        stmt = stmt.where(i.source.in_(sources))
    if overdue_only:
        stmt = stmt.where(i.status == OVERDUE)
    if item_id is not None:
        stmt = stmt.where(i.item_id == item_id)
    if branches is not None:
        stmt = stmt.where(i.branch.in_(branches))
    with portal.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame([tuple(r) for r in rows], columns=list(ITEM_COLUMNS), dtype=object)


def history(portal: Engine, item_id: int) -> pd.DataFrame:
    """The item's events, oldest first: when, who, what, detail (JSON text)."""
    e = rectification_events.c
    stmt = (
        sa.select(e.at, e.actor, e.action, e.detail)
        .where(e.item_id == item_id)
        .order_by(e.event_id)
    )
    with portal.connect() as conn:
        rows = conn.execute(stmt).all()
    return pd.DataFrame(
        [tuple(r) for r in rows], columns=["at", "actor", "action", "detail"], dtype=object
    )


# --- the measure -----------------------------------------------------------------------------


@dataclass(frozen=True)
class OnTime:
    """Items due in a period: which were closed by their deadline, which were not, and which are
    still open with their deadline not yet passed (not counted either way)."""

    on_time: tuple[int, ...]
    late: tuple[int, ...]
    pending: tuple[int, ...] = ()

    @property
    def due(self) -> int:
        """How many items fell due in the period."""
        return len(self.on_time) + len(self.late)

    @property
    def share(self) -> float | None:
        """Share closed on time (None when nothing fell due)."""
        return None if self.due == 0 else len(self.on_time) / self.due


def closed_on_time(
    portal: Engine,
    first: date,
    last: date,
    zone: ZoneInfo,
    *,
    today: date,
    department: str | None = None,
    source: str | None = None,
) -> OnTime:
    """Of the items whose deadline lies in [first, last], those closed (signed off) on or before
    their deadline, in the local calendar of `zone`, and those closed late or still open after
    it; an item still open on `today` (local) with its deadline today or later is pending, not
    late: it can still be closed on time."""
    i = rectification_items.c
    stmt = (
        sa.select(i.item_id, i.deadline, i.closed_at)
        .where(i.deadline >= first, i.deadline <= last)
        .order_by(i.item_id)
    )
    if department is not None:
        stmt = stmt.where(i.department == department)
    if source is not None:
        stmt = stmt.where(i.source == source)
    with portal.connect() as conn:
        rows = conn.execute(stmt).all()
    on_time = tuple(
        r.item_id
        for r in rows
        if r.closed_at is not None and local_today(r.closed_at, zone) <= r.deadline
    )
    pending = tuple(
        r.item_id
        for r in rows
        if r.closed_at is None and r.deadline >= today and r.item_id not in on_time
    )
    late = tuple(r.item_id for r in rows if r.item_id not in on_time and r.item_id not in pending)
    return OnTime(on_time, late, pending)
