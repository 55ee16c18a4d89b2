"""The work queues' measures for managers (任务中心 → 管理指标): SLA adherence, ageing of open
tasks, cure and roll-forward by step, rectification items closed on time. Under each table a
switch (明细) lists what a figure counts (pick the group and, where there is one, the bucket or
outcome); tables and lists have audited downloads of exactly what the screen shows. How they
read: `task_measures_present`. Definitions: docs/tasks.md, "Measures"."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard.access.user import User
from dashboard.data import task_measures as data
from dashboard.data.source import StoreUnavailable, reading, warehouse_state
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import warehouse_problem
from dashboard.views import task_measures_present as show
from queries import task_measures as tm
from queries import task_steps
from tasks.departments import department_name
from tasks.strategy import Strategy
from warehouse.months import month_end_of, month_idx

ALL = show.ALL
MONTHS_OFFERED = 12
STEP_MONTHS = (3, 6, 12, 24)
DEFAULT_STEP_MONTHS = 6  # half a year: enough contract-months, and half the join of twelve


def _drill(key: str, lang: str) -> bool:
    """The switch that opens the list behind a table (its queries run only when it is on)."""
    return st.toggle(t("tm.drill", lang), key=key)


def _figure(frame: pd.DataFrame, key: str, group: str, column: str) -> int:
    """The figure of `group`'s row (the "all" row for `ALL`) in `column`."""
    row = frame[frame[key] == group]
    return int(row[column].iloc[0]) if not row.empty else 0


def _months(today: date) -> list[date]:
    return [month_end_of(month_idx(today) - k) for k in range(MONTHS_OFFERED)]


def _groups(frame: pd.DataFrame, key: str) -> list[str]:
    return [ALL, *(v for v in frame[key] if v != ALL)]


def _words_of(by: str):
    return show.group_words if by == "department" else show.step_name


def sla(user: User, lang: str, departments: tuple[str, ...], month: date, by: str) -> None:
    """SLA adherence for the month's due dates, then the tasks behind a row."""
    first, last = month_end_of(month_idx(month)).replace(day=1), month_end_of(month_idx(month))
    w = data.window(user, first, last, departments)
    st.subheader(t("tm.sla", lang))
    st.caption(t("tm.sla_help", lang))
    frame = data.portal_query("sla", w, by=by)
    used = {"month": f"{month:%Y-%m}", "by": by}
    show.table(frame, f"task_sla_{by}", lang, used)
    if not _drill("tm_sla_drill", lang):
        return
    left, right = st.columns(2)
    group = left.selectbox(
        t("tm.drill_group", lang),
        _groups(frame, by),
        format_func=lambda v: _words_of(by)(v, lang),
        key=f"tm_sla_group_{by}",
    )
    which = right.radio(
        t("tm.drill_which", lang),
        ("all", "met", "missed"),
        format_func=lambda v: t(f"tm.which.{v}", lang),
        horizontal=True,
        key="tm_sla_which",
    )
    behind = data.portal_query(
        "sla_tasks",
        w,
        by=by,
        value=None if group == ALL else group,
        met=None if which == "all" else which == "met",
    )
    behind = show.people(behind, user)
    total = _figure(frame, by, group, {"all": "came_due", "met": "met", "missed": "missed"}[which])
    show.listed(behind, total, "task_sla_tasks", lang, {**used, "group": group, "which": which})


def ageing(user: User, lang: str, departments: tuple[str, ...], by: str) -> None:
    """Open tasks today by ageing bucket, then the tasks of a cell."""
    today = data.window(user, date.min, date.max, departments)
    st.subheader(t("tm.ageing", lang))
    measure = st.radio(
        t("tm.ageing_measure", lang),
        tuple(tm.AGEING),
        index=1,
        format_func=lambda m: t(f"tm.ageing.{m}", lang),
        horizontal=True,
        key="tm_ageing_measure",
    )
    st.caption(t("tm.ageing_help", lang))
    frame = data.portal_query("ageing", today, measure=measure, by=by)
    used = {"by": by, "measure": measure, "today": f"{today.today:%Y-%m-%d}"}
    if frame.empty:
        st.caption(t("tm.none", lang))
        return
    show.table(frame, f"task_ageing_{measure}_{by}", lang, used)
    if not _drill("tm_age_drill", lang):
        return
    left, right = st.columns(2)
    group = left.selectbox(
        t("tm.drill_group", lang),
        [ALL, *frame[by]],
        format_func=lambda v: _words_of(by)(v, lang),
        key=f"tm_age_group_{by}",
    )
    codes = [code for code, _, _ in tm.AGEING[measure]]
    bucket = right.selectbox(
        t("tm.col.bucket", lang),
        [ALL, *codes],
        format_func=lambda c: t("tm.drill_all", lang) if c == ALL else show.bucket_words(c, lang),
        key=f"tm_age_bucket_{measure}",
    )
    behind = data.portal_query(
        "ageing_tasks",
        today,
        measure=measure,
        by=by,
        value=None if group == ALL else group,
        bucket=None if bucket == ALL else bucket,
    )
    behind = show.people(behind, user)
    rows = frame if group == ALL else frame[frame[by] == group]
    total = int(rows["total" if bucket == ALL else bucket].sum())
    show.listed(
        behind, total, "task_ageing_tasks", lang, {**used, "group": group, "bucket": bucket}
    )


def _outcome_words(outcome: str, lang: str) -> str:
    return t("tm.drill_all", lang) if outcome == ALL else t(f"tm.outcome.{outcome}", lang)


def _steps_of(plan: Strategy, departments: tuple[str, ...]) -> tuple[str, ...] | None:
    if not departments:
        return None
    return tuple(dict.fromkeys(b.step for b in plan.bands if b.department in departments))


def steps(user: User, lang: str, departments: tuple[str, ...]) -> None:
    """Cure and roll-forward by the step a contract was in, then the contract-months behind."""
    st.subheader(t("tm.steps", lang))
    state = warehouse_state()
    if state.status != "ok" or state.load is None:
        warehouse_problem(state, lang)
        return
    plan = data.strategy()
    months = st.selectbox(
        t("tm.months", lang),
        STEP_MONTHS,
        index=STEP_MONTHS.index(DEFAULT_STEP_MONTHS),
        key="tm_step_months",
    )
    last = month_end_of(month_idx(state.load.as_of) - 1)
    first = month_end_of(month_idx(state.load.as_of) - months)
    st.caption(
        t("tm.steps_help", lang, version=plan.version, first=f"{first:%Y-%m}", last=f"{last:%Y-%m}")
    )
    frame = data.step_outcomes(user, state, plan, months, _steps_of(plan, departments))
    used = {"as_of": f"{state.load.as_of:%Y-%m}", "months": months, "strategy": plan.version}
    show.table(frame, "task_step_outcomes", lang, used)
    if frame.empty or not _drill("tm_step_drill", lang):
        return
    left, right = st.columns(2)
    step = left.selectbox(
        t("tm.col.step", lang),
        list(frame["step"]),
        format_func=lambda v: show.step_name(v, lang),
        key="tm_step_pick",
    )
    outcome = right.selectbox(
        t("tm.col.outcome", lang),
        [ALL, *task_steps.OUTCOMES],
        format_func=lambda o: _outcome_words(o, lang),
        key="tm_step_outcome",
    )
    behind = data.step_contracts(
        user, state, plan, months, step, None if outcome == ALL else outcome
    )
    total = _figure(frame, "step", step, "contract_months" if outcome == ALL else outcome)
    show.listed(
        behind, total, "task_step_contracts", lang, {**used, "step": step, "outcome": outcome}
    )


def rectification(user: User, lang: str, departments: tuple[str, ...], month: date) -> None:
    """Rectification items closed on time in the month, then the items behind a department."""
    first, last = month_end_of(month_idx(month)).replace(day=1), month_end_of(month_idx(month))
    w = data.window(user, first, last, departments)
    st.subheader(t("tm.rect", lang))
    st.caption(t("tm.rect_help", lang))
    frame, _ = data.rectification(w)
    used = {"month": f"{month:%Y-%m}"}
    show.table(frame, "rectification_on_time", lang, used)
    if not _drill("tm_rect_drill", lang):
        return
    group = st.selectbox(
        t("tm.drill_group", lang),
        _groups(frame, "department"),
        format_func=lambda v: show.group_words(v, lang),
        key="tm_rect_group",
    )
    behind = data.rectification_items(w, None if group == ALL else group)
    total = _figure(frame, "department", group, "came_due")
    show.listed(behind, total, "rectification_on_time_items", lang, {**used, "group": group})


def measures(user: User, lang: str) -> None:
    """The whole measures section for `user` (a tab of 任务中心, or its own page)."""
    st.caption(t("tm.intro", lang))
    departments = data.departments_for(user)
    if departments == ():
        st.info(t("tm.refused", lang))
        return
    if departments:
        names = "、".join(department_name(d, lang) for d in departments)
        st.caption(t("tm.own_department", lang, department=names))
    chosen = departments or ()
    today = data.window(user, date.min, date.max, chosen).today
    left, right = st.columns(2)
    month = left.selectbox(
        t("tm.month", lang), _months(today), format_func=lambda m: f"{m:%Y-%m}", key="tm_month"
    )
    by = right.radio(
        t("tm.by", lang),
        tuple(tm.GROUPS),
        format_func=lambda g: t(f"tm.by.{g}", lang),
        horizontal=True,
        key="tm_by",
    )
    st.caption(t("tm.today", lang, today=f"{today:%Y-%m-%d}"))
    try:
        with reading():
            sla(user, lang, chosen, month, by)
            ageing(user, lang, chosen, by)
            rectification(user, lang, chosen, month)
    except StoreUnavailable as exc:
        st.warning(t("tm.unavailable", lang, error=exc.detail))
        return
    steps(user, lang, chosen)


def section(user: User, lang: str) -> None:
    """管理指标 on 任务中心 behind a switch (its queries run only when it is on); nothing at all
    for a user who may see no measures (no manager role and no department)."""
    try:
        with reading():
            if data.departments_for(user) == ():
                return
    except StoreUnavailable:
        return  # the page itself says the store cannot be read
    if st.toggle(t("tm.tab", lang), key="tm_on", help=t("tm.switch_help", lang)):
        with st.container(border=True):
            measures(user, lang)
