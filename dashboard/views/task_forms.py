"""The acts on one task in 任务中心: assign or reassign, escalate, start, record an outcome, mark
done, comment, cancel. Each form names the version of the task it was drawn from, so an act on a
task someone changed meanwhile is refused (`tasks.actions`), and says the outcome in words.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
import streamlit as st

from dashboard.access.user import User
from dashboard.data import tasks as data
from dashboard.i18n.catalogue import CATALOGUE, t
from dashboard.views.tasks import name
from tasks.actions import ESCALATION, TaskError
from tasks.departments import department_name
from tasks.outcomes import CHANNELS, CONTACT_KINDS, FINDINGS, OUTCOME_KINDS, PARTIES
from warehouse.portal.tasks import OPEN_STATUSES

MESSAGE = "tk_message"


def flash() -> None:
    """Show the outcome of the last act (kept across the rerun it caused)."""
    said = st.session_state.pop(MESSAGE, None)
    if said is not None:
        (st.success if said[0] == "success" else st.error)(said[1])


def words(exc: TaskError, lang: str) -> str:
    """A refusal in the user's language."""
    values = dict(exc.values)
    if "field" in values:
        key = f"tk.field.{values['field']}"
        values["field"] = t(key, lang) if key in CATALOGUE else values["field"]
    if "department" in values:
        values["department"] = department_name(str(values["department"]), lang)
    if "flags" in values:
        values["flags"] = "、".join(t(f"tk.flag.{f}", lang) for f in values["flags"])  # type: ignore[union-attr]
    key = f"tk.err.{exc.code}"
    return t(key, lang, **values) if key in CATALOGUE else str(exc)


def _run(act, lang: str) -> None:  # type: ignore[no-untyped-def]
    try:
        done = act()
    except TaskError as exc:
        st.session_state[MESSAGE] = ("error", words(exc, lang))
    except sa.exc.SQLAlchemyError as exc:  # the store is down, or a deadlock was broken
        st.session_state[MESSAGE] = ("error", t("tk.unavailable", lang, error=type(exc).__name__))
    else:
        flags = getattr(done, "flags", ())
        said = (
            t("tk.saved_flagged", lang, flags="、".join(t(f"tk.flag.{f}", lang) for f in flags))
            if flags
            else t("tk.saved", lang)
        )
        st.session_state[MESSAGE] = ("success", said)
    st.rerun()


def _routing(user: User, row: dict, seen: datetime, lang: str) -> None:
    task_id = int(row["task_id"])
    people = data.assignees(row["department"], row["branch"])
    left, right = st.columns(2)
    with left.form(f"tk_assign_{task_id}"):
        if row["assignee"] is None:
            to = st.selectbox(t("tk.act.assign", lang), people, key=f"tk_to_{task_id}")
            if st.form_submit_button(t("tk.act.assign_go", lang)) and to:
                _run(lambda: data.act(user, "assign", task_id, seen, to), lang)
        else:
            others = [None, *(p for p in people if p != row["assignee"])]
            to = st.selectbox(
                t("tk.act.reassign", lang),
                others,
                format_func=lambda p: t("tk.act.queue", lang) if p is None else p,
                key=f"tk_to_{task_id}",
            )
            if st.form_submit_button(t("tk.act.reassign_go", lang)):
                _run(lambda: data.act(user, "reassign", task_id, seen, to), lang)
    target = department_name(ESCALATION.get(row["department"], "risk"), lang)
    with right.form(f"tk_escalate_{task_id}"):
        reason = st.text_input(
            t("tk.act.escalate", lang, to=target), max_chars=500, key=f"tk_why_{task_id}"
        )
        if st.form_submit_button(t("tk.act.escalate_go", lang)):
            _run(lambda: data.act(user, "escalate", task_id, seen, reason), lang)


def _fields(kind: str, task_id: int, lang: str) -> dict[str, object]:
    """The inputs of an outcome of `kind` (inside its form)."""
    f = lambda field: t(f"tk.field.{field}", lang)  # noqa: E731
    key = f"tk_{kind}_{task_id}"
    got: dict[str, object] = {}
    if kind in CONTACT_KINDS:
        a, b, c = st.columns(3)
        got["channel"] = a.selectbox(
            f("channel"), CHANNELS, format_func=lambda c: name("choice", c, lang), key=f"{key}_ch"
        )
        got["party"] = b.selectbox(
            f("party"), PARTIES, format_func=lambda c: name("choice", c, lang), key=f"{key}_pa"
        )
        got["contacted_at"] = c.text_input(
            f("contacted_at"), value=data.now_local(), key=f"{key}_at"
        )
    if kind == "promise_to_pay":
        a, b = st.columns(2)
        got["amount"] = a.text_input(f("amount"), key=f"{key}_amt")
        got["date"] = b.text_input(f("date"), placeholder="2026-12-31", key=f"{key}_date")
    elif kind == "restructuring_proposed":
        got["terms"] = st.text_area(f("terms"), max_chars=2000, key=f"{key}_terms")
        got["decision_id"] = st.text_input(f("decision_id"), key=f"{key}_dec")
    elif kind == "legal_filing":
        a, b, c = st.columns(3)
        got["court"] = a.text_input(f("court"), max_chars=100, key=f"{key}_court")
        got["case_number"] = b.text_input(f("case_number"), max_chars=64, key=f"{key}_case")
        got["filed_on"] = c.text_input(f("filed_on"), placeholder="2026-12-01", key=f"{key}_on")
    elif kind == "inspected":
        got["finding"] = st.selectbox(
            f("finding"), FINDINGS, format_func=lambda c: name("choice", c, lang), key=f"{key}_fi"
        )
        got["note"] = st.text_area(f("note"), max_chars=2000, key=f"{key}_note")
    elif kind == "reviewed":
        got["conclusion"] = st.text_area(f("conclusion"), max_chars=2000, key=f"{key}_con")
    elif kind == "other":
        got["note"] = st.text_area(f("note"), max_chars=2000, key=f"{key}_note")
    return got


def _work(user: User, row: dict, seen: datetime, lang: str) -> None:
    task_id = int(row["task_id"])
    if row["assignee"] not in (None, user.username):
        return
    if row["status"] != "in_progress" and st.button(t("tk.act.start", lang), key=f"tk_s_{task_id}"):
        _run(lambda: data.act(user, "start", task_id, seen), lang)
    st.markdown(f"**{t('tk.act.outcome', lang)}**")
    kind = st.selectbox(
        t("tk.field.outcome", lang),
        OUTCOME_KINDS,
        format_func=lambda k: name("outcome", k, lang),
        key=f"tk_kind_{task_id}",
    )
    with st.form(f"tk_outcome_{task_id}"):
        fields = _fields(kind, task_id, lang)
        confirm = kind in CONTACT_KINDS and st.checkbox(
            t("tk.act.confirm_breach", lang), key=f"tk_confirm_{task_id}"
        )
        if st.form_submit_button(t("tk.act.outcome_go", lang), type="primary"):
            _run(
                lambda: data.record(
                    user, task_id, kind, fields, expected=seen, confirm_breach=bool(confirm)
                ),
                lang,
            )
    if row["outcome_kind"] and st.button(
        t("tk.act.done", lang), type="primary", key=f"tk_done_{task_id}"
    ):
        _run(lambda: data.act(user, "done", task_id, seen), lang)


def forms(user: User, row: dict, lang: str) -> None:
    """Every act the user may try on the task (the actions check again and say no in words)."""
    task_id, seen = int(row["task_id"]), row["updated_at"]
    if row["status"] in OPEN_STATUSES:
        _routing(user, row, seen, lang)
        _work(user, row, seen, lang)
    left, right = st.columns(2)
    with left.form(f"tk_comment_{task_id}", clear_on_submit=True):
        note = st.text_area(t("tk.field.comment", lang), max_chars=2000, key=f"tk_note_{task_id}")
        if st.form_submit_button(t("tk.act.comment_go", lang)):
            _run(lambda: data.act(user, "comment", task_id, None, note), lang)
    if row["status"] in OPEN_STATUSES:
        with right.form(f"tk_cancel_{task_id}"):
            why = st.text_input(t("tk.field.reason", lang), max_chars=500, key=f"tk_cw_{task_id}")
            if st.form_submit_button(t("tk.act.cancel_go", lang)):
                _run(lambda: data.act(user, "cancel", task_id, seen, why), lang)
