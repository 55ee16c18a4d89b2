"""The filing state machine on the portal store (SQLite and PostgreSQL): every legal move, every
illegal one refused with a clear error, maker ≠ checker, and the history kept as events."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from regulatory import filing
from regulatory.filing import FilingError, MakerCheckerError
from regulatory.filing_store import (
    DRAFT,
    REVIEWED,
    STATES,
    SUBMITTED,
    VALIDATED,
    WITHDRAWN,
    events,
    get_version,
    versions,
)
from regulatory.model import Finding
from tests.regulatory import filing_portal
from warehouse.portal.audit import audit_events
from warehouse.portal.filings import filing_events

portal = filing_portal.portal  # the portal-store fixture (SQLite and PostgreSQL)

PERIOD = dt.date(2024, 3, 31)
CELLS = {"G11_1_C": Decimal("1200000.00"), "G11_2_C": 3}
WARN = Finding("G11_W1", "warning", ("G11_9_C",), "重组仍在观察期", "re-restructured", 0, 1)
BLOCK = Finding("G11_T1", "blocking", ("G11_1_C",), "合计不等", "total differs", 10, 9)
MOVES = {
    VALIDATED: lambda e, v: filing.submit_for_review(e, v, "alice"),
    REVIEWED: lambda e, v: filing.approve(e, v, "bob"),
    SUBMITTED: lambda e, v: _submit(e, v),
    DRAFT: lambda e, v: filing.return_for_rework(e, v, "bob", "重做"),
    WITHDRAWN: lambda e, v: filing.withdraw(e, v, "alice", "不再报送"),
}


def _draft(engine: Engine, cells: dict[str, object] | None = None, actor: str = "alice") -> int:
    return filing.new_version(
        engine,
        report_code="G11",
        period=PERIOD,
        cells=cells or CELLS,
        actor=actor,
        load_id=7,
        data_sha256="a" * 64,
    )


def _submit(engine: Engine, version_id: int, actor: str = "bob") -> str:
    return filing.submit(
        engine,
        version_id,
        actor,
        workbook=b"PK workbook bytes",
        file_name="G11_2024-03.xlsx",
        cells=get_version(engine, version_id).cells,
        archive=None,  # type: ignore[arg-type]  # bytes never touch the file archive
    )


def _at(engine: Engine, state: str) -> int:
    """A version brought to `state` by the legal path (alice prepares, bob checks)."""
    v = _draft(engine)
    if state == WITHDRAWN:
        filing.withdraw(engine, v, "alice", "不再报送")
        return v
    path = [VALIDATED, REVIEWED, SUBMITTED]
    if state != DRAFT:
        filing.record_validation(engine, v, [], "alice")
    for step in path[: path.index(state) + 1] if state in path else []:
        MOVES[step](engine, v)
    return v


def _trail(engine: Engine, v: int) -> list[tuple[str | None, str, str]]:
    return [(e["from_state"], e["to_state"], e["actor"]) for e in events(engine, v)]


def test_the_whole_legal_path_leaves_one_event_per_move(portal: Engine) -> None:
    v = _draft(portal)
    filing.record_validation(portal, v, [WARN], "alice")
    filing.explain(portal, v, "G11_W1", "该合同重组后按期还款，已报风控委员会。", "alice")
    filing.submit_for_review(portal, v, "alice")
    filing.approve(portal, v, "bob", "核对无误")
    _submit(portal, v)
    assert get_version(portal, v).state == SUBMITTED
    assert _trail(portal, v) == [
        (None, DRAFT, "alice"),
        (DRAFT, VALIDATED, "alice"),
        (VALIDATED, REVIEWED, "bob"),
        (REVIEWED, SUBMITTED, "bob"),
    ]
    with portal.connect() as conn:
        audited = conn.execute(
            sa.select(audit_events.c.actor, audit_events.c.target).where(
                audit_events.c.action == "filing_transition"
            )
        ).all()
    assert audited == [("alice", "G11/2024-03-31/v1")] * 2 + [("bob", "G11/2024-03-31/v1")] * 2


@pytest.mark.parametrize("start", [VALIDATED, REVIEWED])
def test_return_for_rework_is_a_new_event_back_to_draft(portal: Engine, start: str) -> None:
    v = _at(portal, start)
    filing.return_for_rework(portal, v, "bob", "逾期表口径需复核")
    assert get_version(portal, v).state == DRAFT
    last = events(portal, v)[-1]
    assert (last["from_state"], last["to_state"], last["note"]) == (
        start,
        DRAFT,
        "逾期表口径需复核",
    )
    assert get_version(portal, v).cells == {"G11_1_C": "1200000.00", "G11_2_C": 3}


@pytest.mark.parametrize("start", [DRAFT, VALIDATED, REVIEWED])
def test_a_new_draft_withdraws_the_open_version(portal: Engine, start: str) -> None:
    old = _at(portal, start)
    new = _draft(portal, {"G11_1_C": Decimal("1.00")})
    assert get_version(portal, old).state == WITHDRAWN
    assert [(x.version, x.state, x.kind) for x in versions(portal, "G11", PERIOD)] == [
        (2, DRAFT, "original"),
        (1, WITHDRAWN, "original"),
    ]
    assert get_version(portal, new).version == 2


ILLEGAL = [
    (a, b)
    for a, b in itertools.product(STATES, STATES)
    if (a, b) not in filing.TRANSITIONS and b in MOVES
]


@pytest.mark.parametrize(("start", "to"), ILLEGAL)
def test_every_illegal_move_is_refused_and_changes_nothing(
    portal: Engine, start: str, to: str
) -> None:
    v = _at(portal, start)
    before = _trail(portal, v)
    with pytest.raises(FilingError):
        MOVES[to](portal, v)
    assert get_version(portal, v).state == start
    assert _trail(portal, v) == before


def test_illegal_move_says_where_the_filing_stands(portal: Engine) -> None:
    v = _at(portal, DRAFT)
    with pytest.raises(FilingError, match=r"G11/2024-03-31/v1 is draft: it cannot go to reviewed"):
        filing.approve(portal, v, "bob")


def test_the_preparer_cannot_approve(portal: Engine) -> None:
    v = _at(portal, VALIDATED)
    with pytest.raises(MakerCheckerError, match="alice prepared this version"):
        filing.approve(portal, v, "alice")
    assert get_version(portal, v).state == VALIDATED
    filing.approve(portal, v, "bob")
    assert get_version(portal, v).state == REVIEWED


def test_whoever_submitted_for_review_cannot_approve_either(portal: Engine) -> None:
    v = _draft(portal, actor="alice")
    filing.record_validation(portal, v, [], "carol")
    filing.submit_for_review(portal, v, "carol")
    with pytest.raises(MakerCheckerError):
        filing.approve(portal, v, "carol")
    with pytest.raises(MakerCheckerError):
        filing.approve(portal, v, "alice")
    filing.approve(portal, v, "bob")
    assert filing.preparers(portal, v) == {"alice", "carol"}


def test_review_needs_a_validation_first(portal: Engine) -> None:
    v = _draft(portal)
    with pytest.raises(FilingError, match="run the validation first"):
        filing.submit_for_review(portal, v, "alice")


def test_a_blocking_finding_stops_the_review(portal: Engine) -> None:
    v = _draft(portal)
    filing.record_validation(portal, v, [BLOCK, WARN], "alice")
    filing.explain(portal, v, "G11_W1", "已说明", "alice")
    with pytest.raises(FilingError, match="1 blocking finding"):
        filing.submit_for_review(portal, v, "alice")
    assert get_version(portal, v).state == DRAFT


def test_every_warning_needs_a_written_explanation(portal: Engine) -> None:
    v = _draft(portal)
    filing.record_validation(portal, v, [WARN], "alice")
    assert filing.unexplained_warnings(portal, v) == ["G11_W1"]
    with pytest.raises(FilingError, match="G11_W1"):
        filing.submit_for_review(portal, v, "alice")
    with pytest.raises(FilingError, match="cannot be empty"):
        filing.explain(portal, v, "G11_W1", "   ", "alice")
    filing.explain(portal, v, "G11_W1", "观察期内按期还款", "alice")
    assert filing.unexplained_warnings(portal, v) == []
    filing.submit_for_review(portal, v, "alice")
    assert get_version(portal, v).state == VALIDATED


def test_rework_needs_a_note(portal: Engine) -> None:
    v = _at(portal, VALIDATED)
    with pytest.raises(FilingError, match="rework"):
        filing.return_for_rework(portal, v, "bob", " ")
    assert get_version(portal, v).state == VALIDATED


def test_two_moves_cannot_take_the_same_place_in_the_history(portal: Engine) -> None:
    """Two reviewers act on the same validated version: both compute event seq 3; the database's
    unique (version_id, seq) lets only the first in, so a stale screen cannot overwrite a move."""
    v = _at(portal, VALIDATED)
    filing.approve(portal, v, "bob")
    stale = {"version_id": v, "seq": 3, "at": PERIOD, "actor": "dave", "to_state": REVIEWED}
    with pytest.raises(sa.exc.IntegrityError), portal.begin() as conn:
        conn.execute(sa.insert(filing_events).values(note="", **stale))
    assert [e["actor"] for e in events(portal, v)] == ["alice", "alice", "bob"]
