"""regulatory/kpi_lines.py: which lines bind which entity type, and the verdict at the line."""

from __future__ import annotations

from decimal import Decimal

from regulatory.kpi_lines import BREACH, LINES, OK, UNKNOWN, KpiLine, assess, lines_for


def line(metric: str) -> KpiLine:
    return next(x for x in LINES if x.metric == metric)


def test_npl_at_five_percent_is_inside_and_just_above_is_a_breach() -> None:
    assert assess(Decimal("0.05"), line("npl_ratio")) == OK
    assert assess(Decimal("0.0501"), line("npl_ratio")) == BREACH
    assert assess(0.02, line("npl_ratio")) == OK


def test_coverage_and_provision_rate_are_floors() -> None:
    assert assess(Decimal("0.99"), line("provision_coverage")) == BREACH
    assert assess(Decimal("1.00"), line("provision_coverage")) == OK
    assert assess(Decimal("0.0249"), line("provision_rate")) == BREACH
    assert assess(Decimal("0.025"), line("provision_rate")) == OK


def test_deviation_above_one_hundred_percent_is_a_breach() -> None:
    assert assess(Decimal("1.0001"), line("deviation_90")) == BREACH
    assert assess(Decimal("0.80"), line("deviation_90")) == OK


def test_no_value_gives_no_verdict() -> None:
    assert assess(None, line("provision_coverage")) == UNKNOWN


def test_provision_lines_bind_a_financial_leasing_company_only() -> None:
    financial = [x.metric for x in lines_for("financial_lease")]
    financing = [x.metric for x in lines_for("financing_lease")]
    assert financial == ["npl_ratio", "provision_coverage", "provision_rate", "deviation_90"]
    assert financing == ["npl_ratio", "deviation_90"]
    assert [x.metric for x in lines_for(None)] == ["npl_ratio", "deviation_90"]
