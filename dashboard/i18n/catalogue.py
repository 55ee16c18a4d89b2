"""The zh/en label catalogue. Chinese is the default; English is one switch away."""

from __future__ import annotations

import string
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

import pandas as pd

from dashboard.i18n.access import ACCESS
from dashboard.i18n.alerts import ALERTS
from dashboard.i18n.analytics import ANALYTICS
from dashboard.i18n.context import CONTEXT
from dashboard.i18n.definitions import DEFINITIONS
from dashboard.i18n.model_monitoring import MODEL_MONITORING
from dashboard.i18n.monitoring import MONITORING
from dashboard.i18n.rectification import RECTIFICATION
from dashboard.i18n.regions import region_name
from dashboard.i18n.regulatory import REGULATORY
from dashboard.i18n.risk import RISK
from dashboard.i18n.signin import SIGNIN
from dashboard.i18n.task_measures import TASK_MEASURES
from dashboard.i18n.task_strategy import TASK_STRATEGY
from dashboard.i18n.tasks import TASKS
from dashboard.page.format import display, missing, zone_name
from regulatory.codes import INDUSTRY_LABELS

LANGS: tuple[str, ...] = ("zh", "en")
DEFAULT_LANG = "zh"
LANG_NAMES: dict[str, str] = {"zh": "中文", "en": "English"}

CATALOGUE: dict[str, dict[str, str]] = {
    "app.title": {"zh": "贷后管理分析与监管报送平台", "en": "Post-loan analytics & reporting"},
    "sidebar.language": {"zh": "语言 Language", "en": "Language 语言"},
    "page.home": {"zh": "首页", "en": "Home"},
    "home.title": {"zh": "资产组合概览", "en": "Portfolio overview"},
    "home.as_of": {"zh": "数据截至", "en": "As of"},
    "home.institution": {"zh": "机构", "en": "Institution"},
    "home.loaded_at": {"zh": "加载时间", "en": "Loaded at"},
    "home.load": {"zh": "加载编号 / 数据指纹", "en": "Load id / fingerprint"},
    "home.basis": {
        "zh": "口径：截至月末的存续合同（未结清、未核销）；"
        "金额 1 亿元及以上以亿元显示，以下以万元显示。",
        "en": "Basis: contracts open at the month-end (not closed, not written off); amounts in "
        "yuan: “× 100m” from 100 million up, else “× 10k”.",
    },
    "warehouse.missing": {
        "zh": "尚未建立数据仓库（{where}）。请先运行 `make run`，或 `postloan load <数据包目录>`。",
        "en": "No warehouse yet ({where}). Run `make run`, or `postloan load <extract folder>`.",
    },
    "warehouse.empty": {
        "zh": "数据仓库中还没有任何加载记录。请运行 `postloan load <数据包目录>`。",
        "en": "The warehouse holds no load yet. Run `postloan load <extract folder>`.",
    },
    "warehouse.stale": {
        "zh": "数据仓库由旧版本程序写入，缺少本版本需要的表或列（{missing}）。请运行 "
        "`postloan build` 重新构建；若仍提示缺少来源表，请重新 `postloan load <数据包目录>`。"
        "演示库可删除 data/ 后再运行 `make run`。",
        "en": "The warehouse was written by an older version and lacks tables or columns this "
        "version needs ({missing}). Run `postloan build`; if source tables are still missing, "
        "load the extract again with `postloan load <extract folder>`. For the demo, delete "
        "data/ and run `make run` again.",
    },
    "warehouse.unreachable": {
        "zh": "暂时无法读取数据仓库（{error}）。请稍后重试或联系管理员。",
        "en": "The warehouse cannot be read right now ({error}). Try again or call the admin.",
    },
}

CATALOGUE.update(ANALYTICS)
CATALOGUE.update(ACCESS)
CATALOGUE.update(ALERTS)
CATALOGUE.update(MONITORING)
CATALOGUE.update(MODEL_MONITORING)
CATALOGUE.update(REGULATORY)
CATALOGUE.update(RISK)
CATALOGUE.update(SIGNIN)
CATALOGUE.update(DEFINITIONS)
CATALOGUE.update(CONTEXT)
CATALOGUE.update(RECTIFICATION)
CATALOGUE.update(TASKS)
CATALOGUE.update(TASK_MEASURES)
CATALOGUE.update(TASK_STRATEGY)


def normalise_lang(value: object) -> str:
    """A supported language code; anything else (forged URLs included) falls back to Chinese."""
    return value if isinstance(value, str) and value in LANGS else DEFAULT_LANG


def is_one(value: object) -> bool:
    """True when a count reads as exactly one (1, "1", Decimal 1; not True, not "1.5")."""
    if isinstance(value, bool):
        return False
    try:
        return Decimal(str(value).replace(",", "").strip()) == 1
    except InvalidOperation:
        return False


class _Plurals(string.Formatter):
    """`str.format` with one more field form for English counts: `{n:contract|contracts}` is
    the word before the bar when `n` is one, the word after it otherwise. Chinese has one form
    and never needs it; any other format spec (`{n:,}`) works as usual."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            return one if is_one(value) else other
        return super().format_field(value, format_spec)


_FORMAT = _Plurals()


def fill(text: str, values: Mapping[str, object]) -> str:
    """`text` with its placeholders filled from `values`, English counts' nouns agreeing."""
    return _FORMAT.vformat(text, (), values)


def t(key: str, lang: str, **values: object) -> str:
    """The label `key` in `lang`, with `{name}` placeholders filled from `values` (an English
    count's noun as `{n:contract|contracts}`, singular for one: "1 contract", "2 contracts")."""
    text = CATALOGUE[key][normalise_lang(lang)]
    if "{zone}" in text and "zone" not in values:  # a time's label names the display zone
        values = {**values, "zone": zone_name()}
    return fill(text, values) if values else text


def label(value: object, lang: str, column: str | None = None) -> str:
    """The display name of a data value (class, bucket, product…); unknown values as given.

    With `column`, values of coded dimensions get their standard names: `industry` the
    GB/T 4754-2017 section (`E` → 建筑业), `region` the GB/T 2260 division from the bundled code
    list (`130400` → 邯郸市, dashboard/i18n/regions.py).
    """
    lang = normalise_lang(lang)
    if column == "industry" and str(value) in INDUSTRY_LABELS:
        return INDUSTRY_LABELS[str(value)][0 if lang == "zh" else 1]
    if column == "region":
        name = region_name(value, lang)
        if name is not None:
            return name
    entry = CATALOGUE.get(f"value.{value}")
    return entry[lang] if entry else str(value)


CODED_COLUMNS = frozenset(
    {"product", "lessee_type", "risk_class", "begin_risk_class", "end_risk_class", "kind"}
    | {"begin_class", "end_class", "to_bucket"}
)


def localise(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A display copy with coded values named, column headers from the catalogue and an empty
    cell as "—" (never "None")."""
    out = frame.copy()
    for column in out.columns:
        if column in CODED_COLUMNS:
            out[column] = [v if missing(v) else label(v, lang) for v in out[column]]
    names = {c: t(f"col.{c}", lang) for c in out.columns if f"col.{c}" in CATALOGUE}
    return display(out.rename(columns=names))
