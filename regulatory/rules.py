"""The validation rules, declared as data over cell codes (docs/domain.md §9).

Kinds: `sum` (first cell = sum of the rest − sum of `minus`), `le` ("of which" ≤ parent),
`ratio` (rate = numerator ÷ denominator, None when the denominator is 0), `bounds` (0 ≤ rate ≤ 1),
`order` (ranked rows never increase), `zero` (a figure that must be explained when non-zero),
`flag` (a breach flag: 是 must be explained) and `dashboard` (the cell equals the dashboard's
`queries/` figure for the same as-of, named by `figure`). Rule ids: `<REPORT>-<WHAT>-<where>`,
cross-table ones start with `X-`, dashboard ones with `DASH-`.
"""

from __future__ import annotations

from regulatory.model import BLOCKING, Rule, sum_rule
from regulatory.registry import G11_ESTIMATED_ROW, G11_PROVISION_ROW
from regulatory.rules_exposure import conc_rules, overdue_rules, top10_rules
from regulatory.rules_quality import g11_rules, g12_rules


def _cross() -> list[Rule]:
    pairs = (
        ("X-G11-OVERDUE-OUTSTANDING", "G11_1_F", "OVERDUE_1_B", "G11合计 = 逾期表合计"),
        ("X-G11-OVERDUE-CONTRACTS", "G11_1_H", "OVERDUE_1_A", "G11合同数 = 逾期表合同数"),
        ("X-G11-DETAIL-OUTSTANDING", "G11_1_F", "DETAIL_1_N", "G11合计 = 明细未偿本金之和"),
        ("X-G11-DETAIL-CONTRACTS", "G11_1_H", "DETAIL_1_A", "G11合同数 = 明细行数"),
        (
            "X-G11-DETAIL-PROVISION",
            f"G11_{G11_PROVISION_ROW}_F",
            "DETAIL_1_V",
            "G11准备 = 明细之和",
        ),
        (
            "X-G11-DETAIL-ESTIMATED",
            f"G11_{G11_ESTIMATED_ROW}_F",
            "DETAIL_1_W",
            "G11估算准备 = 明细中标为估算的准备之和",
        ),
        ("X-CONC-G11-PROVISION-10", "CONC_10_A", f"G11_{G11_PROVISION_ROW}_F", "拨备 = G11准备"),
        ("X-CONC-G11-PROVISION-11", "CONC_11_A", f"G11_{G11_PROVISION_ROW}_F", "拨备 = G11准备"),
        ("X-CONC-G11-ESTIMATED-10", "CONC_10_G", f"G11_{G11_ESTIMATED_ROW}_F", "估算 = G11估算"),
        ("X-CONC-G11-ESTIMATED-11", "CONC_11_G", f"G11_{G11_ESTIMATED_ROW}_F", "估算 = G11估算"),
        ("X-OVERDUE-DETAIL-PRINCIPAL", "OVERDUE_1_C", "DETAIL_1_O", "逾期本金 = 明细之和"),
        ("X-OVERDUE-DETAIL-INTEREST", "OVERDUE_1_D", "DETAIL_1_P", "逾期利息 = 明细之和"),
    )
    return [sum_rule(rid, a, [b], zh, f"{a} = {b}") for rid, a, b, zh in pairs]


DASHBOARD_FIGURES: tuple[tuple[str, str], ...] = (
    ("G11_1_F", "portfolio.outstanding"),
    ("G11_1_G", "portfolio.npl_outstanding"),
    ("G11_1_H", "portfolio.open_contracts"),
    (f"G11_{G11_PROVISION_ROW}_F", "portfolio.provision"),
    (f"G11_{G11_ESTIMATED_ROW}_F", "portfolio.provision_estimated"),
    ("OVERDUE_1_C", "portfolio.overdue_principal"),
    ("OVERDUE_1_D", "portfolio.overdue_interest"),
    ("OVERDUE_10_B", "portfolio.outstanding_dpd0"),
    ("G12_9_C", "migration_rates.normal_migration_rate"),
    ("G12_10_C", "migration_rates.special_mention_migration_rate"),
    ("G12_11_C", "migration_rates.substandard_migration_rate"),
    ("G12_12_C", "migration_rates.doubtful_migration_rate"),
    ("G12_13_C", "migration_rates.performing_migration_rate"),
    ("CONC_5_A", "concentration.lessee"),
)


def _dashboard() -> list[Rule]:
    return [
        Rule(
            f"DASH-{cell}",
            BLOCKING,
            "dashboard",
            (cell,),
            f"与仪表盘同一时点的数字一致（{figure}）",
            f"equals the dashboard's figure for the same as-of ({figure})",
            figure=figure,
        )
        for cell, figure in DASHBOARD_FIGURES
    ]


RULES: tuple[Rule, ...] = (
    *g11_rules(),
    *g12_rules(),
    *overdue_rules(),
    *top10_rules(),
    *conc_rules(),
    *_cross(),
    *_dashboard(),
)

__all__ = ["DASHBOARD_FIGURES", "RULES", "Rule"]
