"""合同档案, committee decisions: the record form, the review of others' proposals, the history.

Only risk-committee members see the forms; `warehouse.portal.decisions` enforces the same rules
again (role, worse-than-floor, maker ≠ checker, one open proposal per contract), so a forged
request changes nothing and a double click records one proposal. A refusal is shown in the
user's language from its rule code (`rk.err.<code>`).
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from dashboard.access.user import User
from dashboard.data import risk
from dashboard.i18n.catalogue import CATALOGUE, label, t
from dashboard.page.format import md_text
from dashboard.page.registry import page_path
from dashboard.page.setup import PageContext
from dashboard.views.risk import coded
from queries.filters import Filters
from warehouse.extract_spec import RISK_CLASSES
from warehouse.portal import decisions

FLASH_KEY = "postloan.decision_flash"
KINDS = (decisions.WATCH_ADD, decisions.WATCH_REMOVE, decisions.PROPOSE, decisions.ACTION)


# The record form's text fields: emptied once a decision is recorded, so a second press of the
# button cannot record the same watchlist change or action again (a proposal is also idempotent
# in the store).
FORM_KEYS = ("rk_reason", "rk_action", "rk_owner")


def _done(message: str) -> None:
    st.session_state[FLASH_KEY] = message
    for key in FORM_KEYS:
        st.session_state.pop(key, None)
    st.rerun()


def flash() -> None:
    """Show the outcome of the decision recorded on the previous run, once."""
    message = st.session_state.pop(FLASH_KEY, None)
    if message:
        st.success(message)


def refusal(outcome: risk.Outcome, lang: str) -> str:
    """The localised reason a decision was refused (`rk.err.<code>`; classes in words)."""
    values = {k: label(v, lang) if k == "current" else v for k, v in outcome.values.items()}
    key = f"rk.err.{outcome.code}"
    if key not in CATALOGUE:
        key, values = "rk.err.refused", {}
    return t("rk.refused", lang, why=t(key, lang, **values))


def _outcome(
    outcome: risk.Outcome, lang: str, done_key: str = "rk.form.saved", about: int | None = None
) -> None:
    """The refusal, or the flash naming the decision (or the proposal it is `about`) and rerun."""
    if outcome.decision_id is None:
        st.error(refusal(outcome, lang))
    else:
        _done(t(done_key, lang, id=outcome.decision_id if about is None else about))


def record_form(user: User, contract_id: str, current_class: str, as_of: date, lang: str) -> None:
    """Record a decision: watchlist in/out, a classification proposal, or an action."""
    st.subheader(t("rk.decide", lang))
    kind = st.radio(
        t("rk.form.kind", lang),
        KINDS,
        format_func=lambda k: coded(k, "rk.kind", lang),
        horizontal=True,
        key="rk_kind",
    )
    worse = [c for c in RISK_CLASSES if RISK_CLASSES.index(c) > RISK_CLASSES.index(current_class)]
    values: dict[str, object] = {"contract_id": contract_id}
    if kind == decisions.PROPOSE:
        if not worse:
            st.info(t("rk.form.class", lang, current=label(current_class, lang)))
            return
        values["risk_class"] = st.selectbox(
            t("rk.form.class", lang, current=label(current_class, lang)),
            worse,
            format_func=lambda c: label(c, lang),
            key="rk_class",
        )
        values.update(current_class=current_class, as_of=as_of)
    if kind == decisions.ACTION:
        values["action"] = st.text_input(t("rk.form.action", lang), key="rk_action", max_chars=500)
        values["owner"] = st.text_input(t("rk.form.owner", lang), key="rk_owner", max_chars=64)
        values["due_date"] = st.date_input(
            t("rk.form.due", lang), value=as_of + timedelta(days=14), key="rk_due"
        )
        values["as_of"] = as_of
    else:
        values["reason"] = st.text_area(t("rk.form.reason", lang), key="rk_reason", max_chars=2000)
    if not st.button(t("rk.form.submit", lang), type="primary", key="rk_submit"):
        return
    if kind in (decisions.WATCH_ADD, decisions.WATCH_REMOVE):
        values.update(on=kind == decisions.WATCH_ADD, as_of=as_of)
        _outcome(risk.decide(user, decisions.set_watch, **values), lang)
    elif kind == decisions.PROPOSE:
        _outcome(risk.decide(user, decisions.propose_class, **values), lang)
    else:
        _outcome(risk.decide(user, decisions.assign_action, **values), lang)


def review(user: User, history: pd.DataFrame, lang: str) -> None:
    """Pending proposals: others' may be approved or rejected; the user's own may be withdrawn."""
    st.subheader(t("rk.review", lang))
    pending = history[(history["kind"] == decisions.PROPOSE) & (history["status"] == "pending")]
    if pending.empty:
        st.caption(t("rk.review.none", lang))
    for row in pending.itertuples(index=False):
        pid = int(row.decision_id)
        text = md_text(f"#{pid} · {label(row.risk_class, lang)} · {row.actor} · {row.reason}")
        if row.actor.strip().casefold() == user.username.strip().casefold():
            st.markdown(f"{text} {t('rk.review.own', lang)}")
            if st.button(t("rk.review.withdraw", lang, id=pid), key=f"rk_withdraw_{pid}"):
                outcome = risk.decide(user, decisions.withdraw, proposal_id=pid)
                _outcome(outcome, lang, "rk.review.withdrawn", pid)
            continue
        st.markdown(text)
        approve_col, reason_col, reject_col = st.columns([1, 2, 1], vertical_alignment="bottom")
        if approve_col.button(t("rk.review.approve", lang, id=pid), key=f"rk_approve_{pid}"):
            outcome = risk.decide(user, decisions.approve, proposal_id=pid)
            _outcome(outcome, lang, "rk.review.done", pid)
        why = reason_col.text_input(
            t("rk.review.reject_reason", lang), key=f"rk_reject_reason_{pid}"
        )
        if reject_col.button(t("rk.review.reject", lang, id=pid), key=f"rk_reject_{pid}"):
            outcome = risk.decide(user, decisions.reject, proposal_id=pid, reason=why)
            _outcome(outcome, lang)


def awaiting_review(ctx: PageContext) -> None:
    """待我复核: other members' open proposals within the user's branch scope, each a link to its
    dossier, where the user approves or rejects it (risk-committee members only)."""
    user, lang = ctx.user, ctx.lang
    if not user.has_any({decisions.COMMITTEE_ROLE}):
        return
    queue = risk.open_proposals_of_others(user)
    if not queue.empty:  # the portal store knows no branches: keep the contracts the user may see
        scope = Filters(as_of=ctx.filters.as_of, scope=user.branches)
        ids = tuple(sorted(set(queue["contract_id"])))
        seen = ctx.query("search.listed", scope, contract_ids=ids)
        queue = queue[queue["contract_id"].isin(set(seen["contract_id"]))]
    with st.expander(t("rk.queue", lang, n=len(queue)), expanded=not queue.empty):
        if queue.empty:
            st.caption(t("rk.queue.none", lang))
        for row in queue.itertuples(index=False):
            text = t(
                "rk.queue.item",
                lang,
                contract=row.contract_id,
                id=int(row.decision_id),
                current=label(row.current_class, lang),
                proposed=label(row.risk_class, lang),
                actor=row.actor,
            )
            st.page_link(
                page_path("dossier.py"),
                label=md_text(text),
                query_params=ctx.link(contract=row.contract_id),
            )
