"""The regulatory lines the headline ratios are read against (docs/domain.md §5 and §8).

不良率 NPL ratio ≤ 5% (the banking core-indicator limit, a reference for every entity type);
偏离度 ≤ 100% (90+ outstanding inside NPL, which the 2023 classification floor requires);
拨备覆盖率 ≥ 100% and 拨备率 ≥ 2.5% for a 金融租赁公司 (`financial_lease`). A ratio without a line
for the entity type is shown without a verdict, never as passing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

MIN, MAX = "min", "max"
OK, BREACH, UNKNOWN = "ok", "breach", "unknown"
EVERY = frozenset({"financing_lease", "financial_lease", "lender", ""})


@dataclass(frozen=True)
class KpiLine:
    """One line: the `portfolio.kpis` metric, which side is allowed, the bound, who it binds."""

    metric: str
    op: str  # MIN: the value must be at least the bound; MAX: at most
    bound: Decimal
    entity_types: frozenset[str]


LINES: tuple[KpiLine, ...] = (
    KpiLine("npl_ratio", MAX, Decimal("0.05"), EVERY),
    KpiLine("provision_coverage", MIN, Decimal("1.00"), frozenset({"financial_lease"})),
    KpiLine("provision_rate", MIN, Decimal("0.025"), frozenset({"financial_lease"})),
    KpiLine("deviation_90", MAX, Decimal("1.00"), EVERY),
)


def lines_for(entity_type: str | None) -> tuple[KpiLine, ...]:
    """The lines that bind an entity type (None or unknown: the ones that bind every type)."""
    kind = entity_type or ""
    return tuple(line for line in LINES if kind in line.entity_types)


def assess(value: Decimal | float | None, line: KpiLine) -> str:
    """OK when `value` sits on the allowed side of the line (the bound itself allowed), BREACH
    when it does not, UNKNOWN when there is no value (e.g. no NPL to cover)."""
    if value is None:
        return UNKNOWN
    amount = Decimal(str(value))
    inside = amount >= line.bound if line.op == MIN else amount <= line.bound
    return OK if inside else BREACH
