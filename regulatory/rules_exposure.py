"""Rules of the exposure tables: 逾期, 最大十家 and 集中度 (see `rules.py`)."""

from __future__ import annotations

import itertools

from regulatory.codes import CLASS_LABELS, INDUSTRY_LABELS, PRODUCT_LABELS
from regulatory.model import BLOCKING, WARNING, Rule, cell_code, sum_rule
from regulatory.prudential import RATIOS
from regulatory.registry import OVERDUE_ROWS, TOP_CLASSES, TOP_N, report_spec


def overdue_rules() -> list[Rule]:
    """逾期: totals by bucket, product and industry; overdue ≤ outstanding."""
    rules: list[Rule] = []
    total, first, over = OVERDUE_ROWS["total"], OVERDUE_ROWS["bucket"], OVERDUE_ROWS["overdue"]
    for col in "ABCDEFGHI":
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
        for by, labels in (("product", PRODUCT_LABELS), ("industry", INDUSTRY_LABELS)):
            rules.append(
                sum_rule(
                    f"OVERDUE-BY-{by}-{col}",
                    cell_code("OVERDUE", total, col),
                    [cell_code("OVERDUE", OVERDUE_ROWS[by] + n, col) for n in range(len(labels))],
                    f"{col}列：合计 = 按{by}各行之和",
                    f"column {col}: total = sum of the {by} rows",
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
        rules.append(
            Rule(
                f"OVERDUE-BANDS-{row}",
                BLOCKING,
                "le",
                (*(cell_code("OVERDUE", row, x) for x in "EFGHI"), cell_code("OVERDUE", row, "B")),
                f"第{row}行各逾期段本金余额之和 ≤ 未偿本金",
                f"row {row}: overdue bands together ≤ outstanding",
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
