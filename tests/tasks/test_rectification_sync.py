"""The ledger's sync on real sources: a stored data-check run, filing validations and a filing
correction make a hand-counted set of items; a second sync (and `postloan rectification sync`)
makes nothing new; a fixed finding is marked, not closed.

Each test runs on a DuckDB warehouse with its SQLite portal store and on PostgreSQL (`db_url`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from dashboard.cli.main import main
from data_checks.runner import CheckResult, CheckRun
from data_checks.store import save_run
from regulatory import filing
from tasks.rectification import sync
from tests.regulatory.filing_portal import filed
from tests.tasks.rectification_people import NOW, staffed_portal
from warehouse.portal.rectification import rectification_items
from warehouse.settings import Settings, load_settings

FRIDAY = dt.date(2026, 12, 4)
NOVEMBER = dt.date(2026, 11, 30)


def _result(check_id: str, severity: str, status: str, rows: int) -> CheckResult:
    examples = ({"contract_id": "C1", "lessee_name": "张三"},) if rows else ()
    return CheckResult(check_id, "contract", "", severity, status, rows, examples)


CHECK_RUN = CheckRun(
    run_at=NOW,
    as_of=NOVEMBER,
    load_id=1,
    sha256="a" * 64,
    seconds=1.0,
    results=(
        _result("contract_pk", "blocking", "failed", 2),  # a finding
        _result("payment_fk", "blocking", "error", 0),  # could not run: a finding
        _result("rate_range", "warning", "failed", 7),  # a warning: not in the ledger
        _result("lessee_pk", "blocking", "passed", 0),
    ),
)


def _finding(rule: str, severity: str) -> dict[str, object]:
    return {
        "rule_id": rule,
        "severity": severity,
        "cells": ["G01_1_A"],
        "message_zh": f"{rule} 不成立",
        "message_en": f"{rule} does not hold",
    }


@pytest.fixture
def portal(db_url: str) -> Iterator[Engine]:
    """The portal store of the `db_url` warehouse, with people."""
    yield from staffed_portal(db_url)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """The default settings (5, 5 and 10 working days)."""
    return load_settings(tmp_path / "absent.toml")


def _sources(db_url: str, portal: Engine, archive: Path) -> int:
    """Two data-check findings, two validation findings (R1 blocking, W1 unexplained; W2 is
    explained), one corrected filing; returns the draft G01 version."""
    save_run(db_url, CHECK_RUN)
    draft = filing.new_version(
        portal,
        report_code="G01",
        period=NOVEMBER,
        cells={"G01_1_A": 1},
        actor="comp1",
        load_id=1,
        data_sha256="a" * 64,
    )
    findings = [_finding("R1", "blocking"), _finding("W1", "warning"), _finding("W2", "warning")]
    filing.record_validation(portal, draft, findings, "comp1")
    filing.explain(portal, draft, "W2", "seasonal", "comp1")
    october = dt.date(2026, 10, 31)
    first = filed(portal, "G02", october, archive)
    for reason in ("wrong FX rate", "wrong FX rate, second try"):
        filing.new_version(
            portal,
            report_code="G02",
            period=october,
            cells={"G02_1_A": 2},
            actor="comp1",
            load_id=1,
            data_sha256="a" * 64,
            reason=reason,
        )
    assert first
    return draft


def _ledger(portal: Engine) -> list[tuple]:
    i = rectification_items.c
    stmt = sa.select(i.source_key, i.source, i.deadline, i.status, i.finding_present)
    with portal.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(stmt))


def test_sync_makes_one_item_per_finding_once(
    db_url: str, portal: Engine, settings: Settings, tmp_path: Path
) -> None:
    """5 items: contract_pk, payment_fk, R1, W1 and the corrected G02 (both correction drafts
    are one finding); deadlines Fri 4 Dec + 5 / 5 / 10 working days."""
    _sources(db_url, portal, tmp_path / "archive")
    first = sync(portal, db_url, settings, today=FRIDAY, now=NOW)
    assert (len(first.created), first.unread) == (5, ())
    corrected = filing.versions(portal, "G02", dt.date(2026, 10, 31))[-1].version_id
    due5, due10 = dt.date(2026, 12, 11), dt.date(2026, 12, 18)
    assert _ledger(portal) == [
        ("check:contract_pk#1", "data_check", due5, "open", True),
        ("check:payment_fk#1", "data_check", due5, "open", True),
        (f"correction:{corrected}#1", "correction", due10, "open", True),
        ("validation:G01:2026-11-30:R1#1", "validation", due5, "open", True),
        ("validation:G01:2026-11-30:W1#1", "validation", due5, "open", True),
    ]
    second = sync(portal, db_url, settings, today=FRIDAY, now=NOW + dt.timedelta(hours=1))
    assert not second.changed
    with portal.connect() as conn:
        described = conn.execute(
            sa.select(rectification_items.c.description).where(
                rectification_items.c.source_key == "check:contract_pk#1"
            )
        ).scalar_one()
    assert described == "failed: 2 rows of contract fail; first: C1"  # the name is left out


def test_a_fixed_finding_is_marked_gone_and_stays_open(
    db_url: str, portal: Engine, settings: Settings, tmp_path: Path
) -> None:
    """G01 validated again with only W1: the R1 item is 'finding no longer present', still open."""
    draft = _sources(db_url, portal, tmp_path / "archive")
    sync(portal, db_url, settings, today=FRIDAY, now=NOW)
    filing.record_validation(portal, draft, [_finding("W1", "warning")], "comp1")
    again = sync(portal, db_url, settings, today=FRIDAY, now=NOW + dt.timedelta(hours=1))
    assert (len(again.created), len(again.gone)) == (0, 1)
    r1 = [r for r in _ledger(portal) if r[0].startswith("validation:G01:2026-11-30:R1")]
    assert r1 == [
        ("validation:G01:2026-11-30:R1#1", "validation", dt.date(2026, 12, 11), "open", False)
    ]


def test_without_a_check_run_data_check_items_are_left_alone(
    db_url: str, portal: Engine, settings: Settings
) -> None:
    """No stored check run: the data-check source is reported unread, nothing is made from it."""
    done = sync(portal, db_url, settings, today=FRIDAY, now=NOW)
    assert (done.created, done.unread) == ((), ("data_check",))


def test_postloan_rectification_sync_twice_then_list(
    db_url: str,
    portal: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The command makes the five items, then none; `list --status open` prints five lines."""
    monkeypatch.setenv("POSTLOAN_SETTINGS", str(tmp_path / "absent.toml"))
    _sources(db_url, portal, tmp_path / "archive")
    assert main(["rectification", "sync", "--warehouse", db_url]) == 0
    assert main(["rectification", "sync", "--warehouse", db_url]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("rectification ledger: 5 new, 0 finding gone")
    assert out[1].startswith("rectification ledger: 0 new, 0 finding gone, 0 finding back")
    assert main(["rectification", "list", "--status", "open", "--warehouse", db_url]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 5 and all(" open " in line for line in listed)
    assert main(["rectification", "list", "--status", "shut", "--warehouse", db_url]) == 2
    assert "unknown status shut" in capsys.readouterr().err
