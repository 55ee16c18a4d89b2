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
from datetime import date, datetime

import pandas as pd
import sqlalchemy as sa
import streamlit as st
from sqlalchemy.engine import Engine

from dashboard.access import session_cookie
from dashboard.access.gate import current_user, page_script
from dashboard.access.http_session import alive
from dashboard.access.user import sees_personal_data
from dashboard.data import portal_store, source
from dashboard.downloads.export import MIME, Export, Present, export
from dashboard.i18n.catalogue import CATALOGUE, t
from dashboard.page.contract_params import DRILL_KEYS, parse_drill
from dashboard.page.format import shown_time_zoned
from dashboard.page.registry import page_spec
from dashboard.page.sidebar import (
    FILTER_KEYS,
    filter_pairs,
    month_of,
    month_words,
    params_filters,
)
from warehouse.portal import utc_now
from warehouse.portal.audit import record

log = logging.getLogger(__name__)

FORMATS: tuple[str, ...] = ("xlsx", "csv")
MAX_PARAM_TEXT = 200  # longest query-parameter value kept in an audit row


def current_page() -> str:
    """The script name of the page being run (`contracts.py`), or '' when unknown: the page
    `guard` admitted the user to at the top of this run (no internal Streamlit API)."""
    return page_script()


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


RAW = "raw"  # the analysts' file: codes, yuan, ISO dates, no header block
UNSHOWN_PARAMS = frozenset({"lang", "page", "as_of"})  # filter nothing, or a row of their own
DRILL_PARAMS = frozenset(DRILL_KEYS) - {"page"}


def page_title(script: str, lang: str) -> str:
    """The page's title in `lang` (its script name when it is not a registered page)."""
    try:
        return t(page_spec(script).title_key, lang)
    except ValueError:
        return script


def shown_as_of(used: Mapping[str, object]) -> str:
    """The month-end of the figures as the banner names it (`2024-05-31`): the `as_of` among
    the page's filters, else the latest load's (the sidebar's default)."""
    asked = used.get("as_of")
    if isinstance(asked, list | tuple):
        asked = asked[0] if asked else None
    if asked:
        month = month_of(str(asked))
        return month_words(month) if month is not None else str(asked)[:MAX_PARAM_TEXT]
    load = source.warehouse_state().load
    return "" if load is None else month_words(load.as_of)


def filters_text(filters: Mapping[str, object], lang: str) -> str:
    """The filters in words, as the page's banner and drill criteria say them: the contract
    list's criteria (`DPD > 30`), then the sidebar filters (`产品：直租；地区：邯郸市`), then any
    other parameter as `key=value`; "all" in words when nothing is filtered."""
    params = {
        str(k): [str(v) for v in (value if isinstance(value, list | tuple) else [value])]
        for k, value in filters.items()
    }
    parts = list(parse_drill(params, lang).parts) if DRILL_PARAMS & params.keys() else []
    # The month has a row of its own: any as-of serves to read the segment and cohort filters.
    chosen = filter_pairs(params_filters(params, date(2000, 1, 31)), lang)
    parts += [t("ctx.pair", lang, name=name, values=values) for name, values in chosen]
    for key, values in params.items():
        if key in UNSHOWN_PARAMS or key in DRILL_PARAMS or key in FILTER_KEYS:
            continue
        name = PARAM_NAMES.get(key)
        if name is None:  # a parameter no page names: as given, so the file still says it
            parts.append(f"{key}={','.join(values)}")
            continue
        words = t("ctx.join", lang).join(_param_value(key, v, lang) for v in values)
        parts.append(t("ctx.pair", lang, name=t(name, lang), values=words))
    return t("ctx.sep", lang).join(parts) or t("ctx.none", lang)


# The other pages' parameters in words: parameter -> catalogue key of its name.
PARAM_NAMES: dict[str, str] = {
    "from": "audit.from",
    "to": "audit.to",
    "actor": "audit.actor",
    "action": "audit.action",
    "q": "audit.text",
    "period": "fl.period",
    "report": "fl.report",
    "run": "dq.run_pick",
    "contract": "col.contract_id",
}


def _param_value(key: str, value: str, lang: str) -> str:
    """An audit action in words (`download` → 下载); any other value as given."""
    name = f"audit.action.{value}"
    return t(name, lang) if key == "action" and name in CATALOGUE else value


def header_block(
    title: str, as_of: str, filters: str, actor: str, at: datetime, lang: str
) -> list[tuple[str, str]]:
    """The rows above a table download: page, as-of, filters, user and time (zone named)."""
    return [
        (t("dl.page", lang), title),
        (t("dl.as_of", lang), as_of),
        (t("dl.filters", lang), filters),
        (t("dl.user", lang), actor),
        (t("ui.generated_at", lang), shown_time_zoned(at, "%Y-%m-%d %H:%M:%S")),
    ]


def audited_buttons(
    frame: pd.DataFrame | Callable[[], pd.DataFrame],
    name: str,
    lang: str,
    *,
    action: str = "download",
    filters: Mapping[str, object] | None = None,
    present: Present | None = None,
) -> None:
    """Download buttons for `frame` (or what it returns), built on the click, masked for the
    user and audited: the table as the user reads it (`present`ed, under a header block naming
    the page, as-of, filters, user and time) as .xlsx and .csv; with `present`, also the raw
    data (codes, yuan, ISO dates, no block) for analysts."""
    user = current_user()
    actor = user.username if user is not None else "anonymous"
    reveal = sees_personal_data(user)
    page = current_page()
    used = page_params() if filters is None else filters
    title, as_of, shown_filters = (
        page_title(page, lang),
        shown_as_of(used),
        filters_text(used, lang),
    )
    kinds = ("table", RAW) if present is not None else ("table",)
    # One row of buttons as wide as their words, wrapping when the column is narrow: never a
    # button squeezed into a fixed share of a column and cut to "下.".
    row = st.container(horizontal=True, gap="small")
    for kind in kinds:
        for fmt in FORMATS:
            raw = kind == RAW
            file_name = f"{name}_{RAW}.{fmt}" if raw else f"{name}.{fmt}"

            def build(fmt: str = fmt, raw: bool = raw) -> Export:
                table = frame() if callable(frame) else frame
                if raw:
                    return export(table, fmt, reveal=reveal)
                block = header_block(title, as_of, shown_filters, actor, utc_now(), lang)
                return export(table, fmt, reveal=reveal, present=present, block=block)

            row.download_button(
                t(f"ui.download_{RAW}_{fmt}" if raw else f"ui.download_{fmt}", lang),
                data=on_click(
                    build,
                    actor=actor,
                    action=action,
                    target=name,
                    details=audit_details(file_name, page, used),
                ),
                file_name=file_name,
                mime=MIME[fmt],
                key=f"dl_{RAW}_{fmt}_{name}" if raw else f"dl_{fmt}_{name}",
                icon=":material/download:",
                on_click="ignore",
            )
