"""Reasons for a score: catalogue keys (`ew_reason.<feature>`) with their Chinese and English words.

A model names a contract's top three reasons by key; a screen or a file renders the key in the
user's language with `reason_text`. Every feature of `warehouse.marts.ew_features.FEATURES` has
words here (a test keeps it so), and a feature that is often missing has words for that too.
"""

from __future__ import annotations

PREFIX = "ew_reason."

TEXT: dict[str, tuple[str, str]] = {
    "dpd": ("当前逾期天数", "days past due now"),
    "dpd_max_3m": ("近3个月最高逾期天数", "highest DPD in the last 3 months"),
    "dpd_max_6m": ("近6个月最高逾期天数", "highest DPD in the last 6 months"),
    "dpd_max_12m": ("近12个月最高逾期天数", "highest DPD in the last 12 months"),
    "months_in_arrears_12m": ("近12个月逾期月数", "months in arrears in the last 12"),
    "months_30_12m": ("近12个月逾期30天以上月数", "months over 30 DPD in the last 12"),
    "payment_ratio_6m": ("近6个月实还/应还比例偏低", "low share of amounts due paid in 6 months"),
    "in_observation": ("重组观察期内", "in a restructuring observation period"),
    "risk_class_rank": ("五级分类较差", "weaker five-tier class"),
    "restructurings": ("曾重组", "restructured"),
    "months_since_restructuring": ("重组时间较近", "recent restructuring"),
    "overrides": ("曾被人工调整分类", "manual classification override"),
    "iot_offline_3m": ("近3个月设备离线", "device offline in the last 3 months"),
    "iot_geofence_exit_3m": ("近3个月设备越出电子围栏", "device left its geofence in 3 months"),
    "iot_abnormal_stop_3m": ("近3个月设备异常停机", "abnormal device stops in 3 months"),
    "iot_low_utilisation_3m": ("近3个月设备开工率低", "low device utilisation in 3 months"),
    "iot_offline_days_3m": ("近3个月设备离线天数", "days offline in the last 3 months"),
    "inspections_12m": ("近12个月检查次数与违约相关", "number of inspections in 12 months"),
    "inspections_abnormal_12m": ("近12个月检查发现租赁物异常", "abnormal inspection findings"),
    "last_inspection_abnormal": ("最近一次检查租赁物异常", "last inspection found a problem"),
    "months_since_inspection": ("距上次检查时间较长", "long since the last inspection"),
    "signals_low_6m": ("近6个月低等级预警信号", "low-severity warning signals in 6 months"),
    "signals_medium_6m": ("近6个月中等级预警信号", "medium-severity warning signals in 6 months"),
    "signals_high_6m": ("近6个月高等级预警信号", "high-severity warning signals in 6 months"),
    "signals_high_12m": ("近12个月高等级预警信号", "high-severity warning signals in 12 months"),
    "signals_tax_6m": ("近6个月税务预警", "tax signals in the last 6 months"),
    "signals_court_6m": ("近6个月涉诉信息", "court signals in the last 6 months"),
    "signals_social_security_6m": ("近6个月社保异常", "social-security signals in 6 months"),
    "signals_financial_6m": ("近6个月财务预警", "financial signals in the last 6 months"),
    "signals_iot_6m": ("近6个月物联网预警", "IoT signals in the last 6 months"),
    "signals_news_6m": ("近6个月负面舆情", "adverse news in the last 6 months"),
    "signals_internal_6m": ("近6个月内部预警", "internal signals in the last 6 months"),
    "fin_debt_ratio": ("资产负债率偏高", "high debt-to-assets ratio"),
    "fin_debt_ratio_change": ("资产负债率同比上升", "debt-to-assets ratio up on a year ago"),
    "fin_ocf_margin": ("经营现金流偏弱", "weak operating cash flow"),
    "fin_net_margin": ("净利润率偏低", "low net margin"),
    "fin_revenue_yoy": ("营业收入同比下降", "revenue down on a year ago"),
    "fin_age_months": ("财务报表时点", "age of the latest statement"),
    "contacts_6m": ("近6个月催收次数多", "many collection contacts in 6 months"),
    "no_answer_6m": ("近6个月催收无法联系", "collection calls unanswered in 6 months"),
    "refusals_6m": ("近6个月拒绝还款", "refused to pay in the last 6 months"),
    "promises_6m": ("近6个月多次承诺还款", "repeated promises to pay in 6 months"),
    "promises_broken_6m": ("近6个月承诺还款未兑现", "broken promises to pay in 6 months"),
    "legal_12m": ("近12个月采取法律措施", "legal action in the last 12 months"),
    "text_refusal_12m": ("检查记录或预警信息提及拒绝", "notes or signals mention a refusal"),
    "text_hardship_12m": ("检查记录或预警信息提及经营困难", "notes or signals mention hardship"),
    "text_dispute_12m": ("检查记录或预警信息提及纠纷", "notes or signals mention a dispute"),
    "outstanding": ("未偿本金规模对应违约率较高", "outstanding principal in a riskier band"),
    "outstanding_share": (
        "未偿本金占比对应违约率较高",
        "share still outstanding in a riskier band",
    ),
    "lessee_outstanding": ("承租人总敞口对应违约率较高", "lessee's exposure in a riskier band"),
    "lessee_contracts": ("承租人合同数对应违约率较高", "lessee's number of contracts"),
    "lessee_dpd_max": ("承租人其他合同逾期", "arrears on the lessee's contracts"),
    "annual_rate": ("合同利率偏高", "high contract rate"),
    "term_months": ("合同期限对应违约率较高", "contract term with more defaults"),
    "mob": ("账龄处于高风险阶段", "months on book at a riskier stage"),
    "product": ("产品类型违约率较高", "product with more defaults"),
    "lessee_type": ("承租人类型违约率较高", "lessee type with more defaults"),
    "industry": ("所属行业违约率较高", "industry with more defaults"),
    "province": ("所在地区违约率较高", "region with more defaults"),
}

# A missing value gets words of its own: "no statement", not "weak cash flow".
MISSING: dict[str, str] = {
    **{f: "no_statement" for f in TEXT if f.startswith("fin_")},
    "months_since_inspection": "no_inspection",
    "payment_ratio_6m": "nothing_due",
}
TEXT.update(
    {
        "no_statement": ("无近期财务报表", "no recent financial statement"),
        "no_inspection": ("近12个月未检查租赁物", "asset not inspected in the last 12 months"),
        "nothing_due": ("近6个月无应还款", "nothing fell due in the last 6 months"),
    }
)


def reason_key(feature: str) -> str:
    """The catalogue key of a feature's reason."""
    return f"{PREFIX}{feature}"


def reason_key_of(feature: str, missing: bool) -> str:
    """The key of a feature's reason for a row: its missing-value words when it has none."""
    return reason_key(MISSING.get(feature, feature) if missing else feature)


def reason_text(key: str, lang: str = "zh") -> str:
    """The words of a reason key in `lang` ("zh" or "en"); an unknown key is shown as itself."""
    words = TEXT.get(key.removeprefix(PREFIX))
    if words is None:
        return key
    return words[1] if lang == "en" else words[0]
