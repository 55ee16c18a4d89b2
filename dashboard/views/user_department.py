"""The users page's department picker: the department whose queue an account works."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from dashboard.access import user_admin
from dashboard.access.user import User
from dashboard.i18n.catalogue import t
from tasks.departments import department_name


def department_form(
    admin: User, name: str, lang: str, outcome: Callable[[str | None, str], None]
) -> None:
    """A form setting `name`'s department (or none); `outcome` shows the result."""
    with st.form("users_department"):
        choices = user_admin.department_choices()
        current = user_admin.department_of(name)
        code = st.selectbox(
            t("users.department", lang),
            choices,
            index=choices.index(current) if current in choices else 0,
            format_func=lambda c: (
                t("users.no_department", lang) if c is None else department_name(c, lang)
            ),
            key="um_department",
        )
        if st.form_submit_button(t("users.set_department", lang)):
            outcome(user_admin.set_department(admin, name, code, lang), name)
