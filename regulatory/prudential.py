"""The prudential ratios of docs/domain.md §8 per entity type: the registry and their evaluation.

Concentration ratios (single lessee, group, related parties) come from
`queries.exposures.concentration`, so the workbook shows what the dashboard shows; the
institution's own balance-sheet ratios read `company_financials` at the period end (the
`entity.net_assets_source` setting). A figure the warehouse lacks is 不适用 with its reason,
never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

from sqlalchemy.engine import Engine

from queries import exposures, portfolio, supervisory
from queries.filters import Filters
from warehouse.months import month_end_of

MIN, MAX = "min", "max"


@dataclass(frozen=True)
class Ratio:
    """One prudential ratio: labels, its source, and its limit per entity type (op, bound)."""

    code: str
    label_zh: str
    label_en: str
    source: str
    limits: dict[str, tuple[str, Decimal]] = field(default_factory=dict)


@dataclass(frozen=True)
class RatioResult:
    """A ratio evaluated at a period end: numerator, base, ratio, limit text, breach, note, and
    for the provision ratios the part of the numerator the build estimated."""

    numerator: Decimal | None
    base: Decimal | None
    ratio: Decimal | None
    limit: str
    breach: str  # 是 / 否 / 不适用
    note: str
    estimated: Decimal | None = None  # provision ratios only: estimated provisions


def _both(op: str, bound: str) -> dict[str, tuple[str, Decimal]]:
    return {"financing_lease": (op, Decimal(bound)), "financial_lease": (op, Decimal(bound))}


_EXPOSURE = "queries.exposures.concentration"
RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "leasing_assets_share",
        "融资租赁资产占总资产比例",
        "Leasing assets ÷ total assets",
        "company_financials.leasing_assets ÷ total_assets",
        {"financing_lease": (MIN, Decimal("0.60"))},
    ),
    Ratio(
        "risk_assets_multiple",
        "风险资产占净资产倍数",
        "Risk assets ÷ net assets",
        "(total_assets − cash_and_deposits − government_bonds) ÷ net_assets",
        {"financing_lease": (MAX, Decimal(8))},
    ),
    Ratio(
        "total_assets_multiple",
        "总资产占净资产倍数",
        "Total assets ÷ net assets",
        "company_financials.total_assets ÷ net_assets",
        {"financial_lease": (MAX, Decimal(10))},
    ),
    Ratio(
        "fixed_income_share",
        "固定收益类证券投资占净资产比例",
        "Fixed-income securities ÷ net assets",
        "company_financials.fixed_income_investments ÷ net_assets",
        {"financing_lease": (MAX, Decimal("0.20"))},
    ),
    Ratio(
        "single_lessee",
        "单一客户融资集中度",
        "Single lessee ÷ base",
        f"{_EXPOSURE}[lessee]",
        _both(MAX, "0.30"),
    ),
    Ratio(
        "single_group",
        "单一集团客户融资集中度",
        "Single group ÷ base",
        f"{_EXPOSURE}[group]",
        _both(MAX, "0.50"),
    ),
    Ratio(
        "single_related_party",
        "单一客户关联度",
        "Single related party ÷ base",
        f"{_EXPOSURE}[related_party]",
        _both(MAX, "0.30"),
    ),
    Ratio(
        "all_related_parties",
        "全部关联度",
        "All related parties ÷ base",
        f"{_EXPOSURE}[related_parties_total]",
        _both(MAX, "0.50"),
    ),
    Ratio(
        "shareholder_related",
        "单一股东及其关联方融资余额占其出资额比例",
        "One shareholder and its related parties ÷ its capital contribution",
        "not in the extract",
        _both(MAX, "1"),
    ),
    Ratio(
        "provision_coverage",
        "拨备覆盖率",
        "Provision coverage",
        "queries.portfolio.kpis provision ÷ npl_outstanding",
        {"financial_lease": (MIN, Decimal(1))},
    ),
    Ratio(
        "provision_rate",
        "拨备率（拨备÷租赁应收）",
        "Provisions ÷ receivables",
        "queries.portfolio.kpis provision ÷ outstanding",
        {"financial_lease": (MIN, Decimal("0.025"))},
    ),
)
_EXPOSURE_KIND = {
    "single_lessee": "lessee",
    "single_group": "group",
    "single_related_party": "related_party",
    "all_related_parties": "related_parties_total",
}


def limit_text(limit: tuple[str, Decimal] | None) -> str:
    """A limit as the workbook prints it: ≥ 60%, ≤ 8倍, or — when none applies."""
    if limit is None:
        return "—"
    op, bound = limit
    sign = "≥" if op == MIN else "≤"
    if bound > 1:
        return f"{sign} {bound.normalize():f}倍"
    return f"{sign} {(bound * 100).normalize():f}%"


def _result(
    ratio: Ratio, entity: str, num: Decimal | None, den: Decimal | None, note: str
) -> RatioResult:
    limit = ratio.limits.get(entity)
    value = None if num is None or den is None or den == 0 else num / den
    if value is None:
        why = note or "分母为零或缺失 / base missing or zero"
        return RatioResult(num, den, None, limit_text(limit), "不适用", why)
    if limit is None:
        return RatioResult(num, den, value, "—", "不适用", note or "本机构类型无此监管标准")
    op, bound = limit
    breach = value < bound if op == MIN else value > bound
    return RatioResult(num, den, value, limit_text(limit), "是" if breach else "否", note)


def evaluate(engine: Engine, period: date, entity: str) -> dict[str, RatioResult]:
    """Every ratio of `RATIOS` at the month-end `period` for the entity type."""
    filters = Filters(as_of=period)
    company = supervisory.company_figures(engine, period) or {}
    missing = "" if company else f"company_financials 无 {period} 数据 / not reported"
    conc = exposures.concentration(engine, filters, top=1, entity=entity)
    base = exposures.base(engine, filters, entity) if entity in exposures.LIMITS else None
    base_month = month_end_of(exposures.base_month(filters.as_of_idx, entity))
    kpi = {r["metric"]: r["value"] for r in portfolio.kpis(engine, filters).to_dict("records")}

    def fig(name: str) -> Decimal | None:
        return company.get(name)

    out: dict[str, RatioResult] = {}
    for ratio in RATIOS:
        num: Decimal | None
        den: Decimal | None
        note = ""
        if ratio.code in _EXPOSURE_KIND:
            rows = conc[conc["kind"] == _EXPOSURE_KIND[ratio.code]]
            num = Decimal(rows.iloc[0]["outstanding"]) if len(rows) else Decimal(0)
            den = base
            note = f"基数 base: company_financials {base_month}"
        elif ratio.code == "shareholder_related":
            num = den = None
            note = "数据包无股东出资额及股东关联方数据 / shareholder data not in the extract"
        elif ratio.code in {"provision_coverage", "provision_rate"}:
            num = Decimal(kpi["provision"])
            key = "npl_outstanding" if ratio.code == "provision_coverage" else "outstanding"
            den = Decimal(kpi[key])
        else:
            parts = {
                "leasing_assets_share": ("leasing_assets", "total_assets"),
                "total_assets_multiple": ("total_assets", "net_assets"),
                "fixed_income_share": ("fixed_income_investments", "net_assets"),
            }
            if ratio.code == "risk_assets_multiple":
                total, cash, bonds = (
                    fig("total_assets"),
                    fig("cash_and_deposits"),
                    fig("government_bonds"),
                )
                num = None if None in (total, cash, bonds) else total - cash - bonds  # type: ignore[operator]
                den = fig("net_assets")
            else:
                num, den = (fig(p) for p in parts[ratio.code])
            note = missing
        result = _result(ratio, entity, num, den, note)
        if ratio.code in {"provision_coverage", "provision_rate"}:
            result = replace(result, estimated=Decimal(kpi["provision_estimated"]))
        out[ratio.code] = result
    return out
