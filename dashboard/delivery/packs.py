"""The report packs a subscription delivers, rendered as their recipient would see them.

Each pack reads the same registered queries as the pages, with the recipient's branch scope in
the filters and personal data masked unless the recipient's roles may see it, and presents them
as the screens do (`dashboard.views.present`). Packs: the executive pack (the overview's key
indicators with their changes, the 24-month trend, concentration against the limits) and the
committee's at-risk list (every contract on it, reasons in words). Each comes as .xlsx and PDF
with a cover naming the pack, the month-end, the recipient and their branch scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.access.user import User, sees_personal_data
from dashboard.dossier.pack_pdf import PackText, dossier_pdf
from dashboard.dossier.pack_xlsx import dossier_pack
from dashboard.i18n.catalogue import t
from dashboard.page.format import shown_time_zoned
from dashboard.views.present import present, table_roles
from queries.at_risk import MAX_PAGE, split_counts
from queries.filters import Filters
from queries.personal_data import mask_personal
from queries.registry import QUERIES
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.decisions import watchlist

Sections = dict[str, pd.DataFrame]
TREND_RATES = ["overdue_rate_balance_dpd30", "overdue_rate_balance_dpd90", "npl_ratio"]


@dataclass(frozen=True)
class Pack:
    """A pack: its catalogue key, who may subscribe, and how its sections are read."""

    key: str
    roles: frozenset[str]
    sections: Callable[[Engine, Filters, User, str], Sections]


def _query(name: str, engine: Engine, filters: Filters, user: User, **options: object):
    frame = QUERIES[name](engine, filters, **options)
    return mask_personal(frame, reveal=sees_personal_data(user))


def executive_sections(engine: Engine, filters: Filters, user: User, lang: str) -> Sections:
    """The overview's indicators (as its cards read them), trend and concentration."""
    from dashboard.views.overview import kpi_table  # the cards' own wording

    kpis = _query("portfolio.kpis", engine, filters, user)
    trend = _query("portfolio.trend", engine, filters, user)
    conc = _query("exposures.concentration", engine, filters, user)
    money = ["outstanding", "npl_outstanding"]
    return {
        t("ov.kpis", lang): kpi_table(kpis, lang),
        t("ov.trends", lang): present(
            trend[["month_end", *money, *TREND_RATES]], lang, table_roles(money, TREND_RATES)
        ),
        t("ov.concentration", lang): present(
            conc, lang, table_roles(["outstanding", "base"], ["ratio", "limit"])
        ),
    }


def at_risk_sections(engine: Engine, filters: Filters, user: User, lang: str) -> Sections:
    """The at-risk list, every contract (the committee's watchlist included), largest first, as
    the page's table reads it."""
    from dashboard.views.risk import headers_only

    url = engine.url.render_as_string(hide_password=False)
    portal = portal_engine(portal_url(url))
    try:
        watch = watchlist(portal)
    finally:
        portal.dispose()
    parts, offset = [], 0
    while True:
        page = _query(
            "at_risk.at_risk",
            engine,
            filters,
            user,
            watchlist=watch,
            limit=MAX_PAGE,
            offset=offset,
        )
        rows, _ = split_counts(page)
        parts.append(rows)
        if len(rows) < MAX_PAGE:
            break
        offset += MAX_PAGE
    frame = pd.concat(parts, ignore_index=True).drop(columns=["total_rows"], errors="ignore")
    return {t("page.at_risk", lang): headers_only(frame, lang)}


PACKS: dict[str, Pack] = {
    "executive_weekly": Pack(
        "executive_weekly",
        frozenset({"executive", "risk_committee", "compliance"}),
        executive_sections,
    ),
    "at_risk": Pack("at_risk", frozenset({"risk_committee", "executive"}), at_risk_sections),
}


def render(
    engine: Engine, pack: str, user: User, lang: str, as_of: date, generated_at: datetime
) -> list[tuple[str, bytes]]:
    """The pack's .xlsx and PDF for `user` at `as_of`: (file name, bytes) each."""
    spec = PACKS[pack]
    if not user.roles & spec.roles:
        raise PermissionError(f"{user.username} may not receive the {pack} pack")
    filters = Filters(as_of=as_of, scope=user.branches)
    sections = spec.sections(engine, filters, user, lang)
    scope = t("sub.all_branches", lang) if user.branches is None else "、".join(user.branches)
    title = t(f"sub.pack.{pack}", lang)
    meta = {
        t("sub.cover.pack", lang): title,
        t("sub.cover.as_of", lang): f"{as_of:%Y-%m-%d}",
        t("sub.cover.recipient", lang): user.display_name or user.username,
        t("sub.cover.scope", lang): scope,
        t("sub.cover.generated", lang): shown_time_zoned(generated_at),
    }
    reveal = sees_personal_data(user)
    header = pd.DataFrame()
    xlsx = dossier_pack(meta, header, sections, generated_at=generated_at, reveal=reveal)
    text = PackText(
        title=title,
        empty=t("sub.empty", lang),
        page=t("rk.pack.page", lang),
        yes=t("rk.pack.yes", lang),
        no=t("rk.pack.no", lang),
        cut=t("rk.pack.cut", lang),
    )
    pdf = dossier_pdf(meta, header, sections, reveal=reveal, text=text)
    stem = f"{pack}-{as_of:%Y-%m}"
    return [(f"{stem}.xlsx", xlsx.data), (f"{stem}.pdf", pdf.data)]
