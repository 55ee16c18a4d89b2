"""What each headline figure means: a short card title and its definition (the help tooltip).

Definitions follow docs/domain.md §5 (portfolio indicators) and §4 (five-tier classes); a card's
title is short so it fits its column at 1280 px, its unit rides with the value (亿元 / 万元, %),
and the definition carries the rest. Merged into `dashboard.i18n.catalogue.CATALOGUE` as
`card.<metric>` and `def.<metric>`.
"""

from __future__ import annotations

# metric -> (card title zh, card title en, definition zh, definition en)
FIGURES: dict[str, tuple[str, str, str, str]] = {
    "outstanding": (
        "未偿本金",
        "Outstanding",
        "月末存续合同（未结清、未核销）的未偿本金合计。",
        "Outstanding principal of the contracts open at the month-end (not closed, not written "
        "off).",
    ),
    "open_contracts": (
        "存续合同数",
        "Open contracts",
        "月末未结清、未核销的合同数。",
        "Contracts neither closed nor written off at the month-end.",
    ),
    "new_contracts": (
        "新发放合同数",
        "New contracts",
        "当月起租的合同数。",
        "Contracts whose lease started in the month.",
    ),
    "new_principal": (
        "新发放本金",
        "New principal",
        "当月起租合同的合同本金合计（金额口径）。",
        "Principal of the contracts that started in the month (amount basis).",
    ),
    "receipts": (
        "当月回款",
        "Receipts",
        "当月收到的租金（本金与利息）合计，即累计回款的当月增加额。",
        "Rent received in the month (principal and interest): the month's increase of the "
        "receipts to date.",
    ),
    "overdue_rate_balance_dpd0": (
        "逾期率 DPD>0",
        "Overdue DPD>0",
        "逾期天数大于 0 的合同的未偿本金 ÷ 全部未偿本金（余额口径）。",
        "Outstanding of contracts more than 0 days past due ÷ total outstanding (balance basis).",
    ),
    "overdue_rate_balance_dpd30": (
        "逾期率 30+",
        "Overdue 30+",
        "逾期超过 30 天的合同的未偿本金 ÷ 全部未偿本金（余额口径）。",
        "Outstanding of contracts more than 30 days past due ÷ total outstanding (balance basis).",
    ),
    "overdue_rate_balance_dpd60": (
        "逾期率 60+",
        "Overdue 60+",
        "逾期超过 60 天的合同的未偿本金 ÷ 全部未偿本金（余额口径）。",
        "Outstanding of contracts more than 60 days past due ÷ total outstanding (balance basis).",
    ),
    "overdue_rate_balance_dpd90": (
        "逾期率 90+",
        "Overdue 90+",
        "逾期超过 90 天的合同的未偿本金 ÷ 全部未偿本金（余额口径）。",
        "Outstanding of contracts more than 90 days past due ÷ total outstanding (balance basis).",
    ),
    "overdue_rate_amount": (
        "逾期金额占比",
        "Overdue amount",
        "已到期未收回的本金与利息 ÷ 全部未偿本金（金额口径）。",
        "Principal and interest past due and unpaid ÷ total outstanding (amount basis).",
    ),
    "overdue_rate_count_dpd30": (
        "逾期率 30+（笔数）",
        "Overdue 30+ (count)",
        "逾期超过 30 天的存续合同数 ÷ 存续合同数（笔数口径）。",
        "Open contracts more than 30 days past due ÷ open contracts (count basis).",
    ),
    "npl_outstanding": (
        "不良余额",
        "NPL outstanding",
        "次级、可疑、损失类合同的未偿本金合计。",
        "Outstanding of contracts classed substandard, doubtful or loss.",
    ),
    "npl_ratio": (
        "不良率",
        "NPL ratio",
        "不良余额（次级 + 可疑 + 损失）÷ 全部未偿本金；监管红线 5%。",
        "NPL outstanding (substandard + doubtful + loss) ÷ total outstanding; regulatory line 5%.",
    ),
    "provision": (
        "拨备",
        "Provisions",
        "月末存续合同的损失准备合计；数据未提供时按五级分类比例估算。",
        "Loss provisions of the contracts open at the month-end; estimated at the class rates "
        "where the data gives none.",
    ),
    "provision_estimated": (
        "其中估算拨备",
        "of which estimated",
        "数据未提供拨备的合同按五级分类比例（正常 1%、关注 2%、次级 25%、可疑 50%、损失 100%）"
        "估算的拨备。",
        "Provisions estimated at the class rates (normal 1%, special mention 2%, substandard 25%, "
        "doubtful 50%, loss 100%) where the data gives none.",
    ),
    "provision_estimated_share": (
        "估算拨备占比",
        "Estimated share",
        "估算拨备 ÷ 拨备。",
        "Estimated provisions ÷ provisions.",
    ),
    "provision_coverage": (
        "拨备覆盖率",
        "Provision coverage",
        "拨备 ÷ 不良余额；金融租赁公司不低于 100%。",
        "Provisions ÷ NPL outstanding; at least 100% for a financial leasing company.",
    ),
    "provision_rate": (
        "拨备率",
        "Provision rate",
        "拨备 ÷ 全部未偿本金；金融租赁公司不低于 2.5%。",
        "Provisions ÷ total outstanding; at least 2.5% for a financial leasing company.",
    ),
    "deviation_90": (
        "偏离度",
        "90+ ÷ NPL",
        "逾期 90 天以上的未偿本金 ÷ 不良余额；超过 100% 说明有逾期 90 天以上的资产未列入不良。",
        "Outstanding more than 90 days past due ÷ NPL outstanding; above 100% means 90+ assets "
        "sit outside NPL.",
    ),
    "lessees": (
        "承租人数",
        "Lessees",
        "月末有存续合同的承租人数。",
        "Lessees with a contract open at the month-end.",
    ),
    "dpd_gt_0": (
        "逾期合同数",
        "Contracts past due",
        "月末逾期天数大于 0 的存续合同数。",
        "Open contracts more than 0 days past due at the month-end.",
    ),
    "dpd": (
        "逾期天数",
        "Days past due",
        "最早一期未足额收回的租金自到期日起的天数（月末计）。",
        "Days since the oldest unpaid installment fell due, at the month-end.",
    ),
    "risk_class": (
        "五级分类",
        "Risk class",
        "正常、关注、次级、可疑、损失；按逾期天数下限、重组与人工认定确定。",
        "Normal, special mention, substandard, doubtful, loss: from the days-past-due floor, "
        "restructuring and manual classification.",
    ),
    "contract_outstanding": (
        "未偿本金",
        "Outstanding",
        "本合同在所选月末尚未收回的本金。",
        "The contract's principal not yet repaid at the month-end shown.",
    ),
    "overdue_principal": (
        "逾期本金",
        "Overdue principal",
        "已到期未收回的本金。",
        "Principal past due and unpaid.",
    ),
}

DEFINITIONS: dict[str, dict[str, str]] = {}
for _metric, (_zh, _en, _def_zh, _def_en) in FIGURES.items():
    DEFINITIONS[f"card.{_metric}"] = {"zh": _zh, "en": _en}
    DEFINITIONS[f"def.{_metric}"] = {"zh": _def_zh, "en": _def_en}
