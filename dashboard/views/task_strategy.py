"""任务策略: the strategy in force as two editable tables, saved as a version; its history."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from dashboard.access.user import User
from dashboard.data import task_strategy as data
from dashboard.i18n.catalogue import t
from dashboard.page.widgets import download_table
from regulatory.codes import PRODUCT_LABELS
from tasks.departments import DEPARTMENTS, department_name
from tasks.strategy import STEPS, TRIGGERS, Strategy, step_words
from warehouse.settings import display_zone, labelled_time

SAVED = "ts_saved"  # the last save's message, shown after the rerun that reloads the tables


def _choice(
    label: str,
    options: list,
    words: Callable[[object], str] | None = None,
    required: bool = True,
) -> st.column_config.Column:
    """A pick-list column that stores the code and shows `words(code)` (the code itself when
    there are no words for it)."""
    return st.column_config.SelectboxColumn(
        label, options=options, required=required, format_func=words
    )


def trigger_words(code: object, lang: str) -> str:
    """A trigger's name in `lang` (the code when it is not one of `TRIGGERS`)."""
    words = TRIGGERS.get(str(code))
    return str(code) if words is None else words[1 if lang == "en" else 0]


def product_options(s: Strategy) -> list[str]:
    """The products a band may name: any (`*`), the book's product codes, and any other code the
    strategy in force already names (kept, so saving it unchanged stays possible)."""
    named = [str(b["product"]) for b in s.body()["bands"]]
    return list(dict.fromkeys(["*", *PRODUCT_LABELS, *named]))


def product_words(code: object, lang: str) -> str:
    """A band's product in words: any product for `*`, else the product's name (or its code)."""
    if code == "*":
        return t("ts.any_product", lang)
    words = PRODUCT_LABELS.get(str(code))
    return str(code) if words is None else words[1 if lang == "en" else 0]


def _common_columns(lang: str) -> dict[str, object]:
    return {
        "step": _choice(t("ts.col.step", lang), list(STEPS), lambda c: step_words(str(c), lang)),
        "department": _choice(
            t("col.department", lang),
            list(DEPARTMENTS),
            lambda c: department_name(str(c), lang),
        ),
        "sla_days": st.column_config.NumberColumn(
            t("ts.col.sla_days", lang), min_value=1, max_value=365, step=1, required=True
        ),
        "priority": _choice(t("ts.col.priority", lang), [1, 2, 3]),
    }


def _history(lang: str) -> None:
    st.subheader(t("ts.history", lang))
    saved = data.history()
    if not saved:
        st.caption(t("ts.no_history", lang))
        return
    zone = display_zone()
    frame = pd.DataFrame(
        [
            {
                t("ts.col.version", lang): v.version,
                t("ts.col.saved_by", lang): v.created_by,
                t("ts.col.saved_at", lang): labelled_time(v.created_at, zone),
                t("ts.col.note", lang): v.note or "",
            }
            for v in saved
        ]
    )
    st.dataframe(frame, hide_index=True, width="stretch")
    download_table(frame, "task_strategy_versions", lang)


def show(admin: User, lang: str) -> None:
    """The editor for `admin`: what is in force, the two tables, the note and save, the history."""
    if SAVED in st.session_state:
        st.success(st.session_state.pop(SAVED))
    st.caption(t("ts.intro", lang))
    s = data.in_force()
    if s.version == 0:
        st.info(t("ts.in_force_settings", lang))
    else:
        when = labelled_time(s.created_at, display_zone()) if s.created_at else ""
        st.info(t("ts.in_force", lang, version=s.version, who=s.created_by, when=when))
    with st.form("task_strategy"):
        st.subheader(t("ts.bands", lang))
        bands = st.data_editor(
            data.band_frame(s),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"ts_bands_{s.version}",
            column_config={
                "dpd_from": st.column_config.NumberColumn(
                    t("ts.col.dpd_from", lang), min_value=1, step=1, required=True
                ),
                "dpd_to": st.column_config.NumberColumn(
                    t("ts.col.dpd_to", lang), min_value=1, step=1
                ),
                "product": _choice(
                    t("ts.col.product", lang),
                    product_options(s),
                    lambda c: product_words(c, lang),
                ),
                "min_exposure": st.column_config.TextColumn(
                    t("ts.col.min_exposure", lang), max_chars=24
                ),
                **_common_columns(lang),
            },
        )
        st.subheader(t("ts.triggers", lang))
        st.caption(t("ts.triggers_help", lang))
        triggers = st.data_editor(
            data.trigger_frame(s),
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            key=f"ts_triggers_{s.version}",
            column_config={
                "trigger": _choice(
                    t("ts.col.trigger", lang), list(TRIGGERS), lambda c: trigger_words(c, lang)
                ),
                **_common_columns(lang),
            },
        )
        note = st.text_input(t("ts.note", lang), max_chars=500, key="ts_note")
        if st.form_submit_button(t("ts.save", lang), type="primary"):
            if not note.strip():
                st.error(t("ts.note_required", lang))
            else:
                saved, why = data.save(admin, bands, triggers, note)
                if saved is None:
                    st.error(t("ts.refused", lang, why=why))
                else:
                    st.session_state[SAVED] = t("ts.saved", lang, version=saved.version)
                    st.rerun()
    _history(lang)
