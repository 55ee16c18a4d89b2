"""Submitted filings: exact bytes archived with SHA-256, never changed afterwards, corrections with
a reason and a hand-worked cell difference (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from regulatory import filing
from regulatory.filing import FilingError
from regulatory.filing_archive import ArchiveCorrupt, read_archived
from regulatory.filing_diff import CellChange, cell_diff
from regulatory.filing_store import SUBMITTED, archive_row, get_version, versions
from tests.regulatory import filing_portal
from warehouse.portal.filings import (
    filing_archive,
    filing_events,
    filing_explanations,
    filing_validations,
    filing_versions,
)

portal = filing_portal.portal  # the portal-store fixture (SQLite and PostgreSQL)

PERIOD = dt.date(2024, 3, 31)
WORKBOOK = b"PK\x03\x04 the exact bytes of the G11 workbook \x00\xff"
# Version 1 as filed, and the corrected figures of version 2.
FILED = {
    "G11_1_C": Decimal("1200000.00"),
    "G11_1_D": Decimal("50000.00"),
    "G11_2_C": 3,
    "G11_3_A": "说明",
}
CORRECTED = {
    "G11_1_C": Decimal("1150000.00"),
    "G11_1_D": Decimal("100000.00"),
    "G11_2_C": 3,
    "G11_3_A": "说明",
    "G11_10_C": 7,
}


def _approved(engine: Engine, cells: dict, reason: str = "") -> int:
    """A version taken through draft → validated → reviewed → approved (by alice, then bob)."""
    v = filing.new_version(
        engine,
        report_code="G11",
        period=PERIOD,
        cells=cells,
        actor="alice",
        load_id=7,
        data_sha256="a" * 64,
        reason=reason,
    )
    filing.record_validation(engine, v, [], "alice")
    filing.submit_for_review(engine, v, "alice")
    filing.approve(engine, v, "bob")
    return v


def _filed(engine: Engine, cells: dict, archive: Path, workbook: bytes | Path = WORKBOOK) -> int:
    """A version taken through draft → validated → reviewed → submitted."""
    reason = "" if not versions(engine, "G11", PERIOD) else "补录漏报合同"
    v = _approved(engine, cells, reason)
    filing.submit(
        engine,
        v,
        "bob",
        workbook=workbook,
        file_name="G11_2024-03.xlsx",
        cells=cells,
        archive=archive,
    )
    return v


def test_archive_keeps_the_exact_bytes_and_their_sha256(portal: Engine, tmp_path: Path) -> None:
    v = _filed(portal, FILED, tmp_path)
    got = read_archived(portal, v, tmp_path)
    assert got.content == WORKBOOK
    assert (
        got.sha256
        == hashlib.sha256(WORKBOOK).hexdigest()
        == hashlib.sha256(got.content).hexdigest()
    )
    row = archive_row(portal, v)
    assert row is not None
    assert (row["load_id"], row["data_sha256"], row["size"]) == (7, "a" * 64, len(WORKBOOK))
    assert row["program_version"] == importlib.metadata.version("postloan")
    assert row["stored_path"] is None


def test_big_detail_goes_to_a_content_addressed_file(portal: Engine, tmp_path: Path) -> None:
    detail = tmp_path / "detail.xlsx"
    detail.write_bytes(b"detail " * 1000)
    digest = hashlib.sha256(detail.read_bytes()).hexdigest()
    archive = tmp_path / "archive"
    v = _filed(portal, FILED, archive, workbook=detail)
    stored = archive / digest[:2] / f"{digest}.xlsx"
    assert stored.read_bytes() == detail.read_bytes()
    assert archive_row(portal, v)["stored_path"] == f"{digest[:2]}/{digest}.xlsx"  # type: ignore[index]
    assert read_archived(portal, v, archive).content == detail.read_bytes()
    # A file changed on disk afterwards is refused at download, not handed out.
    stored.chmod(0o644)
    stored.write_bytes(b"tampered")
    with pytest.raises(ArchiveCorrupt, match="does not match"):
        read_archived(portal, v, archive)


TABLES = [filing_versions, filing_events, filing_validations, filing_explanations, filing_archive]


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_the_database_refuses_update_and_delete(
    portal: Engine, tmp_path: Path, table: sa.Table
) -> None:
    v = _filed(portal, FILED, tmp_path)
    filing.new_version(
        portal,
        report_code="G11",
        period=PERIOD,
        cells=CORRECTED,
        actor="alice",
        load_id=8,
        data_sha256="b" * 64,
        reason="更正",
    )
    with portal.begin() as conn:  # an explanation row exists on the correction
        draft = versions(conn, "G11", PERIOD)[0].version_id
    filing.explain(portal, draft, "G11_W1", "说明", "alice")
    key = next(iter(table.primary_key.columns))
    column = next(c for c in table.c if isinstance(c.type, sa.String | sa.Text) and c is not key)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), portal.begin() as conn:
        conn.execute(sa.update(table).values({column.name: "changed"}))
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), portal.begin() as conn:
        conn.execute(sa.delete(table))
    assert read_archived(portal, v, tmp_path).content == WORKBOOK
    assert get_version(portal, v).state == SUBMITTED


def test_archived_bytes_cannot_be_replaced(portal: Engine, tmp_path: Path) -> None:
    v = _filed(portal, FILED, tmp_path)
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), portal.begin() as conn:
        conn.execute(sa.update(filing_archive).values(content=b"other", sha256="0" * 64))
    assert read_archived(portal, v, tmp_path).content == WORKBOOK


def test_submitted_version_cannot_be_submitted_again(portal: Engine, tmp_path: Path) -> None:
    v = _filed(portal, FILED, tmp_path)
    with pytest.raises(FilingError, match="is submitted"):
        filing.submit(
            portal, v, "bob", workbook=b"x", file_name="x.xlsx", cells=FILED, archive=tmp_path
        )
    assert read_archived(portal, v, tmp_path).content == WORKBOOK


def test_submit_refuses_a_workbook_of_other_figures(portal: Engine, tmp_path: Path) -> None:
    v = _approved(portal, FILED)
    other = {**FILED, "G11_2_C": 4}
    with pytest.raises(FilingError, match="figures differ"):
        filing.submit(
            portal, v, "bob", workbook=b"x", file_name="x.xlsx", cells=other, archive=tmp_path
        )
    assert archive_row(portal, v) is None


def test_a_correction_needs_a_reason(portal: Engine, tmp_path: Path) -> None:
    _filed(portal, FILED, tmp_path)
    with pytest.raises(FilingError, match="更正报送"):
        filing.new_version(
            portal,
            report_code="G11",
            period=PERIOD,
            cells=CORRECTED,
            actor="alice",
            load_id=8,
            data_sha256="b" * 64,
        )
    assert len(versions(portal, "G11", PERIOD)) == 1


def test_a_correction_is_a_new_version_with_the_hand_worked_difference(
    portal: Engine, tmp_path: Path
) -> None:
    """Filed → corrected: G11_1_C 1,200,000.00 → 1,150,000.00 (−50,000.00); G11_1_D 50,000.00 →
    100,000.00 (+50,000.00); G11_10_C new at 7 (+7); G11_2_C (3) and G11_3_A (说明) unchanged.
    Rows in cell order: row 1 (C, D) before row 10."""
    first = _filed(portal, FILED, tmp_path)
    second = _filed(portal, CORRECTED, tmp_path)
    v2 = get_version(portal, second)
    assert (v2.version, v2.kind, v2.supersedes, v2.reason) == (
        2,
        "correction",
        first,
        "补录漏报合同",
    )
    assert get_version(portal, first).state == SUBMITTED  # the original stays as filed
    assert cell_diff(get_version(portal, first).cells, v2.cells) == [
        CellChange("G11_1_C", "1200000.00", "1150000.00", Decimal("-50000.00")),
        CellChange("G11_1_D", "50000.00", "100000.00", Decimal("50000.00")),
        CellChange("G11_10_C", None, 7, Decimal("7")),
    ]


def test_diff_of_text_cells_has_no_numeric_change() -> None:
    assert cell_diff({"X_1_A": "旧"}, {"X_1_A": "新"}) == [CellChange("X_1_A", "旧", "新", None)]
    assert cell_diff({"X_1_A": Decimal("1.0")}, {"X_1_A": "1.00"}) == []
