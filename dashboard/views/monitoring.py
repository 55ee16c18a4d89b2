"""Rendering helpers of the 催收 and 预警与租赁物 pages: coded values, tables, contract lists.

Tables are shown as display text (万元, %, named codes) and downloaded as raw values through the
audited, masked download buttons. A contract list opens the dossier (`pages/dossier.py`,
`?contract=ID`) with `st.switch_page` once that page is registered; before, ids are plain text.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from dashboard.charts import drill
from dashboard.charts import monitoring as charts
from dashboard.i18n.catalogue import label, t
from dashboard.page.format import amount, count_or_dash, pct, wan_or_dash
from dashboard.page.registry import PAGES, page_path
from dashboard.page.section import chart_section
from dashboard.page.setup import PageContext
from dashboard.page.widgets import download_table
from dashboard.views.present import MONITORING_CODES, as_text, present, table_roles
from queries.collection_lists import KINDS as ACTION_KINDS
from queries.collections_compliance import FLAGS
from queries.signal_lists import BAND_NAMES
from queries.warnings import GROUPS
from warehouse.extract_spec import ASSET_STATUSES, CHANNELS, SIGNAL_SOURCES
from warehouse.months import month_end_of

DOSSIER = "dossier.py"
SETTING_KEYS = (
    "collections.contact_window_start",
    "collections.contact_window_end",
    "collections.daily_cap",
)
MONTH_CHOICES = (6, 12, 24, 36)
# The device-status chart's measures -> the contract list of each month (`device=` drill key).
DEVICE_LISTS: dict[str, dict[str, str]] = {
    "geofence_exits": {"device": "geofence_exit"},
    "abnormal_stops": {"device": "abnormal_stop"},
    "offline_rate": {"device": "offline"},
}
# The findings chart's asset statuses -> the contracts inspected with it (`finding=` key).
FINDING_LISTS: dict[str, dict[str, str]] = {
    status: {"finding": status} for status in ASSET_STATUSES if status != "normal"
}

# 催收: a bar of the actions chart coloured by channel or outcome -> the contracts with such
# actions in its month (`action=<by>:<value>`); a point of a rate line -> the contracts of its
# denominator (attempts, reached) or with promises made that month; a recoveries bar -> the
# contracts whose receipts were credited to that channel (`recovery=`).
ACTION_LISTS: dict[str, dict[str, dict[str, str]]] = {
    by: {value: {"collection": f"{by}:{value}"} for value in ACTION_KINDS[by]}
    for by in ("channel", "outcome")
}
RATE_LISTS: dict[str, dict[str, str]] = {
    "contact_rate": {"collection": "flag:attempt"},
    "promise_rate": {"collection": "flag:reached"},
    "kept_rate": {"collection": "flag:promise"},
}
RECOVERY_LISTS: dict[str, dict[str, str]] = {c: {"recovery": c} for c in CHANNELS}


def signal_lists(severity: str) -> dict[str, dict[str, str]]:
    """The signal chart's sources at `severity` -> the lessees with such signals (`signal=`)."""
    return {source: {"signal": f"{source}:{severity}"} for source in SIGNAL_SOURCES}


def lead_lists(level: str) -> dict[str, dict[str, str]]:
    """The lead-time chart's bands at `level` -> the lessees in that band (`lead=`)."""
    return {band: {"lead": f"{level}:{band}"} for band in BAND_NAMES}


def signal_chart(ctx: PageContext, signals: pd.DataFrame, severity: str) -> None:
    """The signals of `severity` per month × source (`warnings.signals_over_time` rows) with
    their table; a bar opens the lessees with such signals in its month."""
    chosen = signals[signals["severity"] == severity]
    figure = charts.stacked_months(chosen, "source", "signals", ctx.lang)
    to_signals = drill.month_lists(ctx.link, signal_lists(severity))
    counts = ["signals", "lessees"]
    chart_section(figure, signals, "warning_signals", ctx.lang, counts=counts, drill=to_signals)


def lead_chart(ctx: PageContext, bands: pd.DataFrame, level: str) -> None:
    """Lessees per lead-time band at signal `level` with their table; a bar opens them."""
    figure = charts.count_bars(bands, "band", "lessees", ctx.lang)
    to_band = drill.keyed_lists(ctx.link, lead_lists(level))
    chart_section(figure, bands, f"lead_time_{level}", ctx.lang, counts=["lessees"], drill=to_band)


def _value_label(column: str, value: object, lang: str) -> str:
    # An inspection by a third party is not the third-party-contact flag of the same code.
    if column == "inspection_type" and value == "third_party":
        return label("third_party_inspection", lang)
    return label(value, lang)


def coded(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy with the monitoring codes (channel, outcome, source …) named in `lang`."""
    out = frame.copy()
    for column in out.columns:
        if column in MONITORING_CODES:
            out[column] = [_value_label(column, v, lang) for v in out[column]]
    return out


def shown(frame: pd.DataFrame, lang: str, **formats: list[str]) -> pd.DataFrame:
    """Display text: codes named, money in 万元, rates in %, headers from the catalogue."""
    return as_text(present(frame, lang, table_roles(**formats)))


def table(frame: pd.DataFrame, name: str, lang: str, **formats: list[str]) -> None:
    """A table on screen; the same table (and the raw values) as .xlsx and .csv downloads."""
    roles = table_roles(**formats)
    st.dataframe(as_text(present(frame, lang, roles)), hide_index=True, width="stretch")
    download_table(frame, name, lang, present=lambda rows: present(rows, lang, roles))


def label_radio(title_key: str, options: list[str], lang: str, key: str) -> str:
    """A horizontal choice among `options`, each shown by its catalogue label."""
    return st.radio(
        t(title_key, lang), options, format_func=lambda o: label(o, lang), horizontal=True, key=key
    )


def months_picker(ctx: PageContext, key: str) -> int:
    """The window length in months (sidebar of the page body), with its dates as a caption."""
    months = st.radio(t("mon.months", ctx.lang), MONTH_CHOICES, index=1, horizontal=True, key=key)
    start = month_end_of(ctx.filters.as_of_idx - months) + timedelta(days=1)
    st.caption(
        t("mon.window", ctx.lang, start=start.isoformat(), end=ctx.filters.as_of.isoformat())
    )
    return int(months)


def dossier_ready() -> bool:
    """True once the contract dossier page is registered."""
    return any(p.script == DOSSIER for p in PAGES)


def contract_list(ctx: PageContext, frame: pd.DataFrame, name: str, **formats: list[str]) -> None:
    """A bounded contract list (with `total_rows`), its downloads and a way into the dossier."""
    lang = ctx.lang
    if frame.empty:
        st.info(t("mon.none", lang))
        return
    total = int(frame["total_rows"].iloc[0])
    rows = frame.drop(columns=["total_rows"])
    st.caption(t("mon.list_count", lang, n=f"{total:,}", shown=f"{len(rows):,}"))
    table(rows, name, lang, **formats)
    ids = list(dict.fromkeys(str(c) for c in rows["contract_id"] if c is not None))
    if not ids:
        return
    if not dossier_ready():
        st.caption(t("mon.no_dossier", lang, ids=", ".join(ids[:20])))
        return
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    chosen = left.selectbox(t("mon.pick_contract", lang), ids, key=f"pick_{name}")
    if right.button(t("mon.open_dossier", lang), key=f"open_{name}", icon=":material/folder_open:"):
        st.switch_page(page_path(DOSSIER), query_params=ctx.link(contract=chosen))


def lead_time_cards(summary: pd.DataFrame, lang: str) -> None:
    """Lessees per lead-time group and the median lead in days, then what lead time means."""
    cards = st.columns(len(GROUPS) + 1)
    for card, row in zip(cards, summary.to_dict("records"), strict=False):
        card.metric(label(row["lead_group"], lang), count_or_dash(row["lessees"]))
    median = summary["median_lead_days"].iloc[0]
    cards[-1].metric(t("ew.median", lang), "—" if median is None else f"{median:,.0f}")
    st.caption(t("ew.lead_note", lang))


def setting_words(text: str, lang: str) -> str:
    """`text` ("key = value, …") with each known setting key named in words."""
    for key in SETTING_KEYS:
        text = text.replace(key, t(f"setting.{key}", lang))
    return text


def inspection_settings(coverage: pd.DataFrame, lang: str) -> None:
    """The inspection settings in force in the window's last month, as a caption in words."""
    if coverage.empty:
        return
    last = coverage.iloc[-1]
    sep = "；" if lang == "zh" else "; "
    values = (
        f"{t('setting.watch.inspection_interval_days', lang)} {last['interval_days']}{sep}"
        f"{t('setting.watch.inspection_min_asset_value', lang)} "
        f"{wan_or_dash(last['min_asset_value'])}"
    )
    st.caption(t("mon.settings", lang, values=values))


def collection_cards(total: pd.Series, recovered: pd.Series, rates: list[str], lang: str) -> None:
    """Attempts, the contact / promise / kept rates and the amount recovered in the window (亿元 or
    万元 by size, the unit beside the figure)."""
    # The amount with its unit needs about twice the width of a rate ("2,965.02 万元" at 1280 px).
    cards = st.columns([1, 1, 1, 1, 2])
    cards[0].metric(t("m.attempts", lang), count_or_dash(total["attempts"]))
    for card, rate in zip(cards[1:4], rates, strict=True):
        card.metric(t(f"m.{rate}", lang), pct(total[rate]))
    cards[4].metric(t("m.recovered_amount", lang), amount(recovered["recovered"], lang))
    st.caption(t("col.definitions", lang))


def flag_cards(flags: pd.DataFrame, lang: str) -> None:
    """Contracts per compliance flag (actions flagged in the help), then the settings in force."""
    cards = st.columns(len(FLAGS))
    for card, row in zip(cards, flags.to_dict("records"), strict=True):
        card.metric(
            label(row["flag"], lang),
            count_or_dash(row["contracts"]),
            help=f"{t('m.flagged_actions', lang)}: {row['actions']:,}",
        )
    settings = "; ".join(setting_words(s, lang) for s in flags["settings"] if s)
    st.caption(t("mon.settings", lang, values=settings))
