"""The record side of the 监管报送 page: archive download with SHA-256, differences, history."""

from __future__ import annotations

import streamlit as st

from dashboard.access.user import User
from dashboard.data import portal_store
from dashboard.downloads.audited import on_click
from dashboard.downloads.export import Export
from dashboard.filing import view as view
from dashboard.filing.workbook import Filing, archive_path
from dashboard.i18n.catalogue import t
from dashboard.page.format import display
from dashboard.page.widgets import download_table
from regulatory.filing_archive import ArchiveCorrupt, read_archived
from regulatory.filing_diff import CellChange
from regulatory.filing_store import FilingVersion, archive_row, events

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def audited_download(label: str, data: bytes, name: str, key: str, user: User, sha: str) -> None:
    """A download button for a workbook, served and audited (who, file, SHA-256) on the click."""
    file = Export(data, "xlsx", 0, sha)
    details = {"file": name, "page": "filing.py"}
    st.download_button(
        label,
        data=on_click(
            lambda: file, actor=user.username, action="download", target=name, details=details
        ),
        file_name=name,
        mime=XLSX,
        key=key,
        icon=":material/download:",
        on_click="ignore",
    )


def archive_section(d: Filing, v: FilingVersion, user: User, lang: str) -> None:
    """The archive record of a submitted version, its SHA-256 and the verified download."""
    st.markdown(f"**{t('fl.archive', lang)}**")
    row = archive_row(portal_store.portal(), v.version_id) or {}
    st.caption(
        t(
            "fl.archive_meta",
            lang,
            at=view.when_zoned(row.get("submitted_at")),  # type: ignore[arg-type]
            who=row.get("submitted_by", ""),
            load=row.get("load_id", ""),
            version=row.get("program_version", ""),
        )
    )
    try:
        filed = read_archived(portal_store.portal(), v.version_id, archive_path(d.state.url))
    except (ArchiveCorrupt, LookupError) as exc:
        st.error(t("fl.archive_corrupt", lang, error=str(exc)))
        return
    st.code(t("fl.archive_sha", lang, sha=filed.sha256), language=None)
    audited_download(
        t("fl.download_archive", lang),
        filed.content,
        filed.file_name,
        f"archive_{v.version_id}",
        user,
        filed.sha256,
    )


def diff_table(changes: list[CellChange], name: str, lang: str) -> None:
    """A correction's cell differences with downloads, or a line saying there are none."""
    if not changes:
        st.caption(t("fl.no_diff", lang))
        return
    frame = display(view.diff_frame(changes, lang))
    st.dataframe(frame, hide_index=True, width="stretch")
    download_table(frame, name, lang)


def history(filed: list[FilingVersion], current: FilingVersion | None, lang: str) -> None:
    """Every version of the report and period, and the events of the current one."""
    if not filed:
        return
    st.subheader(t("fl.history", lang))
    frame = view.versions_frame(filed, lang)
    st.dataframe(view.coloured(frame, lang), hide_index=True, width="stretch")
    download_table(frame, "filing_versions", lang)
    if current is not None:
        trail = view.events_frame(events(portal_store.portal(), current.version_id), lang)
        st.dataframe(view.coloured(trail, lang), hide_index=True, width="stretch")
        download_table(trail, f"filing_events_v{current.version}", lang)
