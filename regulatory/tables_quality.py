"""The layouts of the asset-quality tables: G11 五级分类 and G12 迁徙 (rows, columns, sources).

Deadlines are calendar days after the period end: the quarterly summary tables 13 days (the
requirement's G11 deadline, read as applying to every 1104-style summary table we file).
"""

from __future__ import annotations

from regulatory.codes import CLASS_LABELS, INDUSTRY_LABELS, LESSEE_TYPE_LABELS, PRODUCT_LABELS
from regulatory.model import ColumnSpec, ReportSpec, RowSpec, SheetSpec, columns

SUMMARY_DEADLINE_DAYS = 13


def _classcolumns(source: str) -> tuple[ColumnSpec, ...]:
    classes = [
        (zh, en, "money", f"{source}: risk_class={c}") for c, (zh, en) in CLASS_LABELS.items()
    ]
    return columns(
        *classes,
        ("合计", "Total", "money", "A+B+C+D+E"),
        ("不良合计", "NPL total", "money", "C+D+E"),
        ("合同数", "Contracts", "count", f"{source}: open contracts"),
    )


def g11() -> ReportSpec:
    """G11 资产质量五级分类情况表."""
    rows = [RowSpec(1, "租赁应收（贷款）合计", "All receivables", "class_totals()")]
    groups = (
        ("product", "按产品：", "By product: ", PRODUCT_LABELS),
        ("lessee_type", "按客户类型：", "By lessee type: ", LESSEE_TYPE_LABELS),
        ("industry", "按行业：", "By industry: ", INDUSTRY_LABELS),
    )
    for by, zh_prefix, en_prefix, labels in groups:
        for code, (zh, en) in labels.items():
            rows.append(
                RowSpec(
                    len(rows) + 1,
                    f"{zh_prefix}{code + ' ' if by == 'industry' else ''}{zh}",
                    f"{en_prefix}{en}",
                    f"class_totals(by={by!r})[{by}={code!r}]",
                    indent=1,
                )
            )
    n = len(rows)
    rows += [
        RowSpec(n + 1, "贷款损失准备", "Loss provisions", "class_totals().provision"),
        RowSpec(
            n + 2,
            "其中：估算准备",
            "of which estimated",
            "class_totals().provision_estimated",
            indent=1,
        ),
        RowSpec(n + 3, "重组资产", "Restructured (in observation)", "restructured_totals()"),
        RowSpec(
            n + 4,
            "其中：逾期90天以上",
            "of which over 90 DPD",
            "restructured_totals()[restructured_dpd90]",
            indent=1,
        ),
        RowSpec(
            n + 5, "其中：展期", "of which extended", "restructured_totals()[extended]", indent=1
        ),
        RowSpec(
            n + 6,
            "其中：再重组仍未列入不良",
            "of which re-restructured still outside NPL",
            "restructured_totals()[re_restructured_performing]",
            indent=1,
        ),
    ]
    sheet = SheetSpec(
        "G11", "资产质量五级分类情况表", tuple(rows), _classcolumns("queries.supervisory")
    )
    return ReportSpec(
        "G11",
        "资产质量五级分类情况表",
        "Asset quality by five-tier class",
        "quarterly",
        SUMMARY_DEADLINE_DAYS,
        (sheet,),
        basis="docs/domain.md §4, §9; balances exclude written-off rows; 重组资产 = in observation",
    )


G11_ROWS = {
    "total": 1,
    "product": 2,
    "lessee_type": 2 + len(PRODUCT_LABELS),
    "industry": 2 + len(PRODUCT_LABELS) + len(LESSEE_TYPE_LABELS),
}
G11_PROVISION_ROW = G11_ROWS["industry"] + len(INDUSTRY_LABELS)
G11_ESTIMATED_ROW = G11_PROVISION_ROW + 1
G11_RESTRUCTURED_ROW = G11_PROVISION_ROW + 2


def g12() -> ReportSpec:
    """G12 贷款质量迁徙情况表, year-to-date, and its rates."""
    classes = list(CLASS_LABELS.items())
    matrix_rows = [
        RowSpec(n, f"期初{zh}类", f"Beginning {en.lower()}", f"migration_matrix(ytd)[{c}]")
        for n, (c, (zh, en)) in enumerate(classes, start=1)
    ]
    matrix_rows += [
        RowSpec(6, "期初合计", "Beginning total", "rows 1–5"),
        RowSpec(7, "新发放", "New business", "migration_matrix(ytd)[new_business]"),
        RowSpec(8, "期末合计", "Period-end total", "rows 6 + 7"),
    ]
    matrix = SheetSpec(
        "G12",
        "贷款质量迁徙情况表（年初至今）",
        tuple(matrix_rows),
        columns(
            ("期初余额", "Beginning balance", "money", "begin_balance"),
            *(
                (f"期末{zh}", f"Now {en.lower()}", "money", f"balance[{c}]")
                for c, (zh, en) in classes
            ),
            ("期间减少", "Reduced in period", "money", "balance[reduced]"),
        ),
    )
    rate_names = (
        ("normal_migration_rate", "正常类贷款迁徙率", "Normal migration rate"),
        ("special_mention_migration_rate", "关注类贷款迁徙率", "Special-mention migration rate"),
        ("substandard_migration_rate", "次级类贷款迁徙率", "Substandard migration rate"),
        ("doubtful_migration_rate", "可疑类贷款迁徙率", "Doubtful migration rate"),
        ("performing_migration_rate", "正常贷款迁徙率", "Performing-loan migration rate"),
    )
    rates = SheetSpec(
        "G12迁徙率",
        "贷款迁徙率（年初至今）",
        tuple(
            RowSpec(9 + n, zh, en, f"migration_rates(ytd).{name}")
            for n, (name, zh, en) in enumerate(rate_names)
        ),
        columns(
            ("分子", "Numerator", "money", "<rate>_numerator"),
            ("分母", "Denominator", "money", "<rate>_denominator"),
            ("迁徙率", "Rate", "ratio", "numerator ÷ denominator"),
        ),
    )
    return ReportSpec(
        "G12",
        "贷款质量迁徙情况表",
        "Loan quality migration",
        "quarterly",
        SUMMARY_DEADLINE_DAYS,
        (matrix, rates),
        basis="docs/domain.md §7: cohort open at the prior 31 December, year-to-date",
    )


G12_RATE_NAMES = (
    "normal_migration_rate",
    "special_mention_migration_rate",
    "substandard_migration_rate",
    "doubtful_migration_rate",
    "performing_migration_rate",
)
