"""用户管理: local accounts — list, add, disable / enable, reset a password, set the department
(admin only)."""

from __future__ import annotations

import streamlit as st

from dashboard.access import user_admin
from dashboard.access.gate import guard
from dashboard.access.signin_form import role_names
from dashboard.access.user import ROLES
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import current_lang, download_table
from dashboard.views.user_department import department_form

admin = guard("users.py")
lang = current_lang()
st.title(t("page.users", lang))
DONE = "users_done"  # the last change's message, shown after the rerun that refreshes the list
if DONE in st.session_state:
    st.success(st.session_state.pop(DONE))

st.subheader(t("users.list", lang))
frame = user_admin.accounts_frame()
st.dataframe(user_admin.shown(frame, lang), hide_index=True, width="stretch")
download_table(frame, "users", lang, present=lambda rows: user_admin.shown(rows, lang))


def _outcome(problem: str | None, name: str, key: str = "users.done") -> None:
    if problem is None:
        st.session_state[DONE] = t(key, lang, name=name)
        st.rerun()
    else:
        st.error(problem)


st.subheader(t("users.add", lang))
with st.form("users_add", clear_on_submit=True):
    username = st.text_input(t("users.username", lang), max_chars=64, key="ua_name")
    display_name = st.text_input(t("users.display_name", lang), max_chars=200, key="ua_display")
    roles = st.multiselect(
        t("users.roles", lang),
        list(ROLES),
        format_func=lambda r: role_names({r}, lang),
        key="ua_roles",
    )
    branches = st.text_input(t("users.branches", lang), key="ua_branches")
    no_branch = st.checkbox(t("users.no_branches", lang), key="ua_no_branch")
    password = st.text_input(
        t("users.password", lang, n=user_admin.min_password_length()),
        type="password",
        key="ua_password",
        help=t("users.password_help", lang),
    )
    if st.form_submit_button(t("users.create", lang), type="primary"):
        scope = user_admin.branch_list(branches, no_branch)
        problem = user_admin.add(admin, username, password, roles, scope, display_name, lang)
        _outcome(problem, username.strip(), "users.created")

st.subheader(t("users.manage", lang))
names = user_admin.usernames()
if names:
    name = st.selectbox(t("users.pick", lang), names, key="um_name")
    left, right = st.columns(2)
    if left.button(t("users.disable", lang), key="um_disable"):
        _outcome(user_admin.set_disabled(admin, name, True, lang), name)
    if right.button(t("users.enable", lang), key="um_enable"):
        _outcome(user_admin.set_disabled(admin, name, False, lang), name)
    with st.form("users_reset", clear_on_submit=True):
        new_password = st.text_input(
            t("users.new_password", lang, n=user_admin.min_password_length()),
            type="password",
            key="um_password",
            help=t("users.password_help", lang),
        )
        if st.form_submit_button(t("users.reset", lang)):
            _outcome(user_admin.reset_password(admin, name, new_password, lang), name)
    department_form(admin, name, lang, _outcome)
