"""The report registry stays honest: every report has its compiler, rules, sources and docs."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from regulatory import codes
from regulatory.compile import COMPILERS
from regulatory.registry import REPORTS, SUMMARY_CODES, report_spec
from regulatory.rules import RULES
from warehouse.extract_spec import INDUSTRIES, LESSEE_TYPES, PRODUCTS, RISK_CLASSES
from warehouse.schema import CLASS_REASONS, DPD_BUCKETS

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "reports.md").read_text(encoding="utf-8")
CODE = re.compile(r"^[A-Z0-9]+_\d+_[A-Z]+$")


def test_every_report_has_a_compiler_and_unique_cell_codes() -> None:
    assert set(COMPILERS) == {r.code for r in REPORTS}
    for spec in REPORTS:
        cells = spec.cell_codes()
        assert len(cells) == len(set(cells)), spec.code
        assert all(CODE.match(c) and c.startswith(spec.code + "_") for c in cells)
        for sheet in spec.sheets:
            assert all(row.source for row in sheet.rows), spec.code
            assert all(col.source for col in sheet.columns), spec.code
            assert len(sheet.name) <= 31


def test_every_summary_report_has_rules_and_a_cross_table_rule_joins_them() -> None:
    covered = {report for rule in RULES for report in rule.reports}
    assert set(SUMMARY_CODES) | {"DETAIL"} <= covered
    joined = {frozenset(r.reports) for r in RULES if r.rule_id.startswith("X-")}
    assert {frozenset({"G11", "OVERDUE"}), frozenset({"G11", "DETAIL"})} <= joined
    assert frozenset({"G11", "G12"}) in joined


def test_report_spec_by_code_is_case_insensitive_and_refuses_unknown_codes() -> None:
    assert report_spec("g11").code == "G11"
    with pytest.raises(ValueError, match="unknown report"):
        report_spec("../etc/passwd")


def test_deadlines_are_calendar_days_after_the_period_end() -> None:
    """G11: 2024-06-30 + 13 days = 2024-07-13; the detail 2024-05-31 + 15 = 2024-06-15."""
    g11 = report_spec("G11")
    assert (g11.frequency, g11.deadline(date(2024, 6, 30))) == ("quarterly", date(2024, 7, 13))
    assert g11.is_period_end(date(2024, 6, 30)) and not g11.is_period_end(date(2024, 5, 31))
    assert report_spec("DETAIL").deadline(date(2024, 5, 31)) == date(2024, 6, 15)


def test_code_lists_cover_the_warehouse_enumerations() -> None:
    assert tuple(codes.CLASS_LABELS) == RISK_CLASSES
    assert tuple(codes.PRODUCT_LABELS) == PRODUCTS
    assert tuple(codes.LESSEE_TYPE_LABELS) == LESSEE_TYPES
    assert tuple(codes.INDUSTRY_LABELS) == INDUSTRIES
    assert tuple(codes.BUCKET_LABELS) == DPD_BUCKETS
    assert tuple(codes.REASON_LABELS) == CLASS_REASONS


@pytest.mark.parametrize("spec", REPORTS, ids=lambda s: s.code)
def test_every_report_is_documented(spec) -> None:
    assert re.search(rf"^## {spec.code} ", DOC, re.M), f"docs/reports.md lacks '## {spec.code} …'"
    assert spec.title_zh in DOC
