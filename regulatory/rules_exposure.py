"""Rules of the exposure tables: 逾期, 最大十家 and 集中度 (see `rules.py`)."""

from __future__ import annotations

import itertools

from regulatory.codes import BUCKET_LABELS, CLASS_LABELS, INDUSTRY_LABELS, PRODUCT_LABELS
from regulatory.model import BLOCKING, WARNING, Rule, cell_code, sum_rule
from regulatory.prudential import RATIOS
from regulatory.registry import (
    G11_ROWS,
    OVERDUE_BLOCK,
    OVERDUE_ROWS,
    TOP_CLASSES,
    TOP_N,
    report_spec,
)


def overdue_rules() -> list[Rule]:
    """逾期: totals = buckets, products, industries; each product's and industry's subtotal = its
    buckets; each bucket = its rows over the products and over the industries; overdue ≤
    outstanding on every row; each product's and industry's outstanding = its G11 row."""
    rules: list[Rule] = []
    total, first, over = OVERDUE_ROWS["total"], OVERDUE_ROWS["bucket"], OVERDUE_ROWS["overdue"]
    groups = (("product", PRODUCT_LABELS), ("industry", INDUSTRY_LABELS))
    for col in "ABCD":
        rules.append(
            sum_rule(
                f"OVERDUE-BUCKETS-{col}",
                cell_code("OVERDUE", total, col),
                [cell_code("OVERDUE", r, col) for r in range(first, over)],
                f"{col}列：合计 = 各账龄段之和",
                f"column {col}: total = sum of the DPD buckets",
            )
        )
        rules.append(
            sum_rule(
                f"OVERDUE-OVERDUE-{col}",
                cell_code("OVERDUE", over, col),
                [cell_code("OVERDUE", r, col) for r in range(first + 1, over)],
                f"{col}列：逾期合计 = M1至M7+之和",
                f"column {col}: overdue total = buckets M1 to M7+",
            )
        )
        for by, labels in groups:
            heads = [OVERDUE_ROWS[by] + n * OVERDUE_BLOCK for n in range(len(labels))]
            rules.append(
                sum_rule(
                    f"OVERDUE-BY-{by}-{col}",
                    cell_code("OVERDUE", total, col),
                    [cell_code("OVERDUE", h, col) for h in heads],
                    f"{col}列：合计 = 按{by}各行之和",
                    f"column {col}: total = sum of the {by} rows",
                )
            )
            for code, head in zip(labels, heads, strict=True):
                rules.append(
                    sum_rule(
                        f"OVERDUE-{by}-{code}-{col}",
                        cell_code("OVERDUE", head, col),
                        [cell_code("OVERDUE", head + k, col) for k in range(1, OVERDUE_BLOCK)],
                        f"{col}列：{code}小计 = 其各账龄段之和",
                        f"column {col}: {by} {code} = sum of its DPD buckets",
                    )
                )
            for k, bucket in enumerate(BUCKET_LABELS):
                rules.append(
                    sum_rule(
                        f"OVERDUE-{by}-BUCKET-{bucket}-{col}",
                        cell_code("OVERDUE", first + k, col),
                        [cell_code("OVERDUE", h + 1 + k, col) for h in heads],
                        f"{col}列：{bucket} = 按{by}各{bucket}行之和",
                        f"column {col}: {bucket} = sum of its rows over the {by} values",
                    )
                )
    for by, labels in groups:
        for n, code in enumerate(labels):
            head = OVERDUE_ROWS[by] + n * OVERDUE_BLOCK
            for g11_col, col, what in (("F", "B", "OUTSTANDING"), ("H", "A", "CONTRACTS")):
                rules.append(
                    sum_rule(
                        f"X-G11-OVERDUE-{by}-{code}-{what}",
                        cell_code("G11", G11_ROWS[by] + n, g11_col),
                        [cell_code("OVERDUE", head, col)],
                        f"G11 {code} = 逾期表 {code}",
                        f"G11 {by} {code} = the overdue table's",
                    )
                )
    rows = [r.number for r in report_spec("OVERDUE").sheets[0].rows]
    for row in rows:
        rules.append(
            Rule(
                f"OVERDUE-PRINCIPAL-{row}",
                BLOCKING,
                "le",
                (cell_code("OVERDUE", row, "C"), cell_code("OVERDUE", row, "B")),
                f"第{row}行逾期本金 ≤ 未偿本金",
                f"row {row}: overdue principal ≤ outstanding",
            )
        )
    return rules


def top10_rules() -> list[Rule]:
    """最大十家: of which ≤ all, ranking order, the ten ≤ the G11 class total."""
    rules: list[Rule] = []
    for k, risk_class in enumerate(TOP_CLASSES):
        rows = [k * TOP_N + n for n in range(1, TOP_N + 1)]
        for row in rows:
            rules.append(
                Rule(
                    f"TOP10-OFWHICH-{row}",
                    BLOCKING,
                    "le",
                    (cell_code("TOP10", row, "D"), cell_code("TOP10", row, "F")),
                    f"第{row}行该类余额 ≤ 客户全部余额",
                    f"row {row}: outstanding in the class ≤ all the lessee's outstanding",
                )
            )
            rules.append(
                Rule(
                    f"TOP10-ESTIMATED-{row}",
                    BLOCKING,
                    "le",
                    (cell_code("TOP10", row, "H"), cell_code("TOP10", row, "G")),
                    f"第{row}行估算准备 ≤ 该类减值准备",
                    f"row {row}: estimated provisions ≤ provisions in the class",
                )
            )
        for a, b in itertools.pairwise(rows):
            rules.append(
                Rule(
                    f"TOP10-ORDER-{b}",
                    BLOCKING,
                    "order",
                    (cell_code("TOP10", a, "D"), cell_code("TOP10", b, "D")),
                    "排名按余额从大到小",
                    "ranked by outstanding, largest first",
                )
            )
        col = "ABCDE"[list(CLASS_LABELS).index(risk_class)]
        rules.append(
            Rule(
                f"X-TOP10-G11-{risk_class}",
                BLOCKING,
                "le",
                (*(cell_code("TOP10", r, "D") for r in rows), cell_code("G11", 1, col)),
                "前十家该类余额之和 ≤ G11该类余额",
                "the ten largest together ≤ the G11 class total",
            )
        )
    return rules


def conc_rules() -> list[Rule]:
    """集中度: ratio = A ÷ B; a breach must be explained."""
    rules: list[Rule] = []
    for n, ratio in enumerate(RATIOS, start=1):
        cells = (cell_code("CONC", n, "A"), cell_code("CONC", n, "B"), cell_code("CONC", n, "C"))
        rules.append(
            Rule(f"CONC-RATIO-{n}", BLOCKING, "ratio", cells, "比率 = 分子 ÷ 分母", "ratio = A ÷ B")
        )
        if ratio.code in {"provision_coverage", "provision_rate"}:
            rules.append(
                Rule(
                    f"CONC-ESTIMATED-{n}",
                    BLOCKING,
                    "le",
                    (cell_code("CONC", n, "G"), cell_code("CONC", n, "A")),
                    "估算准备 ≤ 拨备",
                    "estimated provisions ≤ provisions",
                )
            )
        rules.append(
            Rule(
                f"CONC-BREACH-{ratio.code}",
                WARNING,
                "flag",
                (cell_code("CONC", n, "E"),),
                f"{ratio.label_zh}超出监管标准，须书面说明",
                f"{ratio.label_en} breaches its limit and must be explained",
            )
        )
    return rules
