"""风险合同: open contracts meeting any watch rule, why, and a way into each one's dossier.

Shared filters (branch scope included) plus a rule filter and a sort (by early-warning score
when the month-end is scored, else by outstanding; which model scored, or why none did, is said);
counts per rule; the list one page at a time; each row opens 合同档案 (`?contract=ID`, language and
as-of kept).
"""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from dashboard.data import risk
from dashboard.dossier import decision_forms
from dashboard.i18n.catalogue import t
from dashboard.page.registry import page_path
from dashboard.page.setup import start
from dashboard.views.at_risk import (
    contract_table,
    controls,
    rule_counts,
    rules_in_force,
    score_in_force,
)
from queries.at_risk import MAX_PAGE, split_counts

PAGE_SIZE = 50

ctx = start("at_risk.py", "page.at_risk")
lang = ctx.lang
rules_in_force(risk.watch_settings(ctx.state), lang)
as_of = ctx.filters.as_of
scored = score_in_force(risk.score_status(ctx.state, as_of), risk.cutoff(ctx.state), as_of, lang)
decision_forms.awaiting_review(ctx)  # 待我复核: other members' open proposals
watch = risk.watchlist()
rules, sort, page = controls(lang, scored)
options = {"watchlist": watch, "rules": rules, "sort": sort}
listed = ctx.query("at_risk.at_risk", **options, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
frame, counts = split_counts(listed)
if counts is None:  # an empty page carries no counts: ask for them alone
    counts = ctx.query("at_risk.rule_counts", watchlist=watch)
rule_counts(counts, lang)
if frame.empty:
    st.info(t("rk.none", lang))
    st.stop()
matching = int(frame["total_rows"].iloc[0])
st.caption(f"{t('rk.page', lang)} {page} / {max(1, math.ceil(matching / PAGE_SIZE))}")


def open_dossier(contract_id: str) -> None:
    """Switch to the contract's dossier, keeping the language and the as-of."""
    st.switch_page(page_path("dossier.py"), query_params=ctx.link(contract=contract_id))


def fetch(limit: int, offset: int) -> pd.DataFrame:
    """Rows `offset`… of the whole list, for its download."""
    return ctx.query("at_risk.at_risk", **options, limit=min(limit, MAX_PAGE), offset=offset)


contract_table(frame, lang, open_dossier, fetch)
