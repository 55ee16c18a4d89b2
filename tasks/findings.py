"""What goes into the rectification ledger: the findings that are present now, read from their
three sources (no Streamlit, nothing written).

- `data_check`: each blocking check that failed (or could not run) in the latest stored data-check
  run, the run the data-quality page shows (`data_checks.store`); key `check:<check id>`. Its
  first offending keys go into the description, never a personal column (`PERSONAL_COLUMNS`):
  the ledger is read by roles that see personal data masked.
- `validation`: per report and period, the latest validation run of the filing workflow
  (`warehouse.portal.filings`): each blocking finding, and each warning the preparer has not
  explained on that version; key `validation:<report>:<period>:<rule id>`.
- `correction`: each filed (submitted) report version that a correction (更正报送) replaced; key
  `correction:<version id of the filed version>`; the reason is the first correction's.

Each reader returns None when its source cannot be read (no check run yet, store unreachable),
so a sync never takes "could not look" for "the finding is gone".
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.personal_data import PERSONAL_COLUMNS
from warehouse.portal.filings import filing_explanations, filing_validations, filing_versions

DATA_CHECK, VALIDATION, CORRECTION = "data_check", "validation", "correction"
CONTROL = {c: " " for c in range(32) if c not in (9, 10)} | {127: " "}


@dataclass(frozen=True)
class Finding:
    """One finding present now: its source, stable key, and what to show (inert text)."""

    source: str
    finding_key: str
    title: str
    description: str
    branch: str | None = None
    department: str = "compliance"


def inert(text: object, limit: int) -> str:
    """`text` as a plain one-block string: control characters as spaces, at most `limit`."""
    return str(text if text is not None else "").translate(CONTROL).strip()[:limit]


def data_check_findings(warehouse_url: str) -> list[Finding] | None:
    """The blocking failures of the latest stored data-check run (None: no run to read)."""
    from data_checks.runner import BLOCKING, ERROR, FAILED
    from data_checks.store import list_runs, run_results

    try:
        runs = list_runs(warehouse_url, limit=1)
    except (sa.exc.SQLAlchemyError, OSError):
        return None
    if not runs:
        return None
    run_id = int(runs[0]["run_id"])  # type: ignore[call-overload]
    found = []
    for r in run_results(warehouse_url, run_id):
        if r["severity"] != BLOCKING or r["status"] not in (FAILED, ERROR):
            continue
        examples = ", ".join(  # keys only: a personal column (name, ID number, phone) is left out
            "/".join(str(v) for k, v in dict(e).items() if k not in PERSONAL_COLUMNS)
            for e in list(r["examples"])[:5]
        )
        described = (
            f"{r['status']}: {r['failing_rows']} rows of {r['dataset']} fail"
            + (f"; first: {examples}" if examples else "")
            + (f"; {r['message']}" if r["message"] else "")
        )
        found.append(
            Finding(
                DATA_CHECK,
                f"check:{r['check_id']}",
                inert(f"{r['check_id']} ({r['dataset']})", 300),
                inert(described, 4000),
            )
        )
    return found


def validation_findings(portal: Engine) -> list[Finding]:
    """Blocking and unexplained findings of each report-period's latest validation run."""
    va, v, ex = filing_validations.c, filing_versions.c, filing_explanations.c
    latest = (
        sa.select(sa.func.max(va.validation_id))
        .select_from(filing_validations.join(filing_versions, v.version_id == va.version_id))
        .group_by(v.report_code, v.period)
    )
    stmt = (
        sa.select(va.version_id, va.findings, v.report_code, v.period, v.version)
        .join(filing_versions, v.version_id == va.version_id)
        .where(va.validation_id.in_(latest))
        .order_by(v.report_code, v.period)
    )
    with portal.connect() as conn:
        rows = conn.execute(stmt).all()
        versions = [r.version_id for r in rows]
        explained = {
            (e.version_id, e.rule_id)
            for e in conn.execute(
                sa.select(ex.version_id, ex.rule_id).where(ex.version_id.in_(versions))
            )
        }
    found = []
    for r in rows:
        period = r.period.isoformat()
        for f in json.loads(r.findings):
            rule = str(f.get("rule_id"))
            if f.get("severity") != "blocking" and (r.version_id, rule) in explained:
                continue
            message = " / ".join(str(m) for m in (f.get("message_zh"), f.get("message_en")) if m)
            cells = ", ".join(str(c) for c in f.get("cells") or ())
            described = f"{f.get('severity')}: {message}" + (f" [{cells}]" if cells else "")
            found.append(
                Finding(
                    VALIDATION,
                    inert(f"validation:{r.report_code}:{period}:{rule}", 240),
                    inert(f"{r.report_code} {period} v{r.version} {rule}", 300),
                    inert(described, 4000),
                )
            )
    return found


def correction_findings(portal: Engine) -> list[Finding]:
    """One finding per filed version that a correction replaced, with the first reason given."""
    v = filing_versions.c
    first = (
        sa.select(sa.func.min(v.version_id))
        .where(v.kind == "correction", v.supersedes.is_not(None))
        .group_by(v.supersedes)
    )
    stmt = (
        sa.select(v.supersedes, v.report_code, v.period, v.version, v.reason)
        .where(v.version_id.in_(first))
        .order_by(v.supersedes)
    )
    with portal.connect() as conn:
        rows = conn.execute(stmt).all()
    return [
        Finding(
            CORRECTION,
            f"correction:{r.supersedes}",
            inert(f"{r.report_code} {r.period.isoformat()} 更正报送 correction v{r.version}", 300),
            inert(r.reason, 4000),
        )
        for r in rows
    ]
