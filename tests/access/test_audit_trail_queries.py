"""Reading the audit trail with filters (queries/audit_trail.py), on SQLite and PostgreSQL.

The trail of the fixture, times UTC (Beijing = UTC+8):
  1  2024-03-01 01:00  li.lei     sign_in      ""
  2  2024-03-01 02:00  li.lei     download     "contracts"   details {"page": "contracts.py"}
  3  2024-03-02 15:30  han.mei    export       "audit_trail"
  4  2024-03-03 09:00  han.mei    download     "100%_sure"   (a target with LIKE wildcards)
  5  2024-03-04 00:00  admin      user_admin   "li.lei"      details {"change": "disable"}
Newest first: 5, 4, 3, 2, 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import audit_trail
from queries.audit_trail import AuditFilter
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.audit import audit_events


def utc(*parts: int) -> datetime:
    """A naive UTC time, as the trail stores it."""
    return datetime(*parts, tzinfo=UTC).replace(tzinfo=None)


TRAIL = [
    (utc(2024, 3, 1, 1, 0), "li.lei", "sign_in", "", {}),
    (utc(2024, 3, 1, 2, 0), "li.lei", "download", "contracts", {"page": "contracts.py"}),
    (utc(2024, 3, 2, 15, 30), "han.mei", "export", "audit_trail", {}),
    (utc(2024, 3, 3, 9, 0), "han.mei", "download", "100%_sure", {}),
    (utc(2024, 3, 4, 0, 0), "admin", "user_admin", "li.lei", {"change": "disable"}),
]


@pytest.fixture
def trail(db_url: str) -> Iterator[Engine]:
    """The portal store of a fresh warehouse holding the five rows above."""
    engine = portal_engine(portal_url(db_url))
    with engine.begin() as conn:
        for at, actor, action, target, details in TRAIL:
            conn.execute(
                sa.insert(audit_events).values(
                    at=at, actor=actor, action=action, target=target, details=json.dumps(details)
                )
            )
    yield engine
    engine.dispose()


def ids(engine: Engine, f: AuditFilter, **page: int) -> list[int]:
    return [int(v) for v in audit_trail.events(engine, f, **page)["event_id"]]


def test_no_filter_lists_everything_newest_first(trail: Engine) -> None:
    assert ids(trail, AuditFilter()) == [5, 4, 3, 2, 1]
    assert audit_trail.count(trail, AuditFilter()) == 5


def test_time_range_includes_since_and_excludes_until(trail: Engine) -> None:
    """[03-01 02:00, 03-03 09:00) holds rows 2 and 3."""
    f = AuditFilter(since=utc(2024, 3, 1, 2, 0), until=utc(2024, 3, 3, 9, 0))
    assert ids(trail, f) == [3, 2]


def test_actor_and_actions_filter(trail: Engine) -> None:
    assert ids(trail, AuditFilter(actor="han.mei")) == [4, 3]
    assert ids(trail, AuditFilter(actions=("download", "export"))) == [4, 3, 2]
    assert ids(trail, AuditFilter(actor="li.lei", actions=("download",))) == [2]


def test_text_searches_target_and_details_case_blind(trail: Engine) -> None:
    """'LI.LEI' is row 5's target; 'contracts.py' sits in row 2's details."""
    assert ids(trail, AuditFilter(text="LI.LEI")) == [5]
    assert ids(trail, AuditFilter(text="contracts.py")) == [2]


def test_like_wildcards_in_the_text_match_literally(trail: Engine) -> None:
    """'%' alone would match every row; typed by a user it only matches row 4's '100%_sure'."""
    assert ids(trail, AuditFilter(text="%")) == [4]
    assert ids(trail, AuditFilter(text="0%_s")) == [4]
    # '_' alone would match any character; literally it is in audit_trail and 100%_sure only.
    assert ids(trail, AuditFilter(text="_")) == [4, 3]


def test_injection_text_is_just_text(trail: Engine) -> None:
    """SQL in the search box finds nothing and leaves the trail as it was."""
    for text in ("' OR 1=1 --", '"; DROP TABLE audit_events; --', "x' UNION SELECT 1 --"):
        assert ids(trail, AuditFilter(text=text)) == []
    assert audit_trail.count(trail, AuditFilter()) == 5


def test_paging_is_bounded_and_ordered(trail: Engine) -> None:
    assert ids(trail, AuditFilter(), limit=2, offset=0) == [5, 4]
    assert ids(trail, AuditFilter(), limit=2, offset=4) == [1]
    big = audit_trail.events_statement(AuditFilter(), limit=10**9)
    assert big.compile().params["param_1"] == audit_trail.MAX_PAGE


def test_unknown_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown audit actions"):
        AuditFilter(actions=("drop_table",))


def test_actors_are_listed_once_each(trail: Engine) -> None:
    assert audit_trail.actors(trail) == ["admin", "han.mei", "li.lei"]


def test_export_rows_hold_every_match(trail: Engine) -> None:
    rows = audit_trail.export_rows(trail, AuditFilter(actions=("download",)))
    assert list(rows["target"]) == ["100%_sure", "contracts"]
