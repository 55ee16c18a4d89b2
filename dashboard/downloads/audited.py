"""Audited downloads: every table leaves as .xlsx or .csv masked for its user and on the record.

Nothing is rendered into a file before the click. Each button carries a callable
(`st.download_button(data=callable)`) that Streamlit runs when the user clicks: it checks that the
session that drew the button is still alive (its cookie's session in the portal store), builds the
bytes from data already scoped to that user and masks them for that user
(`dashboard.downloads.export.export`), appends the audit row (`action="download"` or `"export"`:
who, what — the table's name and the page —, the filters, the row count and the SHA-256 of exactly
the bytes served) and hands the bytes over. Streamlit then serves them once under `/media/`, which
answers only requests carrying a live session cookie (`dashboard.access.http_guard`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard.access import session_cookie
from dashboard.access.gate import current_user
from dashboard.access.http_session import alive
from dashboard.access.user import sees_personal_data
from dashboard.data import portal_store
from dashboard.downloads.export import MIME, Export, Present, export
from dashboard.i18n.catalogue import t
from warehouse.portal.audit import record

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("xlsx", "csv")
MAX_PARAM_TEXT = 200  # longest query-parameter value kept in an audit row


def current_page() -> str:
    """The script name of the page being run (`contracts.py`), or '' when unknown."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:
        return ""
    page = ctx.pages_manager.get_pages().get(ctx.page_script_hash) or {}
    script = page.get("script_path")
    return Path(script).name if script else ""


def page_params() -> dict[str, list[str]]:
    """The page's query parameters (its filters and drill keys), values cut to a bounded length."""
    return {
        key[:MAX_PARAM_TEXT]: [v[:MAX_PARAM_TEXT] for v in st.query_params.get_all(key)]
        for key in st.query_params
    }


def audit_details(file_name: str, page: str, filters: Mapping[str, object]) -> dict[str, object]:
    """What an audit row of a download says besides who, row count and hash."""
    return {"file": file_name, "page": page, "filters": dict(filters)}


def record_download(
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, object],
    file: Export,
    *,
    engine: Engine | None = None,
) -> None:
    """Append the audit row of one download or export (`engine`: the portal store's)."""
    try:
        record(
            engine if engine is not None else portal_store.portal(),
            actor=actor,
            action=action,
            target=target,
            details=details,
            row_count=file.row_count,
            sha256=file.sha256,
        )
    except sa.exc.SQLAlchemyError:
        # The file is already on its way to the browser; the server log keeps the failure.
        log.exception("audit row of %s %s by %s not written", action, target, actor)


class SessionEnded(PermissionError):
    """A download clicked after the session that drew its button ended: no file."""


def on_click(
    build: Callable[[], Export],
    *,
    actor: str,
    action: str,
    target: str,
    details: Mapping[str, object],
) -> Callable[[], bytes]:
    """The `data` callable of a download button: session alive → build, audit, the bytes.

    It runs outside the script run (Streamlit calls it when the button is clicked), so everything
    it needs — the session's cookie, the portal store — is taken now, while the page is drawn.
    """
    reference = session_cookie.current_cookie()
    engine = portal_store.portal()

    def produce() -> bytes:
        if not alive(reference):
            raise SessionEnded(f"{action} of {target} refused: the session of {actor} ended")
        file = build()
        record_download(actor, action, target, details, file, engine=engine)
        return file.data

    return produce


def audited_buttons(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    lang: str,
    *,
    action: str = "download",
    filters: Mapping[str, object] | None = None,
    present: Present | None = None,
) -> None:
    """One download button per format for `frame` (or what it returns), built on the click:
    masked for the user, then `present`ed (as on the screen), and audited."""
    user = current_user()
    actor = user.username if user is not None else "anonymous"
    reveal = sees_personal_data(user)
    page = current_page()
    used = page_params() if filters is None else filters
    columns = st.columns([1, 1, 4])
    for column, fmt in zip(columns, FORMATS, strict=False):
        file_name = f"{name}.{fmt}"

        def build(fmt: str = fmt) -> Export:
            table = frame() if callable(frame) else frame
            return export(table, fmt, reveal=reveal, present=present)

        column.download_button(
            t(f"ui.download_{fmt}", lang),
            data=on_click(
                build,
                actor=actor,
                action=action,
                target=name,
                details=audit_details(file_name, page, used),
            ),
            file_name=file_name,
            mime=MIME[fmt],
            key=f"dl_{fmt}_{name}",
            icon=":material/download:",
            on_click="ignore",
        )
