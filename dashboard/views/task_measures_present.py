"""How the work-queue measures read (管理指标): headers, codes in words, ratios, the tables with
their audited downloads, assignees masked for roles without personal data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access.user import User, sees_personal_data
from dashboard.i18n.catalogue import CATALOGUE, label, t
from dashboard.page.format import missing, shown_time
from dashboard.page.widgets import download_table
from dashboard.views.present import Roles, as_text, present
from queries import task_measures as tm
from queries.personal_data import mask_name
from tasks.departments import department_name
from tasks.strategy import step_words

ALL = "all"
RATES = frozenset({"adherence", "cure_rate", "roll_rate", "share"})
COUNTS = frozenset(
    {"came_due", "met", "missed", "total", "contract_months", "cured", "rolled", "stayed"}
    | {"on_time", "late", "priority", "dpd", "next_dpd"}
    | {code for buckets in tm.AGEING.values() for code, _, _ in buckets}
)
HIDDEN = frozenset(
    {"kind", "description", "submitted_by", "closed_by", "evidence"} | {"finding_present"}
)


def bucket_words(code: str, lang: str) -> str:
    if code == "0":
        return t("tm.bucket.0", lang)
    return t("tm.bucket_days", lang, range=code.replace("-", "–"))


BUCKETS = frozenset(code for buckets in tm.AGEING.values() for code, _, _ in buckets)


def header(column: str, lang: str) -> str:
    if column in BUCKETS:
        return bucket_words(column, lang)
    key = f"tm.col.{column}"
    return t(key, lang) if key in CATALOGUE else column


def coded(prefix: str):
    def words(value: object, lang: str) -> str:
        key = f"{prefix}.{value}"
        return t(key, lang) if key in CATALOGUE else str(value)

    return words


def group_words(value: object, lang: str) -> str:
    return t("tm.all", lang) if value == ALL else department_name(str(value), lang)


def step_name(value: object, lang: str) -> str:
    """A step as 任务中心 names it (a DPD step, else the trigger kind), else the strategy's."""
    if value == ALL:
        return t("tm.all", lang)
    for key in (f"tk.step.{value}", f"tk.kind.{value}"):
        if key in CATALOGUE:
            return t(key, lang)
    return step_words(str(value), lang)


def yes_no(value: object, lang: str) -> str:
    return t("tm.yes" if bool(value) else "tm.no", lang)


ROLES = Roles(
    header=header,
    rates=RATES,
    counts=COUNTS,
    hidden=HIDDEN,
    words={
        "department": group_words,
        "step": step_name,
        "status": coded("tm.status"),
        "close_reason": coded("tm.reason"),
        "outcome": coded("tm.outcome"),
        "bucket": lambda v, lang: bucket_words(str(v), lang),
        "in_time": yes_no,
        "created_at": lambda v, lang: shown_time(v),
        "closed_at": lambda v, lang: shown_time(v),
        "dpd_bucket": lambda v, lang: label(v, lang),
        "next_bucket": lambda v, lang: label(v, lang),
        "source": lambda v, lang: label(v, lang),
    },
)


def as_file(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return present(frame, lang, ROLES)


def table(frame: pd.DataFrame, name: str, lang: str, used: dict[str, object]) -> None:
    """A presented table and its audited downloads (the file holds what the screen shows)."""
    st.dataframe(as_text(as_file(frame, lang)), hide_index=True, width="stretch")
    download_table(frame, name, lang, filters=used, present=lambda f: as_file(f, lang))


def listed(frame: pd.DataFrame, total: int, name: str, lang: str, used: dict[str, object]) -> None:
    """A drill-down list (at most `tm.MAX_LISTED` rows) of the figure `total`, with downloads."""
    if frame.empty:
        st.caption(t("tm.none", lang))
        return
    st.caption(t("tm.listed", lang, total=f"{total:,}", shown=f"{len(frame):,}"))
    table(frame, name, lang, used)


def people(frame: pd.DataFrame, user: User) -> pd.DataFrame:
    """Assignees masked for a user whose roles do not need names (as the dossier's 任务 tab
    masks who worked a task)."""
    if sees_personal_data(user) or frame.empty:
        return frame
    return frame.assign(
        assignee=[None if missing(a) else mask_name(str(a)) for a in frame["assignee"]]
    )
