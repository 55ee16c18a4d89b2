"""The workflow panel of the 监管报送 page: one report and period, its current version and the
buttons that move it (draft → validated → reviewed → submitted, rework, correction).

Every button calls `regulatory.filing`, which enforces the rules (maker ≠ checker included); the
panel only explains them. Results are shown after a rerun through a one-shot flash message.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from dashboard.access.user import User
from dashboard.data import portal_store
from dashboard.dossier.links import contract_links
from dashboard.filing import view as view
from dashboard.filing.history import archive_section, audited_download, diff_table
from dashboard.filing.workbook import (
    Filing,
    archive_path,
    detail_file,
    draft_workbook,
    final_workbook,
)
from dashboard.i18n.catalogue import t
from dashboard.page.format import display
from dashboard.page.widgets import download_table
from regulatory import filing
from regulatory.filing_archive import sha256_bytes
from regulatory.filing_diff import cell_diff
from regulatory.filing_store import (
    DRAFT,
    OPEN_STATES,
    REVIEWED,
    SUBMITTED,
    VALIDATED,
    FilingVersion,
    explanations,
    get_version,
    latest_validation,
)
from regulatory.registry import report_spec

FLASH = "postloan.filing.flash"
DETAIL_KEY = "postloan.filing.detail"


def flash() -> None:
    """Show (once) the outcome of the last button."""
    message = st.session_state.pop(FLASH, None)
    if message is None:
        return
    kind, text = message
    (st.success if kind == "ok" else st.error)(text)


def _act(step: Callable[[], object], what: str, lang: str) -> None:
    try:
        step()
    except (filing.FilingError, LookupError) as exc:
        st.session_state[FLASH] = ("error", t("fl.refused", lang, error=str(exc)))
    else:
        st.session_state[FLASH] = ("ok", t("fl.done", lang, what=what))
    st.rerun()


def _findings(d: Filing, v: FilingVersion, editable: bool, user: User, lang: str) -> None:
    check = latest_validation(portal_store.portal(), v.version_id)
    if check is None:
        st.caption(t("fl.not_validated", lang))
        return
    st.caption(
        t(
            "fl.validated_at",
            lang,
            at=view.when_zoned(check.at),
            actor=check.actor,
            blocking=check.blocking,
            warnings=check.warnings,
        )
    )
    if not check.findings:
        st.success(t("fl.no_findings", lang))
        return
    st.markdown(f"**{t('fl.findings', lang)}**")
    frame = display(view.findings_frame(check.findings, lang))
    st.dataframe(frame, hide_index=True, width="stretch")
    download_table(frame, f"findings_{d.spec.code}_{d.period:%Y-%m}", lang)
    said = explanations(portal_store.portal(), v.version_id)
    for f in check.findings:
        if f.get("contracts"):
            st.caption(t("fl.contracts", lang))
            contract_links(f["contracts"], user)  # type: ignore[arg-type]
        if f["severity"] != filing.WARNING:
            continue
        rule = str(f["rule_id"])
        key = f"explain_{v.version_id}_{rule}"
        text = st.text_area(
            t("fl.explain", lang, rule=rule),
            value=said.get(rule, ""),
            key=key,
            disabled=not editable,
        )
        if editable and st.button(t("fl.explain_save", lang), key=f"{key}_save"):
            _act(
                lambda r=rule, x=text: filing.explain(
                    portal_store.portal(), v.version_id, r, x, user.username
                ),
                t("fl.explained", lang),
                lang,
            )


def _validate(d: Filing, v: FilingVersion, user: User, lang: str) -> None:
    if not st.button(t("fl.validate", lang), type="primary", key="fl_validate"):
        return
    bar = st.progress(0.0, text=t("fl.validating", lang))
    findings = d.validate(
        lambda n, total, code: bar.progress(
            n / (total + 1),
            text=t("fl.compiling", lang, code=report_spec(code).filer_name(lang), n=n, total=total),
        )
    )
    bar.progress(1.0, text=t("fl.checking", lang))
    _act(
        lambda: filing.record_validation(
            portal_store.portal(), v.version_id, findings, user.username
        ),
        t("fl.validate", lang),
        lang,
    )


def _new_draft(d: Filing, user: User, lang: str, reason: str = "") -> None:
    load = d.state.load
    _act(
        lambda: filing.new_version(
            portal_store.portal(),
            report_code=d.spec.code,
            period=d.period,
            cells=d.report.cells,
            actor=user.username,
            load_id=load.load_id if load else None,
            data_sha256=load.sha256 if load else None,
            reason=reason,
        ),
        t("fl.new_draft", lang),
        lang,
    )


def _rework(v: FilingVersion, user: User, lang: str) -> None:
    note = st.text_input(t("fl.rework_note", lang), key=f"rework_{v.version_id}")
    if st.button(t("fl.rework", lang), key=f"rework_btn_{v.version_id}"):
        _act(
            lambda: filing.return_for_rework(
                portal_store.portal(), v.version_id, user.username, note
            ),
            t("fl.rework", lang),
            lang,
        )


def _draft_download(d: Filing, v: FilingVersion, user: User, lang: str) -> None:
    if d.spec.summary:
        data, name = draft_workbook(d, v)
        key = f"draft_{v.version_id}"
        audited_download(t("fl.download_draft", lang), data, name, key, user, sha256_bytes(data))
        return
    # The loan-level detail is streamed to a file only when asked for (it can be large).
    ready = st.session_state.get(DETAIL_KEY)
    if st.button(t("fl.prepare_detail", lang), key=f"detail_{v.version_id}"):
        with st.spinner(t("fl.preparing_detail", lang)):
            path, name = detail_file(d, v, draft=True)
        data = path.read_bytes()
        path.unlink()
        ready = (v.version_id, name, data)
        st.session_state[DETAIL_KEY] = ready
    if ready and ready[0] == v.version_id:
        _, name, data = ready
        key = f"draft_detail_{v.version_id}"
        audited_download(t("fl.download_draft", lang), data, name, key, user, sha256_bytes(data))


def _approve(v: FilingVersion, user: User, lang: str) -> None:
    own = user.username in filing.preparers(portal_store.portal(), v.version_id)
    help_text = t("fl.approve_own", lang) if own else None
    if own:
        st.info(t("fl.approve_own", lang))
    if st.button(
        t("fl.approve", lang), type="primary", disabled=own, help=help_text, key="fl_approve"
    ):
        _act(
            lambda: filing.approve(portal_store.portal(), v.version_id, user.username),
            t("fl.approve", lang),
            lang,
        )


def _submit(d: Filing, v: FilingVersion, user: User, lang: str) -> None:
    if not st.button(t("fl.submit", lang), type="primary", key="fl_submit"):
        return
    scratch: Path | None = None
    if d.spec.summary:
        workbook, name = final_workbook(d, v, user.username)
    else:
        with st.spinner(t("fl.preparing_detail", lang)):
            scratch, name = detail_file(d, v, draft=False)
        workbook = scratch
    try:
        _act(
            lambda: filing.submit(
                portal_store.portal(),
                v.version_id,
                user.username,
                workbook=workbook,
                file_name=name,
                cells=d.report.cells,
                archive=archive_path(d.state.url),
            ),
            t("fl.submit", lang),
            lang,
        )
    finally:
        if scratch is not None:
            scratch.unlink(missing_ok=True)


def _correction(d: Filing, v: FilingVersion, user: User, lang: str) -> None:
    with st.expander(t("fl.correction", lang)):
        changes = cell_diff(v.cells, dict(d.report.cells))
        st.markdown(t("fl.diff", lang, n=v.version))
        diff_table(changes, f"diff_now_{d.spec.code}_{d.period:%Y-%m}", lang)
        reason = st.text_input(t("fl.correction_reason", lang), key="fl_correction_reason")
        if st.button(t("fl.correct", lang), key="fl_correct"):
            _new_draft(d, user, lang, reason=reason or "")


def workflow(d: Filing, current: FilingVersion | None, user: User, lang: str) -> None:
    """The current version of the report and period, and the moves open to `user` now."""
    flash()
    if current is None:
        st.info(t("fl.no_version", lang))
        if st.button(t("fl.new_draft", lang), type="primary", key="fl_new"):
            _new_draft(d, user, lang)
        return
    st.subheader(
        t(
            "fl.version_head",
            lang,
            n=current.version,
            state=view.state_markdown(current.state, lang),
        )
    )
    load = d.state.load
    if current.state in OPEN_STATES and load is not None and current.load_id != load.load_id:
        st.warning(t("fl.stale", lang, old=current.load_id, new=load.load_id))
        if st.button(t("fl.new_draft", lang), key="fl_new_stale"):
            _new_draft(d, user, lang)
        return
    if current.kind == "correction" and current.supersedes is not None:
        previous = get_version(portal_store.portal(), current.supersedes)
        st.markdown(t("fl.diff", lang, n=previous.version))
        diff_table(cell_diff(previous.cells, current.cells), f"diff_v{current.version}", lang)
    if current.state == DRAFT:
        _validate(d, current, user, lang)
        _findings(d, current, True, user, lang)
        _draft_download(d, current, user, lang)
        if st.button(t("fl.submit_review", lang), type="primary", key="fl_review"):
            _act(
                lambda: filing.submit_for_review(
                    portal_store.portal(), current.version_id, user.username
                ),
                t("fl.submit_review", lang),
                lang,
            )
    elif current.state == VALIDATED:
        _findings(d, current, False, user, lang)
        _draft_download(d, current, user, lang)
        _approve(current, user, lang)
        _rework(current, user, lang)
    elif current.state == REVIEWED:
        _findings(d, current, False, user, lang)
        _draft_download(d, current, user, lang)
        _submit(d, current, user, lang)
        _rework(current, user, lang)
    elif current.state == SUBMITTED:
        archive_section(d, current, user, lang)
        _correction(d, current, user, lang)
