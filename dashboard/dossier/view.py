"""合同档案 rendering: the header, each section's table (with downloads) and offline charts.

Charts are plain Plotly traces (no geo, no tiles, no CDN fonts), so the page works offline.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard.i18n.catalogue import label, t
from dashboard.page.format import md_text, wan, wan_or_dash
from dashboard.page.widgets import PLOTLY_CONFIG, download_table
from dashboard.views.risk import coded, headers_only, rules_text, shown
from early_warning.reasons import reason_text

Sections = Mapping[str, pd.DataFrame]


def table(frame: pd.DataFrame, name: str, lang: str, title_key: str | None = None) -> None:
    """A section table in words with its .xlsx/.csv downloads, or 'nothing recorded'."""
    if title_key:
        st.subheader(t(title_key, lang))
    if frame.empty:
        st.caption(t("rk.none_rows", lang))
        return
    st.dataframe(shown(frame, lang), hide_index=True, width="stretch")
    download_table(frame, f"dossier_{name}", lang, present=lambda f: headers_only(f, lang))


def summary(row: pd.Series, rules: str, lang: str) -> None:
    """Why it is at risk, then key figures at the as-of: balance, DPD, class with its reason."""
    words = rules_text(rules, lang)
    if words:
        st.warning(f"**{t('rk.why', lang)}**：{words}", icon=":material/crisis_alert:")
    else:
        st.info(t("rk.why_none", lang))
    # DPD is a short number; the class is a word ("Special mention" in English) in the metric's
    # large type: it gets the room DPD does not need, the amounts keep theirs.
    a, b, c, d = st.columns([1, 0.6, 1.4, 1])
    a.metric(
        t("col.outstanding_principal", lang),
        wan_or_dash(row["outstanding_principal"]),
        help=t("def.contract_outstanding", lang),
    )
    b.metric(
        t("col.dpd", lang),
        "—" if pd.isna(row["dpd"]) else int(row["dpd"]),
        help=t("def.dpd", lang),
    )
    reason = coded(row["class_reason"], "rk.reason", lang)
    c.metric(
        t("col.risk_class", lang), label(row["risk_class"], lang), help=t("def.risk_class", lang)
    )
    c.caption(f"{t('col.class_reason', lang)}：{reason}")
    d.metric(
        t("col.overdue_principal", lang),
        wan_or_dash(row["overdue_principal"]),
        help=t("def.overdue_principal", lang),
    )
    if row["in_observation"] is True or row["in_observation"] == 1:
        st.warning(t("rk.col.in_observation", lang), icon=":material/visibility:")


def overview(head: pd.DataFrame, guarantors: pd.DataFrame, lang: str) -> None:
    """The contract and lessee as item/value rows, then the guarantors."""
    items = shown(head, lang).iloc[0]
    # One text column: mixed values (text, numbers, flags) cannot share one Arrow column.
    values = ["—" if pd.isna(v) else str(v) for v in items.values]
    st.dataframe(
        pd.DataFrame({t("rk.col.field", lang): items.index, t("rk.col.value", lang): values}),
        hide_index=True,
        width="stretch",
    )
    download_table(head, "dossier_contract", lang, present=lambda f: headers_only(f, lang))
    table(guarantors, "guarantors", lang, "rk.section.guarantors")


def _money(values: pd.Series) -> list[float]:
    return [float(v) / 10000 for v in values]


def payments_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Cumulative amount due (versions in force) against cumulative receipts, in 万元."""
    fig = go.Figure()
    x = list(frame["month_end"])
    fig.add_scatter(x=x, y=_money(frame["due_to_date"]), name=t("rk.col.due_to_date", lang))
    fig.add_scatter(
        x=x, y=_money(frame["received_to_date"]), name=t("rk.col.received_to_date", lang)
    )
    fig.update_layout(title=t("rk.chart.payments", lang), height=320, margin={"t": 40})
    return fig


def dpd_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Month-end DPD as bars."""
    fig = go.Figure(go.Bar(x=list(frame["month_end"]), y=list(frame["dpd"])))
    fig.update_layout(title=t("rk.chart.dpd", lang), height=280, margin={"t": 40})
    return fig


def iot_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """IoT events per month, stacked by event type."""
    fig = go.Figure()
    months = [date(int(y), int(m), 1) for y, m in zip(frame["year"], frame["month"], strict=True)]
    data = frame.assign(month_start=months)
    for kind, part in data.groupby("event_type", sort=True):
        fig.add_bar(x=list(part["month_start"]), y=list(part["events"]), name=str(kind))
    fig.update_layout(title=t("rk.chart.iot", lang), barmode="stack", height=280, margin={"t": 40})
    return fig


def chart(fig: go.Figure, key: str) -> None:
    """A chart with the offline configuration."""
    st.plotly_chart(fig, width="stretch", key=key, config=PLOTLY_CONFIG)


def payments(s: Sections, lang: str) -> None:
    """Schedule against receipts over time, the schedule versions and the receipts."""
    if not s["dossier.payments"].empty:
        chart(payments_chart(s["dossier.payments"], lang), "rk_chart_payments")
    table(s["dossier.payments"], "payments", lang)
    table(s["dossier.schedule"], "schedule", lang, "rk.section.schedule")
    table(s["dossier.receipts"], "receipts", lang, "rk.section.receipts")


def history(s: Sections, lang: str) -> None:
    """DPD chart, the class changes with their reasons, then every month-end."""
    frame = s["dossier.history"]
    if not frame.empty:
        chart(dpd_chart(frame, lang), "rk_chart_dpd")
        changes = frame[frame["class_changed"].astype(bool)]
        table(changes, "class_changes", lang, "rk.section.changes")
    table(frame, "history", lang)


def assets(s: Sections, lang: str) -> None:
    """Inspections, the IoT chart and the IoT events."""
    table(s["dossier_monitoring.inspections"], "inspections", lang, "rk.section.inspections")
    st.subheader(t("rk.section.iot", lang))
    if not s["dossier_monitoring.device_event_months"].empty:
        chart(iot_chart(s["dossier_monitoring.device_event_months"], lang), "rk_chart_iot")
    table(s["dossier_monitoring.device_events"], "device_events", lang)


def exposure(s: Sections, lang: str) -> None:
    """The lessee's other contracts and its group's exposure."""
    table(s["dossier.lessee_contracts"], "lessee_contracts", lang, "rk.section.lessee_contracts")
    group = s["dossier.group_exposure"]
    table(group, "group", lang, "rk.section.group")
    if not group.empty:
        st.caption(f"Σ {wan(sum(group['outstanding']))}")


def score_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """The score at each scored month-end as a line with its points (a percentage)."""
    ordered = frame.sort_values("month_end")
    fig = go.Figure(
        go.Scatter(
            x=list(ordered["month_end"]),
            y=[float(v) for v in ordered["score"]],
            mode="lines+markers",
        )
    )
    fig.update_layout(
        title=t("rk.score.chart", lang), height=260, margin={"t": 40}, yaxis_tickformat=".0%"
    )
    fig.update_yaxes(rangemode="tozero")
    return fig


def latest_reasons(frame: pd.DataFrame, lang: str) -> list[str]:
    """The newest score's reasons in words in `lang`, strongest first (none: empty)."""
    latest = frame.sort_values("month_end").iloc[-1]
    keys = [latest[c] for c in ("reason_1", "reason_2", "reason_3")]
    return [reason_text(str(k), lang) for k in keys if isinstance(k, str) and k]


def scores(frame: pd.DataFrame, lang: str) -> None:
    """The early-warning score: the latest reasons in words, the history as a chart and a table
    (month-end, score, decile, model version, reasons); or why there is none."""
    st.subheader(t("rk.score.history", lang))
    if frame.empty:
        st.caption(t("rk.score.not_scored", lang))
        return
    month = f"{frame.sort_values('month_end').iloc[-1]['month_end']:%Y-%m}"
    words = latest_reasons(frame, lang)
    st.markdown(f"**{t('rk.score.reasons', lang, month=month)}**")
    if words:
        st.markdown("\n".join(f"{n}. {md_text(w)}" for n, w in enumerate(words, start=1)))
    else:
        st.caption(t("rk.score.no_reason", lang))
    if len(frame) > 1:
        chart(score_chart(frame, lang), "rk_chart_score")
    table(frame, "score_history", lang)


def signals(s: Sections, lang: str) -> None:
    """The early-warning score, then the warning signals of the contract and its lessee."""
    scores(s["dossier_monitoring.score_history"], lang)
    table(s["dossier_monitoring.signals"], "signals", lang, "rk.section.signals")
