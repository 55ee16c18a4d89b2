"""The validation rules: quiet on the hand-worked book, and each one fires when its cells lie.

The book's only finding is the 单一客户 concentration breach (LA 11,000 ÷ net assets 20,000 =
55% > 30%), a warning. Every rule is then made to fail on purpose by tampering one cell of the
compiled reports, and must come back with its rule id, severity and that cell.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy.engine import Engine

from regulatory.model import ReportData
from regulatory.registry import REPORTS
from regulatory.validation import RULES, Rule, blocking, unexplained, validate

ALL_CODES = {code for spec in REPORTS for code in spec.cell_codes()}


def tampered(reports: dict[str, ReportData], changes: dict[str, object]) -> dict[str, ReportData]:
    """Copies of the reports with some cells changed."""
    out = {}
    for code, data in reports.items():
        mine = {k: v for k, v in changes.items() if k in data.cells}
        out[code] = dataclasses.replace(data, cells={**data.cells, **mine}) if mine else data
    return out


def breaking_change(rule: Rule, cells: dict[str, object]) -> dict[str, object]:
    """One cell change that makes `rule` fail, whatever the other cells hold."""
    first = rule.cells[0]
    value = cells.get(first)
    number = Decimal(0) if value is None or isinstance(value, str) else Decimal(value)
    if rule.kind in {"sum", "dashboard"}:
        return {first: number + 1}
    if rule.kind == "le":
        parent = cells.get(rule.cells[-1])
        return {first: Decimal(parent or 0) + 1}
    if rule.kind == "ratio":
        return {rule.cells[2]: Decimal(cells.get(rule.cells[2]) or 0) + Decimal("0.5")}
    if rule.kind == "bounds":
        return {first: Decimal("1.5")}
    if rule.kind == "order":
        return {rule.cells[1]: number + 1}
    if rule.kind == "zero":
        return {first: Decimal(1)}
    if rule.kind == "flag":
        return {first: "是"}
    raise AssertionError(rule.kind)


def test_the_hand_worked_book_has_only_the_concentration_warning(
    reports: dict[str, ReportData], report_engine: Engine, settings
) -> None:
    findings = validate(reports, report_engine, settings)
    assert [(f.rule_id, f.severity, f.cells) for f in findings] == [
        ("CONC-BREACH-single_lessee", "warning", ("CONC_5_E",))
    ]
    assert blocking(findings) == []
    assert unexplained(findings, {}) == findings
    assert unexplained(findings, {"CONC-BREACH-single_lessee": "已报告"}) == []


def test_every_rule_reads_cells_the_registry_has() -> None:
    for rule in RULES:
        assert set(rule.cells) | set(rule.minus) <= ALL_CODES, rule.rule_id
    assert len({r.rule_id for r in RULES}) == len(RULES)


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.kind != "dashboard"], ids=lambda r: r.rule_id
)
def test_each_rule_fires_when_its_cells_are_tampered(
    rule: Rule, reports: dict[str, ReportData]
) -> None:
    cells = {k: v for data in reports.values() for k, v in data.cells.items()}
    change = breaking_change(rule, cells)
    findings = validate(tampered(reports, change), rules=[rule])
    assert len(findings) == 1
    found = findings[0]
    assert (found.rule_id, found.severity) == (rule.rule_id, rule.severity)
    assert set(change) <= set(found.cells)


@pytest.mark.parametrize(
    "rule", [r for r in RULES if r.kind == "dashboard"], ids=lambda r: r.rule_id
)
def test_each_dashboard_rule_fires_when_the_workbook_disagrees_with_the_dashboard(
    rule: Rule, reports: dict[str, ReportData], report_engine: Engine, settings
) -> None:
    cells = {k: v for data in reports.values() for k, v in data.cells.items()}
    change = breaking_change(rule, cells)
    findings = validate(tampered(reports, change), report_engine, settings, rules=[rule])
    assert [(f.rule_id, f.severity, f.cells) for f in findings] == [
        (rule.rule_id, "blocking", rule.cells)
    ]


def test_npl_that_is_not_substandard_plus_doubtful_plus_loss_blocks(
    reports: dict[str, ReportData],
) -> None:
    """G11 row 1: NPL 3,500 = 3,000 + 0 + 500; claiming 3,400 breaks G11-NPL-1."""
    findings = validate(tampered(reports, {"G11_1_G": Decimal(3400)}))
    hit = [f for f in findings if f.rule_id == "G11-NPL-1"]
    assert len(hit) == 1
    assert hit[0].severity == "blocking"
    assert hit[0].cells == ("G11_1_G", "G11_1_C", "G11_1_D", "G11_1_E")
    assert (hit[0].expected, hit[0].actual) == (Decimal(3500), Decimal(3400))


def test_g11_total_differing_from_overdue_and_detail_blocks(
    reports: dict[str, ReportData],
) -> None:
    """A detail that adds up to 17,600 instead of 17,700 breaks the cross-table check."""
    findings = validate(tampered(reports, {"DETAIL_1_N": Decimal(17600)}))
    assert [f.rule_id for f in findings if f.blocking] == ["X-G11-DETAIL-OUTSTANDING"]


def test_cross_table_rules_need_both_reports(reports: dict[str, ReportData]) -> None:
    only_g11 = {"G11": reports["G11"]}
    assert validate(tampered(only_g11, {"G11_1_F": Decimal(1)})) != []
    assert all(
        not f.rule_id.startswith("X-")
        for f in validate(tampered(only_g11, {"G11_1_F": Decimal(1)}))
    )
