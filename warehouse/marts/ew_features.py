"""Early-warning features: one row per performing contract per month-end, from data dated on or
before that month-end only, and the target (90+ DPD or written off within the next 6 months).

Training reads many month-ends once per model version (`early_warning.data`); the build's
early-warning step scores its last month-ends with them (`early_warning.scoring.score_build`
through `warehouse.marts.ew_scores.read_features`), and 模型监控 reads them at an as-of. The
statement is SQLAlchemy Core over `contract_month` and the source tables, portable to DuckDB and
PostgreSQL, set-based (month-level aggregates of each source table joined over a month window,
one part per group of features, each with one row per base row or lessee and month-end).
Definitions: docs/early-warning.md ("Features").

A source table is filtered by a range on its own date column (`warehouse.months.in_months`), not
by `month_index(column)`, which PostgreSQL can neither estimate nor read through an index.

Windows are calendar months: "the last k months" of month-end m are the months m − k + 1 … m by
`warehouse.months.month_index`, so the month-end itself is their last day and nothing dated after
it can enter. A performing contract at m has a `contract_month` row at m that is neither closed
nor written off, with DPD ≤ 90.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import sqlalchemy as sa

from warehouse import schema
from warehouse.marts import promises
from warehouse.months import in_months, month_index

HORIZON = 6  # months ahead the target looks
DEFAULT_DPD = 90  # "90+" means DPD > 90 (docs/domain.md §3)
HISTORY = 12  # the longest look-back window, months
SIGNAL_SOURCES: tuple[str, ...] = (
    "tax",
    "court",
    "social_security",
    "financial",
    "iot",
    "news",
    "internal",
)
SEVERITIES: tuple[str, ...] = ("low", "medium", "high")
IOT_TYPES: tuple[str, ...] = ("offline", "geofence_exit", "abnormal_stop", "low_utilisation")

# Simple text signals: a note or signal description containing one of these words (any case).
TEXT_SIGNALS: dict[str, tuple[str, ...]] = {
    "refusal": ("拒绝", "拒付", "拒不", "refus"),
    "hardship": ("困难", "停工", "停产", "拖欠", "欠缴", "资金紧张", "hardship"),
    "dispute": ("纠纷", "争议", "诉讼", "dispute"),
}

KEY_COLUMNS: tuple[str, ...] = ("contract_id", "lessee_id", "month_idx", "month_end")
CATEGORICAL: tuple[str, ...] = ("product", "lessee_type", "industry", "province")
NUMERIC: tuple[str, ...] = (
    # repayment behaviour (contract_month)
    "dpd",
    "dpd_max_3m",
    "dpd_max_6m",
    "dpd_max_12m",
    "months_in_arrears_12m",
    "months_30_12m",
    "payment_ratio_6m",
    # classification: observation, restructurings, overrides
    "in_observation",
    "risk_class_rank",
    "restructurings",
    "months_since_restructuring",
    "overrides",
    # IoT
    *(f"iot_{t}_3m" for t in IOT_TYPES),
    "iot_offline_days_3m",
    # inspections
    "inspections_12m",
    "inspections_abnormal_12m",
    "last_inspection_abnormal",
    "months_since_inspection",
    # external signals (the lessee's)
    *(f"signals_{s}_6m" for s in SEVERITIES),
    "signals_high_12m",
    *(f"signals_{s}_6m" for s in SIGNAL_SOURCES),
    # lessee financial statements (the latest one dated by the month-end)
    "fin_debt_ratio",
    "fin_debt_ratio_change",
    "fin_ocf_margin",
    "fin_net_margin",
    "fin_revenue_yoy",
    "fin_age_months",
    # collections
    "contacts_6m",
    "no_answer_6m",
    "refusals_6m",
    "promises_6m",
    "promises_broken_6m",
    "legal_12m",
    # text signals in inspection notes and the lessee's signal descriptions
    *(f"text_{k}_12m" for k in TEXT_SIGNALS),
    # exposure and terms
    "outstanding",
    "outstanding_share",
    "lessee_outstanding",
    "lessee_contracts",
    "lessee_dpd_max",
    "annual_rate",
    "term_months",
    "mob",
)
FEATURES: tuple[str, ...] = (*NUMERIC, *CATEGORICAL)
TARGET = "default_6m"

_ONE, _ZERO = sa.literal_column("1"), sa.literal_column("0")
# Hex digits of the MD5 draw that samples training rows (16⁶ levels: shares down to 1e-7).
SAMPLE_DIGITS = 6


def _flag(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.case((condition, _ONE), else_=_ZERO)


def _f(expr: sa.ColumnElement) -> sa.ColumnElement[float]:
    return sa.cast(expr, sa.Double)


def _ratio(num: sa.ColumnElement, den: sa.ColumnElement) -> sa.ColumnElement[float]:
    """num / den as a float; NULL when den is 0 or NULL."""
    return _f(num) / sa.func.nullif(_f(den), 0.0)


def _sampled_value(contract: sa.ColumnElement, midx: sa.ColumnElement) -> sa.ColumnElement:
    """The first `SAMPLE_DIGITS` hex digits of MD5(contract id | month index) as an integer
    (0 … 16⁶ − 1): the same number in DuckDB, PostgreSQL and `sample_value`."""
    return _hex_value(sa.func.md5(sa.func.concat(contract, "|", sa.cast(midx, sa.String))))


def _contract_value(contract: sa.ColumnElement) -> sa.ColumnElement:
    """The first `SAMPLE_DIGITS` hex digits of MD5(contract id) as an integer: one draw per
    contract, the same in DuckDB, PostgreSQL and `contract_value`."""
    return _hex_value(sa.func.md5(contract))


def _hex_value(digest: sa.ColumnElement) -> sa.ColumnElement:
    """The first `SAMPLE_DIGITS` hex digits of the MD5 text `digest` as an integer."""
    value: sa.ColumnElement = sa.literal(0)
    for i in range(SAMPLE_DIGITS):
        digit = sa.func.strpos("0123456789abcdef", sa.func.substr(digest, i + 1, 1)) - 1
        value = value * 16 + digit
    return value


def sample_value(contract_id: str, month_idx: int) -> int:
    """`_sampled_value` in Python: the row's draw, kept when below `sample_cut(share)`."""
    digest = hashlib.md5(f"{contract_id}|{month_idx}".encode(), usedforsecurity=False).hexdigest()
    return int(digest[:SAMPLE_DIGITS], 16)


def contract_value(contract_id: str) -> int:
    """`_contract_value` in Python: the contract's draw, kept when below `sample_cut(share)`."""
    digest = hashlib.md5(contract_id.encode(), usedforsecurity=False).hexdigest()
    return int(digest[:SAMPLE_DIGITS], 16)


@dataclass(frozen=True)
class ContractSample:
    """A training sample of whole contracts over the month-ends `first_idx` … `last_idx`:
    every contract with a default (target 1) at one of them, and the others whose draw
    (`contract_value`) is below `share`; each kept contract with every one of its rows there."""

    first_idx: int
    last_idx: int
    share: float


def _performing_where(cm: sa.Table | sa.Alias) -> list[sa.ColumnElement[bool]]:
    """A performing contract-month: open, not written off, DPD ≤ 90."""
    return [sa.not_(cm.c.written_off), sa.not_(cm.c.closed), cm.c.dpd <= DEFAULT_DPD]


def defaulting_contracts(first_idx: int, last_idx: int) -> sa.Select:
    """The contracts with a default (target 1) at one of the month-ends `first_idx` …
    `last_idx`: performing there, DPD > 90 or written off at one of the next `HORIZON`
    month-ends (a join of the performing rows to the few bad rows, not the target of every
    row)."""
    p = schema.contract_month.alias("ew_d_row")
    bad = schema.contract_month.alias("ew_d_bad")
    on = sa.and_(
        bad.c.contract_id == p.c.contract_id,
        bad.c.month_idx > p.c.month_idx,
        bad.c.month_idx <= p.c.month_idx + HORIZON,
    )
    return (
        sa.select(p.c.contract_id)
        .select_from(p.join(bad, on))
        .where(
            p.c.month_idx.between(first_idx, last_idx),
            *_performing_where(p),
            bad.c.month_idx.between(first_idx + 1, last_idx + HORIZON),
            sa.or_(bad.c.dpd > DEFAULT_DPD, bad.c.written_off),
        )
        .distinct()
    )


def stratum_counts_statement(first_idx: int, last_idx: int, known_last: int) -> sa.Select:
    """The performing contract-months at month-ends `first_idx` … `known_last` (`rows`), and
    those of the contracts with a default at one of `first_idx` … `last_idx` (`defaulting_rows`):
    what a `ContractSample` over `first_idx` … `last_idx` keeps whole whatever its share."""
    cm = schema.contract_month
    d = defaulting_contracts(first_idx, last_idx).subquery("ew_defaulting")
    return (
        sa.select(
            sa.func.count().label("rows"),
            sa.func.count(d.c.contract_id).label("defaulting_rows"),
        )
        .select_from(cm.outerjoin(d, d.c.contract_id == cm.c.contract_id))
        .where(cm.c.month_idx.between(first_idx, known_last), *_performing_where(cm))
    )


def sample_cut(share: float) -> int:
    """The draws below this are kept when a `share` of the non-defaults is kept."""
    return math.ceil(share * 16**SAMPLE_DIGITS)


def _performing(
    first_idx: int, last_idx: int, keep_share: float, contracts: ContractSample | None = None
) -> sa.CTE:
    """The performing contract-months in `first_idx` … `last_idx` with their month-end columns
    and the target; with `keep_share` < 1 only the defaults and the non-defaults whose draw
    (`_sampled_value`) is below the share (rows of unknown target are left out); with
    `contracts`, only the rows of the contracts that sample keeps (every row of them)."""
    cm = schema.contract_month
    ahead = schema.contract_month.alias("ew_ahead")
    me = schema.month_ends
    built_to = sa.select(sa.func.max(me.c.month_idx)).scalar_subquery()
    # Rows are consecutive months per contract (start through close), so the next HORIZON
    # month-ends are the month indexes m + 1 … m + HORIZON.
    bad_ahead = (
        sa.exists()
        .where(
            ahead.c.contract_id == cm.c.contract_id,
            ahead.c.month_idx > cm.c.month_idx,
            ahead.c.month_idx <= cm.c.month_idx + HORIZON,
            ahead.c.month_idx.between(first_idx + 1, last_idx + HORIZON),
            sa.or_(ahead.c.dpd > DEFAULT_DPD, ahead.c.written_off),
        )
        .correlate(cm)
    )
    target = sa.case(
        (bad_ahead, _ONE),
        (cm.c.month_idx + HORIZON <= built_to, _ZERO),
        else_=sa.null(),
    )
    rank = sa.case(
        *((cm.c.risk_class == c, sa.literal(r)) for c, r in schema.RISK_CLASS_RANK.items()),
        else_=sa.literal(0),
    )
    rows = (
        sa.select(
            cm.c.contract_id,
            cm.c.lessee_id,
            cm.c.month_idx,
            cm.c.month_end,
            cm.c.mob,
            cm.c.dpd,
            cm.c.product,
            cm.c.lessee_type,
            cm.c.industry,
            sa.func.substr(cm.c.region, 1, 2).label("province"),
            _flag(cm.c.in_observation).label("in_observation"),
            rank.label("risk_class_rank"),
            _f(cm.c.outstanding_principal).label("outstanding"),
            _ratio(cm.c.outstanding_principal, cm.c.original_principal).label("outstanding_share"),
            target.label(TARGET),
        )
        .where(
            cm.c.month_idx.between(first_idx, last_idx),
            sa.not_(cm.c.written_off),
            sa.not_(cm.c.closed),
            cm.c.dpd <= DEFAULT_DPD,
        )
        .subquery("ew_rows")
    )
    out = sa.select(rows)
    if contracts is not None:
        whole = defaulting_contracts(contracts.first_idx, contracts.last_idx)
        drawn = _contract_value(rows.c.contract_id) < sample_cut(contracts.share)
        out = out.where(sa.or_(rows.c.contract_id.in_(whole), drawn))
    if keep_share < 1.0:
        drawn = _sampled_value(rows.c.contract_id, rows.c.month_idx) < sample_cut(keep_share)
        out = out.where(sa.or_(rows.c[TARGET] == 1, sa.and_(rows.c[TARGET] == 0, drawn)))
    return out.cte("ew_performing")


def _dpd_windows(p: sa.CTE, first_idx: int, last_idx: int) -> sa.Subquery:
    """Per row of `p`: the trailing DPD windows over its contract's last 12 month-ends (a join
    on the month range, grouped: a window function would sort every history row of the book)."""
    cm = schema.contract_month.alias("ew_past")
    m = p.c.month_idx

    def within(months: int, value: sa.ColumnElement) -> sa.ColumnElement:
        return sa.case((cm.c.month_idx > m - months, value))

    on = sa.and_(
        cm.c.contract_id == p.c.contract_id,
        cm.c.month_idx <= m,
        cm.c.month_idx > m - HISTORY,
        cm.c.month_idx.between(first_idx - HISTORY + 1, last_idx),
    )
    return (
        sa.select(
            p.c.contract_id,
            p.c.month_idx,
            sa.func.max(within(3, cm.c.dpd)).label("dpd_max_3m"),
            sa.func.max(within(6, cm.c.dpd)).label("dpd_max_6m"),
            sa.func.max(cm.c.dpd).label("dpd_max_12m"),
            sa.func.sum(_flag(cm.c.dpd > 0)).label("months_in_arrears_12m"),
            sa.func.sum(_flag(cm.c.dpd > 30)).label("months_30_12m"),
        )
        .select_from(p.join(cm, on))
        .group_by(p.c.contract_id, p.c.month_idx)
        .subquery("ew_dpd")
    )


def _lessee_month(b: sa.CTE, first_idx: int, last_idx: int) -> sa.Subquery:
    """Per lessee and month-end of the base rows: its open contracts' outstanding, their number
    and the highest DPD of its contracts not written off (a GROUP BY over those months only: a
    window over the whole history would sort every history row for them)."""
    cm = schema.contract_month
    keys = sa.select(b.c.lessee_id, b.c.month_idx).distinct().subquery("ew_lm_keys")
    on = sa.and_(cm.c.lessee_id == keys.c.lessee_id, cm.c.month_idx == keys.c.month_idx)
    live = sa.and_(sa.not_(cm.c.written_off), sa.not_(cm.c.closed))
    return (
        sa.select(
            keys.c.lessee_id,
            keys.c.month_idx,
            _f(sa.func.sum(sa.case((live, cm.c.outstanding_principal), else_=0))).label(
                "lessee_outstanding"
            ),
            sa.func.sum(_flag(live)).label("lessee_contracts"),
            sa.func.max(sa.case((sa.not_(cm.c.written_off), cm.c.dpd), else_=0)).label(
                "lessee_dpd_max"
            ),
        )
        .select_from(keys.join(cm, on))
        .where(cm.c.month_idx.between(first_idx, last_idx))
        .group_by(keys.c.lessee_id, keys.c.month_idx)
        .subquery("ew_lessee_month")
    )


def _sum_if(column: sa.ColumnElement, since: sa.ColumnElement[bool]) -> sa.ColumnElement:
    return sa.func.coalesce(sa.func.sum(sa.case((since, column), else_=0)), 0)


EVENTS: tuple[str, ...] = (
    "paid",
    "due",
    *(f"iot_{t}" for t in IOT_TYPES),
    "iot_offline_days",
    "inspections",
    "inspections_abnormal",
    "contacts",
    "no_answer",
    "refusals",
    "promises",
    "promises_broken",
    "legal",
    *(f"note_{k}" for k in TEXT_SIGNALS),
)


_AMOUNTS = frozenset({"paid", "due"})
_EXACT = sa.Numeric(38, 2)


def _part(
    contract: sa.ColumnElement, midx: sa.ColumnElement, **values: sa.ColumnElement
) -> list[sa.ColumnElement]:
    """The columns of one UNION ALL part of `_contract_events`: `values`, NULL elsewhere (the
    window sums skip a NULL as they would add a 0, and PostgreSQL sorts and hashes the narrower
    rows faster: a NULL takes no room in a row). Amounts stay exact: their window sums are then
    the same whatever order a plan adds the months in, on either database."""
    cols = [contract.label("contract_id"), sa.cast(midx, sa.Integer).label("midx")]
    for name in EVENTS:
        kind = _EXACT if name in _AMOUNTS else sa.Double
        cols.append(sa.cast(values[name] if name in values else sa.null(), kind).label(name))
    return cols


def _contract_events(lo_idx: int, hi_idx: int) -> sa.Subquery:
    """Per contract and month `lo_idx` … `hi_idx` (the months the base rows' windows reach;
    nothing older can count): receipts, amounts due, IoT events, inspections and
    collections outcomes (one UNION ALL of receipts, installments and month-level aggregates
    of the others, NULL elsewhere)."""
    rc, sc = schema.receipts, schema.schedule
    de = schema.SOURCE_TABLES["device_events"]
    ins = schema.SOURCE_TABLES["inspections"]
    col = schema.SOURCE_TABLES["collections"]

    # Receipts and installments one row each, not summed by month first: there is about one per
    # contract and month, and their exact amounts add up the same either way.
    r_m = month_index(rc.c.received_date)
    receipts = sa.select(*_part(rc.c.contract_id, r_m, paid=rc.c.amount)).where(
        in_months(rc.c.received_date, lo_idx, hi_idx)
    )
    # Installments in force on their due date (docs/domain.md §2): a restructuring after the
    # month-end sets valid_to after the due dates counted, so it changes nothing here.
    s_m = month_index(sc.c.due_date)
    in_force = sa.and_(
        sa.or_(sc.c.valid_from.is_(None), sc.c.valid_from <= sc.c.due_date),
        sa.or_(sc.c.valid_to.is_(None), sc.c.due_date < sc.c.valid_to),
    )
    amount = sc.c.principal_due + sc.c.interest_due
    due = sa.select(*_part(sc.c.contract_id, s_m, due=amount)).where(
        in_force, in_months(sc.c.due_date, lo_idx, hi_idx)
    )
    e_m = month_index(de.c.event_time)
    offline_day = sa.case((de.c.event_type == "offline", sa.cast(de.c.event_time, sa.Date)))
    iot = (
        sa.select(
            *_part(
                de.c.contract_id,
                e_m,
                **{f"iot_{t}": sa.func.sum(_flag(de.c.event_type == t)) for t in IOT_TYPES},
                iot_offline_days=sa.func.count(sa.distinct(offline_day)),
            )
        )
        .where(in_months(de.c.event_time, lo_idx, hi_idx))
        .group_by(de.c.contract_id, e_m)
    )
    i_m = month_index(ins.c.inspection_date)
    inspections = (
        sa.select(
            *_part(
                ins.c.contract_id,
                i_m,
                inspections=sa.func.count(),
                inspections_abnormal=sa.func.sum(_flag(ins.c.asset_status != "normal")),
                **{f"note_{k}": sa.func.sum(_flag(says(ins.c.note, k))) for k in TEXT_SIGNALS},
            )
        )
        .where(in_months(ins.c.inspection_date, lo_idx, hi_idx))
        .group_by(ins.c.contract_id, i_m)
    )
    a_m = month_index(col.c.action_time)
    actions = (
        sa.select(
            *_part(
                col.c.contract_id,
                a_m,
                contacts=sa.func.sum(_flag(col.c.outcome != "legal_filed")),
                no_answer=sa.func.sum(_flag(col.c.outcome == "no_answer")),
                refusals=sa.func.sum(_flag(col.c.outcome == "refused")),
                promises=sa.func.sum(_flag(col.c.outcome == promises.PROMISE)),
                legal=sa.func.sum(_flag(col.c.outcome == "legal_filed")),
            )
        )
        .where(in_months(col.c.action_time, lo_idx, hi_idx))
        .group_by(col.c.contract_id, a_m)
    )
    parts = [receipts, due, iot, inspections, actions, _broken_promises(lo_idx, hi_idx)]
    return sa.union_all(*parts).subquery("ew_events")


def _broken_promises(lo_idx: int, hi_idx: int) -> sa.Select:
    """Promises to pay by the month of their due date, when receipts from the day they were made
    to that date (`warehouse.marts.promises`) do not keep them: known on the due date."""
    col, rc = schema.SOURCE_TABLES["collections"], schema.receipts
    p = (
        sa.select(
            col.c.action_id,
            col.c.contract_id,
            promises.made_on(col.c.action_time).label("made"),
            promises.due_on(col.c.promised_date, col.c.action_time).label("due_day"),
            col.c.promised_amount,
        )
        .where(col.c.outcome == promises.PROMISE)
        .subquery("ew_promises")
    )
    towards = promises.counts_towards(rc.c.received_date, p.c.made, p.c.due_day, p.c.due_day)
    paid = sa.func.coalesce(sa.func.sum(rc.c.amount), 0)
    each = (
        sa.select(
            p.c.contract_id,
            month_index(p.c.due_day).label("midx"),
            _flag(sa.not_(promises.kept(paid, p.c.promised_amount))).label("broken"),
        )
        .select_from(p.outerjoin(rc, sa.and_(rc.c.contract_id == p.c.contract_id, towards)))
        .where(in_months(p.c.due_day, lo_idx, hi_idx))
        .group_by(p.c.action_id, p.c.contract_id, p.c.due_day, p.c.promised_amount)
        .subquery("ew_promise_each")
    )
    return sa.select(
        *_part(each.c.contract_id, each.c.midx, promises_broken=sa.func.sum(each.c.broken))
    ).group_by(each.c.contract_id, each.c.midx)


def says(text: sa.ColumnElement, kind: str) -> sa.ColumnElement[bool]:
    """`text` contains one of the words of `TEXT_SIGNALS[kind]` (NULL text: no)."""
    lowered = sa.func.lower(sa.func.coalesce(text, ""))
    return sa.or_(*(lowered.contains(word, autoescape=True) for word in TEXT_SIGNALS[kind]))


def _window(m: sa.ColumnElement, midx: sa.ColumnElement, months: int) -> sa.ColumnElement[bool]:
    """`midx` is one of the last `months` months of month `m`."""
    return midx > m - months


def _contract_features(b: sa.CTE, lo_idx: int, hi_idx: int) -> sa.Subquery:
    """The month-window sums of `_contract_events` per base row."""
    ev = _contract_events(lo_idx, hi_idx)
    m = b.c.month_idx
    on = sa.and_(ev.c.contract_id == b.c.contract_id, ev.c.midx <= m, ev.c.midx > m - HISTORY)

    def last(k: int, name: str) -> sa.ColumnElement:
        return _sum_if(ev.c[name], _window(m, ev.c.midx, k))

    inspected = sa.func.max(sa.case((ev.c.inspections > 0, ev.c.midx)))
    abnormal = sa.func.max(sa.case((ev.c.inspections_abnormal > 0, ev.c.midx)))
    return (
        sa.select(
            b.c.contract_id,
            b.c.month_idx,
            _ratio(last(6, "paid"), last(6, "due")).label("payment_ratio_6m"),
            *(last(3, f"iot_{t}").label(f"iot_{t}_3m") for t in IOT_TYPES),
            last(3, "iot_offline_days").label("iot_offline_days_3m"),
            last(12, "inspections").label("inspections_12m"),
            last(12, "inspections_abnormal").label("inspections_abnormal_12m"),
            _flag(sa.func.coalesce(abnormal == inspected, sa.false())).label(
                "last_inspection_abnormal"
            ),
            (m - inspected).label("months_since_inspection"),
            *(last(6, n).label(f"{n}_6m") for n in ("contacts", "no_answer", "refusals")),
            last(6, "promises").label("promises_6m"),
            last(6, "promises_broken").label("promises_broken_6m"),
            last(12, "legal").label("legal_12m"),
            *(last(12, f"note_{k}").label(f"note_{k}_12m") for k in TEXT_SIGNALS),
        )
        .select_from(b.outerjoin(ev, on))
        .group_by(b.c.contract_id, b.c.month_idx)
        .subquery("ew_contract")
    )


def _signal_features(b: sa.CTE, lo_idx: int, hi_idx: int) -> sa.Subquery:
    """The lessee's warning signals (any of its contracts, or none named) in the last 6 and 12
    months, per lessee and month-end of the base rows."""
    ws = schema.SOURCE_TABLES["warning_signals"]
    s_m = month_index(ws.c.signal_date)
    monthly = (
        sa.select(
            ws.c.lessee_id,
            sa.cast(s_m, sa.Integer).label("midx"),
            *(sa.func.sum(_flag(ws.c.severity == s)).label(s) for s in SEVERITIES),
            *(sa.func.sum(_flag(ws.c.source == s)).label(f"src_{s}") for s in SIGNAL_SOURCES),
            *(
                sa.func.sum(_flag(says(ws.c.description, k))).label(f"text_{k}")
                for k in TEXT_SIGNALS
            ),
        )
        .where(in_months(ws.c.signal_date, lo_idx, hi_idx))
        .group_by(ws.c.lessee_id, s_m)
        .subquery("ew_signal_month")
    )
    keys = sa.select(b.c.lessee_id, b.c.month_idx).distinct().subquery("ew_lessee_months")
    m = keys.c.month_idx
    on = sa.and_(
        monthly.c.lessee_id == keys.c.lessee_id, monthly.c.midx <= m, monthly.c.midx > m - HISTORY
    )
    six = _window(m, monthly.c.midx, 6)
    return (
        sa.select(
            keys.c.lessee_id,
            keys.c.month_idx,
            *(_sum_if(monthly.c[s], six).label(f"signals_{s}_6m") for s in SEVERITIES),
            _sum_if(monthly.c.high, sa.true()).label("signals_high_12m"),
            *(_sum_if(monthly.c[f"src_{s}"], six).label(f"signals_{s}_6m") for s in SIGNAL_SOURCES),
            *(
                _sum_if(monthly.c[f"text_{k}"], sa.true()).label(f"text_{k}_12m")
                for k in TEXT_SIGNALS
            ),
        )
        .select_from(keys.outerjoin(monthly, on))
        .group_by(keys.c.lessee_id, keys.c.month_idx)
        .subquery("ew_signals")
    )


def _financial_features(b: sa.CTE, lag_months: int) -> sa.Subquery:
    """The lessee's latest statement whose period ended `lag_months` or more months before the
    month-end (within 24 months), with the statement twelve months before it."""
    lf = schema.SOURCE_TABLES["lessee_financials"]
    keys = sa.select(b.c.lessee_id, b.c.month_idx).distinct().subquery("ew_fin_keys")
    p_m = month_index(lf.c.period_end)
    latest = (
        sa.select(keys.c.lessee_id, keys.c.month_idx, sa.func.max(p_m).label("pidx"))
        .select_from(keys.join(lf, lf.c.lessee_id == keys.c.lessee_id))
        .where(p_m <= keys.c.month_idx - lag_months, p_m > keys.c.month_idx - 24)
        .group_by(keys.c.lessee_id, keys.c.month_idx)
        .subquery("ew_fin_latest")
    )
    cur, prev = lf.alias("ew_fin_cur"), lf.alias("ew_fin_prev")
    on_cur = sa.and_(
        cur.c.lessee_id == latest.c.lessee_id, month_index(cur.c.period_end) == latest.c.pidx
    )
    on_prev = sa.and_(
        prev.c.lessee_id == latest.c.lessee_id,
        month_index(prev.c.period_end) == latest.c.pidx - 12,
    )
    debt = _ratio(cur.c.total_liabilities, cur.c.total_assets)
    debt_before = _ratio(prev.c.total_liabilities, prev.c.total_assets)
    return (
        sa.select(
            latest.c.lessee_id,
            latest.c.month_idx,
            debt.label("fin_debt_ratio"),
            (debt - debt_before).label("fin_debt_ratio_change"),
            _ratio(cur.c.operating_cash_flow, cur.c.revenue).label("fin_ocf_margin"),
            _ratio(cur.c.net_profit, cur.c.revenue).label("fin_net_margin"),
            (_ratio(cur.c.revenue, sa.case((prev.c.revenue > 0, prev.c.revenue))) - 1.0).label(
                "fin_revenue_yoy"
            ),
            (latest.c.month_idx - latest.c.pidx).label("fin_age_months"),
        )
        .select_from(latest.join(cur, on_cur).outerjoin(prev, on_prev))
        .subquery("ew_fin")
    )


def _history_counts(b: sa.CTE) -> sa.Subquery:
    """Restructurings (count, months since the latest) and overrides dated by the month-end."""
    rs = schema.SOURCE_TABLES["restructurings"]
    ov = schema.SOURCE_TABLES["classification_overrides"]
    r_m = month_index(rs.c.effective_date)
    o_m = (
        sa.cast(sa.func.substr(ov.c.effective_month, 1, 4), sa.Integer) * 12
        + sa.cast(sa.func.substr(ov.c.effective_month, 6, 2), sa.Integer)
        - 1
    )
    events = sa.union_all(
        sa.select(
            rs.c.contract_id,
            sa.cast(r_m, sa.Integer).label("midx"),
            _ONE.label("restructured"),
            _ZERO.label("override"),
        ),
        sa.select(
            ov.c.contract_id,
            sa.cast(o_m, sa.Integer).label("midx"),
            _ZERO.label("restructured"),
            _ONE.label("override"),
        ),
    ).subquery("ew_class_events")
    m = b.c.month_idx
    last_r = sa.func.max(sa.case((events.c.restructured == 1, events.c.midx)))
    return (
        sa.select(
            b.c.contract_id,
            m,
            sa.func.coalesce(sa.func.sum(events.c.restructured), 0).label("restructurings"),
            (m - last_r).label("months_since_restructuring"),
            sa.func.coalesce(sa.func.sum(events.c.override), 0).label("overrides"),
        )
        .select_from(
            b.join(events, sa.and_(events.c.contract_id == b.c.contract_id, events.c.midx <= m))
        )
        .group_by(b.c.contract_id, m)
        .subquery("ew_class")
    )


def feature_statement(
    first_idx: int,
    last_idx: int,
    lag_months: int = 0,
    keep_share: float = 1.0,
    contracts: ContractSample | None = None,
) -> sa.Select:
    """One row per performing contract per month-end `first_idx` … `last_idx` (month indexes):
    keys, `FEATURES` and the target `default_6m` (1: DPD > 90 or written off at one of the next
    `HORIZON` month-ends; 0: not, those month-ends all built; NULL: not yet known). With
    `keep_share` < 1, the training sample: every default and the non-defaults drawn at that
    share (`sample_value`), no row of unknown target; the rest are never computed. With
    `contracts`, the rows of the contracts that `ContractSample` keeps (every row of them,
    unknown targets included: a whole-contract sample for the backtest and its lead times)."""
    # A CTE: every part reads it, and PostgreSQL materialises a CTE read more than once instead
    # of running it again for each.
    b = _performing(first_idx, last_idx, keep_share, contracts)
    w = _dpd_windows(b, first_idx, last_idx)
    # The earliest month a base row's window reaches: older events cannot count.
    lo = first_idx - HISTORY + 1
    cf = _contract_features(b, lo, last_idx)
    sf = _signal_features(b, lo, last_idx)
    ff = _financial_features(b, lag_months)
    hc = _history_counts(b)
    lm = _lessee_month(b, first_idx, last_idx)
    k = schema.contracts

    def z(column: sa.ColumnElement, name: str) -> sa.ColumnElement:
        return sa.func.coalesce(column, 0).label(name)

    on_cm = lambda s: sa.and_(s.c.contract_id == b.c.contract_id, s.c.month_idx == b.c.month_idx)  # noqa: E731
    on_lm = lambda s: sa.and_(s.c.lessee_id == b.c.lessee_id, s.c.month_idx == b.c.month_idx)  # noqa: E731
    target = b.c[TARGET]
    columns = {
        "dpd": b.c.dpd,
        "dpd_max_3m": w.c.dpd_max_3m,
        "dpd_max_6m": w.c.dpd_max_6m,
        "dpd_max_12m": w.c.dpd_max_12m,
        "months_in_arrears_12m": w.c.months_in_arrears_12m,
        "months_30_12m": w.c.months_30_12m,
        "in_observation": b.c.in_observation,
        "risk_class_rank": b.c.risk_class_rank,
        "restructurings": z(hc.c.restructurings, "restructurings"),
        "months_since_restructuring": hc.c.months_since_restructuring,
        "overrides": z(hc.c.overrides, "overrides"),
        "fin_debt_ratio": ff.c.fin_debt_ratio,
        "fin_debt_ratio_change": ff.c.fin_debt_ratio_change,
        "fin_ocf_margin": ff.c.fin_ocf_margin,
        "fin_net_margin": ff.c.fin_net_margin,
        "fin_revenue_yoy": ff.c.fin_revenue_yoy,
        "fin_age_months": ff.c.fin_age_months,
        "outstanding": b.c.outstanding,
        "outstanding_share": b.c.outstanding_share,
        "lessee_outstanding": lm.c.lessee_outstanding,
        "lessee_contracts": lm.c.lessee_contracts,
        "lessee_dpd_max": lm.c.lessee_dpd_max,
        "annual_rate": _f(k.c.annual_rate),
        "term_months": k.c.term_months,
        "mob": b.c.mob,
        "product": b.c.product,
        "lessee_type": b.c.lessee_type,
        "industry": b.c.industry,
        "province": b.c.province,
    }
    for kind in TEXT_SIGNALS:
        name = f"text_{kind}_12m"
        columns[name] = (
            sa.func.coalesce(cf.c[f"note_{kind}_12m"], 0) + sa.func.coalesce(sf.c[name], 0)
        ).label(name)
    for name in NUMERIC:
        if name in columns:
            continue
        source = sf if name.startswith("signals_") else cf
        value = source.c[name]
        columns[name] = value if name in _NULLABLE else z(value, name)
    return (
        sa.select(
            *(b.c[c] for c in KEY_COLUMNS),
            *(columns[n].label(n) for n in FEATURES),
            target.label(TARGET),
        )
        .select_from(
            # FULL joins, though each part has only keys of the base rows (so they keep exactly
            # the base rows, as inner and left joins would): PostgreSQL cannot estimate the size
            # of these aggregates; misjudged as a few rows, a chain of inner or left joins ran
            # as nested loops re-reading a whole part per base row (91 minutes for one month-end
            # at 1,000,000 contracts). A FULL join cannot be a nested loop, and its estimate is
            # never below either side's. The contracts join comes first: a strict condition on
            # the base rows above them would turn the FULL joins back into LEFT joins.
            b.join(k, k.c.contract_id == b.c.contract_id)
            .join(w, on_cm(w), full=True)
            .join(cf, on_cm(cf), full=True)
            .join(sf, on_lm(sf), full=True)
            .join(lm, on_lm(lm), full=True)
            .join(ff, on_lm(ff), full=True)
            .join(hc, on_cm(hc), full=True)
        )
        .order_by(b.c.month_idx, b.c.contract_id)
    )


# Features that stay NULL where there is nothing to measure (no amount due, never inspected).
_NULLABLE = frozenset({"payment_ratio_6m", "months_since_inspection"})


def first_over_statement() -> sa.Select:
    """Per contract that ever went 30+: the first month index with DPD > 30 (`first_30_idx`) and
    the first with DPD > 90 or its write-off (`first_90_idx`, NULL: never), for lead times."""
    cm = schema.contract_month
    bad = sa.or_(cm.c.dpd > DEFAULT_DPD, cm.c.written_off)
    first_30 = sa.func.min(sa.case((cm.c.dpd > 30, cm.c.month_idx)))
    return (
        sa.select(
            cm.c.contract_id,
            first_30.label("first_30_idx"),
            sa.func.min(sa.case((bad, cm.c.month_idx))).label("first_90_idx"),
        )
        .group_by(cm.c.contract_id)
        .having(sa.or_(first_30.isnot(None), sa.func.max(_flag(bad)) == 1))
    )
