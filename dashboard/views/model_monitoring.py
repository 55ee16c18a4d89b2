"""The 模型监控 page's parts: the model in force and its card, discrimination, calibration and
stability per scored month-end, each chart over the table behind it (same months) with its
audited downloads. The figures come from `queries.model_monitoring` through the page's cached
loaders; PSI against the card's training reference is `early_warning.monitoring`'s."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.charts import model_monitoring as charts
from dashboard.i18n.catalogue import t
from dashboard.page.format import count, shown_time
from dashboard.page.section import chart_section, metric_cards
from dashboard.page.widgets import chart_with_table, download_table
from dashboard.views.present import as_text, present, table_roles
from early_warning.monitoring import (
    ModelInForce,
    feature_stability_from,
    latest_known,
    model_in_force,
    psi_by_month,
)
from early_warning.reasons import reason_text
from early_warning.registry import registry_root
from warehouse.settings import Settings, load_settings

# ctx.query(name, **options): the page's cached loader of a registered query.
Query = Callable[..., pd.DataFrame]
DIGITS = 4


def settings() -> Settings:
    """The settings in force (the alert lines and the registry folder)."""
    return load_settings()


def current_model(values: Settings) -> ModelInForce | None:
    """The approved version the build scores with (None: none approved)."""
    return model_in_force(registry_root(values))


def _num(value: object, digits: int = DIGITS) -> float | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return round(float(value), digits)


def _measure_text(value: object) -> str | None:
    """A measure (AUC, KS, Brier, PSI) as the screen and the table file read it: 4 decimals."""
    number = _num(value)
    return None if number is None else f"{number:.{DIGITS}f}"


def shown(
    lang: str, measures: tuple[str, ...], **formats: list[str]
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """The table as the user reads it: `present` with the measures at 4 decimals and features in
    words, so the screen and its file hold the same text (the raw-data file keeps the numbers and
    the feature keys)."""
    roles = table_roles(**formats)

    def show(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        for column in measures:
            out[column] = [_measure_text(v) for v in frame[column]]
        if "feature" in out.columns:  # a model feature by its words, as its reasons read
            out["feature"] = [reason_text(str(f), lang) for f in frame["feature"]]
        return present(out, lang, roles)

    return show


def card_time(value: object) -> str:
    """A card's UTC time (ISO text) in the display zone; anything else as given, "—" if none."""
    if not value:
        return "—"
    try:
        return shown_time(datetime.fromisoformat(str(value)))
    except ValueError:
        return str(value)


def _month(value: object) -> str:
    return f"{pd.Timestamp(value):%Y-%m}"


def model_card(model: ModelInForce, lang: str) -> None:
    """Version, who trained and approved it and when, purpose, training data, limits, backtest."""
    card = model.card
    st.subheader(t("mm.h_model", lang))
    trained = t(
        "mm.by_at", lang, who=card.get("trained_by") or "—", at=card_time(card.get("trained_at"))
    )
    approved = t(
        "mm.by_at", lang, who=card.get("approved_by") or "—", at=card_time(card.get("approved_at"))
    )
    metric_cards(
        [
            (t("mm.version", lang), model.version),
            (t("mm.trained", lang), trained),
            (t("mm.approved", lang), approved),
        ]
    )
    data = card.get("data") or {}
    months = data.get("month_ends") or ["—", "—"]
    rows = []
    rows.append((t("mm.purpose", lang), card.get("purpose") or "—"))
    if data:
        text = t(
            "mm.data_text",
            lang,
            first=months[0],
            last=months[-1],
            rows=count(int(data.get("rows", 0))),
            defaults=count(int(data.get("defaults", 0))),
            built=data.get("built_to", "—"),
            fingerprint=str(data.get("fingerprint", "—"))[:16],
        )
        rows.append((t("mm.data", lang), text))
    sample = data.get("sample")
    if isinstance(sample, dict) and sample.get("share"):
        rows.append((t("mm.sample", lang), sample_text(data, sample, lang)))
    rows.append((t("mm.limits", lang), card.get("limits") or "—"))
    for title, text in rows:
        # Card text is the registry's own, shown as plain text (never as markdown or HTML).
        st.caption(title)
        st.text(text)
    backtest = backtest_line(card, lang)
    if backtest:
        st.caption(backtest)


def sample_text(data: dict[str, Any], sample: dict[str, Any], lang: str) -> str:
    """What a large book's training read and fitted, from the card's numbers, in words."""
    read = sample.get("month_ends_read") or ["—", "—"]
    share = float(sample["share"])
    return t(
        "mm.sample_text",
        lang,
        first=read[0],
        last=read[-1],
        known=count(int(sample.get("known_rows", 0))),
        defaulting=count(int(sample.get("defaulting_rows", 0))),
        share=f"{share:.2%}",
        per=f"{1 / share:,.1f}",
        read=count(int(sample.get("rows_read", 0))),
        rows=count(int(data.get("rows", 0))),
        weighted=count(round(float(sample.get("weighted_rows", 0)))),
    )


def backtest_line(card: dict[str, Any], lang: str) -> str | None:
    """The champion's out-of-time measures from the card, in one line (None when absent)."""
    bt = card.get("backtest") or {}
    test = ((bt.get("measures") or {}).get(card.get("champion", "scorecard")) or {}).get("test")
    if not test or not bt.get("test"):
        return None
    return t(
        "mm.backtest",
        lang,
        first=bt["test"][0],
        last=bt["test"][-1],
        auc=f"{test['auc']:.3f}" if test.get("auc") is not None else "—",
        ks=f"{test['ks']:.3f}" if test.get("ks") is not None else "—",
        brier=f"{test['brier']:.4f}" if test.get("brier") is not None else "—",
    )


def performance_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The performance table as the chart and the files read it: measures to 4 decimals and
    the outcome in words ("outcome not yet known" rather than a zero)."""
    out = frame.copy()
    out["outcome_known"] = [
        t("mm.outcome_known" if k else "mm.outcome_unknown", lang) for k in frame["outcome_known"]
    ]
    for column in ("auc", "ks", "brier"):
        out[column] = [_num(v) for v in frame[column]]
    return out


def discrimination(frame: pd.DataFrame, auc_line: float, lang: str) -> None:
    """AUC and KS per month-end (gaps where the outcome is not yet known), over the table."""
    st.subheader(t("mm.h_discrimination", lang))
    st.caption(t("mm.discrimination_note", lang, line=f"{auc_line:.2f}"))
    latest = latest_known(frame)
    if latest is None:
        st.info(t("mm.none_known", lang))
    else:
        metric_cards(
            [
                (
                    f"{t('mm.latest_auc', lang)} ({_month(latest['month_end'])})",
                    f"{latest['auc']:.3f}",
                ),
                (t("mm.latest_ks", lang), f"{latest['ks']:.3f}"),
                (t("mm.latest_brier", lang), f"{latest['brier']:.4f}"),
            ]
        )
    rows = performance_rows(frame, lang)
    figure = charts.measure_lines(rows, ["auc", "ks"], lang, lines=[auc_line])
    show = shown(
        lang, ("auc", "ks", "brier"), rates=["predicted", "observed"], counts=["rows", "defaults"]
    )
    chart_with_table(figure, rows, "model_performance", lang, present=show)


def calibration_month(frame: pd.DataFrame, lang: str) -> date:
    """The month-end whose deciles are shown: the latest with a known outcome by default."""
    months = [pd.Timestamp(m).date() for m in frame["month_end"]]
    known = [m for m, k in zip(months, frame["outcome_known"], strict=True) if k]
    default = known[-1] if known else months[-1]
    return st.selectbox(
        t("mm.calibration_month", lang),
        months,
        index=months.index(default),
        format_func=lambda m: f"{m:%Y-%m}",
        key="mm_calibration_month",
    )


def calibration(deciles: pd.DataFrame, month: date, lang: str) -> None:
    """Predicted against observed default rate per decile of `month`, over its table."""
    st.subheader(t("mm.h_calibration", lang))
    st.caption(t("mm.calibration_note", lang))
    chosen = deciles[[pd.Timestamp(m).date() == month for m in deciles["month_end"]]]
    chosen = chosen.reset_index(drop=True)
    chart_section(
        charts.decile_bars(chosen, lang),
        chosen,
        f"model_calibration_{month:%Y-%m}",
        lang,
        rates=["predicted", "observed"],
        counts=["rows", "defaults"],
    )


def score_stability(bins: pd.DataFrame, model: ModelInForce, psi_line: float, lang: str) -> None:
    """PSI of the score per month-end against the card's training deciles, over its table."""
    st.subheader(t("mm.h_stability", lang))
    reference = model.reference
    if reference is None:
        st.info(t("mm.no_reference", lang))
        return
    st.caption(t("mm.stability_note", lang, line=f"{psi_line:.2f}"))
    table = stability_rows(psi_by_month(bins, reference["score"]), lang)
    figure = charts.measure_lines(table, ["psi"], lang, lines=[psi_line])
    show = shown(lang, ("psi",), counts=["rows"])
    chart_with_table(figure, table, "model_score_psi", lang, present=show)


def stability_rows(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """PSI to 4 decimals with its reading in words."""
    out = frame.copy()
    out["psi"] = [_num(v) for v in frame["psi"]]
    out["psi_band"] = [None if b is None else t(f"mm.band.{b}", lang) for b in frame["psi_band"]]
    return out


def feature_stability(query: Query, model: ModelInForce, month: date, lang: str) -> None:
    """Each feature's PSI at `month` from the rows the build counted per bin while scoring; a
    month-end the build did not score with this version is said in words."""
    reference = model.reference
    if reference is None:
        return
    st.subheader(t("mm.h_features", lang))
    counted = query("model_monitoring.feature_bins", version=model.version)
    if counted.empty:
        st.info(t("mm.features_not_stored", lang, month=f"{month:%Y-%m}", version=model.version))
        return
    st.caption(t("mm.features_note", lang, month=f"{month:%Y-%m}"))
    table = stability_rows(feature_stability_from(counted, reference), lang)
    show = shown(lang, ("psi",), counts=["rows"])
    st.dataframe(as_text(show(table)), hide_index=True, width="stretch")
    download_table(table, f"model_feature_psi_{month:%Y-%m}", lang, present=show)


def render(query: Query, month: date, lang: str) -> None:
    """The whole page below its title for the month-end `month` (deep links: `as_of`)."""
    values = settings()
    model = current_model(values)
    if model is None:
        st.info(t("mm.no_model", lang))
        return
    model_card(model, lang)
    frame = query("model_monitoring.performance", version=model.version)
    if frame.empty:
        st.info(t("mm.no_scores", lang, version=model.version, month=f"{month:%Y-%m}"))
        return
    discrimination(frame, float(values["alerts.model_auc_min"]), lang)
    deciles = query("model_monitoring.calibration", version=model.version)
    calibration(deciles, calibration_month(frame, lang), lang)
    if model.reference is not None:
        edges = tuple(float(e) for e in model.reference["score"]["edges"])
        bins = query("model_monitoring.score_bins", version=model.version, edges=edges)
    else:
        bins = pd.DataFrame(columns=["month_end", "bin", "rows"])
    score_stability(bins, model, float(values["alerts.model_psi_max"]), lang)
    feature_stability(query, model, month, lang)
