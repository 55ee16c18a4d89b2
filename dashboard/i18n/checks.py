"""Data checks in business words: what each dataset holds and what each check makes sure of.

A check's id (`contracts.product.in_set`) names its dataset, the column and the rule; the
数据质量 page shows the words built here instead (`合同：产品取值有效`). Rules are read from the
id's last part (key_unique, key_not_null, in_set, nonnegative, pattern, references_<table>); the
few checks of business rules have their own sentences. Unknown datasets, columns and rules fall
back to a neutral wording, never to the code alone.
"""

from __future__ import annotations

Words = tuple[str, str]  # (zh, en)

DATASETS: dict[str, Words] = {
    "lessees": ("承租人", "Lessees"),
    "contracts": ("合同", "Contracts"),
    "schedule": ("租金计划", "Rent schedules"),
    "receipts": ("回款", "Receipts"),
    "restructurings": ("重组", "Restructurings"),
    "writeoffs": ("核销", "Write-offs"),
    "classification_overrides": ("人工分类调整", "Manual classifications"),
    "provisions": ("拨备", "Provisions"),
    "guarantors": ("担保人", "Guarantors"),
    "collections": ("催收记录", "Collection actions"),
    "inspections": ("租后检查", "Inspections"),
    "device_events": ("设备监控事件", "Device events"),
    "warning_signals": ("预警信号", "Warning signals"),
    "lessee_financials": ("承租人财务数据", "Lessee financials"),
    "company_financials": ("公司财务数据", "Company financials"),
    "contract_month": ("合同月末状态", "Contracts at month-ends"),
    "loads": ("数据加载记录", "Data loads"),
    "load_late_rows": ("截止日后数据记录", "Rows dated after the as-of"),
    "build_settings": ("计算参数记录", "Calculation settings"),
    "month_ends": ("月末日历", "Month-end calendar"),
    "committee_classifications": ("风险委员会分类认定", "Committee classifications"),
    "portfolio_month": ("组合月度汇总", "Portfolio summary by month"),
    "portfolio_segment_month": ("组合分维度汇总", "Portfolio summary by segment"),
    "portfolio_total_month": ("组合总计汇总", "Portfolio totals"),
    "segment_values": ("筛选项取值", "Filter values"),
    "migration_month": ("五级分类迁徙汇总", "Migration summary"),
    "roll_month": ("逾期滚动汇总", "Roll-rate summary"),
    "vintage_month": ("账龄分析汇总", "Vintage summary"),
    "migration_segment_month": ("分维度迁徙汇总", "Migration summary by segment"),
    "roll_segment_month": ("分维度滚动汇总", "Roll-rate summary by segment"),
    "concentration_month": ("集中度排名", "Concentration ranking"),
    "vintage_total_month": ("账龄分析总计", "Vintage totals"),
    "vintage_dimension_month": ("分维度账龄分析", "Vintage by segment"),
    "check_runs": ("数据检查运行记录", "Check runs"),
    "check_results": ("数据检查结果", "Check results"),
    "contract_segments": ("合同维度归属", "Contract segments"),
    "collection_facts": ("催收汇总", "Collection summary"),
    "collection_credits": ("催收回款归属", "Receipts credited to collections"),
    "collection_action_month": ("催收行动月度汇总", "Collection actions by month"),
    "collection_credit_month": ("催收回款月度汇总", "Receipts credited to collections by month"),
    "collection_first_month": (
        "催收合同月度首次行动",
        "Contracts' first collection action by month",
    ),
    "contract_watch": ("合同预警状态", "Contract watch status"),
    "at_risk_rows": ("风险合同清单", "At-risk contracts"),
    "inspection_month": ("租后检查月度汇总", "Inspections by month"),
    "inspection_branch_month": ("分机构租后检查月度汇总", "Inspections by month and branch"),
    "collection_flags": ("催收合规标记", "Collection compliance flags"),
    "device_month": ("设备监控月度汇总", "Devices by month"),
    "device_alert_month": ("设备告警月度明细", "Device alerts by month and contract"),
    "inspection_findings_month": ("租后检查结果月度汇总", "Inspection findings by month"),
    "inspection_overdue": ("逾期未检查资产", "Assets overdue for inspection"),
    "lead_time_facts": ("预警提前期", "Warning lead times"),
    "lead_time_lessees": ("承租人预警提前期", "Warning lead times by lessee"),
    "ew_scores": ("预警评分", "Early-warning scores"),
    "ew_score_log": ("预警评分运行记录", "Early-warning scoring log"),
    "ew_feature_bins": ("预警特征分箱计数", "Early-warning feature counts by bin"),
    "ew_score_months": ("预警评分月份与输入指纹", "Early-warning scored month-ends"),
    "ew_performance_months": ("预警模型月度表现", "Early-warning model performance by month"),
    "ew_calibration_months": ("预警模型分十组校准", "Early-warning calibration by decile"),
    "ew_score_bins": ("预警评分分箱计数", "Early-warning scores by bin"),
    "signal_scope": ("预警信号归属", "Warning signals by segment"),
    "signal_month": ("预警信号月度汇总", "Warning signals by month"),
}

COLUMNS: dict[str, Words] = {
    "lessee_type": ("承租人类型", "lessee type"),
    "industry": ("行业", "industry"),
    "region": ("地区代码", "region code"),
    "product": ("产品", "product"),
    "principal": ("合同本金", "principal"),
    "annual_rate": ("年利率", "annual rate"),
    "term_months": ("期限", "term"),
    "installment_no": ("期次", "installment number"),
    "principal_due": ("应收本金", "principal due"),
    "interest_due": ("应收利息", "interest due"),
    "amount": ("金额", "amount"),
    "restructure_type": ("重组方式", "restructuring type"),
    "risk_class": ("五级分类", "risk class"),
    "guarantor_type": ("担保人类型", "guarantor type"),
    "channel": ("催收方式", "collection channel"),
    "counterparty_role": ("催收对象", "counterparty"),
    "outcome": ("催收结果", "outcome"),
    "promised_amount": ("承诺还款金额", "promised amount"),
    "inspection_type": ("检查方式", "inspection type"),
    "asset_status": ("租赁物状态", "asset status"),
    "event_type": ("事件类型", "event type"),
    "run_hours": ("运行小时", "run hours"),
    "source": ("信号来源", "signal source"),
    "severity": ("严重程度", "severity"),
    "total_assets": ("总资产", "total assets"),
    "cash_and_deposits": ("现金及存款", "cash and deposits"),
    "government_bonds": ("国债", "government bonds"),
    "fixed_income_investments": ("固定收益投资", "fixed-income investments"),
    "leasing_assets": ("租赁资产", "leasing assets"),
    "dpd_bucket": ("逾期账龄段", "DPD bucket"),
    "class_reason": ("分类依据", "classification reason"),
    "dpd": ("逾期天数", "days past due"),
    "outstanding_principal": ("未偿本金", "outstanding principal"),
    "period": ("迁徙期间", "migration period"),
    "from_bucket": ("期初账龄段", "bucket at start"),
    "mob": ("账龄月数", "months on book"),
    "flag": ("合规标记", "compliance flag"),
    "lessee_id": ("承租人", "lessee"),
    "contract_id": ("合同", "contract"),
    "action_id": ("催收记录", "collection action"),
}

RULES: dict[str, Words] = {
    "key_unique": ("每条记录只出现一次（无重复）", "no record appears twice"),
    "key_not_null": ("记录编号不为空", "every record has its identifier"),
    "in_set": ("{column}取值有效", "{column} is a valid value"),
    "nonnegative": ("{column}不为负数", "{column} is never negative"),
    "pattern": ("{column}格式正确", "{column} is well formed"),
    "references": ("引用的{column}都存在（{target}）", "every {column} it names exists ({target})"),
    "other": ("数据规则", "data rule"),
}

SPECIAL: dict[str, Words] = {
    "schedule.first_version_sum": (
        "首版租金计划的本金合计等于合同本金",
        "the first rent schedule's principal adds up to the contract principal",
    ),
    "schedule.restated_version_sum": (
        "重组后的租金计划不超过原计划的本金加利息",
        "a restated schedule holds at most the previous principal plus interest",
    ),
    "receipts.within_ever_due": (
        "回款不超过累计应收（超出部分为预收款）",
        "receipts stay within what was ever due (more is a credit)",
    ),
    "contract_month.contract_known": (
        "每条月末记录的合同和承租人都存在",
        "every month-end row's contract and lessee exist",
    ),
    "contract_month.outstanding_within_principal": (
        "未偿本金不超过合同本金",
        "outstanding principal is at most the original principal",
    ),
    "contract_month.dpd90_is_npl": (
        "逾期 90 天以上的合同均列入不良（次级及以下）",
        "more than 90 days past due means substandard or worse",
    ),
    "contract_month.npl_dpd0_has_reason": (
        "未逾期的不良合同须有分类依据",
        "a non-performing contract not past due has a recorded reason",
    ),
    "contract_month.dpd_bucket_matches_dpd": (
        "逾期账龄段与逾期天数一致",
        "the DPD bucket matches the days past due",
    ),
    "contract_month.class_not_better_than_floor": (
        "五级分类不优于逾期天数对应的最低分类",
        "the risk class is never better than its days-past-due floor",
    ),
    "contract_month.months_continuous": (
        "合同首末月之间的每个月末都有记录",
        "no month-end missing between a contract's first and last rows",
    ),
    "contract_month.par_ordering": (
        "逾期率 30+ ≥ 60+ ≥ 90+（余额口径）",
        "overdue 30+ ≥ 60+ ≥ 90+ (balance basis) at every month-end",
    ),
    "loads.sha256.length": (
        "数据包指纹完整（64 位）",
        "the extract fingerprint is complete (64 characters)",
    ),
    "collection_flags.action_id.references_collection_facts": (
        "每个合规标记都对应一条催收记录",
        "every flag belongs to a collection action",
    ),
    "device_month.counts_consistent": (
        "告警设备数不超过在装设备数",
        "devices with an alert are at most the fitted devices",
    ),
    "inspection_month.counts_within_assets": (
        "已检查与逾期未检查之和不超过租赁物数",
        "covered plus overdue inspections are at most the assets",
    ),
}


def _pick(words: Words, lang: str) -> str:
    return words[0 if lang == "zh" else 1]


def dataset_words(dataset: object, lang: str) -> str:
    """A dataset's business name (`contracts` → 合同); an unknown one as given."""
    words = DATASETS.get(str(dataset))
    return str(dataset) if words is None else _pick(words, lang)


def check_words(check_id: object, lang: str, description: object = None) -> str:
    """What a check makes sure of, in words (`contracts.product.in_set` → 产品取值有效); a rule
    this module does not know reads as the check's own `description`, else neutrally."""
    text = str(check_id)
    if text in SPECIAL:
        return _pick(SPECIAL[text], lang)
    parts = text.split(".")
    rule = parts[-1]
    column = parts[1] if len(parts) == 3 else ""
    column_text = _pick(COLUMNS.get(column, ("字段", "a field")), lang)
    if rule.startswith("references_"):
        target = dataset_words(rule.removeprefix("references_"), lang)
        return _pick(RULES["references"], lang).format(column=column_text, target=target)
    if rule not in RULES and isinstance(description, str) and description:
        return description
    template = _pick(RULES.get(rule, RULES["other"]), lang)
    return template.format(column=column_text)
