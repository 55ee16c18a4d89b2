"""One report and period on the 监管报送 page: its compiled data, validation and workbooks.

`Filing` holds what the panel needs (warehouse state, settings, spec, period, compiled report);
the workbook it renders names the version's preparer and reviewer on the cover and carries the
latest validation's findings with the preparer's explanations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from dashboard.data import portal_store
from dashboard.data.source import WarehouseState, warehouse_engine
from dashboard.filing import view as view
from regulatory.cover import make_cover
from regulatory.detail import UNIT as DETAIL_UNIT
from regulatory.detail import write_detail
from regulatory.filing_archive import archive_dir
from regulatory.filing_store import REVIEWED, FilingVersion, events, explanations, finding_row
from regulatory.filing_store import latest_validation as stored_validation
from regulatory.model import Cover, Finding, ReportData, ReportSpec
from regulatory.validation import validate
from regulatory.workbook import render_workbook
from warehouse.portal import utc_now
from warehouse.settings import Settings

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Filing:
    """A report for a period on the state's load, compiled."""

    state: WarehouseState
    settings: Settings
    spec: ReportSpec
    period: dt.date
    report: ReportData

    def validate(self, progress: Progress) -> list[dict[str, object]]:
        """Compile every report due this period, run the rules; the findings touching this one."""
        due = view.due_reports(self.period)
        reports: dict[str, ReportData] = {}
        for n, spec in enumerate(due, start=1):
            progress(n, len(due), spec.code)
            reports[spec.code] = view.compiled(self.state, spec.code, self.period, self.settings)
        engine = warehouse_engine(self.state.url)
        rows = [finding_row(f) for f in validate(reports, engine, self.settings)]
        return view.relevant(rows, self.spec.code)


def _finding(row: Mapping[str, object]) -> Finding:
    return Finding(
        str(row["rule_id"]),
        row["severity"],  # type: ignore[arg-type]
        tuple(str(c) for c in row.get("cells") or ()),  # type: ignore[union-attr]
        str(row["message_zh"]),
        str(row["message_en"]),
        row.get("expected"),
        row.get("actual"),
    )


def _reviewer(version_id: int) -> str:
    moves = events(portal_store.portal(), version_id)
    approved = [e for e in moves if e["to_state"] == REVIEWED]
    return str(approved[-1]["actor"]) if approved else ""


def _render(f: Filing, v: FilingVersion, *, draft: bool, reviewer: str, at: dt.datetime) -> bytes:
    portal = portal_store.portal()
    check = stored_validation(portal, v.version_id)
    findings = [_finding(r) for r in (check.findings if check else ())]
    cover = _cover(f, v, draft=draft, reviewer=reviewer, at=at)
    return render_workbook([f.report], cover, findings, explanations(portal, v.version_id))


def _cover(
    f: Filing, v: FilingVersion, *, draft: bool, reviewer: str, at: dt.datetime, unit: str = "万元"
) -> Cover:
    """The version's cover: its preparer and reviewer, generated `at`, the build's settings."""
    return make_cover(
        warehouse_engine(f.state.url),
        f.period,
        preparer=v.created_by,
        reviewer=reviewer,
        generated_at=at.replace(tzinfo=dt.UTC),
        draft=draft,
        unit=unit,
    )


def file_name(f: Filing, v: FilingVersion, draft: bool) -> str:
    """`G11_2024-03_v1.xlsx` (drafts: `..._draft.xlsx`)."""
    return f"{f.spec.code}_{f.period:%Y-%m}_v{v.version}{'_draft' if draft else ''}.xlsx"


def draft_workbook(f: Filing, v: FilingVersion) -> tuple[bytes, str]:
    """The version's workbook marked as a draft; bytes and file name.

    Dated the version's creation, so the bytes (and the download's address) stay the same over
    reruns until a finding or an explanation changes.
    """
    at = v.created_at.replace(microsecond=0)
    data = _render(f, v, draft=True, reviewer=_reviewer(v.version_id), at=at)
    return data, file_name(f, v, True)


def final_workbook(f: Filing, v: FilingVersion, submitter: str) -> tuple[bytes, str]:
    """The workbook that is filed: preparer and reviewer on the cover, generated now."""
    at = utc_now().replace(microsecond=0)
    data = _render(f, v, draft=False, reviewer=_reviewer(v.version_id) or submitter, at=at)
    return data, file_name(f, v, False)


def detail_file(f: Filing, v: FilingVersion, draft: bool) -> tuple[Path, str]:
    """The loan-level detail written (streamed) to a scratch file beside the archive."""
    scratch = archive_dir(f.state.url) / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    name = file_name(f, v, draft)
    out = scratch / f"{uuid.uuid4().hex}_{name}"
    at = v.created_at if draft else utc_now()
    cover = _cover(
        f,
        v,
        draft=draft,
        reviewer=_reviewer(v.version_id),
        at=at.replace(microsecond=0),
        unit=DETAIL_UNIT,
    )
    write_detail(warehouse_engine(f.state.url), f.period, out, f.settings, cover=cover)
    return out, name


def archive_path(warehouse_url: str) -> Path:
    """Where content-addressed filed workbooks of this warehouse go."""
    return archive_dir(warehouse_url)
