"""任务中心: my tasks, my department's queue (assign, reassign, escalate) and its overdue tasks;
deep link `?task=ID` opens one task with its history and acts. Every role may open it; the lists
follow the user's department and branch scope (docs/tasks.md, docs/security.md)."""

from __future__ import annotations

import streamlit as st

from dashboard.access.gate import guard
from dashboard.data import tasks
from dashboard.data.source import StoreUnavailable, reading
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import current_lang
from dashboard.views import task_forms, task_measures
from dashboard.views.tasks import header, history_table, tab_label, task_list
from tasks.departments import department_name

user = guard("tasks.py")
lang = current_lang()
st.title(t("page.tasks", lang))
st.caption(t("tk.intro", lang))
task_forms.flash()
task_measures.section(user, lang)  # 管理指标 (managers; a member: their department's)
try:
    with reading():  # the tasks live in the portal store
        dept = tasks.department(user)
        lists = tasks.lists(user, dept) if dept else {}
except StoreUnavailable as exc:
    st.warning(t("tk.unavailable", lang, error=exc.detail))
    st.stop()
if dept is None:
    st.info(t("tk.no_department", lang))
    st.stop()
st.caption(t("tk.department", lang, name=department_name(dept, lang)))
asked = tasks.task_param(st.query_params.get("task"))
tabs = st.tabs([tab_label(k, f, lang) for k, f in lists.items()])
for shown, (key, frame) in zip(tabs, lists.items(), strict=True):
    with shown:
        task_list(frame, user, lang, f"tk_{key}")
if asked is not None:
    with reading():
        row = tasks.task(user, asked)
        events = tasks.history([asked]) if row else None
    st.divider()
    if row is None:
        st.error(t("tk.not_found", lang))
        st.stop()
    header(row, user, lang)
    if row["department"] == dept:
        task_forms.forms(user, row, lang)
    else:
        st.caption(t("tk.read_only", lang))
    st.markdown(f"**{t('tk.history', lang)}**")
    history_table(events, lang)
