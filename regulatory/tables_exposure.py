"""The layouts of the exposure tables: 逾期, 最大十家, 集中度 and the loan-level detail 合同明细.

The detail is monthly with a 15-day deadline (unconfirmed: the regulator's notice decides); the
summary tables share G11's 13 days.
"""

from __future__ import annotations

from regulatory import prudential
from regulatory.codes import BUCKET_LABELS, CLASS_LABELS, INDUSTRY_LABELS, PRODUCT_LABELS
from regulatory.model import ReportSpec, RowSpec, SheetSpec, columns
from regulatory.tables_quality import SUMMARY_DEADLINE_DAYS

DETAIL_DEADLINE_DAYS = 15


def overdue() -> ReportSpec:
    """逾期情况统计表: per DPD bucket, per bucket × product and per bucket × industry."""
    rows = [RowSpec(1, "租赁应收（贷款）合计", "All receivables", "overdue_totals()")]
    for code, (zh, en) in BUCKET_LABELS.items():
        rows.append(RowSpec(len(rows) + 1, f"{code} {zh}", en, f"overdue_totals()[{code}]", 1))
    rows.append(RowSpec(len(rows) + 1, "逾期合计", "Overdue total", "overdue_totals()[M1..M7+]"))
    for by, prefix, labels in (
        ("product", "产品", PRODUCT_LABELS),
        ("industry", "行业", INDUSTRY_LABELS),
    ):
        for code, (zh, en) in labels.items():
            label = f"{code} {zh}" if by == "industry" else zh
            source = f"overdue_totals(by={by!r})[{code!r}]"
            rows.append(RowSpec(len(rows) + 1, f"{prefix}：{label}", en, source))
            for bucket, (bzh, ben) in BUCKET_LABELS.items():
                rows.append(
                    RowSpec(
                        len(rows) + 1,
                        f"{bucket} {bzh}",
                        f"{en}: {ben}",
                        f"{source}[{bucket}]",
                        1,
                    )
                )
    sheet = SheetSpec(
        "逾期",
        "逾期情况统计表",
        tuple(rows),
        columns(
            ("合同数", "Contracts", "count", "contracts"),
            ("未偿本金", "Outstanding", "money", "outstanding"),
            ("逾期本金", "Overdue principal", "money", "overdue_principal"),
            ("逾期利息", "Overdue interest", "money", "overdue_interest"),
        ),
    )
    return ReportSpec(
        "OVERDUE",
        "逾期情况统计表",
        "Overdue statistics",
        "quarterly",
        SUMMARY_DEADLINE_DAYS,
        (sheet,),
        basis="docs/domain.md §3, §5, §9: DPD buckets M0…M7+ by product and by industry; "
        "balances exclude written-off rows",
    )


# Each product and each industry has a subtotal row followed by one row per DPD bucket.
OVERDUE_BLOCK = 1 + len(BUCKET_LABELS)
OVERDUE_ROWS = {
    "total": 1,
    "bucket": 2,
    "overdue": 2 + len(BUCKET_LABELS),
    "product": 3 + len(BUCKET_LABELS),
    "industry": 3 + len(BUCKET_LABELS) + OVERDUE_BLOCK * len(PRODUCT_LABELS),
}
TOP_CLASSES = ("special_mention", "substandard", "doubtful", "loss")
TOP_N = 10


def top10() -> ReportSpec:
    """最大十家: the ten largest lessees of each class below normal."""
    rows = []
    for k, c in enumerate(TOP_CLASSES):
        zh, en = CLASS_LABELS[c]
        for rank in range(1, TOP_N + 1):
            rows.append(
                RowSpec(
                    k * TOP_N + rank,
                    f"{zh}类第{rank}名",
                    f"{en} no. {rank}",
                    f"top_lessees({c!r})[{rank}]",
                )
            )
    sheet = SheetSpec(
        "最大十家",
        "最大十家客户（关注、次级、可疑、损失类）",
        tuple(rows),
        columns(
            ("客户代码", "Lessee id", "text", "lessee_id"),
            ("客户名称", "Lessee name", "text", "lessees.name"),
            ("客户类型", "Lessee type", "text", "lessee_type"),
            ("该类未偿本金", "Outstanding in class", "money", "class_outstanding"),
            ("该类合同数", "Contracts in class", "count", "class_contracts"),
            ("全部未偿本金", "All outstanding", "money", "outstanding"),
            ("该类减值准备", "Provisions in class", "money", "provision"),
            ("其中：估算准备", "of which estimated", "money", "provision_estimated"),
        ),
    )
    return ReportSpec(
        "TOP10",
        "最大十家客户情况表",
        "Ten largest lessees per class",
        "quarterly",
        SUMMARY_DEADLINE_DAYS,
        (sheet,),
        basis="docs/domain.md §9: lessees ranked by outstanding in the class (ties by lessee id)",
    )


def concentration() -> ReportSpec:
    """集中度与监管指标: the prudential ratios of regulatory/prudential.py."""
    rows = tuple(
        RowSpec(n, r.label_zh, r.label_en, r.source)
        for n, r in enumerate(prudential.RATIOS, start=1)
    )
    sheet = SheetSpec(
        "集中度",
        "集中度与监管指标",
        rows,
        columns(
            ("分子", "Numerator", "money", "ratio numerator"),
            ("分母", "Denominator", "money", "ratio base"),
            ("比率", "Ratio", "ratio", "A ÷ B"),
            ("监管标准", "Limit", "text", "prudential.RATIOS"),
            ("是否超标", "Breach", "text", "是 / 否 / 不适用"),
            ("说明", "Note", "text", "source, or why 不适用"),
            ("其中：估算准备", "of which estimated provisions", "money", "provision_estimated"),
        ),
    )
    return ReportSpec(
        "CONC",
        "集中度与监管指标表",
        "Concentration and prudential ratios",
        "quarterly",
        SUMMARY_DEADLINE_DAYS,
        (sheet,),
        basis="docs/domain.md §8, limits per entity type (regulatory/prudential.py)",
    )


DETAIL_COLUMNS = columns(
    ("合同编号", "Contract id", "text", "contract_month.contract_id"),
    ("客户代码", "Lessee id", "text", "lessee_id"),
    ("客户名称", "Lessee name", "text", "lessees.name"),
    ("证件号码", "ID number", "text", "lessees.id_number"),
    ("客户类型", "Lessee type", "text", "lessee_type"),
    ("行业", "Industry", "text", "industry"),
    ("地区", "Region", "text", "region"),
    ("产品", "Product", "text", "product"),
    ("租赁物类别", "Asset category", "text", "asset_category"),
    ("经营机构", "Branch", "text", "branch"),
    ("起租日", "Start date", "date", "contracts.start_date"),
    ("合同本金", "Principal", "money", "original_principal"),
    ("年利率", "Annual rate", "ratio", "contracts.annual_rate"),
    ("未偿本金", "Outstanding", "money", "outstanding_principal"),
    ("逾期本金", "Overdue principal", "money", "overdue_principal"),
    ("逾期利息", "Overdue interest", "money", "overdue_interest"),
    ("逾期天数", "DPD", "count", "dpd"),
    ("账龄段", "DPD bucket", "text", "dpd_bucket"),
    ("五级分类", "Risk class", "text", "risk_class"),
    ("分类依据", "Class reason", "text", "class_reason"),
    ("重组观察期", "In observation", "text", "in_observation"),
    ("减值准备", "Provision", "money", "provision"),
    ("准备是否估算", "Provision estimated", "text", "provision_estimated"),
)
# Row 1 of the detail's spec holds its totals (compiled beside the summary tables for the
# cross-table checks): A = contracts, the money columns = their sums, and W (the flag 准备是否
# 估算) = the provisions it marks as estimated.
DETAIL_SUM_COLUMNS = ("L", "N", "O", "P", "V", "W")


def detail() -> ReportSpec:
    """合同明细: the loan-level detail's columns; its row 1 holds the totals."""
    sheet = SheetSpec(
        "合同明细",
        "合同明细（每个未结清合同一行，金额单位：元）",
        (RowSpec(1, "合计", "Total", "detail_totals()"),),
        DETAIL_COLUMNS,
    )
    return ReportSpec(
        "DETAIL",
        "合同明细",
        "Loan-level detail",
        "monthly",
        DETAIL_DEADLINE_DAYS,
        (sheet,),
        basis="one row per open contract at the period end (neither closed nor written off)",
        summary=False,
    )
