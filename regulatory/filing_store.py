"""Reading the filing store (versions with their state, events, validations, explanations) and
the JSON forms in which cells and findings are stored.

A version's state is the `to_state` of its latest event (events are append-only), so the state
is never stored twice and can never disagree with the history. Cells are kept as JSON text with
exact values (Decimal written as its string), so a correction's difference is exact.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from warehouse.portal.filings import (
    filing_archive,
    filing_events,
    filing_explanations,
    filing_validations,
    filing_versions,
)

DRAFT, VALIDATED, REVIEWED, SUBMITTED, WITHDRAWN = (
    "draft",
    "validated",
    "reviewed",
    "submitted",
    "withdrawn",
)
STATES: tuple[str, ...] = (DRAFT, VALIDATED, REVIEWED, SUBMITTED, WITHDRAWN)
OPEN_STATES: frozenset[str] = frozenset({DRAFT, VALIDATED, REVIEWED})

Bind = Engine | Connection


@dataclass(frozen=True)
class FilingVersion:
    """One version of a report for a period, with its current state."""

    version_id: int
    report_code: str
    period: dt.date
    version: int
    kind: str
    reason: str
    supersedes: int | None
    created_at: dt.datetime
    created_by: str
    load_id: int | None
    data_sha256: str | None
    cells: dict[str, object] = field(repr=False)
    state: str


@dataclass(frozen=True)
class Validation:
    """One stored validation run of a version."""

    validation_id: int
    at: dt.datetime
    actor: str
    blocking: int
    warnings: int
    findings: tuple[dict[str, object], ...]


def _exact(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | float):
        return str(Decimal(str(value)))
    return str(value)


def encode_cells(cells: Mapping[str, object]) -> str:
    """Cells as canonical JSON: sorted keys, Decimal and float values as exact strings."""
    return json.dumps(
        {str(k): _exact(v) for k, v in cells.items()}, ensure_ascii=False, sort_keys=True
    )


def decode_cells(text: str) -> dict[str, object]:
    """Cells from their stored JSON (numbers that were Decimal come back as strings)."""
    return dict(json.loads(text))


def finding_row(finding: object) -> dict[str, object]:
    """A finding (validation.Finding or a mapping) as a plain JSON-ready dict."""
    keys = ("rule_id", "severity", "cells", "message_zh", "message_en", "expected", "actual")
    get = finding.get if isinstance(finding, Mapping) else lambda k: getattr(finding, k, None)
    row = {k: get(k) for k in keys}
    row["cells"] = [str(c) for c in (row["cells"] or ())]
    for k in ("expected", "actual"):
        row[k] = None if row[k] is None else str(row[k])
    contracts = get("contracts")  # a finding that names contracts links to their dossiers
    if contracts:
        row["contracts"] = [str(c) for c in contracts]
    return row


def _run(bind: Bind, stmt: sa.Executable) -> list[sa.RowMapping]:
    if isinstance(bind, Connection):
        return list(bind.execute(stmt).mappings())
    with bind.connect() as conn:
        return list(conn.execute(stmt).mappings())


def _latest_events() -> sa.Subquery:
    ev = filing_events
    last = (
        sa.select(ev.c.version_id, sa.func.max(ev.c.seq).label("seq"))
        .group_by(ev.c.version_id)
        .subquery("last")
    )
    return (
        sa.select(ev.c.version_id, ev.c.seq, ev.c.to_state)
        .join(last, sa.and_(last.c.version_id == ev.c.version_id, last.c.seq == ev.c.seq))
        .subquery("latest")
    )


def _versions_stmt() -> sa.Select:
    latest = _latest_events()
    v = filing_versions
    return sa.select(v, latest.c.to_state.label("state")).join(
        latest, latest.c.version_id == v.c.version_id
    )


def _version(row: sa.RowMapping) -> FilingVersion:
    return FilingVersion(
        version_id=int(row["version_id"]),
        report_code=str(row["report_code"]),
        period=row["period"],
        version=int(row["version"]),
        kind=str(row["kind"]),
        reason=str(row["reason"] or ""),
        supersedes=row["supersedes"],
        created_at=row["created_at"],
        created_by=str(row["created_by"]),
        load_id=row["load_id"],
        data_sha256=row["data_sha256"],
        cells=decode_cells(str(row["cells"])),
        state=str(row["state"]),
    )


def get_version(bind: Bind, version_id: int) -> FilingVersion:
    """The version `version_id` with its state (LookupError when there is none)."""
    rows = _run(bind, _versions_stmt().where(filing_versions.c.version_id == version_id))
    if not rows:
        raise LookupError(f"no filing version {version_id}")
    return _version(rows[0])


def versions(bind: Bind, report_code: str, period: dt.date) -> list[FilingVersion]:
    """Every version of `report_code` for `period`, newest first."""
    v = filing_versions
    stmt = (
        _versions_stmt()
        .where(v.c.report_code == report_code, v.c.period == period)
        .order_by(v.c.version.desc())
    )
    return [_version(r) for r in _run(bind, stmt)]


def versions_between(bind: Bind, first: dt.date, last: dt.date) -> list[FilingVersion]:
    """Every version of every report with a period end in [first, last], oldest first."""
    v = filing_versions
    stmt = (
        _versions_stmt()
        .where(v.c.period >= first, v.c.period <= last)
        .order_by(v.c.report_code, v.c.period, v.c.version)
    )
    return [_version(r) for r in _run(bind, stmt)]


def events(bind: Bind, version_id: int) -> list[dict[str, object]]:
    """The state changes of a version, oldest first."""
    ev = filing_events
    stmt = sa.select(ev).where(ev.c.version_id == version_id).order_by(ev.c.seq)
    return [dict(r) for r in _run(bind, stmt)]


def latest_validation(bind: Bind, version_id: int) -> Validation | None:
    """The most recent validation run of a version, if any."""
    va = filing_validations
    stmt = (
        sa.select(va)
        .where(va.c.version_id == version_id)
        .order_by(va.c.validation_id.desc())
        .limit(1)
    )
    rows = _run(bind, stmt)
    if not rows:
        return None
    r = rows[0]
    findings = tuple(json.loads(str(r["findings"])))
    return Validation(
        int(r["validation_id"]),
        r["at"],
        str(r["actor"]),
        int(r["blocking"]),
        int(r["warnings"]),
        findings,
    )


def explanations(bind: Bind, version_id: int) -> dict[str, str]:
    """The preparer's explanation per rule id (the latest written for each rule)."""
    ex = filing_explanations
    stmt = sa.select(ex).where(ex.c.version_id == version_id).order_by(ex.c.explanation_id)
    return {str(r["rule_id"]): str(r["text"]) for r in _run(bind, stmt)}


def archive_row(bind: Bind, version_id: int) -> dict[str, object] | None:
    """The archive record of a submitted version (without its bytes), if any."""
    ar = filing_archive
    columns = [c for c in ar.c if c.name != "content"]
    rows = _run(bind, sa.select(*columns).where(ar.c.version_id == version_id))
    return dict(rows[0]) if rows else None
