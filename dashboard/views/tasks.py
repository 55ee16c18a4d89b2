"""任务中心's sections: a filtered task list (a click opens the task), one task with its history,
and the contract dossier's tasks tab. The acts are in `dashboard.views.task_forms`.

Tasks carry codes (contract, lessee, branch), never a person's name or number; comments and
outcomes are shown as plain text in table cells (inert), never as Markdown.
"""

from __future__ import annotations

import json
from functools import partial
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard.access.user import User, sees_personal_data
from dashboard.data import tasks as data
from dashboard.data.source import StoreUnavailable, reading
from dashboard.dossier.links import DOSSIER, may_open_dossier
from dashboard.i18n.catalogue import CATALOGUE, t
from dashboard.page.format import md_text, shown_time
from dashboard.page.registry import page_path
from queries.personal_data import mask_name
from tasks.board import LIMIT
from tasks.departments import DEPARTMENTS, department_name

LIST_COLUMNS = (
    "task_id",
    "contract_id",
    "kind",
    "step",
    "department",
    "assignee",
    "priority",
    "dpd",
    "due_date",
    "status",
    "outcome_kind",
)


def name(prefix: str, code: object, lang: str) -> str:
    """The label of a code (`tk.<prefix>.<code>`), or the code itself when it has none."""
    if code is None or (isinstance(code, float) and pd.isna(code)):
        return "—"
    key = f"tk.{prefix}.{code}"
    return t(key, lang) if key in CATALOGUE else str(code)


def filtered(frame: pd.DataFrame, lang: str, key: str) -> pd.DataFrame:
    """The list narrowed by the filters shown above it (status, kind, priority, contract)."""
    if frame.empty:
        return frame
    status_col, kind_col, prio_col, text_col = st.columns([2, 2, 1, 2])
    statuses = sorted(set(frame["status"]))
    kinds = sorted(set(frame["kind"]))
    picked_status = status_col.multiselect(
        t("tk.filter.status", lang),
        statuses,
        format_func=lambda c: name("status", c, lang),
        key=f"{key}_status",
    )
    picked_kind = kind_col.multiselect(
        t("tk.filter.kind", lang),
        kinds,
        format_func=lambda c: name("kind", c, lang),
        key=f"{key}_kind",
    )
    picked_prio = prio_col.multiselect(
        t("tk.filter.priority", lang), sorted(set(frame["priority"])), key=f"{key}_prio"
    )
    contains = text_col.text_input(t("tk.filter.contract", lang), key=f"{key}_text").strip()
    keep = pd.Series(True, index=frame.index)
    if picked_status:
        keep &= frame["status"].isin(picked_status)
    if picked_kind:
        keep &= frame["kind"].isin(picked_kind)
    if picked_prio:
        keep &= frame["priority"].isin(picked_prio)
    if contains:
        keep &= frame["contract_id"].fillna("").str.contains(contains, regex=False)
    return frame[keep].reset_index(drop=True)


def shown(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The list in words: codes named, dates as text, the dossier link last."""
    out = pd.DataFrame(
        {
            t("tk.col.task_id", lang): frame["task_id"].astype(int),
            t("tk.col.contract_id", lang): frame["contract_id"].fillna("—"),
            t("tk.col.kind", lang): [name("kind", k, lang) for k in frame["kind"]],
            t("tk.col.step", lang): [name("step", s, lang) for s in frame["step"]],
            t("tk.col.department", lang): [department_name(d, lang) for d in frame["department"]],
            t("tk.col.assignee", lang): [a or t("tk.queue_label", lang) for a in frame["assignee"]],
            t("tk.col.priority", lang): frame["priority"].astype(int),
            t("tk.col.dpd", lang): [None if pd.isna(d) else int(d) for d in frame["dpd"]],
            t("tk.col.due_date", lang): [f"{d:%Y-%m-%d}" for d in frame["due_date"]],
            t("tk.col.status", lang): [name("status", s, lang) for s in frame["status"]],
            t("tk.col.outcome_kind", lang): [
                "" if k is None else name("outcome", k, lang) for k in frame["outcome_kind"]
            ],
        }
    )
    out[t("tk.open_dossier", lang)] = [
        None if c is None else f"dossier?{urlencode({'contract': c, 'lang': lang})}"
        for c in frame["contract_id"]
    ]
    return out


def tab_label(key: str, frame: pd.DataFrame, lang: str) -> str:
    """A tab's name with its count (a list cut at `board.LIMIT` says so: "2000+")."""
    n = len(frame) if len(frame) < LIMIT else f"{LIMIT}+"
    return t(f"tk.tab.{key}", lang, n=n)


def _pick(key: str, ids: list[int]) -> None:
    """A row was clicked: open its task (the deep link's `task`)."""
    rows = st.session_state[key]["selection"]["rows"]
    if rows:
        st.query_params["task"] = str(ids[rows[0]])


def task_list(frame: pd.DataFrame, user: User, lang: str, key: str) -> None:
    """The filtered list; a click on a row opens that task (`?task=ID`)."""
    if frame.empty:
        st.caption(t("tk.none", lang))
        return
    frame = filtered(frame, lang, key)
    st.caption(t("tk.click_row", lang))
    table = shown(frame, lang)
    link = t("tk.open_dossier", lang)
    config = None
    if may_open_dossier(user):
        config = {link: st.column_config.LinkColumn(link, display_text="↗")}
    else:
        table = table.drop(columns=link)
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select=partial(_pick, f"{key}_table", [int(i) for i in frame["task_id"]]),
        selection_mode="single-row",
        column_config=config,
        key=f"{key}_table",
    )


def detail_text(detail: object, lang: str) -> str:
    """An event's or outcome's JSON as `field: value` pairs in words (inert text)."""
    said = json.loads(detail) if isinstance(detail, str) and detail else {}
    parts = []
    for field, value in said.items():
        if field in ("from", "to") and value in DEPARTMENTS:
            value = department_name(value, lang)
        elif field == "kind":
            value = name("outcome", value, lang)
        elif field == "department" and value in DEPARTMENTS:
            value = department_name(value, lang)
        elif field == "step":
            value = name("step", value, lang)
        elif field == "flags":
            value = "、".join(t(f"tk.flag.{f}", lang) for f in value)
        elif isinstance(value, str) and f"tk.choice.{value}" in CATALOGUE:
            value = t(f"tk.choice.{value}", lang)
        label = t(f"tk.field.{field}", lang) if f"tk.field.{field}" in CATALOGUE else field
        parts.append(f"{label}: {value}")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def history_table(events: pd.DataFrame, lang: str) -> None:
    """A task's events, oldest first, in words."""
    if events.empty:
        return
    st.dataframe(
        pd.DataFrame(
            {
                t("tk.col.at", lang): [shown_time(a) for a in events["at"]],
                t("tk.col.actor", lang): events["actor"],
                t("tk.col.action", lang): [name("action", a, lang) for a in events["action"]],
                t("tk.col.detail", lang): [detail_text(d, lang) for d in events["detail"]],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def header(row: dict, user: User, lang: str) -> None:
    """The task's title, its summary line, its latest outcome and the dossier link."""
    st.subheader(
        md_text(
            t(
                "tk.title",
                lang,
                id=row["task_id"],
                kind=name("kind", row["kind"], lang),
                step=name("step", row["step"], lang),
            )
        )
    )
    st.caption(
        md_text(
            t(
                "tk.summary",
                lang,
                contract=row["contract_id"] or "—",
                department=department_name(row["department"], lang),
                assignee=row["assignee"] or t("tk.queue_label", lang),
                priority=row["priority"],
                due=f"{row['due_date']:%Y-%m-%d}",
                status=name("status", row["status"], lang),
            )
        )
    )
    if row["outcome_kind"]:
        kind = name("outcome", row["outcome_kind"], lang)
        st.text(t("tk.outcome_now", lang, kind=kind, detail=detail_text(row["outcome"], lang)))
    if row["contract_id"] and may_open_dossier(user):
        st.page_link(
            page_path(DOSSIER),
            label=t("tk.open_dossier", lang),
            icon=":material/folder_open:",
            query_params={"contract": row["contract_id"], "lang": lang},
        )


def dossier_tab(frame: pd.DataFrame, events: pd.DataFrame, lang: str, reveal: bool) -> None:
    """The dossier's tasks tab: the contract's tasks, then each one's history; without `reveal`
    the people who worked them are masked like collectors' names (first character kept)."""
    if frame.empty:
        st.caption(t("tk.dossier.none", lang))
        return
    if not reveal:
        frame = frame.assign(
            assignee=[None if a is None else mask_name(a) for a in frame["assignee"]]
        )
        events = events.assign(
            actor=[a if a == "system" else mask_name(a) for a in events["actor"]]
        )
    st.dataframe(
        shown(frame, lang).drop(columns=t("tk.open_dossier", lang)),
        hide_index=True,
        width="stretch",
    )
    for row in frame.to_dict("records"):
        title = t(
            "tk.title",
            lang,
            id=row["task_id"],
            kind=name("kind", row["kind"], lang),
            step=name("step", row["step"], lang),
        )
        with st.expander(title):
            st.page_link(
                page_path("tasks.py"),
                label=t("tk.dossier.open", lang),
                query_params={"task": str(row["task_id"]), "lang": lang},
            )
            history_table(events[events["task_id"] == row["task_id"]], lang)


def contract_tasks(user: User, contract_id: str, lang: str) -> None:
    """The dossier's tasks tab for `contract_id` (within the user's branches)."""
    try:
        with reading():  # the tasks live in the portal store
            frame, events = data.contract_tasks(user, contract_id)
    except StoreUnavailable as exc:
        st.warning(t("tk.unavailable", lang, error=exc.detail))
        return
    dossier_tab(frame, events, lang, sees_personal_data(user))
