"""The 组合概览 page's KPI cards: value, basis, MoM and YoY of each headline metric."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from dashboard.i18n.catalogue import CATALOGUE, t
from dashboard.page.format import (
    amount,
    amount_number,
    amount_unit,
    count_or_dash,
    pct,
    pct_points,
    wan_or_dash,
)
from dashboard.page.sidebar import link_params
from queries.filters import Filters
from regulatory.kpi_lines import BREACH, OK, UNKNOWN, assess, lines_for

CARDS = (
    "outstanding",
    "open_contracts",
    "new_principal",
    "receipts",
    "overdue_rate_balance_dpd30",
    "overdue_rate_balance_dpd90",
    "overdue_rate_amount",
    "overdue_rate_count_dpd30",
    "npl_ratio",
    "provision_coverage",
    "provision_rate",
    "deviation_90",
)
MONEY = {
    "outstanding",
    "new_principal",
    "receipts",
    "npl_outstanding",
    "provision",
    "provision_estimated",
}
COUNTS = {"open_contracts", "new_contracts"}


def value_text(metric: str, value: object) -> str:
    """A metric's value: 万元, a count or a percentage."""
    if metric in MONEY:
        return wan_or_dash(value)
    return count_or_dash(value) if metric in COUNTS else pct(value)


def card_value(metric: str, value: object, lang: str) -> str:
    """A card's value with its unit: 亿元 / 万元 (`format.amount`), a count or a percentage."""
    return amount(value, lang) if metric in MONEY else value_text(metric, value)


def card_change(metric: str, value: object, change: object) -> str:
    """A card's change with its sign: money in the unit of the card's `value` (亿 or 万, so
    the short delta line needs no unit of its own), a count, or percentage points."""
    if metric not in MONEY:
        return change_text(metric, change)
    return amount_number(change, amount_unit(value), sign=True)


def card_title(metric: str, basis: object, lang: str) -> str:
    """A card's short title and its basis (`未偿本金 · 余额口径`); the unit rides with the value
    and the definition with the help tooltip, so the title fits its column at 1280 px."""
    return f"{t(f'card.{metric}', lang)} · {t(f'basis.{basis}', lang)}"


def change_text(metric: str, value: object) -> str:
    """A metric's change with its sign: 万元, a count, or percentage points."""
    if metric in MONEY:
        text = wan_or_dash(value)
    elif metric in COUNTS:
        text = count_or_dash(value)
    else:
        return pct_points(value)
    return text if text.startswith(("-", "—")) else "+" + text


def kpi_cards(kpis: pd.DataFrame, lang: str) -> None:
    """The headline cards (three a row) from `portfolio.kpis` indexed by metric, each with its
    definition as the help tooltip and large amounts in 亿元 / 万元, then how the provisions were
    estimated and the basis note."""
    cols = st.columns(3)
    for n, metric in enumerate(CARDS):
        row = kpis.loc[metric]
        mom = card_change(metric, row["value"], row["mom_change"])
        yoy = card_change(metric, row["value"], row["yoy_change"])
        cols[n % 3].metric(
            card_title(metric, row["basis"], lang),
            card_value(metric, row["value"], lang),
            delta=f"{mom} {t('ui.mom', lang)} · {yoy} {t('ui.yoy', lang)}",
            help=t(f"def.{metric}", lang),
            delta_color="off",
            delta_arrow="off" if mom == "—" else "auto",
            border=True,
        )
    # Provisions include the build's estimates where the extract gives none (docs/domain.md §5).
    st.caption(
        t(
            "ov.provision_estimated",
            lang,
            total=wan_or_dash(kpis.loc["provision", "value"]),
            estimated=wan_or_dash(kpis.loc["provision_estimated", "value"]),
            share=pct(kpis.loc["provision_estimated_share", "value"]),
        )
    )
    st.caption(t("ov.amount_note", lang))


def kpi_table(kpis: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The KPIs as the cards read them (one row per metric of `portfolio.kpis`, not indexed):
    the card's title and basis, value and changes with their units (亿元 / 万元, count, %, pp)."""
    rows = []
    for r in kpis.to_dict("records"):
        metric = str(r["metric"])
        title = f"card.{metric}" if f"card.{metric}" in CATALOGUE else f"m.{metric}"
        basis = f"basis.{r['basis']}"
        rows.append(
            {
                t("ov.col.metric", lang): t(title, lang) if title in CATALOGUE else metric,
                t("ov.col.basis", lang): t(basis, lang) if basis in CATALOGUE else str(r["basis"]),
                t("ov.col.value", lang): card_value(metric, r["value"], lang),
                t("ui.mom", lang): card_change(metric, r["value"], r["mom_change"]),
                t("ui.yoy", lang): card_change(metric, r["value"], r["yoy_change"]),
            }
        )
    return pd.DataFrame(rows)


VERDICT_COLOUR = {OK: "green", BREACH: "red", UNKNOWN: "gray"}


def regulatory_lines(kpis: pd.DataFrame, entity_type: str | None, lang: str) -> None:
    """Each headline ratio against its regulatory line (regulatory/kpi_lines.py) for the book's
    entity type, in colour and in words, so the executive sees at once what needs attention."""
    found = lines_for(entity_type)
    cols = st.columns(len(found))
    for col, line in zip(cols, found, strict=True):
        value = kpis.loc[line.metric, "value"]
        verdict = assess(value, line)
        bound = t(f"ov.line.{line.op}", lang, bound=pct(line.bound))
        with col.container(border=True):
            st.markdown(f"**{t(f'm.{line.metric}', lang)}** {pct(value)}")
            st.markdown(f":{VERDICT_COLOUR[verdict]}[{t(f'ov.verdict.{verdict}', lang)}] · {bound}")


def entity_wide_link(filters: Filters, default_as_of: date, lang: str) -> Callable[..., dict]:
    """Links from the concentration chart: the month and language only, no segment or cohort
    filter (the limits are entity-wide, `queries.exposures`); the branch scope comes from the
    user on the list's page, never from the link."""
    month_only = Filters(as_of=filters.as_of)
    return lambda **extra: link_params(month_only, default_as_of, lang, **extra)
