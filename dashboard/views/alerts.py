"""The alert inbox: each open alert with its figure, line and month, acknowledge, snooze, open;
many alerts of one rule as one card (docs/alerts.md, "Where people see them")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.access.user import User
from dashboard.data import alerts as data
from dashboard.delivery.words import (
    detail,
    figure_name,
    figure_text,
    headline,
    link_params,
    subject_name,
)
from dashboard.i18n.catalogue import t
from dashboard.page.format import shown_time, shown_time_zoned
from dashboard.page.registry import page_path


def _act(user: User, alert_id: int, snooze: bool, lang: str) -> None:
    try:
        data.acknowledge(user, alert_id, snooze=snooze)
    except ValueError:
        st.session_state["al_message"] = ("error", t("al.refused", lang))
        return
    st.session_state["al_message"] = ("success", t("al.done", lang))


def _act_on_group(user: User, alert_ids: tuple[int, ...], lang: str) -> None:
    try:
        n = data.acknowledge_group(user, alert_ids)
    except ValueError:
        st.session_state["al_message"] = ("error", t("al.refused_group", lang))
        return
    st.session_state["al_message"] = ("success", t("al.done_group", lang, n=n))


def _actions(user: User, row: Mapping[str, Any], lang: str) -> None:
    """One alert's acknowledge, snooze and link to the page that shows its figure."""
    alert_id = int(row["alert_id"])
    ack, snooze, go = st.columns([1, 1, 2])
    ack.button(
        t("al.ack", lang),
        key=f"al_ack_{alert_id}",
        disabled=row["status"] == "acknowledged" and row["snoozed_until"] is None,
        on_click=_act,
        args=(user, alert_id, False, lang),
    )
    snooze.button(
        t("al.snooze", lang),
        key=f"al_snooze_{alert_id}",
        on_click=_act,
        args=(user, alert_id, True, lang),
    )
    go.page_link(
        page_path(row["page"]),
        label=t("al.open", lang),
        icon=":material/open_in_new:",
        query_params=link_params(row["rule"], row["subject"], row["last_period"], lang),
    )


def _card(user: User, row: Mapping[str, Any], lang: str, names: Mapping[str, str] | None) -> None:
    """One alert in a bordered card: what, how far over, since when, its actions."""
    with st.container(border=True):
        status = t(f"al.status.{row['status']}", lang)
        st.markdown(f"**{headline(row['rule'], lang)}** · {status}")
        _body(user, row, lang, names)


def _body(
    user: User,
    row: Mapping[str, Any],
    lang: str,
    names: Mapping[str, str] | None,
    status: str | None = None,
) -> None:
    said = detail(row, lang, names)
    st.caption(said if status is None else t("al.group.item", lang, status=status, detail=said))
    if row["snoozed_until"] is not None:
        st.caption(t("al.snoozed", lang, until=shown_time_zoned(row["snoozed_until"])))
    _actions(user, row, lang)


def _group_card(
    user: User, group: pd.DataFrame, lang: str, names: Mapping[str, str] | None
) -> None:
    """Many alerts of one rule in one card: the rule and how many, the first to look at (firing,
    worst, newest), acknowledge the lot, and each alert with its own actions behind a click."""
    rows = group.to_dict("records")
    rule = str(rows[0]["rule"])
    firing = [int(r["alert_id"]) for r in rows if r["status"] == "firing"]
    with st.container(border=True):
        count = t("al.group.count", lang, n=len(rows), firing=len(firing))
        st.markdown(f"**{headline(rule, lang)}** · {count}")
        st.caption(t("al.group.first", lang, detail=detail(rows[0], lang, names)))
        st.button(
            t("al.group.ack", lang, n=len(firing)),
            key=f"al_ack_group_{rule}",
            disabled=not firing,
            on_click=_act_on_group,
            args=(user, tuple(firing), lang),
        )
        with st.expander(t("al.group.each", lang, n=len(rows))):
            for row in rows:
                _body(user, row, lang, names, t(f"al.status.{row['status']}", lang))


def open_list(
    user: User, frame: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None
) -> None:
    """The open alerts, one bordered card per rule: a rule with one alert open shows it with
    its actions; a rule with many (e.g. one per large exposure) shows them as one group
    (`names`: what to call a subject, e.g. a group by its name)."""
    st.subheader(t("al.open_count", lang, n=len(frame)))
    for group in data.inbox_groups(frame):
        if len(group) == 1:
            _card(user, group.to_dict("records")[0], lang, names)
        else:
            _group_card(user, group, lang, names)


def resolved_table(frame: pd.DataFrame, lang: str, names: Mapping[str, str] | None = None) -> None:
    """The recently resolved alerts as a table in words (times in the display zone)."""
    st.subheader(t("al.resolved", lang))
    if frame.empty:
        st.caption(t("al.none_resolved", lang))
        return
    shown = pd.DataFrame(
        {
            t("al.col.figure", lang): [figure_name(r, lang) for r in frame["rule"]],
            t("al.col.subject", lang): [
                subject_name(s, lang, r, names)
                for s, r in zip(frame["subject"], frame["rule"], strict=True)
            ],
            t("al.col.value", lang): [
                figure_text(r, v) for r, v in zip(frame["rule"], frame["value"], strict=True)
            ],
            t("al.col.line", lang): [
                figure_text(r, v) for r, v in zip(frame["rule"], frame["line"], strict=True)
            ],
            t("al.col.fired", lang): [shown_time(v) for v in frame["fired_at"]],
            t("al.col.resolved", lang): [shown_time(v) for v in frame["resolved_at"]],
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch")


def last_evaluation(run: dict | None, lang: str) -> None:
    """When the rules last ran and which had no figure (so no alert could open or close)."""
    if run is None:
        st.caption(t("al.never", lang))
        return
    st.caption(
        t("al.last_run", lang, at=shown_time_zoned(run["at"]), as_of=f"{run['as_of']:%Y-%m-%d}")
    )
    if run["missing"]:
        names = "、".join(figure_name(rule, lang) for rule in run["missing"])
        st.warning(t("al.missing", lang, names=names))
