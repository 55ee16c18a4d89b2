"""风险合同: the open contracts at the as-of month-end that meet any committee watch rule.

One set-based statement flags every open contract of the slice (`Filters`, branch scope included)
with each rule it meets, then keeps the flagged ones. Rules (codes; the page names them):

- `dpd`: DPD > 0 · `class`: class worse than normal · `observation`: in a restructuring
  observation period (all read from `contract_month` at the as-of);
- `signal`: a high-severity warning signal of the contract, or of its lessee with no contract
  named, dated within `watch.signal_days` up to the as-of (both ends counted: (as-of − N, as-of]);
- `iot`: any IoT event of the contract's devices within `watch.iot_days`;
- `inspection_abnormal`: the latest inspection up to the as-of found the asset not `normal`;
- `inspection_overdue`: principal above `watch.inspection_min_asset_value` and no inspection
  (nor the contract's start) within `watch.inspection_interval_days`;
- `promise_broken`: a promise to pay with its promised date within `watch.promise_days` whose
  receipts from the promise's day to the promised date fall short of the promised amount (any
  receipt keeps a promise with no amount);
- `debt_ratio`, `cash_flow`, `revenue_drop`: the lessee's latest statement up to the as-of has
  liabilities above `watch.debt_ratio` × assets, a negative operating cash flow, or revenue more
  than `watch.revenue_drop_share` below the statement twelve months earlier;
- `watchlist`: on the committee's watchlist (ids from the portal store, passed in);
- `score`: the early-warning score the build wrote for the contract at the as-of (`ew_scores`) is
  at or above the cut-off (`early_warning.score_cutoff` as the build recorded it); a month-end the
  build did not score, or a build without an approved model, meets it for no contract.

Every row carries its `score` (NULL: not scored) and top reason `score_reason` (a reason key,
`early_warning.reasons`), and the list sorts by score (riskiest first, unscored last) on request.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.at_risk_rules import DEFAULT_CUTOFF, build_as_of, score_cutoff, watch_params
from queries.execute import fetch_frame
from queries.filters import Filters, is_open, where
from warehouse import schema
from warehouse.marts.watch_rules import (
    BUILD_RULES,
    ONE,
    SOURCE_RULES,
    ZERO,
    WatchParams,
    flag,
    live_flags,
    stored_joined,
    with_score,
)
from warehouse.schema import MONEY_TYPE, at_risk_rows, contract_month

__all__ = [
    "MAX_PAGE",
    "RULES",
    "SORTS",
    "SOURCE_RULES",
    "WatchParams",
    "at_risk",
    "rule_counts",
    "rules_for",
    "score_cutoff",
    "split_counts",
    "watch_params",
]

RULES: tuple[str, ...] = (*BUILD_RULES, "watchlist")
MAX_PAGE = 1000
# The columns of a flagged row before its `f_<rule>` flags.
SHOWN: tuple[str, ...] = (
    "contract_id",
    "lessee_id",
    "lessee_type",
    "product",
    "branch",
    "outstanding_principal",
    "overdue_principal",
    "dpd",
    "risk_class",
    "class_reason",
)


def flagged_statement(
    filters: Filters,
    params: WatchParams,
    watchlist: tuple[str, ...] = (),
    only: str | None = None,
    stored: bool = False,
    cutoff: Decimal = DEFAULT_CUTOFF,
    met_only: bool = False,
    extra: tuple[sa.ColumnElement[bool], ...] = (),
) -> sa.Subquery:
    """Every open contract of the slice at the as-of (or just contract `only`) with its score,
    its top reason and one 0/1 column `f_<rule>` per rule; `stored` reads the source-table rules
    from `contract_watch` (right only for the build's as-of and watch settings: see
    `stored_flags_apply`); `cutoff` is the score rule's. `met_only` (with `stored`) keeps only
    the contracts meeting a rule (live, the source rules are IN lists, and an OR of IN lists is
    what PostgreSQL plans worst); `extra` restricts the contract-months further."""
    cm = contract_month
    joined, source = stored_joined(cm) if stored else live_flags(cm, filters.as_of, params, only)
    joined, conditions, ew = with_score(joined, cm, source, cutoff)
    listed = [cm.c.contract_id.in_(watchlist)] if watchlist else []
    flags = {**conditions, "watchlist": listed[0] if listed else sa.false()}
    clauses = [*extra] if only is None else [cm.c.contract_id == only, *extra]
    if met_only and stored:
        clauses.append(sa.or_(*conditions.values(), *listed))
    return (
        sa.select(
            *(cm.c[c] for c in SHOWN),
            ew.c.score,
            ew.c.reason_1.label("score_reason"),
            *(flag(c).label(f"f_{r}") for r, c in flags.items()),
        )
        .select_from(joined)
        .where(cm.c.month_end == filters.as_of, is_open(cm), *where(filters, cm), *clauses)
        .subquery("flagged")
    )


def rows_statement(
    filters: Filters, params: WatchParams, watchlist: tuple[str, ...], cutoff: Decimal
) -> sa.Subquery:
    """The flagged rows of `flagged_statement(..., stored=True, met_only=True)` from the build's
    `at_risk_rows` (right only for the build's as-of, watch settings and score cut-off: see
    `_list_route`), plus the watchlist's contracts the build did not flag, looked up by id."""
    r = at_risk_rows
    listed = r.c.contract_id.in_(watchlist) if watchlist else sa.false()
    stored = sa.select(
        *(r.c[c] for c in SHOWN),
        r.c.score,
        r.c.score_reason,
        *(r.c[f"f_{rule}"] for rule in BUILD_RULES),
        flag(listed).label("f_watchlist"),
    ).where(*where(filters, r))
    if not watchlist:
        return stored.subquery("flagged")
    cm = contract_month
    unflagged = ~sa.exists().where(r.c.contract_id == cm.c.contract_id)
    extra = (cm.c.contract_id.in_(watchlist), unflagged)
    rest = flagged_statement(filters, params, watchlist, stored=True, cutoff=cutoff, extra=extra)
    return sa.union_all(stored, rest.element).subquery("flagged")


def _flagged(
    filters: Filters,
    params: WatchParams,
    watchlist: tuple[str, ...],
    stored: bool,
    cutoff: Decimal,
    rows: bool,
) -> sa.Subquery:
    """The flagged contracts of the list and its counts: the build's rows, or flagged here."""
    if rows:
        return rows_statement(filters, params, watchlist, cutoff)
    return flagged_statement(
        filters, params, watchlist, stored=stored, cutoff=cutoff, met_only=True
    )


def stored_flags_apply(
    engine: Engine, filters: Filters, params: WatchParams, built: WatchParams | None = None
) -> bool:
    """Whether `contract_watch` answers for this slice: the build's as-of and watch settings
    (`built`: the build's settings when the caller has already read them)."""
    built = built or watch_params(engine)
    return filters.as_of == build_as_of(engine) and params == built


def _settings_and_route(
    engine: Engine, filters: Filters, params: WatchParams | None
) -> tuple[WatchParams, bool]:
    """The settings to apply (the build's unless given) and whether the stored flags answer."""
    built = watch_params(engine)
    chosen = params or built
    return chosen, stored_flags_apply(engine, filters, chosen, built)


def _list_route(
    engine: Engine, filters: Filters, params: WatchParams | None, cutoff: Decimal | None
) -> tuple[WatchParams, bool, Decimal, bool]:
    """Settings, whether the stored flags answer, the score cut-off (the build's unless given)
    and whether `at_risk_rows` answers (the stored flags do and the cut-off is the build's)."""
    params, stored = _settings_and_route(engine, filters, params)
    built = score_cutoff(engine)
    cut = built if cutoff is None else cutoff
    return params, stored, cut, stored and cut == built


def _codes(f: sa.Subquery) -> sa.ColumnElement[str]:
    """The rules met as comma-separated codes, in `RULES` order."""
    parts = (sa.case((f.c[f"f_{r}"] == ONE, f"{r},"), else_="") for r in RULES)
    return sa.func.rtrim(sa.func.concat(*parts), ",")


def _met(f: sa.Subquery) -> sa.ColumnElement[int]:
    return sum((f.c[f"f_{r}"] for r in RULES), ZERO)


SORTS: dict[str, tuple[str, ...]] = {
    "score": ("score DESC NULLS LAST", "outstanding_principal DESC", "contract_id"),
    "outstanding": ("outstanding_principal DESC", "contract_id"),
    "dpd": ("dpd DESC", "outstanding_principal DESC", "contract_id"),
    "rules": ("rules_met DESC", "outstanding_principal DESC", "contract_id"),
    "class": ("class_rank DESC", "outstanding_principal DESC", "contract_id"),
    "contract": ("contract_id",),
}
COUNT_COLUMNS: tuple[str, ...] = tuple(
    f"{kind}_{r}" for r in (*RULES, "any") for kind in ("n", "o")
)


def _order(rows: sa.Subquery, sort: str) -> list[sa.ColumnElement]:
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {sorted(SORTS)}")
    order = []
    for item in SORTS[sort]:
        name, *words = item.split(" ")
        column = rows.c[name].desc() if "DESC" in words else rows.c[name].asc()
        order.append(column.nulls_last() if "NULLS" in words else column)
    return order


def _counts(f: sa.Subquery, over: bool) -> list[sa.ColumnElement]:
    """n_<rule> contracts and o_<rule> outstanding per rule and for any rule (`over`: windows
    over the at-risk rows, else aggregates)."""

    def total(expr: sa.ColumnElement) -> sa.ColumnElement:
        summed = sa.func.sum(expr).over() if over else sa.func.sum(expr)
        return sa.func.coalesce(summed, ZERO)

    columns = []
    anything = _met(f) > ZERO
    for r in (*RULES, "any"):
        met = anything if r == "any" else f.c[f"f_{r}"] == ONE
        columns.append(total(sa.case((met, ONE), else_=ZERO)).label(f"n_{r}"))
        money = total(sa.case((met, f.c.outstanding_principal), else_=ZERO))
        columns.append(sa.cast(money, MONEY_TYPE).label(f"o_{r}"))
    return columns


def at_risk_statement(
    filters: Filters,
    params: WatchParams,
    watchlist: tuple[str, ...] = (),
    rules: tuple[str, ...] = (),
    sort: str = "outstanding",
    limit: int = 100,
    offset: int = 0,
    stored: bool = False,
    cutoff: Decimal = DEFAULT_CUTOFF,
    from_rows: bool = False,
) -> sa.Select:
    """One page of at-risk contracts meeting any of `rules` (all rules when empty), each row
    carrying `total_rows` and the counts per rule of the whole at-risk list (`COUNT_COLUMNS`);
    `from_rows` reads the build's `at_risk_rows` (see `rows_statement`)."""
    unknown = set(rules) - set(RULES)
    if unknown:
        raise ValueError(f"unknown watch rules {sorted(unknown)}")
    # A CTE: the list and the counts read the one flagging (materialised by both engines).
    f = _flagged(filters, params, watchlist, stored, cutoff, from_rows).element.cte("flagged")
    rank = sa.case(*((f.c.risk_class == c, i) for c, i in schema.RISK_CLASS_RANK.items()))
    # Any of the chosen rules (so at least one); every row flagged from the build's flags or
    # rows meets a rule already, so with no rule chosen there is nothing to filter there.
    chosen = (
        [] if not rules and stored else [sa.or_(*(f.c[f"f_{r}"] == ONE for r in rules or RULES))]
    )
    rows = (
        sa.select(
            *(col for col in f.c if not col.key.startswith("f_")),
            *(col for col in f.c if col.key.startswith("f_")),
            _met(f).label("rules_met"),
            rank.label("class_rank"),
        )
        .where(*chosen)
        .subquery("chosen")
    )
    page = (
        sa.select(rows)
        .order_by(*_order(rows, sort))
        .limit(min(max(limit, 1), MAX_PAGE))
        .offset(max(offset, 0))
        .subquery("page")
    )
    # Aggregates, not window sums over every listed row: one row each, joined to the page.
    counts = sa.select(*_counts(f, over=False)).subquery("counts")
    total = sa.select(sa.func.count().label("total_rows")).select_from(rows).subquery("total")
    # The lessee's name is read for the page's rows only, never for the whole book.
    les = schema.lessees
    # The rule codes are spelled for the page's rows only: string work on every at-risk row of
    # a large book costs more than the rest of the list.
    kept: list[sa.ColumnElement] = []
    for c in page.c:
        if c.key == "rules_met":
            kept.append(_codes(page).label("rules"))
        if c.key != "class_rank" and not c.key.startswith("f_"):
            kept.append(c)
    return (
        sa.select(*kept[:2], les.c.name.label("lessee_name"), *kept[2:], counts, total)
        .select_from(
            page.join(les, les.c.lessee_id == page.c.lessee_id)
            .join(counts, sa.true())
            .join(total, sa.true())
        )
        .order_by(*_order(page, sort))
    )


def at_risk(
    engine: Engine,
    filters: Filters,
    watchlist: tuple[str, ...] = (),
    rules: tuple[str, ...] = (),
    sort: str = "outstanding",
    limit: int = 100,
    offset: int = 0,
    params: WatchParams | None = None,
    cutoff: Decimal | None = None,
) -> pd.DataFrame:
    """One page of at-risk contracts with `rules` (comma-separated codes), `rules_met`, the
    score and its top reason, `total_rows` and the list's counts per rule (`COUNT_COLUMNS`;
    see `split_counts`); `cutoff` defaults to the build's."""
    params, stored, cut, rows = _list_route(engine, filters, params, cutoff)
    stmt = at_risk_statement(
        filters, params, watchlist, rules, sort, limit, offset, stored, cut, rows
    )
    return fetch_frame(engine, stmt)


def counts_frame(wide: pd.Series) -> pd.DataFrame:
    """Counts per rule (then `any`) from one row holding `COUNT_COLUMNS`."""
    return pd.DataFrame(
        [
            {"rule": r, "contracts": int(wide[f"n_{r}"]), "outstanding": wide[f"o_{r}"]}
            for r in (*RULES, "any")
        ]
    )


def split_counts(page: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A page of `at_risk` as (rows without the count columns, counts per rule or None)."""
    rows = page.drop(columns=[c for c in COUNT_COLUMNS if c in page.columns])
    return rows, (counts_frame(page.iloc[0]) if len(page) else None)


def rule_counts_statement(
    filters: Filters,
    params: WatchParams,
    watchlist: tuple[str, ...] = (),
    stored: bool = False,
    cutoff: Decimal = DEFAULT_CUTOFF,
    from_rows: bool = False,
) -> sa.Select:
    """One row: per rule the contracts meeting it and their outstanding; `any` for the list."""
    f = _flagged(filters, params, watchlist, stored, cutoff, from_rows)
    return sa.select(*_counts(f, over=False))


def rule_counts(
    engine: Engine,
    filters: Filters,
    watchlist: tuple[str, ...] = (),
    params: WatchParams | None = None,
    cutoff: Decimal | None = None,
) -> pd.DataFrame:
    """Per rule (then `any`): contracts meeting it and their outstanding principal (yuan)."""
    params, stored, cut, rows = _list_route(engine, filters, params, cutoff)
    stmt = rule_counts_statement(filters, params, watchlist, stored, cut, rows)
    return counts_frame(fetch_frame(engine, stmt).iloc[0])


def rules_for(
    engine: Engine,
    filters: Filters,
    contract_id: str,
    watchlist: tuple[str, ...] = (),
    params: WatchParams | None = None,
    cutoff: Decimal | None = None,
) -> pd.DataFrame:
    """The rules one contract meets at the as-of (one row, `rules`; none when not open there);
    the build's flags answer for its as-of and settings, as for the list."""
    params, stored = _settings_and_route(engine, filters, params)
    cut = score_cutoff(engine) if cutoff is None else cutoff
    f = flagged_statement(filters, params, watchlist, only=contract_id, stored=stored, cutoff=cut)
    return fetch_frame(engine, sa.select(f.c.contract_id, _codes(f).label("rules")))
