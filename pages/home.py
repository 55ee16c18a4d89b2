"""Home: which data is shown (as-of, institution, load) and the book's headline counts."""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.data import source
from dashboard.i18n.catalogue import t
from dashboard.page.format import amount, count, md_text, shown_time_zoned
from dashboard.page.registry import ANALYSTS
from dashboard.page.widgets import current_lang, warehouse_problem

user = guard("home.py")
lang = current_lang()
st.title(t("home.title", lang))
state = source.warehouse_state()
if state.status != "ok" or state.load is None:
    warehouse_problem(state, lang)
    st.stop()

load = state.load
st.markdown(
    f"**{t('home.as_of', lang)}** {load.as_of.isoformat()}  \n"
    f"**{t('home.institution', lang)}** {md_text(load.institution)}  \n"
    f"**{t('home.loaded_at', lang)}** {shown_time_zoned(load.loaded_at)}  \n"
    f"**{t('home.load', lang)}** #{load.load_id} · `{load.sha256[:12]}`"
)

if not user.has_any(ANALYSTS):
    # Administrators run the portal, not the book: no business figures (docs/security.md).
    st.info(t("home.no_figures", lang))
    st.stop()

figures = source.headline(state, load.as_of, user.branches)
cards = (
    ("open_contracts", count(figures["open_contracts"])),
    ("lessees", count(figures["lessees"])),
    ("outstanding", amount(figures["outstanding_principal"], lang)),
    ("dpd_gt_0", count(figures["contracts_dpd_gt_0"])),
)
cols = st.columns(2)  # two a row: a 亿元 figure needs the width at 1280 px
for n, (metric, value) in enumerate(cards):
    cols[n % 2].metric(t(f"card.{metric}", lang), value, help=t(f"def.{metric}", lang), border=True)
st.caption(t("home.basis", lang))
