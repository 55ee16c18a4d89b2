"""Run the validation rules over compiled reports: every rule that does not hold is a `Finding`.

A rule runs when every report it reads is present; `dashboard` rules run when an engine is given
(they compare a cell with the figure the dashboard's `queries/` give for the same as-of). Sums
are exact (Decimal money in yuan); a missing value counts as 0 in sums and comparisons.
Blocking findings stop the final export; warnings need a written explanation, keyed by rule id.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine

from queries import exposures, migration, portfolio
from queries.filters import Filters
from regulatory.model import Finding, ReportData
from regulatory.rules import RULES, Rule
from warehouse.settings import Settings

RATIO_TOLERANCE = Decimal("1e-9")

__all__ = ["RULES", "Rule", "blocking", "unexplained", "validate"]


def _num(value: object) -> Decimal:
    return Decimal(0) if value is None or value == "" else Decimal(value)  # type: ignore[arg-type]


def _figures(engine: Engine, period: date, settings: Settings | None) -> Callable[[str], object]:
    """A lookup of the dashboard's figures for `period`, each query run once."""
    from regulatory.compile import entity_of

    filters = Filters(as_of=period)
    cache: dict[str, dict[str, object]] = {}

    def source(name: str) -> dict[str, object]:
        if name not in cache:
            if name == "portfolio":
                frame = portfolio.trend(engine, filters, months=1)
                cache[name] = frame.to_dict("records")[-1]
            elif name == "migration_rates":
                frame = migration.migration_rates(engine, filters, "ytd", periods=1)
                cache[name] = frame.to_dict("records")[-1]
            else:
                entity = entity_of(engine, settings)
                frame = exposures.concentration(engine, filters, top=1, entity=entity)
                cache[name] = {r["kind"]: r["outstanding"] for r in frame.to_dict("records")}
        return cache[name]

    def lookup(figure: str) -> object:
        name, column = figure.split(".", 1)
        value = source(name).get(column)
        return Decimal(0) if name == "concentration" and value is None else value

    return lookup


def _holds(rule: Rule, values: list[object], figure: Callable[[str], object] | None):
    """(holds, expected, actual) for one rule over its cell values."""
    if rule.kind == "sum":
        minus = values[len(rule.cells) :]
        expected = sum((_num(v) for v in values[1 : len(rule.cells)]), Decimal(0))
        expected -= sum((_num(v) for v in minus), Decimal(0))
        return _num(values[0]) == expected, expected, values[0]
    if rule.kind == "le":
        part = sum((_num(v) for v in values[:-1]), Decimal(0))
        return part <= _num(values[-1]), f"≤ {_num(values[-1])}", part
    if rule.kind == "ratio":
        num, den, rate = values
        if den is None or _num(den) == 0:
            return rate is None, None, rate
        expected = _num(num) / _num(den)
        ok = rate is not None and abs(_num(rate) - expected) <= RATIO_TOLERANCE
        return ok, expected, rate
    if rule.kind == "bounds":
        ok = values[0] is None or Decimal(0) <= _num(values[0]) <= Decimal(1)
        return ok, "0–1", values[0]
    if rule.kind == "order":
        first, second = values
        ok = (first is None and second is None) or (
            first is not None and (second is None or _num(first) >= _num(second))
        )
        return ok, f"≥ {second}", first
    if rule.kind == "zero":
        return _num(values[0]) == 0, Decimal(0), values[0]
    if rule.kind == "flag":
        return values[0] != "是", "否", values[0]
    if rule.kind == "dashboard":
        assert figure is not None  # noqa: S101 - dashboard rules only run with an engine
        expected = figure(rule.figure)
        if expected is None or values[0] is None:
            return expected is None and values[0] is None, expected, values[0]
        ok = abs(_num(values[0]) - _num(expected)) <= RATIO_TOLERANCE
        return ok, expected, values[0]
    raise ValueError(f"unknown rule kind {rule.kind!r}")


def validate(
    reports: Mapping[str, ReportData],
    engine: Engine | None = None,
    settings: Settings | None = None,
    rules: Sequence[Rule] = RULES,
) -> list[Finding]:
    """Every rule over the reports present that does not hold, in rule order."""
    cells: dict[str, object] = {}
    for data in reports.values():
        cells.update(data.cells)
    periods = {data.period for data in reports.values()}
    figure = None
    if engine is not None and len(periods) == 1:
        figure = _figures(engine, next(iter(periods)), settings)
    findings = []
    for rule in rules:
        if not rule.reports <= set(reports):
            continue
        if rule.kind == "dashboard" and figure is None:
            continue
        values = [cells.get(code) for code in (*rule.cells, *rule.minus)]
        ok, expected, actual = _holds(rule, values, figure)
        if not ok:
            findings.append(
                Finding(
                    rule.rule_id,
                    rule.severity,
                    tuple(dict.fromkeys((*rule.cells, *rule.minus))),
                    rule.text_zh,
                    rule.text_en,
                    expected,
                    actual,
                )
            )
    return findings


def blocking(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that stop the final export."""
    return [f for f in findings if f.blocking]


def unexplained(findings: Sequence[Finding], explanations: Mapping[str, str]) -> list[Finding]:
    """Warnings that still lack a written explanation (keyed by rule id)."""
    return [
        f for f in findings if not f.blocking and not str(explanations.get(f.rule_id, "")).strip()
    ]
