"""Audited downloads: every table leaves as .xlsx or .csv masked for its user and on the record.

The bytes are built in the requesting user's own session from data already scoped to that user,
then masked for that user (`dashboard.export.export`), so a download never carries more than the
user may see, even though Streamlit serves the file without checking the session cookie.
When the user clicks, the button's `on_click` appends an audit row (`action="download"`): what
(the table's name and the page), the filters (the page's query parameters), the row count and the
SHA-256 of exactly the bytes served.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from dashboard import portal_store
from dashboard.access import current_user, sees_personal_data
from dashboard.export import Export, export
from dashboard.i18n import t
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
) -> None:
    """Append the audit row of one download or export (the buttons' `on_click`)."""
    try:
        record(
            portal_store.portal(),
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


def audited_buttons(
    frame: pd.DataFrame,
    name: str,
    lang: str,
    *,
    action: str = "download",
    filters: Mapping[str, object] | None = None,
) -> dict[str, Export]:
    """One download button per format for `frame`, masked for the user and audited on click."""
    user = current_user()
    actor = user.username if user is not None else "anonymous"
    reveal = sees_personal_data(user)
    page = current_page()
    used = page_params() if filters is None else filters
    files: dict[str, Export] = {}
    columns = st.columns([1, 1, 4])
    for column, fmt in zip(columns, FORMATS, strict=False):
        file = export(frame, fmt, reveal=reveal)
        file_name = f"{name}.{fmt}"
        column.download_button(
            t(f"ui.download_{fmt}", lang),
            data=file.data,
            file_name=file_name,
            mime=file.mime,
            key=f"dl_{fmt}_{name}",
            icon=":material/download:",
            on_click=record_download,
            args=(actor, action, name, audit_details(file_name, page, used), file),
        )
        files[fmt] = file
    return files
