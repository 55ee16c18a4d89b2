"""任务策略: the strategy the task sync follows, edited as versions (admin only)."""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import current_lang
from dashboard.views.task_strategy import show

admin = guard("task_strategy.py")
lang = current_lang()
st.title(t("page.task_strategy", lang))
show(admin, lang)
