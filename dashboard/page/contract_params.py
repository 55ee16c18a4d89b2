"""The contract list's deep-link parameters: parsed against allow-lists (pure; no Streamlit)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

import pandas as pd

from dashboard.i18n.catalogue import label, t
from dashboard.page.format import md_text
from dashboard.page.sidebar import filter_pairs, month_words
from dashboard.views.present import group_words
from queries.collection_lists import KINDS as ACTION_KINDS
from queries.exposures import KINDS as EXPOSURE_KINDS
from queries.filters import SEGMENTS, Filters
from queries.leased_assets import ALERTS
from queries.migration import NEW_BUSINESS, PERIODS, ROLL_TARGETS
from queries.signal_lists import BAND_NAMES
from queries.vintage import cohort_months
from warehouse.extract_spec import (
    ASSET_STATUSES,
    CHANNELS,
    RISK_CLASSES,
    SEVERITIES,
    SIGNAL_SOURCES,
)
from warehouse.schema import DPD_BUCKETS

PAGE_SIZE = 50
FETCH_SIZE = 1000  # rows per query when a download gathers the whole list (the queries' cap)
THRESHOLDS = ("0", "30", "60", "90")
DRILL_KEYS = (
    "segment",
    "bucket",
    "threshold",
    "class",
    "roll",
    "migration",
    "vintage",
    "exposure",
    "device",
    "inspection",
    "finding",
    "collection",
    "recovery",
    "cure",
    "signal",
    "lead",
    "page",
)
LEAD_LEVELS = ("high", "medium")  # the lead-time chart's signal levels
CURE_MONTHS = ("6", "12", "24", "36")  # the 催收 page's windows
KEY = re.compile(r"[A-Za-z0-9_.\-]{1,64}")  # a lessee or group id as a link may carry it


@dataclass(frozen=True)
class Drill:
    """Which query lists the contracts, its keyword options, its criteria in words, the page."""

    query: str
    options: dict[str, object] = field(default_factory=dict)
    parts: tuple[str, ...] = ()  # plain text; `description` escapes it for st.markdown
    page: int = 1
    # False: the query takes no offset and gives its first `FETCH_SIZE` rows at most (the
    # monitoring lists); the page cuts its screens from them
    paged: bool = True
    count: str = "ct.count"  # the count line's catalogue key: contracts, or lessees (a row each)

    @property
    def description(self) -> str:
        """The criteria as markdown-safe text (values from the URL shown literally)."""
        return "; ".join(md_text(p) for p in self.parts)


def _first(params: Mapping[str, list[str]], key: str) -> str | None:
    values = params.get(key) or []
    return values[0] if values else None


def _page(params: Mapping[str, list[str]]) -> int:
    text = _first(params, "page") or "1"
    # isascii: "²" passes isdigit() but not int()
    return max(1, min(int(text), 100000)) if text.isascii() and text.isdigit() else 1


def parse_drill(params: Mapping[str, list[str]], lang: str) -> Drill:
    """The list the URL asks for; unknown or forged values are ignored."""
    page = _page(params)
    roll = (_first(params, "roll") or "").split(":")
    if len(roll) == 2 and roll[0] in DPD_BUCKETS and roll[1] in ROLL_TARGETS:
        src, dst = roll
        text = t("ct.roll", lang, src=src, dst=label(dst, lang))
        options = {"from_bucket": src, "to_bucket": dst}
        return Drill("contract_lists.roll_cell", options, (text,), page)
    mig = (_first(params, "migration") or "").split(":")
    begins, ends = (*RISK_CLASSES, NEW_BUSINESS), (*RISK_CLASSES, "reduced")
    if len(mig) == 3 and mig[0] in PERIODS and mig[1] in begins and mig[2] in ends:
        period, src, dst = mig
        if not (src == NEW_BUSINESS and dst == "reduced"):
            text = t(
                "ct.migration",
                lang,
                period=t(f"mg.{period}", lang),
                src=label(src, lang),
                dst=label(dst, lang),
            )
            options = {"period": period, "begin_class": src, "end_class": dst}
            return Drill("contract_lists.migration_cell", options, (text,), page)
    for parse in (_vintage, _exposure, _monitoring, _collections, _signals):
        found = parse(params, lang, page)
        if found is not None:
            return found
    options: dict[str, object] = {}
    parts: list[str] = []
    dim, _, value = (_first(params, "segment") or "").partition(":")
    if dim in SEGMENTS and value:
        options["segment"] = (dim, value)
        parts.append(f"{t(f'filter.{dim}', lang)} = {label(value, lang, dim)}")
    bucket = _first(params, "bucket")
    if bucket in DPD_BUCKETS:
        options["bucket"] = bucket
        parts.append(f"{t('dim.dpd_bucket', lang)} = {bucket}")
    threshold = _first(params, "threshold")
    if threshold in THRESHOLDS:
        options["threshold"] = int(threshold)
        parts.append(f"DPD > {threshold}")
    risk = _first(params, "class")
    if risk in RISK_CLASSES:
        options["risk_class"] = risk
        parts.append(f"{t('dim.risk_class', lang)} = {label(risk, lang)}")
    return Drill("overdue.contracts_behind", options, tuple(parts), page)


def _vintage(params: Mapping[str, list[str]], lang: str, page: int) -> Drill | None:
    """`vintage=2024-03:5` (a cohort, a colon, a MOB): one point of the vintage curves."""
    cohort, _, mob = (_first(params, "vintage") or "").rpartition(":")
    if cohort_months(cohort) is None or not (mob.isascii() and mob.isdigit() and len(mob) <= 3):
        return None
    text = t("ct.vintage", lang, cohort=cohort, mob=int(mob))
    if "Q" in cohort:
        text += t("ct.vintage_quarter", lang)
    options = {"cohort": cohort, "mob": int(mob)}
    return Drill("vintage.cohort_contracts", options, (text,), page)


def _exposure(params: Mapping[str, list[str]], lang: str, page: int) -> Drill | None:
    """`exposure=group:GRP000219` (a kind of `queries.exposures.KINDS`, a colon, the lessee or
    group id; nothing after the colon for all related parties): one concentration bar."""
    kind, _, key = (_first(params, "exposure") or "").partition(":")
    if kind not in EXPOSURE_KINDS:
        return None
    if (kind == "related_parties_total") != (key == "") or (key and not KEY.fullmatch(key)):
        return None
    text = t("ct.exposure", lang, kind=label(kind, lang), name=key).strip()
    parts = (text, t("ct.exposure_scope", lang))
    return Drill("exposures.exposure_contracts", {"kind": kind, "key": key or None}, parts, page)


def _monitoring(params: Mapping[str, list[str]], lang: str, page: int) -> Drill | None:
    """`device=<offline|geofence_exit|abnormal_stop>`: contracts with such device events in the
    as-of month; `finding=<asset status>`: contracts inspected in the as-of month with that
    finding; `inspection=overdue`: contracts whose asset inspection is overdue at the as-of
    (the 预警与租赁物 charts' bars and points)."""
    event = _first(params, "device")
    if event in ALERTS:
        text = t("ct.device", lang, event=label(event, lang))
        options = {"event_type": event}
        return Drill("leased_assets.device_alert_contracts", options, (text,), page, paged=False)
    status = _first(params, "finding")
    if status in ASSET_STATUSES:
        text = t("ct.finding", lang, status=label(status, lang))
        options = {"status": status}
        return Drill("inspections.finding_contracts", options, (text,), page, paged=False)
    if _first(params, "inspection") == "overdue":
        text = t("ct.inspection_overdue", lang)
        options = {"kind": "overdue"}
        return Drill("inspections.inspection_contracts", options, (text,), page, paged=False)
    return None


def _collections(params: Mapping[str, list[str]], lang: str, page: int) -> Drill | None:
    """`collection=<channel|outcome|flag>:<value>`: contracts with such collection actions in the
    as-of month (flag: attempt, reached, promise); `recovery=<channel>`: contracts whose
    receipts in the as-of month are credited to that channel; `cure=<channel|all>:<months>`:
    contracts with mature spells so begun in that window (the 催收 charts' bars and points)."""
    kind, _, value = (_first(params, "collection") or "").partition(":")
    if kind in ACTION_KINDS and value in ACTION_KINDS[kind]:
        key = f"ct.action_{value}" if kind == "flag" else f"ct.action_{kind}"
        text = t(key, lang, value=label(value, lang))
        options = {"kind": kind, "value": value}
        return Drill("collection_lists.action_contracts", options, (text,), page, paged=False)
    channel = _first(params, "recovery")
    if channel in CHANNELS:
        text = t("ct.recovery", lang, channel=label(channel, lang))
        options = {"channel": channel}
        return Drill("collection_lists.credit_contracts", options, (text,), page, paged=False)
    first, _, months = (_first(params, "cure") or "").partition(":")
    if (first == "all" or first in CHANNELS) and months in CURE_MONTHS:
        key = "ct.cure_all" if first == "all" else "ct.cure"
        text = t(key, lang, channel=label(first, lang), months=months)
        spells = {"channel": first, "months": int(months)}
        return Drill("collection_lists.spell_contracts", spells, (text,), page, paged=False)
    return None


def _signals(params: Mapping[str, list[str]], lang: str, page: int) -> Drill | None:
    """`signal=<source>:<severity>`: lessees with such warning signals in the as-of month;
    `lead=<high|medium>:<band>`: lessees whose lead time falls in that band (the 预警与租赁物
    signal and lead-time charts' bars)."""
    source, _, severity = (_first(params, "signal") or "").partition(":")
    if source in SIGNAL_SOURCES and severity in SEVERITIES:
        text = t("ct.signal", lang, source=label(source, lang), severity=label(severity, lang))
        options = {"source": source, "severity": severity}
        return Drill(
            "signal_lists.signal_lessees", options, (text,), page, False, "ct.count_lessees"
        )
    level, _, band = (_first(params, "lead") or "").partition(":")
    if level in LEAD_LEVELS and band in BAND_NAMES:
        text = t("ct.lead_band", lang, band=label(band, lang), level=t(f"ew.lead_{level}", lang))
        options = {"severity": level, "band": band}
        return Drill("signal_lists.band_lessees", options, (text,), page, False, "ct.count_lessees")
    return None


def page_rows(drill: Drill, run: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    """The rows of the drill's screen page (with `total_rows`): `run(query, **options)` is the
    page's cached query; an unpaged list is cut from its first `FETCH_SIZE` rows."""
    at = (drill.page - 1) * PAGE_SIZE
    if drill.paged:
        return run(drill.query, **drill.options, limit=PAGE_SIZE, offset=at)
    return run(drill.query, **drill.options, limit=FETCH_SIZE).iloc[at : at + PAGE_SIZE]


def all_rows(drill: Drill, run: Callable[..., pd.DataFrame]) -> pd.DataFrame:
    """Every row of the drill's list for its download, without `total_rows` (an unpaged list:
    its first `FETCH_SIZE`, the most its query gives)."""
    if drill.paged:
        return whole_list(lambda n, at: run(drill.query, **drill.options, limit=n, offset=at))
    rows = run(drill.query, **drill.options, limit=FETCH_SIZE)
    return rows.drop(columns=["total_rows"], errors="ignore")


def named_group(drill: Drill, rows: pd.DataFrame, lang: str) -> Drill:
    """A group's list with its criteria naming the group "name (code)" as its rows do (the
    link carries the code only); any other list as it is."""
    options = drill.options
    if drill.query != "exposures.exposure_contracts" or options.get("kind") != "group":
        return drill
    if "group_name" not in rows or rows.empty:
        return drill
    key = options.get("key")
    names = [n for g, n in zip(rows["group_id"], rows["group_name"], strict=True) if g == key]
    text = group_words(key, names[0] if names else None) or ""
    first = t("ct.exposure", lang, kind=label("group", lang), name=text)
    return replace(drill, parts=(first, *drill.parts[1:]))


def criteria(drill: Drill, filters: Filters, lang: str) -> str:
    """Everything the list is restricted by, as markdown-safe words: the figure's own criteria
    (`逾期账龄段 = M4`), the month and every sidebar filter (`产品：直租`), so the list says what
    it holds without the sidebar in view."""
    month = t("ctx.pair", lang, name=t("filter.as_of", lang), values=month_words(filters.as_of))
    chosen = [t("ctx.pair", lang, name=n, values=v) for n, v in filter_pairs(filters, lang)]
    return md_text(t("ctx.sep", lang).join([*drill.parts, month, *chosen]))


def whole_list(fetch: Callable[[int, int], pd.DataFrame]) -> pd.DataFrame:
    """Every matching contract, not one screen page: `fetch(limit, offset)` page after page
    until `total_rows` are in (the download of a list holds what its count says), without
    `total_rows` itself."""
    parts: list[pd.DataFrame] = []
    total, offset = 1, 0
    while offset < total:
        part = fetch(FETCH_SIZE, offset)
        if part.empty:
            break
        total = int(part["total_rows"].iloc[0])
        parts.append(part)
        offset += len(part)
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True).drop(columns=["total_rows"])
