"""消息与订阅: the user's address, subscriptions (create, pause, resume, test) and deliveries;
for admin, the delivery log with the failed ones first."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access.user import User
from dashboard.data import deliveries as data
from dashboard.delivery.subscriptions import SubscriptionError
from dashboard.i18n.catalogue import CATALOGUE, LANG_NAMES, LANGS, t
from dashboard.page.format import shown_time


def _said(kind: str, text: str) -> None:
    st.session_state["sub_message"] = (kind, text)


def _refused(exc: ValueError, lang: str) -> str:
    code = getattr(exc, "code", "address")
    key = f"sub.err.{code}"
    return t(key, lang) if key in CATALOGUE else t("sub.err.refused", lang)


def messages() -> None:
    """Show (once) what the last action said."""
    said = st.session_state.pop("sub_message", None)
    if said is not None:
        (st.success if said[0] == "success" else st.error)(said[1])


def address_form(user: User, lang: str) -> None:
    """The user's own address: shown, changed, removed."""
    st.subheader(t("sub.address.title", lang))
    current = data.my_address(user)
    if not current:
        st.info(t("sub.address.none", lang))
    with st.form("sub_address"):
        typed = st.text_input(t("sub.address.label", lang), value=current, max_chars=254)
        if st.form_submit_button(t("sub.save", lang)):
            try:
                data.set_my_address(user, typed)
            except ValueError as exc:
                _said("error", _refused(SubscriptionError(str(exc), "address"), lang))
            else:
                _said("success", t("sub.saved", lang))
            st.rerun()


def new_form(user: User, lang: str) -> None:
    """Subscribe to one of the packs the user's roles may receive."""
    st.subheader(t("sub.new.title", lang))
    packs = data.packs_for(user)
    if not packs:
        st.caption(t("sub.no_packs", lang))
        return
    with st.form("sub_new"):
        pack = st.selectbox(
            t("sub.new.pack", lang), packs, format_func=lambda p: t(f"sub.pack.{p}", lang)
        )
        schedule = st.text_input(
            t("sub.new.schedule", lang),
            value="weekly MON 08:00",
            max_chars=40,
            help=t("sub.new.schedule_help", lang),
        )
        view = st.text_input(
            t("sub.new.view", lang), value="", max_chars=500, help=t("sub.new.view_help", lang)
        )
        pack_lang = st.selectbox(
            t("sub.new.lang", lang), LANGS, index=LANGS.index(lang), format_func=LANG_NAMES.get
        )
        if st.form_submit_button(t("sub.new.submit", lang)):
            try:
                data.subscribe(user, pack, schedule, pack_lang, view)
            except SubscriptionError as exc:
                _said("error", _refused(exc, lang))
            else:
                _said("success", t("sub.saved", lang))
            st.rerun()


def _act(user: User, sub_id: int, action: str, lang: str) -> None:
    try:
        if action == "test":
            data.send_test(user, sub_id)
            _said("success", t("sub.test_queued", lang))
        else:
            data.pause(user, sub_id, action == "pause")
            _said("success", t("sub.saved", lang))
    except SubscriptionError as exc:
        _said("error", _refused(exc, lang))


def my_list(user: User, lang: str) -> None:
    """The user's subscriptions as a table, and pause / resume / test for the one chosen."""
    st.subheader(t("sub.mine", lang))
    frame = data.my_subscriptions(user)
    if frame.empty:
        st.caption(t("sub.none", lang))
        return
    shown = pd.DataFrame(
        {
            t("sub.col.id", lang): [int(v) for v in frame["sub_id"]],
            t("sub.col.pack", lang): [t(f"sub.pack.{p}", lang) for p in frame["pack"]],
            t("sub.col.schedule", lang): list(frame["schedule"]),
            t("sub.col.lang", lang): [LANG_NAMES.get(v, v) for v in frame["lang"]],
            t("sub.col.view", lang): [v or "—" for v in frame["view"]],
            t("sub.col.state", lang): [
                t("sub.state.paused" if p else "sub.state.active", lang) for p in frame["paused"]
            ],
            t("sub.col.created", lang): [shown_time(v) for v in frame["created_at"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")
    ids = [int(v) for v in frame["sub_id"]]
    chosen = st.selectbox(t("sub.which", lang), ids, key="sub_which")
    pause, resume, test = st.columns(3)
    for column, action in ((pause, "pause"), (resume, "resume"), (test, "test")):
        column.button(
            t(f"sub.{action}", lang),
            key=f"sub_{action}",
            on_click=_act,
            args=(user, chosen, action, lang),
        )


def deliveries_table(frame: pd.DataFrame, lang: str, *, with_recipient: bool) -> None:
    """Deliveries as the reader reads them: time, kind, subject, status, tries, last error."""
    if frame.empty:
        st.caption(t("sub.no_deliveries", lang))
        return
    columns = {
        t("sub.col.time", lang): [
            shown_time(s or c) for s, c in zip(frame["sent_at"], frame["created_at"], strict=True)
        ],
        t("sub.col.kind", lang): [t(f"sub.kind.{k}", lang) for k in frame["kind"]],
    }
    if with_recipient:
        columns[t("sub.col.recipient", lang)] = list(frame["username"])
        columns[t("sub.col.address", lang)] = list(frame["address"])
    columns[t("sub.col.subject", lang)] = list(frame["subject"])
    columns[t("sub.col.status", lang)] = [t(f"sub.status.{s}", lang) for s in frame["status"]]
    columns[t("sub.col.attempts", lang)] = [int(a) for a in frame["attempts"]]
    columns[t("sub.col.error", lang)] = [e or "—" for e in frame["last_error"]]
    st.dataframe(pd.DataFrame(columns), hide_index=True, width="stretch")


def admin_log(lang: str) -> None:
    """Admin: how many failed for good, then the newest deliveries."""
    st.subheader(t("sub.log", lang))
    failed = data.delivery_log("failed")
    if not failed.empty:
        st.error(t("sub.failed", lang, n=len(failed)))
    deliveries_table(data.delivery_log(), lang, with_recipient=True)
