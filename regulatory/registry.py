"""The report registry, as data: every report's code, titles, frequency, deadline, rows and columns.

Each row names the query behind its cells (`source`); `regulatory/compile.py` fills them. Cell
codes are `<code>_<row>_<column>`. The layouts live in `tables_quality` (G11, G12) and
`tables_exposure` (逾期, 最大十家, 集中度, 合同明细); their row constants are re-exported here.
Deadlines are calendar days after the period end: the quarterly summary tables 13 days (the
requirement's G11 deadline, read as applying to every 1104-style summary table we file), the
monthly loan-level detail 15 days (unconfirmed).
"""

from __future__ import annotations

from regulatory.model import ReportSpec
from regulatory.tables_exposure import (
    DETAIL_COLUMNS,
    DETAIL_DEADLINE_DAYS,
    DETAIL_SUM_COLUMNS,
    OVERDUE_BLOCK,
    OVERDUE_ROWS,
    TOP_CLASSES,
    TOP_N,
    concentration,
    detail,
    overdue,
    top10,
)
from regulatory.tables_quality import (
    G11_ESTIMATED_ROW,
    G11_PROVISION_ROW,
    G11_RESTRUCTURED_ROW,
    G11_ROWS,
    G12_RATE_NAMES,
    SUMMARY_DEADLINE_DAYS,
    g11,
    g12,
)

REPORTS: tuple[ReportSpec, ...] = (g11(), g12(), overdue(), top10(), concentration(), detail())
SUMMARY_CODES: tuple[str, ...] = tuple(r.code for r in REPORTS if r.summary)
_BY_CODE = {r.code: r for r in REPORTS}


def report_spec(code: str) -> ReportSpec:
    """The spec of report `code` (case-insensitive); ValueError for an unknown code."""
    spec = _BY_CODE.get(str(code).upper())
    if spec is None:
        raise ValueError(f"unknown report {code!r}; choose from {', '.join(_BY_CODE)}")
    return spec


__all__ = [
    "DETAIL_COLUMNS",
    "DETAIL_DEADLINE_DAYS",
    "DETAIL_SUM_COLUMNS",
    "G11_ESTIMATED_ROW",
    "G11_PROVISION_ROW",
    "G11_RESTRUCTURED_ROW",
    "G11_ROWS",
    "G12_RATE_NAMES",
    "OVERDUE_BLOCK",
    "OVERDUE_ROWS",
    "REPORTS",
    "SUMMARY_CODES",
    "SUMMARY_DEADLINE_DAYS",
    "TOP_CLASSES",
    "TOP_N",
    "report_spec",
]
