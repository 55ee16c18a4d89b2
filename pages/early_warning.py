"""预警与租赁物: warning signals, their lead time to 90+ DPD, IoT device status, inspections."""

from __future__ import annotations

import streamlit as st

from dashboard.charts import drill
from dashboard.charts import monitoring as charts
from dashboard.i18n.catalogue import t
from dashboard.page.section import chart_section, choice
from dashboard.page.setup import start
from dashboard.views.monitoring import (
    DEVICE_LISTS,
    FINDING_LISTS,
    contract_list,
    inspection_settings,
    label_radio,
    lead_chart,
    lead_time_cards,
    months_picker,
    signal_chart,
)
from queries.inspections import INSPECTION_LISTS
from queries.leased_assets import ALERTS
from queries.warnings import GROUPS

ctx = start("early_warning.py", "page.early_warning")
lang = ctx.lang
months = months_picker(ctx, "ew_months")

st.subheader(t("ew.h_signals", lang))
severity = label_radio("ew.severity", ["high", "medium", "low"], lang, "ew_severity")
signal_chart(ctx, ctx.query("warnings.signals_over_time", months=months), severity)

st.subheader(t("ew.h_lead", lang))
level = choice("ew.lead_severity", ["high", "medium"], lang, "ew_level", "ew.lead_{}")
lead_time_cards(ctx.query("warnings.lead_time_summary", severity=level), lang)
lead_chart(ctx, ctx.query("warnings.lead_time_distribution", severity=level), level)
group = label_radio("ew.group", GROUPS, lang, "ew_g")
lessees = ctx.query("warnings.lead_time_lessees", severity=level, group=group)
contract_list(ctx, lessees, f"lead_time_{level}_{group}", counts=["lead_days"])

st.subheader(t("ew.h_devices", lang))
devices = ctx.query("leased_assets.device_status", months=months)
figure = charts.bars_and_rate(
    devices, ["geofence_exits", "abnormal_stops"], "offline_rate", lang, "ch.events"
)
to_device = drill.month_lists(ctx.link, DEVICE_LISTS)
chart_section(figure, devices, "device_status", lang, rates=["offline_rate"], drill=to_device)
event = label_radio("ew.alerts_month", ALERTS, lang, "ew_event")
alerts = ctx.query("leased_assets.device_alert_contracts", event_type=event)
contract_list(ctx, alerts, f"device_{event}", counts=["devices", "events"])

st.subheader(t("ew.h_inspections", lang))
coverage = ctx.query("inspections.inspection_coverage", months=months)
bars = ["covered", "overdue", "not_yet_due"]
chart_section(
    charts.bars_and_rate(coverage, bars, "coverage_rate", lang, "ch.assets"),
    coverage,
    "inspection_coverage",
    lang,
    rates=["coverage_rate"],
    money=["min_asset_value"],
    drill=drill.month_lists(ctx.link, {"overdue": {"inspection": "overdue"}}),
)
inspection_settings(coverage, lang)

st.subheader(t("ew.h_findings", lang))
findings = ctx.query("inspections.abnormal_findings", months=months)
abnormal = findings[findings["asset_status"] != "normal"]
figure = charts.stacked_months(abnormal, "asset_status", "inspections", lang)
counts = ["inspections", "contracts"]
to_found = drill.month_lists(ctx.link, FINDING_LISTS)
chart_section(figure, findings, "abnormal_findings", lang, counts=counts, drill=to_found)
kind = label_radio("ew.inspection_list", INSPECTION_LISTS, lang, "ew_inspections")
listed = ctx.query("inspections.inspection_contracts", kind=kind, months=months)
contract_list(ctx, listed, f"inspections_{kind}", money=["original_principal"])
