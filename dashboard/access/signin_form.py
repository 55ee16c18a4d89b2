"""What the sign-in gate draws: the sign-in form, the SSO button, the account box, the refusal."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n.catalogue import t

# Imported by dashboard.access.gate; kept free of it (and of widgets) so neither import cycles.


def title(lang: str) -> None:
    """The sign-in page's heading and a line on what the portal is."""
    st.title(t("auth.title", lang))
    st.caption(t("auth.intro", lang))


def sign_in_form(lang: str, notice: tuple[str, dict] | None) -> tuple[str, str] | None:
    """Username + password form; the submitted pair, or None before a submit."""
    if notice is not None:
        key, values = notice
        st.info(t(key, lang, **values))
    with st.form("postloan_sign_in", clear_on_submit=False, border=True):
        username = st.text_input(t("auth.username", lang), key="auth_username", max_chars=64)
        password = st.text_input(
            t("auth.password", lang), type="password", key="auth_password", max_chars=256
        )
        sent = st.form_submit_button(t("auth.submit", lang), type="primary")
    if not sent:
        return None
    return (username or "").strip(), password or ""


def problem(message: str) -> None:
    """A refused sign-in, under the form."""
    st.error(message, icon=":material/lock:")


def sso_button(lang: str) -> None:
    """The single sign-on button (st.login) shown above the local form."""
    if st.button(t("auth.sso", lang), type="primary", key="auth_sso"):
        st.login()
    st.caption(t("auth.or_local", lang))


def sso_refused(message: str, lang: str) -> None:
    """An SSO identity without a portal role: the message and a way out."""
    title(lang)
    st.error(message, icon=":material/block:")
    if st.button(t("auth.sign_out", lang), key="auth_sso_out"):
        st.logout()


def role_names(roles: frozenset[str] | set[str], lang: str) -> str:
    """The roles' display names, in a fixed order, joined."""
    order = ("executive", "risk_committee", "compliance", "admin")
    names = [t(f"role.{r}", lang) for r in order if r in roles]
    return "、".join(names) if lang == "zh" else ", ".join(names)


def account_box(user, lang: str) -> bool:
    """Who is signed in, their data scope and the sign-out button; True when it is pressed."""
    side = st.sidebar
    mine = role_names(user.roles, lang) or "—"
    side.caption(t("auth.signed_in_as", lang, name=user.display_name, roles=mine))
    if user.branches is None:
        scope = t("auth.scope_all", lang)
    elif not user.branches:
        scope = t("auth.scope_none", lang)
    else:
        scope = "、".join(user.branches)
    side.caption(t("auth.scope", lang, branches=scope))
    return side.button(t("auth.sign_out", lang), key="auth_sign_out", icon=":material/logout:")


def refused(title_key: str, roles: frozenset[str], user, lang: str) -> None:
    """The clear refusal: which page, which roles it serves, which roles the user holds."""
    st.title(t(title_key, lang))
    st.error(
        t(
            "auth.refused",
            lang,
            page=t(title_key, lang),
            roles=role_names(roles, lang),
            mine=role_names(user.roles, lang) or "—",
        ),
        icon=":material/block:",
    )
