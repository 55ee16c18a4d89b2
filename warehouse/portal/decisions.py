"""Risk-committee decisions: the watchlist, classification proposals (maker-checker), actions.

Every decision is one append-only row of `committee_decisions` with its user and UTC time, written
with its audit row (`action="decision"`) in one transaction. Nothing is edited in place: an
approval or a rejection is a new row whose `refers_to` names the proposal, and `refers_to` is
unique, so a proposal is resolved at most once. A proposed class must be worse than the contract's
current class (its floor) and carry a reason; it takes effect at the next build only once a second
risk-committee member approves it (the proposer never can); until then the proposer may withdraw
it. Builds read the approved proposals with `approved_for_build` into the warehouse table
`committee_classifications`.

A contract has at most one open proposal: `committee_open_proposals` holds it (primary key the
contract), inserted with the proposal and deleted with its resolution in the same transaction, so
the database itself refuses a second one, even from two requests at once. The same proposal
submitted again (same proposer, class and month) returns the open one and records nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from warehouse.extract_spec import RISK_CLASSES
from warehouse.portal import append_only, portal_engine, portal_metadata, portal_url, utc_now
from warehouse.portal.audit import record

COMMITTEE_ROLE = "risk_committee"
WATCH_ADD, WATCH_REMOVE = "watch_add", "watch_remove"
PROPOSE, APPROVE, REJECT, ACTION = "propose_class", "approve", "reject", "action"
WITHDRAW = "withdraw"
KINDS: tuple[str, ...] = (WATCH_ADD, WATCH_REMOVE, PROPOSE, APPROVE, REJECT, WITHDRAW, ACTION)
_RANK = {c: i for i, c in enumerate(RISK_CLASSES)}

committee_decisions = append_only(
    sa.Table(
        "committee_decisions",
        portal_metadata,
        sa.Column("decision_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.DateTime, nullable=False, comment="UTC"),
        sa.Column("actor", sa.String(64), nullable=False, comment="username"),
        sa.Column("contract_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False, comment=", ".join(KINDS)),
        sa.Column("risk_class", sa.String(20), nullable=True, comment="proposed class"),
        sa.Column("current_class", sa.String(20), nullable=True, comment="class when proposed"),
        sa.Column("effective_month", sa.String(7), nullable=True, comment="YYYY-MM"),
        sa.Column("reason", sa.Text, nullable=False, default=""),
        sa.Column("owner", sa.String(64), nullable=True, comment="who carries out an action"),
        sa.Column("due_date", sa.Date, nullable=True, comment="when an action is due"),
        sa.Column(
            "refers_to",
            sa.Integer,
            sa.ForeignKey("committee_decisions.decision_id"),
            nullable=True,
            unique=True,
            comment="the proposal an approval, rejection or withdrawal resolves",
        ),
        sa.Column("as_of", sa.Date, nullable=True, comment="month-end of the data viewed"),
        comment="append-only risk-committee decisions",
    )
)


# One row per contract with an open (unresolved) proposal; not append-only: the row goes when the
# proposal is resolved. Its primary key is the uniqueness rule "one open proposal per contract".
committee_open_proposals = sa.Table(
    "committee_open_proposals",
    portal_metadata,
    sa.Column("contract_id", sa.String(64), primary_key=True),
    sa.Column(
        "proposal_id",
        sa.Integer,
        sa.ForeignKey("committee_decisions.decision_id"),
        nullable=False,
        unique=True,
    ),
    comment="the open classification proposal of each contract (at most one)",
)


def _move_open_proposals(_target: sa.Table, connection: Connection, **_kw: object) -> None:
    """On a store older than the table, its open proposals (latest per contract) move in."""
    p, r = committee_decisions.alias("p"), committee_decisions.alias("r")
    resolved = sa.exists(sa.select(r.c.decision_id).where(r.c.refers_to == p.c.decision_id))
    latest = (
        sa.select(p.c.contract_id, sa.func.max(p.c.decision_id))
        .where(p.c.kind == PROPOSE, ~resolved)
        .group_by(p.c.contract_id)
    )
    o = committee_open_proposals
    connection.execute(o.insert().from_select([o.c.contract_id, o.c.proposal_id], latest))


sa.event.listen(committee_open_proposals, "after_create", _move_open_proposals)


class DecisionError(ValueError):
    """A decision the rules refuse (wrong role, class not worse, maker = checker, …).

    `code` names the rule for the interface's message catalogue (`rk.err.<code>`), `values` fill
    its placeholders; the English text is for logs and the command line.
    """

    def __init__(self, message: str, code: str = "refused", **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


def _require_committee(roles: Iterable[str]) -> None:
    if COMMITTEE_ROLE not in set(roles):
        raise DecisionError("only risk-committee members record committee decisions", "role")


def _insert(conn: Connection, actor: str, contract_id: str, kind: str, **values: object) -> int:
    row = {"at": utc_now(), "actor": actor, "contract_id": contract_id, "kind": kind, **values}
    row.setdefault("reason", "")
    result = conn.execute(committee_decisions.insert().values(**row))
    decision_id = int(result.inserted_primary_key[0])
    details = {k: v for k, v in row.items() if k not in {"at", "actor"} and v not in (None, "")}
    record(conn, actor=actor, action="decision", target=contract_id, details=details)
    return decision_id


def _text(value: str, what: str, limit: int = 2000) -> str:
    text = (value or "").strip()
    if not text:
        raise DecisionError(f"a {what} is required", f"{what}_required")
    return text[:limit]


def set_watch(
    engine: Engine,
    *,
    actor: str,
    roles: Iterable[str],
    contract_id: str,
    on: bool,
    reason: str,
    as_of: date | None = None,
) -> int:
    """Add the contract to the committee's watchlist (`on`) or take it off; the decision id."""
    _require_committee(roles)
    kind = WATCH_ADD if on else WATCH_REMOVE
    with engine.begin() as conn:
        return _insert(conn, actor, contract_id, kind, reason=_text(reason, "reason"), as_of=as_of)


def propose_class(
    engine: Engine,
    *,
    actor: str,
    roles: Iterable[str],
    contract_id: str,
    risk_class: str,
    current_class: str,
    reason: str,
    as_of: date,
) -> int:
    """Propose a class worse than `current_class` from the month of `as_of`; the proposal id."""
    _require_committee(roles)
    if risk_class not in _RANK or current_class not in _RANK:
        raise DecisionError(f"unknown class {risk_class!r} or {current_class!r}", "unknown_class")
    if _RANK[risk_class] <= _RANK[current_class]:
        raise DecisionError(
            f"a proposed class must be worse than the current class {current_class}",
            "not_worse",
            current=current_class,
        )
    values = {
        "risk_class": risk_class,
        "current_class": current_class,
        "effective_month": f"{as_of:%Y-%m}",
        "reason": _text(reason, "reason"),
        "as_of": as_of,
    }
    try:
        with engine.begin() as conn:
            same = _same_open(conn, actor, contract_id, values)
            if same is not None:
                return same
            proposal_id = _insert(conn, actor, contract_id, PROPOSE, **values)
            o = committee_open_proposals
            conn.execute(o.insert().values(contract_id=contract_id, proposal_id=proposal_id))
            return proposal_id
    except sa.exc.IntegrityError:
        # Another request opened one in between (a double click): the same proposal, or refused.
        with engine.connect() as conn:
            same = _same_open(conn, actor, contract_id, values)
        if same is None:
            raise
        return same


def _same_open(
    conn: Connection, actor: str, contract_id: str, values: dict[str, object]
) -> int | None:
    """The open proposal of the contract when it is this one again; refused when another."""
    d, o = committee_decisions, committee_open_proposals
    stmt = (
        sa.select(d.c.decision_id, d.c.actor, d.c.risk_class, d.c.effective_month)
        .join(o, o.c.proposal_id == d.c.decision_id)
        .where(o.c.contract_id == contract_id)
    )
    open_row = conn.execute(stmt).mappings().first()
    if open_row is None:
        return None
    same = (
        _same_user(open_row["actor"], actor)
        and open_row["risk_class"] == values["risk_class"]
        and open_row["effective_month"] == values["effective_month"]
    )
    if not same:
        pid = int(open_row["decision_id"])
        raise DecisionError(
            f"contract {contract_id} already has an open proposal {pid}", "open_proposal", id=pid
        )
    return int(open_row["decision_id"])


def _same_user(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _resolve(
    engine: Engine, actor: str, roles: Iterable[str], proposal_id: int, kind: str, reason: str
) -> int:
    _require_committee(roles)
    d = committee_decisions
    with engine.begin() as conn:
        proposal = (
            conn.execute(sa.select(d).where(d.c.decision_id == proposal_id)).mappings().first()
        )
        if proposal is None or proposal["kind"] != PROPOSE:
            raise DecisionError(
                f"no classification proposal {proposal_id}", "no_proposal", id=proposal_id
            )
        own = _same_user(proposal["actor"], actor)
        if own and kind != WITHDRAW:
            raise DecisionError("the proposer cannot approve or reject their own proposal", "own")
        if not own and kind == WITHDRAW:
            raise DecisionError("only the proposer can withdraw a proposal", "not_proposer")
        done = conn.execute(sa.select(d.c.decision_id).where(d.c.refers_to == proposal_id))
        if done.first() is not None:
            raise DecisionError(
                f"proposal {proposal_id} is already resolved", "resolved", id=proposal_id
            )
        values = {"refers_to": proposal_id, "reason": reason.strip()[:2000]}
        for key in ("risk_class", "effective_month"):
            values[key] = proposal[key]
        decision_id = _insert(conn, actor, proposal["contract_id"], kind, **values)
        o = committee_open_proposals
        conn.execute(o.delete().where(o.c.proposal_id == proposal_id))
        return decision_id


def approve(engine: Engine, *, actor: str, roles: Iterable[str], proposal_id: int) -> int:
    """Approve another member's proposal (maker ≠ checker); it applies at the next build."""
    return _resolve(engine, actor, roles, proposal_id, APPROVE, "")


def reject(
    engine: Engine, *, actor: str, roles: Iterable[str], proposal_id: int, reason: str
) -> int:
    """Reject another member's proposal, with a reason; it never applies."""
    return _resolve(engine, actor, roles, proposal_id, REJECT, _text(reason, "reason"))


def withdraw(
    engine: Engine, *, actor: str, roles: Iterable[str], proposal_id: int, reason: str = ""
) -> int:
    """Withdraw one's own open proposal (audited); it never applies and frees the contract."""
    return _resolve(engine, actor, roles, proposal_id, WITHDRAW, reason)


def assign_action(
    engine: Engine,
    *,
    actor: str,
    roles: Iterable[str],
    contract_id: str,
    action: str,
    owner: str,
    due_date: date,
    as_of: date | None = None,
) -> int:
    """Assign an action (what, owner, due date) on the contract; the decision id."""
    _require_committee(roles)
    values = {
        "reason": _text(action, "action"),
        "owner": _text(owner, "owner", 64),
        "due_date": due_date,
        "as_of": as_of,
    }
    with engine.begin() as conn:
        return _insert(conn, actor, contract_id, ACTION, **values)


def decisions_for(engine: Engine, contract_id: str) -> pd.DataFrame:
    """Every decision on the contract, oldest first; proposals carry `status` and `checker`."""
    d, r = committee_decisions, committee_decisions.alias("r")
    stmt = (
        sa.select(
            d.c.decision_id,
            d.c.at,
            d.c.actor,
            d.c.kind,
            d.c.risk_class,
            d.c.current_class,
            d.c.effective_month,
            d.c.reason,
            d.c.owner,
            d.c.due_date,
            d.c.refers_to,
            sa.case(
                (d.c.kind != PROPOSE, None), (r.c.kind.is_(None), "pending"), else_=r.c.kind
            ).label("status"),
            r.c.actor.label("checker"),
        )
        .select_from(d.outerjoin(r, r.c.refers_to == d.c.decision_id))
        .where(d.c.contract_id == contract_id)
        .order_by(d.c.decision_id)
    )
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def open_proposals(engine: Engine) -> pd.DataFrame:
    """Every open (unresolved) classification proposal, oldest first."""
    d, o = committee_decisions, committee_open_proposals
    stmt = (
        sa.select(
            d.c.decision_id,
            d.c.at,
            d.c.actor,
            d.c.contract_id,
            d.c.risk_class,
            d.c.current_class,
            d.c.effective_month,
            d.c.reason,
        )
        .join(o, o.c.proposal_id == d.c.decision_id)
        .order_by(d.c.decision_id)
    )
    with engine.connect() as conn:
        result = conn.execute(stmt)
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def watchlist(engine: Engine) -> tuple[str, ...]:
    """Contracts whose latest watchlist decision put them on the watchlist, sorted."""
    d = committee_decisions
    latest = (
        sa.select(d.c.contract_id, sa.func.max(d.c.decision_id).label("last_id"))
        .where(d.c.kind.in_((WATCH_ADD, WATCH_REMOVE)))
        .group_by(d.c.contract_id)
        .subquery()
    )
    stmt = (
        sa.select(d.c.contract_id)
        .join(latest, latest.c.last_id == d.c.decision_id)
        .where(d.c.kind == WATCH_ADD)
        .order_by(d.c.contract_id)
    )
    with engine.connect() as conn:
        return tuple(conn.execute(stmt).scalars())


def approved_classifications(engine: Engine) -> list[dict[str, object]]:
    """Approved proposals as `committee_classifications` rows: per contract and month the latest."""
    p, a = committee_decisions.alias("p"), committee_decisions.alias("a")
    stmt = (
        sa.select(
            p.c.contract_id,
            p.c.effective_month,
            p.c.risk_class,
            p.c.decision_id.label("proposal_id"),
            p.c.actor.label("proposed_by"),
            a.c.actor.label("approved_by"),
            a.c.at.label("approved_at"),
        )
        .join(a, a.c.refers_to == p.c.decision_id)
        .where(p.c.kind == PROPOSE, a.c.kind == APPROVE)
        .order_by(p.c.decision_id)
    )
    with engine.connect() as conn:
        rows = [dict(row) for row in conn.execute(stmt).mappings()]
    latest = {(r["contract_id"], r["effective_month"]): r for r in rows}
    return [latest[key] for key in sorted(latest)]


def approved_for_build(warehouse_url: str) -> list[dict[str, object]]:
    """The approved proposals in the portal store of this warehouse (none when it has no store)."""
    try:
        url = portal_url(warehouse_url)
    except ValueError:  # an in-memory DuckDB warehouse has no portal store
        return []
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:" or not Path(database).exists():
            return []
    engine = portal_engine(url)
    try:
        return approved_classifications(engine)
    finally:
        engine.dispose()
