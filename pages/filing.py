"""监管报送: the period's report catalogue, each table as in the workbook, and the filing workflow.

Role compliance. Deep link: `?period=YYYY-MM&report=CODE`. The workflow rules (maker ≠ checker,
no blocking finding, explained warnings, archive immutability) live in `regulatory.filing`.
"""

from __future__ import annotations

import streamlit as st

from dashboard.data import cached, portal_store
from dashboard.data.source import StoreUnavailable
from dashboard.filing import history, panel, screen
from dashboard.filing import view as view
from dashboard.filing.workbook import Filing
from dashboard.i18n.catalogue import t
from dashboard.page.institution import open_institution_page
from regulatory.filing_store import WITHDRAWN

user, lang, state = open_institution_page("filing.py", "page.filing", "fl.scope_refused")

periods = sorted(cached.choices(state).month_ends, reverse=True)
if not periods:
    st.info(t("fl.no_period", lang))
    st.stop()
period = screen.choose_period(periods, lang)
due = view.due_reports(period)
code = screen.asked_report([s.code for s in due], lang)

st.subheader(t("fl.catalogue", lang))
try:
    screen.catalogue(period, due, lang)
except StoreUnavailable as exc:
    st.error(t("auth.store_down", lang, error=exc.detail))
    st.stop()
code = screen.choose_report(due, code, lang)

spec = next(s for s in due if s.code == code)
settings = portal_store.settings()
try:
    report = view.compiled(state, code, period, settings)
except (ValueError, StoreUnavailable) as exc:
    st.error(t("fl.compile_failed", lang, error=str(exc)[:300]))
    st.stop()
screen.preview(report, code, period, lang)

filed = view.filed_versions(code, period)
live = [v for v in filed if v.state != WITHDRAWN]
current = live[0] if live else None
panel.workflow(Filing(state, settings, spec, period, report), current, user, lang)
history.history(filed, current, lang)
