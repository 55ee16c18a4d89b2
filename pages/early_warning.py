"""预警与租赁物: warning signals, their lead time to 90+ DPD, IoT device status, inspections."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import monitoring as charts
from dashboard.i18n.catalogue import label, t
from dashboard.page.format import count_or_dash, display
from dashboard.page.setup import start
from dashboard.page.widgets import chart_with_table
from dashboard.views.monitoring import contract_list, label_radio, months_picker
from queries.inspections import INSPECTION_LISTS
from queries.leased_assets import ALERTS
from queries.warnings import GROUPS

ctx = start("early_warning.py", "page.early_warning")
lang = ctx.lang
months = months_picker(ctx, "ew_months")

st.subheader(t("ew.h_signals", lang))
severity = label_radio("ew.severity", ["high", "medium", "low"], lang, "ew_severity")
signals = ctx.query("warnings.signals_over_time", months=months)
chosen = signals[signals["severity"] == severity]
chart_with_table(
    charts.stacked_months(chosen, "source", "signals", lang),
    signals,
    display(signals, counts=["signals", "lessees"]),
    "warning_signals",
    lang,
)

st.subheader(t("ew.h_lead", lang))
level = st.radio(
    t("ew.lead_severity", lang),
    ["high", "medium"],
    format_func=lambda s: t(f"ew.lead_{s}", lang),
    horizontal=True,
    key="ew_level",
)
summary = ctx.query("warnings.lead_time_summary", severity=level)
cards = st.columns(len(GROUPS) + 1)
for card, row in zip(cards, summary.to_dict("records"), strict=False):
    card.metric(label(row["lead_group"], lang), count_or_dash(row["lessees"]))
median = summary["median_lead_days"].iloc[0]
cards[-1].metric(t("ew.median", lang), "—" if median is None else f"{median:,.0f}")
st.caption(t("ew.lead_note", lang))
bands = ctx.query("warnings.lead_time_distribution", severity=level)
chart_with_table(
    charts.count_bars(bands, "band", "lessees", lang),
    bands,
    display(bands, counts=["lessees"]),
    f"lead_time_{level}",
    lang,
)
group = label_radio("ew.group", GROUPS, lang, "ew_g")
lessees = ctx.query("warnings.lead_time_lessees", severity=level, group=group)
contract_list(ctx, lessees, f"lead_time_{level}_{group}", counts=["lead_days"])

st.subheader(t("ew.h_devices", lang))
devices = ctx.query("leased_assets.device_status", months=months)
chart_with_table(
    charts.bars_and_rate(devices, ["geofence_exits", "abnormal_stops"], "offline_rate", lang),
    devices,
    display(devices, rates=["offline_rate"]),
    "device_status",
    lang,
)
event = label_radio("ew.alerts_month", ALERTS, lang, "ew_event")
alerts = ctx.query("leased_assets.device_alert_contracts", event_type=event)
contract_list(ctx, alerts, f"device_{event}", counts=["devices", "events"])

st.subheader(t("ew.h_inspections", lang))
coverage = ctx.query("inspections.inspection_coverage", months=months)
chart_with_table(
    charts.bars_and_rate(coverage, ["covered", "overdue", "not_yet_due"], "coverage_rate", lang),
    coverage,
    display(coverage, rates=["coverage_rate"], money=["min_asset_value"]),
    "inspection_coverage",
    lang,
)
if not coverage.empty:
    last = coverage.iloc[-1]
    st.caption(
        t(
            "mon.settings",
            lang,
            values=f"watch.inspection_interval_days = {last['interval_days']}; "
            f"watch.inspection_min_asset_value = {last['min_asset_value']}",
        )
    )

st.subheader(t("ew.h_findings", lang))
findings = ctx.query("inspections.abnormal_findings", months=months)
abnormal = findings[findings["asset_status"] != "normal"]
chart_with_table(
    charts.stacked_months(abnormal, "asset_status", "inspections", lang),
    findings,
    display(findings, counts=["inspections", "contracts"]),
    "abnormal_findings",
    lang,
)
kind = label_radio("ew.inspection_list", INSPECTION_LISTS, lang, "ew_inspections")
listed = ctx.query("inspections.inspection_contracts", kind=kind, months=months)
contract_list(ctx, listed, f"inspections_{kind}", money=["original_principal"])
