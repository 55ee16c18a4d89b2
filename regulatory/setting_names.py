"""The build settings a workbook cover prints, in words: which rules shaped the filed figures.

A cover names the settings that change a reported figure — the DPD tolerance, the classification
rules, the provision rates, the entity type — each with its Chinese and English name and its value
as a filer reads it (a rate as a percentage, a class by its name). Settings that do not touch the
figures (sign-in, alerts, delivery, tasks, display) are not a filing's business and are left off;
the full list stays in `postloan info` and docs/settings.md.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal, InvalidOperation

from regulatory.codes import CLASS_LABELS, ENTITY_NAMES


def _percent(value: str) -> str:
    try:
        share = Decimal(value)
    except InvalidOperation:
        return value
    return f"{(share * 100).normalize():f}%"


def _class(value: str) -> str:
    zh, en = CLASS_LABELS.get(value, (value, ""))
    return f"{zh}类 {en}".strip()


def _entity(value: str) -> str:
    return ENTITY_NAMES.get(value, "") if value else "按数据抽取 as the extract states"


def _net_assets(value: str) -> str:
    if value == "company_financials":
        return "数据抽取中的公司财务数据 the extract's company financials"
    return value


def _plain(value: str) -> str:
    return value


# key -> (Chinese name, English name, value in words); the cover's order.
COVER_SETTINGS: dict[str, tuple[str, str, Callable[[str], str]]] = {
    "as_of": ("数据截止日", "Figures as of", _plain),
    "dpd.tolerance": ("逾期容差（元）", "Unpaid residue ignored for DPD (yuan)", _plain),
    "classification.observation_months": (
        "重组观察期（月）",
        "Restructuring observation period (months)",
        _plain,
    ),
    "classification.observation_installments": (
        "观察期最少还款期数",
        "Installments due in an observation period",
        _plain,
    ),
    "classification.re_restructuring_class": (
        "观察期内再重组最低分类",
        "Class floor of a restructuring inside observation",
        _class,
    ),
    "classification.upgrade_installments": (
        "上调分类所需按时还款期数",
        "On-time installments to leave NPL",
        _plain,
    ),
    "classification.upgrade_months": (
        "上调分类所需月数",
        "Months after clearing arrears to leave NPL",
        _plain,
    ),
    "classification.debtor_npl_share": (
        "债务人不良占比上限",
        "Lessee NPL share that pulls all its contracts down",
        _percent,
    ),
    "provisions.normal": ("拨备计提比例：正常类", "Provision rate: normal", _percent),
    "provisions.special_mention": (
        "拨备计提比例：关注类",
        "Provision rate: special mention",
        _percent,
    ),
    "provisions.substandard": ("拨备计提比例：次级类", "Provision rate: substandard", _percent),
    "provisions.doubtful": ("拨备计提比例：可疑类", "Provision rate: doubtful", _percent),
    "provisions.loss": ("拨备计提比例：损失类", "Provision rate: loss", _percent),
    "entity.entity_type": ("机构类型", "Entity type", _entity),
    "entity.net_assets_source": ("净资产来源", "Source of net assets", _net_assets),
}


def cover_setting_rows(settings: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (name, value) rows a cover prints for the build's settings, in words, in cover order."""
    given = dict(settings)
    rows = []
    for key, (zh, en, words) in COVER_SETTINGS.items():
        if key in given:
            rows.append((f"{zh} {en}", words(str(given[key]))))
    return rows
