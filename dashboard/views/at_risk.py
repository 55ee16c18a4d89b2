"""The 风险合同 page's parts: the rules in force, the list's controls, counts and the list itself.

Each row of the list opens the contract's dossier (`open_dossier`), by a click on the row or by
picking its id.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial

import pandas as pd
import streamlit as st

from dashboard.i18n.catalogue import t
from dashboard.page.contract_params import whole_list
from dashboard.page.format import count, md_text, pct, wan
from dashboard.page.widgets import download_table
from dashboard.views.risk import coded, headers_only, shown
from queries.at_risk import RULES, SORTS, WatchParams, split_counts
from queries.at_risk_rules import ScoreStatus

# Why first: the score, its top reason and the rules met come right after the contract and lessee.
FIRST = [
    "contract_id",
    "lessee_name",
    "score",
    "score_reason",
    "rules",
    "rules_met",
    "risk_class",
    "dpd",
]


def rules_in_force(p: WatchParams, lang: str) -> None:
    """The watch-rule settings the build used, as a caption."""
    st.caption(
        t(
            "rk.rules_in_force",
            lang,
            signal=p.signal_days,
            iot=p.iot_days,
            promise=p.promise_days,
            interval=p.inspection_interval_days,
            min_value=wan(p.inspection_min_asset_value),
            debt=p.debt_ratio,
            drop=p.revenue_drop_share,
        )
    )


def score_in_force(status: ScoreStatus | None, cutoff: Decimal, as_of: date, lang: str) -> bool:
    """Which model scored the list's month-end and its cut-off, or why nothing is scored, as a
    caption; True when the month-end has scores (the list then sorts by score by default)."""
    month = f"{as_of:%Y-%m}"
    if status is not None and status.scored_here:
        st.caption(
            t("rk.score.in_force", lang, version=status.version, month=month, cutoff=pct(cutoff))
        )
        return True
    if status is not None and status.outcome == "scored":
        st.caption(
            t(
                "rk.score.not_this_month",
                lang,
                version=status.version,
                month=month,
                months=status.months,
            )
        )
    elif status is not None and status.outcome == "refused":
        detail = md_text(status.message.split(" — ", 1)[-1])  # the build's words, shown literally
        version = md_text(status.version or "—")
        st.warning(t("rk.score.refused", lang, version=version, detail=detail))
    else:
        st.info(t("rk.score.none", lang))
    return False


def controls(lang: str, scored: bool = False) -> tuple[tuple[str, ...], str, int]:
    """The rule filter, the sort (by score when the month-end is scored, else by outstanding)
    and the page number, side by side."""
    left, middle, right = st.columns([4, 2, 1])
    rules = left.multiselect(
        t("rk.filter_rules", lang),
        RULES,
        format_func=lambda r: coded(r, "rk.rule", lang),
        placeholder=t("filter.all", lang),
        key="rk_rules",
    )
    sorts = tuple(SORTS)
    sort = middle.selectbox(
        t("rk.sort", lang),
        sorts,
        index=sorts.index("score" if scored else "outstanding"),
        format_func=lambda s: t(f"rk.sort.{s}", lang),
        key="rk_sort",
    )
    page = right.number_input(t("rk.page", lang), min_value=1, value=1, step=1, key="rk_page")
    return tuple(rules), sort, int(page)


def rule_counts(counts: pd.DataFrame, lang: str) -> None:
    """Contracts and balance meeting any rule, then the counts per rule in an expander."""
    total = counts[counts["rule"] == "any"].iloc[0]
    st.markdown(t("rk.total", lang, n=count(total["contracts"]), amount=wan(total["outstanding"])))
    with st.expander(t("rk.counts", lang)):
        st.dataframe(shown(counts, lang), hide_index=True, width="stretch")
        download_table(counts, "at_risk_counts", lang, present=lambda f: headers_only(f, lang))


def _first_columns(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[[*FIRST, *(c for c in frame.columns if c not in FIRST)]]


def contract_table(
    frame: pd.DataFrame,
    lang: str,
    open_dossier: Callable[[str], None],
    fetch: Callable[[int, int], pd.DataFrame],
) -> None:
    """The page of contracts (a click on a row opens its dossier), a picker, and the downloads of
    the whole list: `fetch(limit, offset)` reads it page after page on the click."""
    st.caption(t("rk.click_row", lang))
    frame = _first_columns(frame)
    event = st.dataframe(
        shown(frame, lang),
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="rk_table",
    )
    picked_rows = event.selection.rows if event is not None else []
    if picked_rows:
        open_dossier(str(frame["contract_id"].iloc[picked_rows[0]]))
    pick, go = st.columns([3, 1], vertical_alignment="bottom")
    chosen = pick.selectbox(t("rk.pick", lang), list(frame["contract_id"]), key="rk_pick")
    if go.button(t("rk.open", lang), type="primary", key="rk_open") and chosen:
        open_dossier(str(chosen))
    rows = partial(whole_list, lambda limit, offset: split_counts(fetch(limit, offset))[0])
    whole = lambda: _first_columns(rows())  # noqa: E731 (built on the click)
    download_table(whole, "at_risk", lang, present=lambda f: headers_only(f, lang))
