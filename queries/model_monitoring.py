"""模型监控: how the early-warning score in force performs, month-end by month-end.

Every statement reads `ew_scores` (one row per performing contract per scored month-end) for one
model version and month-ends up to the filters' as-of, and labels each row with its outcome from
`contract_month`: 1 when the contract is over 90 DPD or written off at one of the next 6
month-ends, 0 when it is not and the 6th month-end is on or before the as-of, NULL when that
month-end is after it (the outcome is not yet known) — the target of
`warehouse.marts.ew_features`. Everything is aggregated in the database: a page receives one row
per month-end (per decile, per bin), never the book. AUC is the Mann–Whitney statistic from the
average ranks of the scores (ties count one half), KS the largest gap between the cumulative
shares of defaults and non-defaults over the scores, riskiest first: the definitions of
`early_warning.metrics`. The figures are on the whole book: with a branch scope they are empty
(a model is judged on every contract it scores, not on a branch's).

`performance` and `calibration` read the figures the build stored with these statements at its
own as-of (`ew_performance_months`, `ew_calibration_months`, filled by `store_figures`): a known
outcome does not depend on the as-of (its bad month-ends are all on or before it), so at an
earlier as-of they show the stored month-ends up to it with the outcome blanked where it was not
yet known, exactly what the statements give there; `score_bins` reads `ew_score_bins`, counted
by the build at the card's score edges. A warehouse built before those tables (or without
figures for the version, or bins at other edges) is read with the statements.
"""

from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from queries.execute import fetch_frame, table_exists
from queries.filters import Filters
from warehouse import schema
from warehouse.marts import ew_scores
from warehouse.marts.ew_features import DEFAULT_DPD, HORIZON, feature_statement

ONE, ZERO = sa.literal_column("1"), sa.literal_column("0")

PERFORMANCE_COLUMNS: tuple[str, ...] = (
    "month_end",
    "rows",
    "predicted",
    "outcome_known",
    "defaults",
    "observed",
    "auc",
    "ks",
    "brier",
)


def _f(expr: sa.ColumnElement) -> sa.ColumnElement[float]:
    return sa.cast(expr, sa.Double)


def _empty(columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})


def _scores(filters: Filters, version: str) -> sa.Select:
    s = schema.ew_scores
    return sa.select(s).where(s.c.model_version == version, s.c.month_idx <= filters.as_of_idx)


def labelled(filters: Filters, version: str) -> sa.CTE:
    """Each scored row of `version` up to the as-of with `y`: 1 / 0 / NULL (not yet known)."""
    s = _scores(filters, version).subquery("mm_scores")
    cm = schema.contract_month
    bad = (
        sa.select(cm.c.contract_id, cm.c.month_idx)
        .where(
            sa.or_(cm.c.dpd > DEFAULT_DPD, cm.c.written_off), cm.c.month_idx <= filters.as_of_idx
        )
        .subquery("mm_bad")
    )
    on = sa.and_(
        bad.c.contract_id == s.c.contract_id,
        bad.c.month_idx > s.c.month_idx,
        bad.c.month_idx <= s.c.month_idx + HORIZON,
    )
    went_bad = sa.func.max(sa.case((bad.c.contract_id.is_not(None), ONE), else_=ZERO))
    y = sa.case(
        (s.c.month_idx + HORIZON <= filters.as_of_idx, went_bad),
        else_=sa.null(),
    )
    return (
        sa.select(
            s.c.contract_id,
            s.c.month_idx,
            s.c.month_end,
            s.c.score,
            s.c.score_decile,
            y.label("y"),
        )
        .select_from(s.outerjoin(bad, on))
        .group_by(s.c.contract_id, s.c.month_idx, s.c.month_end, s.c.score, s.c.score_decile)
        .cte("mm_labelled")
    )


def performance_statement(filters: Filters, version: str) -> sa.Select:
    """Per scored month-end: rows, mean score, whether the outcome is known, and with a known
    outcome the defaults, the sum of the defaults' average ranks, Brier and KS."""
    lab = labelled(filters, version)
    month = lab.c.month_idx
    known = sa.select(lab).where(lab.c.y.is_not(None)).subquery("mm_known")
    avg_rank = (
        _f(sa.func.rank().over(partition_by=known.c.month_idx, order_by=known.c.score))
        + (_f(sa.func.count().over(partition_by=(known.c.month_idx, known.c.score))) - 1.0) / 2.0
    )
    ranked = sa.select(
        known.c.month_idx, known.c.score, known.c.y, avg_rank.label("avg_rank")
    ).subquery("mm_ranked")
    discrimination = (
        sa.select(
            ranked.c.month_idx,
            sa.func.count().label("n"),
            sa.func.sum(ranked.c.y).label("n1"),
            sa.func.sum(sa.case((ranked.c.y == 1, ranked.c.avg_rank), else_=0.0)).label("rank_sum"),
            sa.func.avg((ranked.c.score - ranked.c.y) * (ranked.c.score - ranked.c.y)).label(
                "brier"
            ),
        )
        .group_by(ranked.c.month_idx)
        .subquery("mm_disc")
    )
    by_score = (
        sa.select(
            known.c.month_idx,
            known.c.score,
            _f(sa.func.sum(known.c.y)).label("bad"),
            _f(sa.func.count() - sa.func.sum(known.c.y)).label("good"),
        )
        .group_by(known.c.month_idx, known.c.score)
        .subquery("mm_by_score")
    )
    riskiest_first = {
        "partition_by": by_score.c.month_idx,
        "order_by": by_score.c.score.desc(),
        "rows": (None, 0),
    }
    whole = {"partition_by": by_score.c.month_idx}
    gap = sa.func.abs(
        sa.func.sum(by_score.c.bad).over(**riskiest_first)
        / sa.func.nullif(sa.func.sum(by_score.c.bad).over(**whole), 0.0)
        - sa.func.sum(by_score.c.good).over(**riskiest_first)
        / sa.func.nullif(sa.func.sum(by_score.c.good).over(**whole), 0.0)
    )
    gaps = sa.select(by_score.c.month_idx, gap.label("gap")).subquery("mm_gaps")
    ks = (
        sa.select(gaps.c.month_idx, sa.func.max(gaps.c.gap).label("ks"))
        .group_by(gaps.c.month_idx)
        .subquery("mm_ks")
    )
    months = (
        sa.select(
            month,
            lab.c.month_end,
            sa.func.count().label("rows"),
            sa.func.avg(lab.c.score).label("predicted"),
        )
        .group_by(month, lab.c.month_end)
        .subquery("mm_months")
    )
    return (
        sa.select(
            months.c.month_idx,
            months.c.month_end,
            months.c.rows,
            months.c.predicted,
            discrimination.c.n,
            discrimination.c.n1,
            discrimination.c.rank_sum,
            discrimination.c.brier,
            ks.c.ks,
        )
        .select_from(
            months.outerjoin(
                discrimination, discrimination.c.month_idx == months.c.month_idx
            ).outerjoin(ks, ks.c.month_idx == months.c.month_idx)
        )
        .order_by(months.c.month_idx)
    )


def _auc(n: object, n1: object, rank_sum: object) -> float | None:
    """Mann–Whitney AUC from the count, the defaults and the sum of their average ranks."""
    if n is None or pd.isna(n):
        return None
    total, bad = int(n), int(n1)
    good = total - bad
    if bad == 0 or good == 0:
        return None
    return (float(rank_sum) - bad * (bad + 1) / 2) / (bad * good)


def performance(engine: Engine, filters: Filters, *, version: str) -> pd.DataFrame:
    """One row per month-end `version` scored, up to the as-of: rows, mean predicted probability,
    whether the 6-month outcome is known, and with it defaults, observed rate, AUC, KS, Brier
    (AUC and KS empty without both defaults and non-defaults)."""
    if filters.scope is not None:
        return _empty(PERFORMANCE_COLUMNS)
    raw = _stored(
        engine,
        filters,
        version,
        schema.ew_performance_months,
        ("n", "n1", "rank_sum", "brier", "ks"),
    )
    if raw is None:
        raw = fetch_frame(engine, performance_statement(filters, version))
    if raw.empty:
        return _empty(PERFORMANCE_COLUMNS)
    known = raw["n"].notna()
    out = pd.DataFrame(
        {
            "month_end": raw["month_end"],
            "rows": raw["rows"].astype(int),
            "predicted": raw["predicted"].astype(float),
            "outcome_known": known,
            "defaults": pd.Series(
                [int(v) if k else None for v, k in zip(raw["n1"], known, strict=True)],
                dtype=object,
            ),
        }
    )
    out["observed"] = [
        int(d) / int(n) if k else None
        for d, n, k in zip(raw["n1"].fillna(0), raw["n"].fillna(0), known, strict=True)
    ]
    auc = [_auc(n, d, r) for n, d, r in zip(raw["n"], raw["n1"], raw["rank_sum"], strict=True)]
    out["auc"] = auc
    # From the list, not the column: a column of floats and None holds NaN, which is not None.
    has_both = [a is not None for a in auc]
    out["ks"] = [float(v) if b else None for v, b in zip(raw["ks"], has_both, strict=True)]
    out["brier"] = [float(v) if k else None for v, k in zip(raw["brier"], known, strict=True)]
    return out.astype(object).where(out.notna(), None)


CALIBRATION_COLUMNS: tuple[str, ...] = (
    "month_end",
    "score_decile",
    "rows",
    "predicted",
    "defaults",
    "observed",
)


def calibration_statement(filters: Filters, version: str) -> sa.Select:
    """Per scored month-end and score decile: rows, mean score, and with a known outcome the
    defaults and the observed rate (NULL when the outcome is not yet known)."""
    lab = labelled(filters, version)
    defaults = sa.func.sum(lab.c.y)
    return (
        sa.select(
            lab.c.month_idx,
            lab.c.month_end,
            lab.c.score_decile,
            sa.func.count().label("rows"),
            sa.func.avg(lab.c.score).label("predicted"),
            defaults.label("defaults"),
            (_f(defaults) / sa.func.nullif(_f(sa.func.count(lab.c.y)), 0.0)).label("observed"),
        )
        .group_by(lab.c.month_idx, lab.c.month_end, lab.c.score_decile)
        .order_by(lab.c.month_idx, lab.c.score_decile)
    )


def calibration(engine: Engine, filters: Filters, *, version: str) -> pd.DataFrame:
    """Per scored month-end and score decile (1 = riskiest tenth): rows, mean predicted
    probability, and with a known outcome the defaults and the observed rate."""
    if filters.scope is not None:
        return _empty(CALIBRATION_COLUMNS)
    frame = _stored(
        engine, filters, version, schema.ew_calibration_months, ("defaults", "observed")
    )
    if frame is None:
        frame = fetch_frame(engine, calibration_statement(filters, version))
    if frame.empty:
        return _empty(CALIBRATION_COLUMNS)
    frame = frame[list(CALIBRATION_COLUMNS)].copy()
    frame["rows"] = frame["rows"].astype(int)
    frame["score_decile"] = frame["score_decile"].astype(int)
    frame["predicted"] = frame["predicted"].astype(float)
    return frame.astype(object).where(frame.notna(), None)


FIGURE_TABLES: tuple[sa.Table, ...] = ew_scores.FIGURE_TABLES


def store_figures(
    filters: Filters, version: str, score_edges: tuple[float, ...] | None = None
) -> list[sa.Insert]:
    """The statements that fill `ew_performance_months` and `ew_calibration_months` (and, with
    the card's `score_edges`, `ew_score_bins`) with `version`'s figures at the filters' as-of
    (the build's), in the database: the rows of the page's statements as they are."""
    parts: list[tuple[sa.Table, sa.Select, dict[str, str]]] = [
        (schema.ew_performance_months, performance_statement(filters, version), {}),
        (schema.ew_calibration_months, calibration_statement(filters, version), {}),
    ]
    if score_edges is not None:
        stmt = score_bins_statement(filters, version, score_edges)
        parts.append((schema.ew_score_bins, stmt, {"edges": edges_key(score_edges)}))
    out = []
    for table, stmt, constants in parts:
        sub = stmt.subquery("mm_figures")
        fixed = {"model_version": version, **constants}
        names = [c.name for c in table.columns]
        rows = sa.select(
            *(sa.literal(fixed[n], sa.String).label(n) if n in fixed else sub.c[n] for n in names)
        )
        out.append(table.insert().from_select(names, rows))
    return out


def _stored(
    engine: Engine,
    filters: Filters,
    version: str,
    table: sa.Table,
    outcome: tuple[str, ...],
    where: tuple[sa.ColumnElement[bool], ...] = (),
) -> pd.DataFrame | None:
    """`version`'s figures the build stored in `table`, month-ends up to the as-of, the
    `outcome` columns blanked where the 6th month-end after is after the as-of (not yet known
    then); None when the build stored none for `version` (a warehouse built before the table)."""
    if not table_exists(engine, table.name):
        return None
    order = [c for c in table.c if c.name in ("month_idx", "score_decile", "bin")]
    frame = fetch_frame(
        engine, sa.select(table).where(table.c.model_version == version, *where).order_by(*order)
    )
    if frame.empty:
        return None
    frame = frame[frame["month_idx"].astype(int) <= filters.as_of_idx].reset_index(drop=True)
    unknown = frame["month_idx"].astype(int) + HORIZON > filters.as_of_idx
    for name in outcome:
        frame[name] = frame[name].astype(object).where(~unknown, None)
    return frame


def _bin_of(value: sa.ColumnElement, edges: tuple[float, ...]) -> sa.ColumnElement[int]:
    """0 … len(edges): the bin of `value` closed on the right at `edges`; NULL → len(edges) + 1."""
    return sa.case(
        (value.is_(None), sa.literal(len(edges) + 1)),
        *((value <= sa.literal(float(e), sa.Double), sa.literal(i)) for i, e in enumerate(edges)),
        else_=sa.literal(len(edges)),
    )


def edges_key(edges: tuple[float, ...]) -> str:
    """The text `ew_score_bins` keeps of the score edges its bins are cut at."""
    return ",".join(repr(float(e)) for e in edges)


def score_bins_statement(filters: Filters, version: str, edges: tuple[float, ...]) -> sa.Select:
    """Rows per scored month-end and bin of the score cut at `edges`."""
    s = _scores(filters, version).subquery("mm_scores")
    bin_ = _bin_of(s.c.score, edges)
    return (
        sa.select(s.c.month_idx, s.c.month_end, bin_.label("bin"), sa.func.count().label("rows"))
        .group_by(s.c.month_idx, s.c.month_end, bin_)
        .order_by(s.c.month_idx, bin_)
    )


def score_bins(
    engine: Engine, filters: Filters, *, version: str, edges: tuple[float, ...]
) -> pd.DataFrame:
    """Rows per scored month-end and bin of the score cut at `edges` (the training deciles of the
    card's reference; bin 0 … len(edges), closed on the right): the build's counts
    (`ew_score_bins`) when it stored them at these edges, else counted from `ew_scores`."""
    columns = ["month_end", "bin", "rows"]
    if filters.scope is not None:
        return _empty(columns)
    table = schema.ew_score_bins
    frame = _stored(engine, filters, version, table, (), (table.c.edges == edges_key(edges),))
    if frame is None:
        frame = fetch_frame(engine, score_bins_statement(filters, version, edges))
    frame = frame[columns].copy()
    return frame.astype({"bin": int, "rows": int}) if not frame.empty else frame


# A binned feature: ("numeric", edges) or ("categorical", values), as the card's reference holds.
FeatureBins = tuple[tuple[str, str, tuple[object, ...]], ...]


def _feature_counts(
    f: sa.ColumnElement, name: str, kind: str, cuts: tuple[object, ...]
) -> list[sa.ColumnElement]:
    """The count of rows in each bin of one feature, labelled `<name>|<bin>`."""

    def n(cond: sa.ColumnElement[bool], label: str) -> sa.ColumnElement:
        return sa.func.sum(sa.case((cond, ONE), else_=ZERO)).label(f"{name}|{label}")

    if kind == "categorical":
        text = sa.cast(f, sa.String)
        values = [str(v) for v in cuts]
        parts = [n(text == sa.literal(v, sa.String), str(i)) for i, v in enumerate(values)]
        other = sa.and_(text.is_not(None), text.not_in(values)) if values else text.is_not(None)
        return [*parts, n(other, str(len(values)))]
    edges = [float(e) for e in cuts]  # type: ignore[arg-type]
    x = sa.cast(f, sa.Double)
    parts = []
    for i in range(len(edges) + 1):
        conds = [x.is_not(None)]
        if i > 0:
            conds.append(x > sa.literal(edges[i - 1], sa.Double))
        if i < len(edges):
            conds.append(x <= sa.literal(edges[i], sa.Double))
        parts.append(n(sa.and_(*conds), str(i)))
    return [*parts, n(x.is_(None), str(len(edges) + 1))]


def computed_feature_bins(
    engine: Engine, filters: Filters, *, features: FeatureBins
) -> pd.DataFrame:
    """Performing contracts at the as-of month-end per feature and bin of its training reference
    (numeric: bins closed on the right at the edges, then missing; segment: each value, then the
    rest): one pass over the month-end's feature statement, counted in the database — the rule
    the build applies in `early_warning.reference.bin_codes` (for month-ends it did not score)."""
    columns = ["feature", "bin", "rows"]
    if filters.scope is not None or not features:
        return _empty(columns)
    feats = feature_statement(filters.as_of_idx, filters.as_of_idx).subquery("mm_features")
    counts = [
        col
        for name, kind, cuts in features
        if name in feats.c
        for col in _feature_counts(feats.c[name], name, kind, cuts)
    ]
    if not counts:
        return _empty(columns)
    row = fetch_frame(engine, sa.select(*counts))
    records = []
    for label, value in row.iloc[0].items():
        name, _, bin_ = str(label).rpartition("|")
        records.append((name, int(bin_), 0 if value is None or pd.isna(value) else int(value)))
    return pd.DataFrame.from_records(records, columns=columns)


def feature_bins(engine: Engine, filters: Filters, *, version: str) -> pd.DataFrame:
    """Each feature's performing contracts per bin of `version`'s training reference at the as-of
    month-end, as the build counted them while scoring (`ew_feature_bins`); empty when the build
    did not score that month-end with `version` (or the card keeps no reference)."""
    columns = ["feature", "bin", "rows"]
    if filters.scope is not None:
        return _empty(columns)
    b = schema.ew_feature_bins
    stmt = (
        sa.select(b.c.feature, b.c.bin, b.c.rows)
        .where(b.c.model_version == version, b.c.month_idx == filters.as_of_idx)
        .order_by(b.c.feature, b.c.bin)
    )
    frame = fetch_frame(engine, stmt)
    if frame.empty:
        return _empty(columns)
    return frame.astype({"bin": int, "rows": int})
