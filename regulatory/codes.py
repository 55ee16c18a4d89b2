"""Code lists of the supervisory reports, each code with its Chinese and English label."""

from __future__ import annotations

CLASS_LABELS: dict[str, tuple[str, str]] = {
    "normal": ("正常", "Normal"),
    "special_mention": ("关注", "Special mention"),
    "substandard": ("次级", "Substandard"),
    "doubtful": ("可疑", "Doubtful"),
    "loss": ("损失", "Loss"),
}
PRODUCT_LABELS: dict[str, tuple[str, str]] = {
    "direct_lease": ("直接租赁", "Direct lease"),
    "sale_leaseback": ("售后回租", "Sale-leaseback"),
    "loan": ("贷款", "Loan"),
}
LESSEE_TYPE_LABELS: dict[str, tuple[str, str]] = {
    "corporate": ("非零售（法人）客户", "Non-retail (corporate)"),
    "individual": ("零售（个人）客户", "Retail (individual)"),
}
# GB/T 4754-2017 sections (门类).
INDUSTRY_LABELS: dict[str, tuple[str, str]] = {
    "A": ("农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    "B": ("采矿业", "Mining"),
    "C": ("制造业", "Manufacturing"),
    "D": ("电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water"),
    "E": ("建筑业", "Construction"),
    "F": ("批发和零售业", "Wholesale and retail trade"),
    "G": ("交通运输、仓储和邮政业", "Transport, storage and post"),
    "H": ("住宿和餐饮业", "Accommodation and catering"),
    "I": ("信息传输、软件和信息技术服务业", "Information and software services"),
    "J": ("金融业", "Finance"),
    "K": ("房地产业", "Real estate"),
    "L": ("租赁和商务服务业", "Leasing and business services"),
    "M": ("科学研究和技术服务业", "Scientific research and technical services"),
    "N": ("水利、环境和公共设施管理业", "Water, environment and public facilities"),
    "O": ("居民服务、修理和其他服务业", "Residential, repair and other services"),
    "P": ("教育", "Education"),
    "Q": ("卫生和社会工作", "Health and social work"),
    "R": ("文化、体育和娱乐业", "Culture, sports and entertainment"),
    "S": ("公共管理、社会保障和社会组织", "Public administration and social organisations"),
    "T": ("国际组织", "International organisations"),
}
BUCKET_LABELS: dict[str, tuple[str, str]] = {
    "M0": ("未逾期", "Not overdue"),
    "M1": ("逾期1-30天", "1-30 days past due"),
    "M2": ("逾期31-60天", "31-60 days past due"),
    "M3": ("逾期61-90天", "61-90 days past due"),
    "M4": ("逾期91-120天", "91-120 days past due"),
    "M5": ("逾期121-150天", "121-150 days past due"),
    "M6": ("逾期151-180天", "151-180 days past due"),
    "M7+": ("逾期180天以上", "Over 180 days past due"),
}
REASON_LABELS: dict[str, str] = {
    "dpd": "逾期天数",
    "restructured": "重组观察期",
    "restructured_again": "观察期内再重组",
    "override": "人工认定",
    "upgrade_hold": "上调观察",
    "debtor_npl_share": "债务人不良占比",
    "committee": "风险管理委员会认定",
}

# The entity types in words, for the notes a filer reads (the codes are docs/domain.md §8's).
ENTITY_NAMES: dict[str, str] = {
    "financing_lease": "融资租赁公司 financing leasing company",
    "financial_lease": "金融租赁公司 financial leasing company",
    "lender": "贷款机构 lender",
}
