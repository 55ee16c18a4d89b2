"""The report packs a subscription delivers, rendered as their recipient would see them.

Each pack reads the same registered queries as the pages, with the recipient's branch scope in
the filters and personal data masked unless the recipient's roles may see it, and presents them
as the screens do (`dashboard.views.present`). Packs: the executive pack (the overview's key
indicators with their changes, the regulatory lines with their verdicts, the regions and products
that moved most, the 24-month trend as a table and, in the PDF, a chart drawn offline, and
concentration against the limits, breaches first) and the
committee's at-risk list (every contract on it, reasons in words) and compliance's filing
calendar (each report's periods, deadlines and status). Each comes as .xlsx and PDF
with a cover naming the pack, the month-end, the recipient and their branch scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlencode

import pandas as pd
from sqlalchemy.engine import Engine

from dashboard.access.user import User, sees_personal_data
from dashboard.delivery.pack_chart import rate_chart
from dashboard.dossier.pack_pdf import PackText, dossier_pdf
from dashboard.dossier.pack_xlsx import dossier_pack
from dashboard.i18n.catalogue import t
from dashboard.page.format import pct, shown_time_zoned, zone
from dashboard.views.present import column_header, present, table_roles
from queries import segments
from queries.at_risk import MAX_PAGE, split_counts
from queries.at_risk_rules import score_status
from queries.exposures import entity_type
from queries.filters import SEGMENTS, Filters
from queries.personal_data import mask_personal
from queries.registry import QUERIES
from regulatory.calendar import filing_calendar
from regulatory.kpi_lines import assess, lines_for
from regulatory.registry import REPORTS
from warehouse.months import month_end_of
from warehouse.portal import portal_engine, portal_url
from warehouse.portal.decisions import watchlist

Sections = dict[str, pd.DataFrame]
TREND_RATES = ["overdue_rate_balance_dpd30", "overdue_rate_balance_dpd90", "npl_ratio"]


@dataclass(frozen=True)
class Pack:
    """A pack: its catalogue key, who may subscribe, and how its sections are read."""

    key: str
    roles: frozenset[str]
    sections: Callable[[Engine, Filters, User, str, datetime], Sections]


def _portal_of(engine: Engine) -> Engine:
    """An engine on the portal store that goes with the warehouse `engine` reads (dispose it)."""
    return portal_engine(portal_url(engine.url.render_as_string(hide_password=False)))


def _query(name: str, engine: Engine, filters: Filters, user: User, **options: object):
    frame = QUERIES[name](engine, filters, **options)
    return mask_personal(frame, reveal=sees_personal_data(user))


def _lines(kpis: pd.DataFrame, entity: str | None, lang: str) -> pd.DataFrame:
    """Each headline ratio against its regulatory line, with the overview's verdict in words."""
    values = kpis.set_index("metric")["value"]
    rows = [
        {
            t("ov.col.metric", lang): t(f"m.{line.metric}", lang),
            t("ov.col.value", lang): pct(values.get(line.metric)),
            t("sub.col.line", lang): t(f"ov.line.{line.op}", lang, bound=pct(line.bound)),
            t("sub.col.verdict", lang): t(
                f"ov.verdict.{assess(values.get(line.metric), line)}", lang
            ),
        }
        for line in lines_for(entity)
    ]
    return pd.DataFrame(rows)


def _movers(engine: Engine, filters: Filters, user: User, lang: str, by: str) -> pd.DataFrame:
    """The `by` values whose outstanding moved most since the month before (top 10)."""
    now = _query("portfolio.breakdown", engine, filters, user, by=by)
    before_filters = replace(filters, as_of=month_end_of(filters.as_of_idx - 1))
    before = _query("portfolio.breakdown", engine, before_filters, user, by=by)
    earlier = dict(zip(before[by], before["outstanding"], strict=True))
    rows = []
    for r in now.to_dict("records"):
        was = earlier.get(r[by])
        change = None if was is None else r["outstanding"] - was
        rows.append(
            {
                by: r[by],
                "outstanding": r["outstanding"],
                "change": change,
                "npl_ratio": r["npl_ratio"],
            }
        )
    frame = pd.DataFrame(rows, columns=[by, "outstanding", "change", "npl_ratio"])
    order = sorted(range(len(frame)), key=lambda i: -abs(frame["change"].iloc[i] or 0))[:10]
    frame = frame.iloc[order].reset_index(drop=True)
    shown = present(frame, lang, table_roles(["outstanding", "change"], ["npl_ratio"]))
    return shown.rename(columns={column_header("change", lang): t("sub.col.change", lang)})


def executive_sections(
    engine: Engine, filters: Filters, user: User, lang: str, at: datetime
) -> Sections:
    """The overview's indicators (as its cards read them) and regulatory lines, the movers by
    region and product, the trend and concentration (its breaches first)."""
    from dashboard.views.overview import kpi_table  # the cards' own wording

    kpis = _query("portfolio.kpis", engine, filters, user)
    trend = _query("portfolio.trend", engine, filters, user)
    conc = _query("exposures.concentration", engine, filters, user)
    conc = conc.assign(_b=[b is not True for b in conc["breach"]]).sort_values("_b", kind="stable")
    money = ["outstanding", "npl_outstanding"]
    return {
        t("ov.kpis", lang): kpi_table(kpis, lang),
        t("sub.section.lines", lang): _lines(kpis, entity_type(engine), lang),
        t("sub.section.movers_region", lang): _movers(engine, filters, user, lang, "region"),
        t("sub.section.movers_product", lang): _movers(engine, filters, user, lang, "product"),
        t("ov.trends", lang): present(
            trend[["month_end", *money, *TREND_RATES]], lang, table_roles(money, TREND_RATES)
        ),
        t("ov.concentration", lang): present(
            conc.drop(columns="_b"), lang, table_roles(["outstanding", "base"], ["ratio", "limit"])
        ),
    }


def at_risk_sections(
    engine: Engine, filters: Filters, user: User, lang: str, at: datetime
) -> Sections:
    """The at-risk list, every contract (the committee's watchlist included), in the page's own
    default order — riskiest score first when the month-end is scored, else largest first — as
    the page's table reads it."""
    from dashboard.views.risk import headers_only

    portal = _portal_of(engine)
    try:
        watch = watchlist(portal)
    finally:
        portal.dispose()
    status = score_status(engine, filters.as_of)
    sort = "score" if status is not None and status.scored_here else "outstanding"
    parts, offset = [], 0
    while True:
        page = _query(
            "at_risk.at_risk",
            engine,
            filters,
            user,
            watchlist=watch,
            sort=sort,
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


def calendar_sections(
    engine: Engine, filters: Filters, user: User, lang: str, at: datetime
) -> Sections:
    """The filing calendar of the last three months and the next one as the filing page shows
    it on the day the pack is made (display zone): the report as a filer names it, period,
    deadline, status."""
    from dashboard.filing.view import catalogue_frame

    today = at.replace(tzinfo=UTC).astimezone(zone()).date()
    portal = _portal_of(engine)
    try:
        entries = filing_calendar(
            portal, REPORTS, today - timedelta(days=92), today + timedelta(days=31), today
        )
    finally:
        portal.dispose()
    return {t("sub.section.calendar", lang): catalogue_frame(entries, lang)}


PACKS: dict[str, Pack] = {
    "executive_weekly": Pack(
        "executive_weekly",
        frozenset({"executive", "risk_committee", "compliance"}),
        executive_sections,
    ),
    "at_risk": Pack("at_risk", frozenset({"risk_committee", "executive"}), at_risk_sections),
    "compliance_calendar": Pack(
        "compliance_calendar", frozenset({"compliance"}), calendar_sections
    ),
}


VIEW_KEYS: frozenset[str] = frozenset({*SEGMENTS, "cohort_from", "cohort_to"})


def check_view(view: str) -> str:
    """A page view's filters in URL form (`product=loan&region=310000`), normalised; ValueError
    for anything the filter sidebar does not read (the month is always the newest)."""
    params = parse_qs(view.strip().lstrip("?"), keep_blank_values=False)
    unknown = sorted(set(params) - VIEW_KEYS)
    if unknown:
        raise ValueError(f"not a filter of the pages: {', '.join(unknown)}")
    return urlencode(sorted((k, v) for k, vs in params.items() for v in vs))


def view_filters(engine: Engine, view: str, as_of: date, scope: tuple[str, ...] | None) -> Filters:
    """The filters of a page view as the sidebar reads them (values not on offer dropped), at
    `as_of`, within the recipient's branch `scope`."""
    from dashboard.data.cached import Choices
    from dashboard.page.sidebar import parse

    months = segments.available_month_ends(engine)["month_end"]
    offer = Choices(tuple(months), {k: tuple(v) for k, v in segments.choices(engine).items()})
    return replace(parse(parse_qs(view), offer, as_of), as_of=as_of, scope=scope)


def render(
    engine: Engine,
    pack: str,
    user: User,
    lang: str,
    as_of: date,
    generated_at: datetime,
    *,
    view: str = "",
) -> list[tuple[str, bytes]]:
    """The pack's .xlsx and PDF for `user` at `as_of` (with a page view's filters): (file name,
    bytes) each."""
    spec = PACKS[pack]
    if not user.roles & spec.roles:
        raise PermissionError(f"{user.username} may not receive the {pack} pack")
    from dashboard.page.sidebar import filters_words

    filters = view_filters(engine, view, as_of, user.branches)
    sections = spec.sections(engine, filters, user, lang, generated_at)
    scope = t("sub.all_branches", lang) if user.branches is None else "、".join(user.branches)
    title = t(f"sub.pack.{pack}", lang)
    meta = {
        t("sub.cover.pack", lang): title,
        t("sub.cover.as_of", lang): f"{as_of:%Y-%m-%d}",
        t("sub.cover.recipient", lang): user.display_name or user.username,
        t("sub.cover.scope", lang): scope,
        t("sub.cover.filters", lang): filters_words(filters, lang),
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
    figures = {}
    if pack == "executive_weekly":
        trend = _query("portfolio.trend", engine, filters, user)
        figures[t("ov.trends", lang)] = rate_chart(trend, lang)
    pdf = dossier_pdf(meta, header, sections, reveal=reveal, text=text, figures=figures)
    stem = f"{pack}-{as_of:%Y-%m}"
    return [(f"{stem}.xlsx", xlsx.data), (f"{stem}.pdf", pdf.data)]
