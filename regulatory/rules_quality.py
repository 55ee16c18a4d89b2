"""Within-table and G12↔G11 rules of the asset-quality tables G11 and G12 (see `rules.py`)."""

from __future__ import annotations

from regulatory.codes import CLASS_LABELS, INDUSTRY_LABELS, LESSEE_TYPE_LABELS, PRODUCT_LABELS
from regulatory.model import BLOCKING, WARNING, Rule, cell_code, sum_rule
from regulatory.registry import (
    G11_ESTIMATED_ROW,
    G11_PROVISION_ROW,
    G11_RESTRUCTURED_ROW,
    G11_ROWS,
    report_spec,
)


def g11_rules() -> list[Rule]:
    """G11: totals, NPL, segment sums, of-which rows, the re-restructured warning."""
    rules: list[Rule] = []
    rows = [r.number for r in report_spec("G11").sheets[0].rows]
    for row in rows:
        rules.append(
            sum_rule(
                f"G11-TOTAL-{row}",
                cell_code("G11", row, "F"),
                [cell_code("G11", row, x) for x in "ABCDE"],
                f"第{row}行合计 = 正常+关注+次级+可疑+损失",
                f"row {row}: total = sum of the five classes",
            )
        )
        rules.append(
            sum_rule(
                f"G11-NPL-{row}",
                cell_code("G11", row, "G"),
                [cell_code("G11", row, x) for x in "CDE"],
                f"第{row}行不良 = 次级+可疑+损失",
                f"row {row}: NPL = substandard + doubtful + loss",
            )
        )
    for by, labels in (
        ("product", PRODUCT_LABELS),
        ("lessee_type", LESSEE_TYPE_LABELS),
        ("industry", INDUSTRY_LABELS),
    ):
        first = G11_ROWS[by]
        for col in "ABCDEFGH":
            rules.append(
                sum_rule(
                    f"G11-BY-{by}-{col}",
                    cell_code("G11", 1, col),
                    [cell_code("G11", first + n, col) for n in range(len(labels))],
                    f"{col}列：合计 = 按{by}各行之和",
                    f"column {col}: total = sum of the {by} rows",
                )
            )
    parent = G11_RESTRUCTURED_ROW
    for child in (parent + 1, parent + 2, parent + 3):
        for col in "ABCDEFGH":
            rules.append(
                Rule(
                    f"G11-OFWHICH-{child}-{col}",
                    BLOCKING,
                    "le",
                    (cell_code("G11", child, col), cell_code("G11", parent, col)),
                    f"第{child}行（其中项）≤ 第{parent}行",
                    f"row {child} (of which) ≤ row {parent}",
                )
            )
    rules.append(
        Rule(
            "G11-RERESTRUCTURED",
            WARNING,
            "zero",
            (cell_code("G11", parent + 3, "F"),),
            "再重组仍未列入不良的资产不为零，须书面说明",
            "re-restructured assets outside NPL are non-zero and must be explained",
        )
    )
    for col in "ABCDEFG":
        rules.append(
            Rule(
                f"G11-ESTIMATED-{col}",
                BLOCKING,
                "le",
                (
                    cell_code("G11", G11_ESTIMATED_ROW, col),
                    cell_code("G11", G11_PROVISION_ROW, col),
                ),
                f"第{G11_ESTIMATED_ROW}行估算准备 ≤ 第{G11_PROVISION_ROW}行准备",
                "estimated provisions ≤ provisions",
            )
        )
    for n, col in enumerate("ABCDE"):
        rules.append(
            Rule(
                f"G11-PROVISION-{col}",
                WARNING,
                "le",
                (cell_code("G11", G11_PROVISION_ROW, col), cell_code("G11", 1, col)),
                f"{list(CLASS_LABELS.values())[n][0]}类减值准备 ≤ 该类余额",
                "provisions of a class ≤ its outstanding",
            )
        )
    return rules


def g12_rules() -> list[Rule]:
    """G12: row and column totals, period-end = G11, the rates from the matrix."""
    rules: list[Rule] = []
    for row in range(1, 6):
        rules.append(
            sum_rule(
                f"G12-ROW-{row}",
                cell_code("G12", row, "A"),
                [cell_code("G12", row, x) for x in "BCDEFG"],
                f"第{row}行期初余额 = 期末各类 + 期间减少",
                f"row {row}: beginning = period-end classes + reduced",
            )
        )
    for col in "ABCDEFG":
        rules.append(
            sum_rule(
                f"G12-BEGIN-TOTAL-{col}",
                cell_code("G12", 6, col),
                [cell_code("G12", r, col) for r in range(1, 6)],
                f"{col}列：期初合计 = 第1–5行之和",
                f"column {col}: beginning total = rows 1–5",
            )
        )
    for n, col in enumerate("BCDEF"):
        rules.append(
            sum_rule(
                f"G12-END-TOTAL-{col}",
                cell_code("G12", 8, col),
                [cell_code("G12", 6, col), cell_code("G12", 7, col)],
                f"{col}列：期末合计 = 期初合计 + 新发放",
                f"column {col}: period-end total = beginning total + new business",
            )
        )
        rules.append(
            sum_rule(
                f"X-G12-G11-{col}",
                cell_code("G12", 8, col),
                [cell_code("G11", 1, "ABCDE"[n])],
                "G12期末合计 = G11同类余额",
                "G12 period-end total = the G11 class total",
            )
        )
    worse = {1: "CDEF", 2: "DEF", 3: "EF", 4: "F"}
    for row, cols in worse.items():
        rules.append(
            sum_rule(
                f"G12-RATE-NUM-{row + 8}",
                cell_code("G12", row + 8, "A"),
                [cell_code("G12", row, x) for x in cols],
                "迁徙率分子 = 矩阵中变差的余额",
                "rate numerator = the matrix's worse cells",
            )
        )
    for row in range(1, 5):
        rules.append(
            sum_rule(
                f"G12-RATE-DEN-{row + 8}",
                cell_code("G12", row + 8, "B"),
                [cell_code("G12", row, "A")],
                "迁徙率分母 = 期初余额 − 期间减少",
                "rate denominator = beginning − reduced",
                minus=[cell_code("G12", row, "G")],
            )
        )
    rules.append(
        sum_rule(
            "G12-RATE-NUM-13",
            cell_code("G12", 13, "A"),
            [cell_code("G12", r, x) for r in (1, 2) for x in "DEF"],
            "正常贷款迁徙率分子 = 期初正常、关注类中变为不良的余额",
            "performing numerator = beginning normal and SM now NPL",
        )
    )
    rules.append(
        sum_rule(
            "G12-RATE-DEN-13",
            cell_code("G12", 13, "B"),
            [cell_code("G12", 1, "A"), cell_code("G12", 2, "A")],
            "正常贷款迁徙率分母 = 期初正常、关注余额 − 其期间减少",
            "performing denominator = beginning normal + SM − their reduction",
            minus=[cell_code("G12", 1, "G"), cell_code("G12", 2, "G")],
        )
    )
    for row in range(9, 14):
        cells = (cell_code("G12", row, "A"), cell_code("G12", row, "B"), cell_code("G12", row, "C"))
        rules.append(
            Rule(
                f"G12-RATE-{row}",
                BLOCKING,
                "ratio",
                cells,
                "迁徙率 = 分子 ÷ 分母",
                "rate = num ÷ den",
            )
        )
        rules.append(
            Rule(
                f"G12-RATE-BOUNDS-{row}",
                BLOCKING,
                "bounds",
                (cells[2],),
                "迁徙率在0与100%之间",
                "a migration rate lies between 0 and 100%",
            )
        )
    return rules
