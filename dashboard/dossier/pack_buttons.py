"""The committee pack's buttons on 合同档案: the dossier as .xlsx and as .pdf, each audited.

Both files are built in the user's own session from data already scoped to the user, masked for
the user when the button is clicked (nothing is rendered before), and each click appends an audit
row (`action="export"`) with the file's name, row count and the SHA-256 of exactly the bytes served
(`dashboard.downloads.audited.on_click`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

import pandas as pd
import streamlit as st

from dashboard.access.user import User, sees_personal_data
from dashboard.dossier.pack_pdf import PackText, dossier_pdf
from dashboard.dossier.pack_xlsx import dossier_pack
from dashboard.downloads.audited import audit_details, current_page, on_click
from dashboard.downloads.export import MIME
from dashboard.i18n.catalogue import t
from dashboard.page.format import shown_time_zoned
from dashboard.views.risk import headers_only, rules_text, shown
from warehouse.portal import utc_now


def pack_meta(
    contract_id: str, as_of: date, rules: str, by: str, at: datetime, lang: str
) -> dict[str, object]:
    """The cover's first items: contract, as-of, rules met in words, when (display zone, named)
    and by whom."""
    return {
        t("col.contract_id", lang): contract_id,
        t("col.month_end", lang): as_of.isoformat(),
        t("rk.col.rules", lang): rules_text(rules, lang) or "—",
        t("ui.generated_at", lang): shown_time_zoned(at, "%Y-%m-%d %H:%M:%S"),
        t("rk.pack.generated_by", lang): by,
    }


def pack_text(contract_id: str, lang: str) -> PackText:
    """The PDF's words in `lang`; the title names the contract (never the lessee: it may be
    personal data)."""
    return PackText(
        title=f"{t('rk.pack.title', lang)} · {contract_id}",
        empty=t("rk.none_rows", lang),
        page=t("rk.pack.page", lang),
        yes=t("rk.pack.yes", lang),
        no=t("rk.pack.no", lang),
        cut=t("rk.pack.cut", lang),
    )


def pack_sections(
    sections: Mapping[str, pd.DataFrame], history: pd.DataFrame, lang: str
) -> dict[str, pd.DataFrame]:
    """The pack's sheets: each section under its title (`rk.pack.<key>`), then the decisions."""
    titled = {t(f"rk.pack.{key}", lang): frame for key, frame in sections.items()}
    return {**titled, t("rk.tab.decisions", lang): history}


def pack_buttons(
    user: User,
    contract_id: str,
    as_of: date,
    rules: str,
    head: pd.DataFrame,
    sections: dict[str, pd.DataFrame],
    lang: str,
) -> None:
    """The .xlsx and .pdf buttons side by side; `sections` are display title -> frame."""
    at = utc_now()
    meta = pack_meta(contract_id, as_of, rules, user.username, at, lang)
    reveal = sees_personal_data(user)
    builders = {
        "xlsx": lambda: dossier_pack(
            meta,
            head,
            sections,
            generated_at=at,
            reveal=reveal,
            headers=lambda frame: headers_only(frame, lang),
        ),
        "pdf": lambda: dossier_pdf(
            meta,
            head,
            sections,
            reveal=reveal,
            text=pack_text(contract_id, lang),
            display=lambda frame: shown(frame, lang),
        ),
    }
    labels = {"xlsx": "rk.export_pack", "pdf": "rk.export_pack_pdf"}
    page = current_page()
    row = st.container(horizontal=True, gap="small")  # buttons as wide as their words
    for fmt, build in builders.items():
        row.download_button(
            t(labels[fmt], lang),
            data=on_click(
                build,
                actor=user.username,
                action="export",
                target=contract_id,
                details=audit_details(f"dossier.{fmt}", page, {}),
            ),
            file_name=f"dossier_{contract_id}.{fmt}",
            mime=MIME[fmt],
            icon=":material/download:",
            key="rk_pack" if fmt == "xlsx" else "rk_pack_pdf",
            on_click="ignore",
        )
