"""The 整改台账 page's widgets: filters, the ledger table, and one item (URL `item=<id>`) with
its history and the actions the user may take. Text from findings and people is shown inert
(table cells and `st.text`, never Markdown)."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from dashboard.access.user import User
from dashboard.data import rectification as data
from dashboard.i18n.catalogue import localise, t
from dashboard.page.format import shown_time
from tasks.departments import department_name
from warehouse.portal.rectification import SOURCES, STATUSES

MESSAGE = "rc_message"  # the last change's outcome, shown after the rerun that refreshes the list


def filters(lang: str) -> tuple[tuple[str, ...], tuple[str, ...], bool]:
    """Statuses, sources and 'overdue only' as picked (nothing picked: every one)."""
    left, middle, right = st.columns([2, 2, 1])
    statuses = left.multiselect(
        t("rc.filter.status", lang),
        list(STATUSES),
        format_func=lambda s: t(f"rc.status.{s}", lang),
        key="rc_status",
    )
    sources = middle.multiselect(
        t("rc.filter.source", lang),
        list(SOURCES),
        format_func=lambda s: t(f"rc.source.{s}", lang),
        key="rc_source",
    )
    overdue = right.checkbox(t("rc.filter.overdue", lang), key="rc_overdue")
    return tuple(statuses), tuple(sources), overdue


def sync_button(user: User, lang: str) -> None:
    """For those who edit: bring the ledger in line with the findings now, and say what changed."""
    if not data.may_edit(user) or not st.button(t("rc.sync", lang), key="rc_sync"):
        return
    done = data.sync_now(user)
    words = t(
        "rc.synced",
        lang,
        created=len(done.created),
        gone=len(done.gone),
        back=len(done.back),
        overdue=len(done.overdue),
    )
    st.session_state[MESSAGE] = ("success", words)
    st.rerun()


def present(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The items as read on screen and in files: words for codes, local times, headers."""
    out = frame.copy()
    out["source"] = [t(f"rc.source.{s}", lang) for s in out["source"]]
    out["status"] = [t(f"rc.status.{s}", lang) for s in out["status"]]
    out["department"] = [department_name(d, lang) for d in out["department"]]
    out["finding_present"] = [
        t("rc.present.yes" if p else "rc.present.no", lang) for p in out["finding_present"]
    ]
    out["closed_at"] = [
        None if c is None or pd.isna(c) else shown_time(c) for c in out["closed_at"]
    ]
    shown = localise(out, lang)
    return shown.rename(columns={"status": t("rc.filter.status", lang)})


def flash() -> None:
    """The outcome of the last change, once."""
    said = st.session_state.pop(MESSAGE, None)
    if said is not None:
        (st.success if said[0] == "success" else st.error)(said[1])


def chosen_item(frame: pd.DataFrame, lang: str) -> int | None:
    """The item the URL names when listed (else the first), as picked in the selector."""
    ids = [int(i) for i in frame["item_id"]]
    if not ids:
        return None
    asked = st.query_params.get("item")
    item_id = int(asked) if asked and asked.isdigit() and int(asked) in ids else ids[0]
    titles = dict(zip(ids, frame["title"], strict=True))
    picked = st.selectbox(
        t("rc.pick", lang),
        ids,
        index=ids.index(item_id),
        format_func=lambda i: f"#{i} {titles[i]}",
        key="rc_pick",
    )
    if picked != item_id or asked != str(item_id):
        st.query_params["item"] = str(picked)
    return picked


def _act(user: User, action: str, item_id: int, lang: str, text: str = "") -> None:
    problem = data.act(user, action, item_id, lang, text)
    if problem is None:
        st.session_state[MESSAGE] = ("success", t("rc.done", lang, id=item_id))
        st.rerun()
    st.error(problem)


def item_card(user: User, item: dict[str, object], lang: str) -> None:
    """One item: finding, whether it is still present, its history, and the user's actions."""
    item_id = int(item["item_id"])  # type: ignore[call-overload]
    st.subheader(t("rc.item", lang, id=item_id, title=item["title"]))
    if not item["finding_present"]:
        st.warning(t("rc.gone", lang))
    st.caption(t("rc.description", lang))
    st.text(str(item["description"]))
    if item["evidence"]:
        st.caption(t("col.evidence", lang))
        st.text(str(item["evidence"]))
    if data.may_edit(user):
        _actions(user, item, lang)
    st.caption(t("rc.history", lang))
    events = data.history(item_id)
    events["at"] = [shown_time(a) for a in events["at"]]
    events["detail"] = [
        "" if d is None else ", ".join(f"{k}: {v}" for k, v in json.loads(d).items())
        for d in events["detail"]
    ]
    st.dataframe(events, hide_index=True, width="stretch")


def _actions(user: User, item: dict[str, object], lang: str) -> None:
    item_id = int(item["item_id"])  # type: ignore[call-overload]
    status = str(item["status"])
    if status in ("open", "in_progress", "overdue"):
        people = data.owners(str(item["department"]))
        with st.form(f"rc_assign_{item_id}"):
            current = item["owner"] if item["owner"] in people else None
            owner = st.selectbox(
                t("rc.owner", lang),
                people,
                index=people.index(current) if current else None,
                key="rc_owner",
            )
            if st.form_submit_button(t("rc.assign", lang)) and owner:
                _act(user, "assign", item_id, lang, owner)
        if status in ("open", "overdue") and st.button(t("rc.start", lang), key="rc_start"):
            _act(user, "start", item_id, lang)
        with st.form(f"rc_submit_{item_id}"):
            evidence = st.text_area(t("rc.evidence", lang), max_chars=4000, key="rc_evidence")
            if st.form_submit_button(t("rc.submit", lang), type="primary"):
                _act(user, "submit", item_id, lang, evidence)
    if status == "submitted":
        if st.button(t("rc.sign_off", lang), type="primary", key="rc_sign_off"):
            _act(user, "sign_off", item_id, lang)
        with st.form(f"rc_back_{item_id}"):
            note = st.text_area(t("rc.return_note", lang), max_chars=4000, key="rc_note")
            if st.form_submit_button(t("rc.send_back", lang)):
                _act(user, "send_back", item_id, lang, note)
