"""The filing workflow (maker-checker) over the portal store, Streamlit-free.

Per report and period there are versions; each moves draft → validated (no blocking finding and
every warning explained by the preparer) → reviewed (approved by a second compliance user, never
the preparer) → submitted (the exact workbook archived with its SHA-256, the data fingerprint and
the program version). Before submission a version may be returned to draft for rework or
withdrawn when a newer draft replaces it. Once a version is submitted, a change is a correction
(更正报送): a new version with a mandatory reason. Every state change is an append-only event and
an audit row written in the same transaction; an illegal move raises `FilingError`.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from regulatory.filing_archive import sha256_bytes, store_file
from regulatory.filing_store import (
    DRAFT,
    OPEN_STATES,
    REVIEWED,
    SUBMITTED,
    VALIDATED,
    WITHDRAWN,
    FilingVersion,
    encode_cells,
    events,
    explanations,
    finding_row,
    get_version,
    latest_validation,
    versions,
)
from warehouse.portal import utc_now
from warehouse.portal.audit import record
from warehouse.portal.filings import (
    filing_archive,
    filing_events,
    filing_explanations,
    filing_validations,
    filing_versions,
)

BLOCKING, WARNING = "blocking", "warning"

# The legal moves: (from, to) -> what the move is called in errors and events.
TRANSITIONS: dict[tuple[str, str], str] = {
    (DRAFT, VALIDATED): "submit for review",
    (VALIDATED, REVIEWED): "approve",
    (REVIEWED, SUBMITTED): "submit",
    (VALIDATED, DRAFT): "return for rework",
    (REVIEWED, DRAFT): "return for rework",
    (DRAFT, WITHDRAWN): "withdraw",
    (VALIDATED, WITHDRAWN): "withdraw",
    (REVIEWED, WITHDRAWN): "withdraw",
}


class FilingError(ValueError):
    """A filing step that is not allowed now (wrong state, missing reason, same person…)."""


class MakerCheckerError(FilingError):
    """The preparer of a version tried to approve it."""


def program_version() -> str:
    """The installed version of postloan, recorded with every submission."""
    return importlib.metadata.version("postloan")


def _target(v: FilingVersion) -> str:
    return f"{v.report_code}/{v.period.isoformat()}/v{v.version}"


def _add_event(
    conn: Connection,
    version_id: int,
    target: str,
    move: tuple[str | None, str],
    actor: str,
    note: str,
) -> None:
    before, after = move
    seq = len(events(conn, version_id)) + 1
    try:
        conn.execute(
            filing_events.insert().values(
                version_id=version_id,
                seq=seq,
                at=utc_now(),
                actor=actor,
                from_state=before,
                to_state=after,
                note=note,
            )
        )
    except sa.exc.IntegrityError as exc:  # the unique (version_id, seq): a concurrent move won
        raise FilingError(f"{target} was changed by someone else meanwhile; reload") from exc
    details = {"from": before, "to": after, "note": note, "version_id": version_id}
    record(conn, actor=actor, action="filing_transition", target=target, details=details)


def _move(conn: Connection, version_id: int, to: str, actor: str, note: str) -> FilingVersion:
    v = get_version(conn, version_id)
    if (v.state, to) not in TRANSITIONS:
        raise FilingError(f"{_target(v)} is {v.state}: it cannot go to {to}")
    _add_event(conn, version_id, _target(v), (v.state, to), actor, note)
    return v


def new_version(
    engine: Engine,
    *,
    report_code: str,
    period: dt.date,
    cells: Mapping[str, object],
    actor: str,
    load_id: int | None,
    data_sha256: str | None,
    reason: str = "",
) -> int:
    """A new draft version with the report's cells; a correction once a version was submitted.

    An open (unsubmitted) version of the same report and period is withdrawn in the same
    transaction. After a submission the new version is a correction and needs a reason.
    """
    with engine.begin() as conn:
        existing = versions(conn, report_code, period)
        submitted = [x for x in existing if x.state == SUBMITTED]
        if submitted and not reason.strip():
            raise FilingError(
                f"{report_code} {period.isoformat()} was already submitted: "
                "a correction (更正报送) needs a reason"
            )
        number = (existing[0].version if existing else 0) + 1
        for old in existing:
            if old.state in OPEN_STATES:
                _move(conn, old.version_id, WITHDRAWN, actor, f"replaced by version {number}")
        result = conn.execute(
            filing_versions.insert().values(
                report_code=report_code,
                period=period,
                version=number,
                kind="correction" if submitted else "original",
                reason=reason.strip(),
                supersedes=submitted[0].version_id if submitted else None,
                created_at=utc_now(),
                created_by=actor,
                load_id=load_id,
                data_sha256=data_sha256,
                cells=encode_cells(cells),
            )
        )
        version_id = int(result.inserted_primary_key[0])
        target = f"{report_code}/{period.isoformat()}/v{number}"
        _add_event(conn, version_id, target, (None, DRAFT), actor, reason.strip())
    return version_id


def record_validation(
    engine: Engine, version_id: int, findings: Iterable[object], actor: str
) -> int:
    """Store one validation run of a draft; its id."""
    rows = [finding_row(f) for f in findings]
    with engine.begin() as conn:
        v = get_version(conn, version_id)
        if v.state != DRAFT:
            raise FilingError(f"{_target(v)} is {v.state}: only a draft is validated")
        result = conn.execute(
            filing_validations.insert().values(
                version_id=version_id,
                at=utc_now(),
                actor=actor,
                blocking=sum(r["severity"] == BLOCKING for r in rows),
                warnings=sum(r["severity"] == WARNING for r in rows),
                findings=json.dumps(rows, ensure_ascii=False, sort_keys=True),
            )
        )
        return int(result.inserted_primary_key[0])


def explain(engine: Engine, version_id: int, rule_id: str, text: str, actor: str) -> None:
    """Record the preparer's explanation of a warning on a draft."""
    if not text.strip():
        raise FilingError("an explanation cannot be empty")
    with engine.begin() as conn:
        v = get_version(conn, version_id)
        if v.state != DRAFT:
            raise FilingError(f"{_target(v)} is {v.state}: explanations are written on a draft")
        conn.execute(
            filing_explanations.insert().values(
                version_id=version_id, rule_id=rule_id, at=utc_now(), actor=actor, text=text.strip()
            )
        )


def unexplained_warnings(engine: Engine | Connection, version_id: int) -> list[str]:
    """Rule ids of the latest validation's warnings that still lack an explanation."""
    check = latest_validation(engine, version_id)
    said = explanations(engine, version_id)
    found = check.findings if check else ()
    rules = {str(f["rule_id"]) for f in found if f["severity"] == WARNING}
    return sorted(r for r in rules if not said.get(r, "").strip())


def submit_for_review(engine: Engine, version_id: int, actor: str, note: str = "") -> None:
    """draft → validated: needs a validation with no blocking finding, every warning explained."""
    with engine.begin() as conn:
        check = latest_validation(conn, version_id)
        if check is None:
            raise FilingError("run the validation first")
        if check.blocking:
            raise FilingError(f"{check.blocking} blocking finding(s): fix the data first")
        missing = unexplained_warnings(conn, version_id)
        if missing:
            raise FilingError(f"warnings without an explanation: {', '.join(missing)}")
        _move(conn, version_id, VALIDATED, actor, note)


def preparers(engine: Engine | Connection, version_id: int) -> set[str]:
    """Who made the version: its creator and whoever submitted it for review."""
    v = get_version(engine, version_id)
    makers = {v.created_by}
    makers |= {str(e["actor"]) for e in events(engine, version_id) if e["to_state"] == VALIDATED}
    return makers


def approve(engine: Engine, version_id: int, actor: str, note: str = "") -> None:
    """validated → reviewed, by a second compliance user: never the version's preparer."""
    with engine.begin() as conn:
        if actor in preparers(conn, version_id):
            raise MakerCheckerError(f"{actor} prepared this version and cannot also approve it")
        _move(conn, version_id, REVIEWED, actor, note)


def return_for_rework(engine: Engine, version_id: int, actor: str, note: str) -> None:
    """validated or reviewed → draft, with a note saying what to rework."""
    if not note.strip():
        raise FilingError("say what needs rework")
    with engine.begin() as conn:
        v = get_version(conn, version_id)
        if v.state not in (VALIDATED, REVIEWED):
            raise FilingError(f"{_target(v)} is {v.state}: it cannot go to {DRAFT}")
        _move(conn, version_id, DRAFT, actor, note.strip())


def withdraw(engine: Engine, version_id: int, actor: str, note: str) -> None:
    """An unsubmitted version → withdrawn (it will never be filed)."""
    with engine.begin() as conn:
        _move(conn, version_id, WITHDRAWN, actor, note)


def submit(
    engine: Engine,
    version_id: int,
    actor: str,
    *,
    workbook: bytes | Path,
    file_name: str,
    cells: Mapping[str, object],
    archive: Path,
    note: str = "",
) -> str:
    """reviewed → submitted: archive the exact workbook; its SHA-256.

    `cells` are those the workbook was rendered from: they must equal the reviewed version's, so
    the filed bytes are the figures that were checked. Bytes go into the portal database; a file
    (the big detail) is copied into the content-addressed archive under `archive`.
    """
    v = get_version(engine, version_id)
    if encode_cells(cells) != encode_cells(v.cells):
        raise FilingError(f"the workbook's figures differ from reviewed {_target(v)}")
    if isinstance(workbook, Path):
        stored_path, sha, size = store_file(workbook, archive)
        content = None
    else:
        stored_path, sha, size, content = None, sha256_bytes(workbook), len(workbook), workbook
    with engine.begin() as conn:
        v = _move(conn, version_id, SUBMITTED, actor, note)
        conn.execute(
            filing_archive.insert().values(
                version_id=version_id,
                submitted_at=utc_now(),
                submitted_by=actor,
                file_name=file_name,
                sha256=sha,
                size=size,
                content=content,
                stored_path=stored_path,
                load_id=v.load_id,
                data_sha256=v.data_sha256,
                program_version=program_version(),
            )
        )
        record(
            conn,
            actor=actor,
            action="export",
            target=_target(v),
            details={"file_name": file_name, "archived": True},
            sha256=sha,
        )
    return sha
