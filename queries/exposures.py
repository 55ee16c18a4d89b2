"""Concentration against the docs/domain.md §8 limits: top lessees, groups and related parties.

Exposure = outstanding principal at the as-of of rows not written off (balance basis). The base
is net assets at the as-of month-end for 融资租赁公司 (`financing_lease`) and capital net at the
previous quarter end — the last quarter-end month-end strictly before the as-of month — for
金融租赁公司 (`financial_lease`), both from `company_financials`. Limits are regulatory and
entity-wide, so only the as-of of the filters applies here, never the segment filters; the
user's branch scope does apply (a scoped user sees only exposure booked in their branches, an
empty scope nothing). A ratio with no base (missing or zero) is None and so is its breach flag.

Unscoped, the rows come from `concentration_month`, where the build ranked every month-end's
exposures (the largest `CONCENTRATION_KEPT` per kind, ties by key, as the live query orders
them); a branch scope or a longer list reads `contract_month` at the as-of.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries import measures, tiers
from queries.execute import fetch_frame, fetch_one, table_exists
from queries.filters import Filters, scope_clause, where
from queries.overdue import LIST_COLUMNS
from warehouse.months import month_end_of
from warehouse.schema import (
    CONCENTRATION_KEPT,
    SOURCE_TABLES,
    concentration_month,
    contract_month,
    lessees,
    loads,
)

company_financials = SOURCE_TABLES["company_financials"]


@dataclass(frozen=True)
class Limit:
    """One concentration limit: exposure of `kind` ÷ base must stay at or below `maximum`."""

    code: str
    kind: str  # lessee | group | related_party | related_parties_total
    maximum: Decimal
    source: str


_COMMON = (
    Limit("single_lessee", "lessee", Decimal("0.30"), "docs/domain.md §8 single lessee ≤ 30%"),
    Limit("single_group", "group", Decimal("0.50"), "docs/domain.md §8 single group ≤ 50%"),
    Limit("single_related_party", "related_party", Decimal("0.30"), "docs/domain.md §8 ≤ 30%"),
    Limit(
        "all_related_parties", "related_parties_total", Decimal("0.50"), "docs/domain.md §8 ≤ 50%"
    ),
)
# Registry keyed by entity type: the base column and the limits in force.
LIMITS: dict[str, tuple[str, tuple[Limit, ...]]] = {
    "financing_lease": ("net_assets", _COMMON),
    "financial_lease": ("capital_net", _COMMON),
    "lender": ("net_assets", ()),
}
KINDS = ("lessee", "group", "related_party", "related_parties_total")
COLUMNS = ("kind", "key", "name", "lessees", "outstanding", "base", "ratio", "limit", "breach")


def entity_type(engine: Engine) -> str | None:
    """The entity type of the newest load (None when nothing is loaded)."""
    if not table_exists(engine, loads.name):
        return None
    row = fetch_one(
        engine, sa.select(loads.c.entity_type).order_by(loads.c.load_id.desc()).limit(1)
    )
    return None if row is None else str(row["entity_type"])


def base_month(as_of_idx: int, entity: str) -> int:
    """month_idx of the company_financials month the base is read from."""
    return as_of_idx - as_of_idx % 3 - 1 if entity == "financial_lease" else as_of_idx


def base(engine: Engine, filters: Filters, entity: str) -> Decimal | None:
    """Net assets or capital net (per the registry) for the as-of; None when not reported."""
    column, _ = LIMITS[entity]
    month = month_end_of(base_month(filters.as_of_idx, entity))
    cf = company_financials
    row = fetch_one(engine, sa.select(cf.c[column].label("base")).where(cf.c.month_end == month))
    return None if row is None or row["base"] is None else Decimal(row["base"])


def _by_lessee(filters: Filters) -> sa.CTE:
    """Exposure per lessee at the as-of with the lessee's group, related flag and name."""
    cm = contract_month
    scoped = scope_clause(filters.scope, cm)
    conds = [cm.c.month_end == filters.as_of, sa.not_(cm.c.written_off)]
    exp = (
        sa.select(cm.c.lessee_id, measures.total(cm.c.outstanding_principal, "outstanding"))
        .where(*conds, *([] if scoped is None else [scoped]))
        .group_by(cm.c.lessee_id)
        .having(sa.func.sum(cm.c.outstanding_principal) > 0)
        .subquery("exp")
    )
    corporate_name = sa.case((lessees.c.lessee_type == "corporate", lessees.c.name), else_=None)
    return (
        sa.select(
            exp.c.lessee_id,
            exp.c.outstanding,
            lessees.c.group_id,
            lessees.c.related_party,
            corporate_name.label("name"),
        )
        .select_from(exp.join(lessees, lessees.c.lessee_id == exp.c.lessee_id))
        .cte("lessee_exposure")
    )


def _top(kind: str, x: sa.CTE, top: int, *conds: sa.ColumnElement[bool]) -> sa.Subquery:
    return (
        sa.select(
            sa.literal(kind).label("kind"),
            x.c.lessee_id.label("key"),
            x.c.name,
            sa.literal(1).label("lessees"),
            x.c.outstanding,
        )
        .where(*conds)
        .order_by(x.c.outstanding.desc(), x.c.lessee_id)
        .limit(top)
        .subquery()
    )


def _statement(x: sa.CTE, top: int) -> sa.CompoundSelect:
    """Top lessees, groups, related parties and the related-party total, in one statement."""
    groups = (
        sa.select(
            sa.literal("group").label("kind"),
            x.c.group_id.label("key"),
            sa.null().label("name"),
            sa.func.count().label("lessees"),
            sa.func.sum(x.c.outstanding).label("outstanding"),
        )
        .where(x.c.group_id.is_not(None))
        .group_by(x.c.group_id)
        .order_by(sa.func.sum(x.c.outstanding).desc(), x.c.group_id)
        .limit(top)
        .subquery()
    )
    related_total = sa.select(
        sa.literal("related_parties_total").label("kind"),
        sa.null().label("key"),
        sa.null().label("name"),
        sa.func.count().label("lessees"),
        sa.func.sum(x.c.outstanding).label("outstanding"),
    ).where(x.c.related_party)
    parts = [_top("lessee", x, top), groups, _top("related_party", x, top, x.c.related_party)]
    return sa.union_all(*(sa.select(*p.c) for p in parts), related_total)


def _ranked(filters: Filters, top: int) -> sa.Select | sa.CompoundSelect:
    """The statement giving the concentration rows: the build's ranking when it holds them."""
    if tiers.USE_SUMMARIES and filters.scope is None and top <= CONCENTRATION_KEPT:
        c = concentration_month
        return (
            sa.select(c.c.kind, c.c.key, c.c.name, c.c.lessees, c.c.outstanding)
            .where(c.c.month_idx == filters.as_of_idx, c.c.place <= top)
            .order_by(c.c.kind, c.c.place)
        )
    return _statement(_by_lessee(filters), top)


def group_names(engine: Engine, ids: Iterable[object]) -> dict[str, str]:
    """Group id -> its name, from the extract's optional `lessees.group_name` (the smallest
    non-empty name a group's lessees carry); groups without one are left out, and so is every
    group of a warehouse loaded before the column existed."""
    wanted = sorted({i for i in ids if isinstance(i, str) and i})
    if not wanted:
        return {}
    # The columns the table has (no rows read; DuckDB's dialect cannot inspect columns).
    probe = sa.select(sa.text("*")).select_from(sa.table(lessees.name)).limit(0)
    with engine.connect() as conn:
        columns = set(conn.execute(probe).keys())
    if "group_name" not in columns:
        return {}
    les = lessees
    stmt = (
        sa.select(les.c.group_id, sa.func.min(les.c.group_name).label("group_name"))
        .where(les.c.group_id.in_(wanted), les.c.group_name.is_not(None))
        .group_by(les.c.group_id)
    )
    frame = fetch_frame(engine, stmt)
    return dict(zip(frame["group_id"], frame["group_name"], strict=True))


def with_group_names(engine: Engine, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with a `group_name` column beside its `group_id` (None where unnamed)."""
    names = group_names(engine, frame["group_id"]) if "group_id" in frame else {}
    out = frame.copy()
    at = list(out.columns).index("group_id") + 1 if "group_id" in out else len(out.columns)
    values = [names.get(g) for g in out["group_id"]] if "group_id" in out else [None] * len(out)
    out.insert(at, "group_name", pd.Series(values, index=out.index, dtype=object))
    return out


def concentration(
    engine: Engine, filters: Filters, top: int = 10, entity: str | None = None
) -> pd.DataFrame:
    """Top `top` lessees, groups and related parties (+ related-party total) vs their limits.

    Columns: kind, key, name (corporate lessees only, individuals' names being personal data;
    a group's name from the extract's optional `group_name`),
    lessees, outstanding, base, ratio, limit, breach. `entity` defaults to the newest load's.
    """
    entity = entity or entity_type(engine) or "financing_lease"
    if entity not in LIMITS:
        raise ValueError(f"unknown entity type {entity!r}")
    frame = fetch_frame(engine, _ranked(filters, top)).astype(object)
    frame = frame[frame["lessees"] > 0]
    order = {kind: n for n, kind in enumerate(KINDS)}
    frame = frame.assign(
        _k=[order[k] for k in frame["kind"]], _o=[-v for v in frame["outstanding"]]
    )
    frame = frame.sort_values(["_k", "_o"], kind="stable").drop(columns=["_k", "_o"])
    frame = frame.reset_index(drop=True)
    kinds = list(frame["kind"])
    keys = [None if pd.isna(k) else k for k in frame["key"]]
    groups = group_names(
        engine, [k for kind, k in zip(kinds, keys, strict=True) if kind == "group"]
    )
    names = [
        n
        if kind in {"lessee", "related_party"} and not pd.isna(n)
        else groups.get(key)
        if kind == "group"
        else None
        for kind, key, n in zip(kinds, keys, frame["name"], strict=True)
    ]
    frame["key"] = pd.Series(keys, index=frame.index, dtype=object)
    frame["name"] = pd.Series(names, index=frame.index, dtype=object)
    the_base = base(engine, filters, entity)
    limits = {lim.kind: lim.maximum for lim in LIMITS[entity][1]}
    frame["base"] = pd.Series([the_base] * len(frame), index=frame.index, dtype=object)
    frame["ratio"] = [measures.ratio(v, the_base) for v in frame["outstanding"]]
    frame["limit"] = [limits.get(k) for k in frame["kind"]]
    frame["breach"] = [
        None if r is None or lim is None else r > lim
        for r, lim in zip(frame["ratio"], frame["limit"], strict=True)
    ]
    return frame.astype(object)[list(COLUMNS)]


def limits_table(entity: str) -> pd.DataFrame:
    """The registry for one entity type: code, kind, maximum, base column, source."""
    column, limits = LIMITS[entity]
    rows = [
        {"code": x.code, "kind": x.kind, "maximum": x.maximum, "base": column, "source": x.source}
        for x in limits
    ]
    return pd.DataFrame(rows, columns=["code", "kind", "maximum", "base", "source"], dtype=object)


def _exposure_lessees(kind: str, key: str | None) -> sa.ColumnElement[bool]:
    """The `contract_month` rows of the lessees behind one concentration row."""
    cm = contract_month
    if kind in {"lessee", "related_party"} and key:
        mine = cm.c.lessee_id == key
        if kind == "lessee":
            return mine
        related = sa.select(lessees.c.lessee_id).where(lessees.c.related_party)
        return sa.and_(mine, cm.c.lessee_id.in_(related))
    if kind == "group" and key:
        return cm.c.lessee_id.in_(sa.select(lessees.c.lessee_id).where(lessees.c.group_id == key))
    if kind == "related_parties_total":
        return cm.c.lessee_id.in_(sa.select(lessees.c.lessee_id).where(lessees.c.related_party))
    raise ValueError(f"unknown exposure {kind!r} {key!r}")


def exposure_contracts(
    engine: Engine,
    filters: Filters,
    kind: str,
    key: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> pd.DataFrame:
    """The contracts behind one bar of the concentration chart: the as-of rows, not written off
    and with principal outstanding, of the lessee (`kind` lessee or related_party, `key` its id),
    of every lessee of the group (`group`, `key` the group id) or of every related party
    (`related_parties_total`), so their outstanding sums to the exposure. The user's branch
    scope applies, and so do any segment filters the link carries (the concentration page's
    links carry none: limits are entity-wide). Largest first, one page; `total_rows` counts
    before paging; each row names its lessee's group (`group_id`, `group_name`)."""
    cm = contract_month
    conds = [
        cm.c.month_end == filters.as_of,
        sa.not_(cm.c.written_off),
        cm.c.outstanding_principal > 0,
        _exposure_lessees(kind, key),
        *where(filters, cm),
    ]
    group = (
        sa.select(lessees.c.group_id)
        .where(lessees.c.lessee_id == cm.c.lessee_id)
        .scalar_subquery()
        .label("group_id")
    )
    stmt = (
        sa.select(
            *(cm.c[c] for c in LIST_COLUMNS), group, sa.func.count().over().label("total_rows")
        )
        .where(*conds)
        .order_by(cm.c.outstanding_principal.desc(), cm.c.contract_id)
        .limit(min(max(limit, 1), 1000))
        .offset(max(offset, 0))
    )
    return with_group_names(engine, fetch_frame(engine, stmt))
