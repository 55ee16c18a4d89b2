"""The one SQLAlchemy `MetaData`: source tables, the `contract_month` mart and load records.

Source tables mirror the extract (see `extract_spec`); money is NUMERIC(18, 2) so it stays exact.
Every table states its grain in `info["grain"]`; `docs/warehouse.md` is checked against it.
"""

from __future__ import annotations

import sqlalchemy as sa

from warehouse import extract_spec as spec

metadata = sa.MetaData()

MONEY_TYPE = sa.Numeric(18, 2)

_KIND_TYPES: dict[str, sa.types.TypeEngine] = {
    spec.TEXT: sa.String(),
    spec.DATE: sa.Date(),
    spec.MONTH: sa.String(7),
    spec.TIMESTAMP: sa.DateTime(),
    spec.MONEY: MONEY_TYPE,
    spec.RATE: sa.Numeric(12, 8),
    spec.INT: sa.Integer(),
    spec.FLOAT: sa.Float(),
    spec.BOOL: sa.Boolean(),
}


def sql_type(kind: str) -> sa.types.TypeEngine:
    """The SQL type that stores an extract column of this kind."""
    return _KIND_TYPES[kind]


def _source_table(t: spec.Table) -> sa.Table:
    cols = [sa.Column(c.name, sql_type(c.kind), nullable=not c.required) for c in t.columns]
    table = sa.Table(
        t.name,
        metadata,
        *cols,
        info={"layer": "source", "grain": t.doc or f"one row per {', '.join(t.key)}"},
    )
    sa.Index(f"ix_{t.name}_key", *(table.c[k] for k in t.key))
    return table


SOURCE_TABLES: dict[str, sa.Table] = {t.name: _source_table(t) for t in spec.TABLES}

lessees = SOURCE_TABLES["lessees"]
contracts = SOURCE_TABLES["contracts"]
schedule = SOURCE_TABLES["schedule"]
receipts = SOURCE_TABLES["receipts"]

# One contract's (or lessee's) rows, as the contract dossier reads them, on server databases.
for _name, _column in (
    ("receipts", "contract_id"),
    ("collections", "contract_id"),
    ("inspections", "contract_id"),
    ("device_events", "contract_id"),
    ("warning_signals", "lessee_id"),
):
    sa.Index(f"ix_{_name}_{_column}", SOURCE_TABLES[_name].c[_column]).ddl_if(dialect="postgresql")

loads = sa.Table(
    "loads",
    metadata,
    sa.Column("load_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("loaded_at", sa.DateTime, nullable=False, doc="UTC time the load committed"),
    sa.Column("as_of", sa.Date, nullable=False),
    sa.Column("institution", sa.String, nullable=False),
    sa.Column("entity_type", sa.String, nullable=False),
    sa.Column("currency", sa.String, nullable=False),
    sa.Column("source", sa.String, nullable=False, doc="file or folder name of the extract"),
    sa.Column("sha256", sa.String(64), nullable=False, doc="SHA-256 over the extract's files"),
    sa.Column("row_counts", sa.String, nullable=False, doc="JSON object table -> rows"),
    sa.Column("build_seconds", sa.Float, nullable=True),
    info={"layer": "portal", "grain": "one row per successful load"},
)

# A table of its own, not a column of `loads`: portal tables are kept across loads, so a new
# table appears on an existing warehouse (create_all) where a new column would not.
load_late_rows = sa.Table(
    "load_late_rows",
    metadata,
    sa.Column("load_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("table_name", sa.String, primary_key=True, doc="an extract table"),
    sa.Column("late_rows", sa.Integer, nullable=False, doc="rows dated after as_of, not loaded"),
    info={
        "layer": "portal",
        "grain": "one row per load and extract table whose rows may be dated after as_of",
    },
)

build_settings = sa.Table(
    "build_settings",
    metadata,
    sa.Column("key", sa.String, primary_key=True),
    sa.Column("value", sa.String, nullable=False),
    info={"layer": "build", "grain": "one row per setting in force at the last build"},
)

month_ends = sa.Table(
    "month_ends",
    metadata,
    sa.Column(
        "month_idx", sa.Integer, primary_key=True, autoincrement=False, doc="year * 12 + month - 1"
    ),
    sa.Column("month_end", sa.Date, nullable=False, unique=True),
    info={"layer": "build", "grain": "one row per calendar month-end the book spans"},
)

contract_month = sa.Table(
    "contract_month",
    metadata,
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    sa.Column("month_end", sa.Date, nullable=False),
    sa.Column("month_idx", sa.Integer, nullable=False, doc="year * 12 + month - 1"),
    sa.Column("mob", sa.Integer, nullable=False, doc="months on book; start month is 0"),
    sa.Column("outstanding_principal", MONEY_TYPE, nullable=False),
    sa.Column("overdue_principal", MONEY_TYPE, nullable=False),
    sa.Column("overdue_interest", MONEY_TYPE, nullable=False),
    sa.Column("dpd", sa.Integer, nullable=False),
    sa.Column("dpd_bucket", sa.String(3), nullable=False, doc="M0 … M7+"),
    sa.Column("risk_class", sa.String, nullable=False),
    sa.Column("class_reason", sa.String, nullable=False),
    sa.Column("in_observation", sa.Boolean, nullable=False),
    sa.Column("written_off", sa.Boolean, nullable=False),
    sa.Column("closed", sa.Boolean, nullable=False, doc="fully repaid in this month"),
    sa.Column("provision", MONEY_TYPE, nullable=False),
    sa.Column("provision_estimated", sa.Boolean, nullable=False),
    sa.Column("received_to_date", MONEY_TYPE, nullable=False, doc="receipts counted so far"),
    sa.Column("product", sa.String, nullable=False),
    sa.Column("lessee_type", sa.String, nullable=False),
    sa.Column("industry", sa.String, nullable=False),
    sa.Column("region", sa.String, nullable=False),
    sa.Column("branch", sa.String, nullable=False),
    sa.Column("asset_category", sa.String, nullable=False),
    sa.Column("cohort_month", sa.Date, nullable=False, doc="month-end of the start month"),
    sa.Column("original_principal", MONEY_TYPE, nullable=False),
    info={
        "layer": "mart",
        "grain": "one row per contract per month-end, from its start month through the month "
        "it closes or is written off, never past as_of",
    },
)

# The segments a contract belongs to, copied onto the mart and the summaries.
SEGMENT_COLUMNS = ("product", "lessee_type", "industry", "region", "branch", "asset_category")


def _segment_columns() -> list[sa.Column]:
    return [sa.Column(name, sa.String, nullable=False) for name in SEGMENT_COLUMNS]


def _money(name: str, doc: str) -> sa.Column:
    return sa.Column(name, MONEY_TYPE, nullable=False, doc=doc)


def _count(name: str, doc: str) -> sa.Column:
    return sa.Column(name, sa.Integer, nullable=False, doc=doc)


def _portfolio_measures() -> list[sa.Column]:
    return [
        _count("contracts", "open contracts: rows neither closed nor written off"),
        _money("outstanding", "outstanding principal of rows not written off"),
        _money("overdue_principal", "overdue principal of rows not written off"),
        _money("overdue_interest", "overdue interest of rows not written off"),
        _money("provision", "provisions of open rows: neither closed nor written off"),
        _money(
            "provision_estimated",
            "the part of `provision` the build estimated (provision_estimated rows)",
        ),
        _count("new_contracts", "contracts starting in the month (MOB 0)"),
        _money("new_principal", "original principal of the contracts starting in the month"),
        _money("receipts", "received_to_date minus the previous month-end's, summed"),
        _count("writeoff_contracts", "contracts written off in the month"),
        _money("writeoff_amount", "writeoffs.amount (else the row's balance) of those contracts"),
    ]


def _portfolio_table(name: str, keys: list[sa.Column], grain: str) -> sa.Table:
    """A month × `keys` × DPD bucket × risk class summary with the portfolio measures."""
    return sa.Table(
        name,
        metadata,
        sa.Column("month_idx", sa.Integer, nullable=False, doc="year * 12 + month - 1"),
        sa.Column("month_end", sa.Date, nullable=False),
        *keys,
        sa.Column("dpd_bucket", sa.String(3), nullable=False),
        sa.Column("risk_class", sa.String, nullable=False),
        *_portfolio_measures(),
        info={"layer": "mart", "grain": grain},
    )


portfolio_month = _portfolio_table(
    "portfolio_month",
    [*_segment_columns(), sa.Column("cohort_month", sa.Date, nullable=False)],
    "one row per month-end, segment combination, cohort month, DPD bucket and risk class "
    "present in contract_month",
)

# Coarser copies of portfolio_month: queries read the coarsest one that answers their filters.
portfolio_segment_month = _portfolio_table(
    "portfolio_segment_month",
    _segment_columns(),
    "one row per month-end, segment combination, DPD bucket and risk class "
    "(portfolio_month without the cohort)",
)

portfolio_total_month = _portfolio_table(
    "portfolio_total_month",
    [],
    "one row per month-end, DPD bucket and risk class (the whole book)",
)

segment_values = sa.Table(
    "segment_values",
    metadata,
    sa.Column("dimension", sa.String, nullable=False),
    sa.Column("value", sa.String, nullable=False),
    info={
        "layer": "mart",
        "grain": "one row per segment dimension and value present in contract_month",
    },
)


def _migration_table(name: str, segmented: bool, grain: str) -> sa.Table:
    """A five-tier transition table: whole book, or by segment combination (`segmented`)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("period", sa.String(7), nullable=False, doc="month, quarter or ytd"),
        sa.Column("month_idx", sa.Integer, nullable=False, doc="the period's end month"),
        *(_segment_columns() if segmented else []),
        sa.Column("begin_class", sa.String, nullable=False),
        sa.Column(
            "end_class", sa.String, nullable=True, doc="NULL: closed or written off (reduced)"
        ),
        _count("contracts", "contracts open at the period's beginning"),
        _money("begin_balance", "their outstanding at the beginning"),
        _money("balance", "their outstanding at the end when still open, else 0"),
        info={"layer": "mart", "grain": grain},
    )


def _roll_table(name: str, segmented: bool, grain: str) -> sa.Table:
    """A DPD roll-rate table: whole book, or by segment combination (`segmented`)."""
    return sa.Table(
        name,
        metadata,
        sa.Column("month_idx", sa.Integer, nullable=False, doc="t; the rows come from t - 1"),
        *(_segment_columns() if segmented else []),
        sa.Column("from_bucket", sa.String(3), nullable=False),
        sa.Column("to_bucket", sa.String(11), nullable=False, doc="a bucket, closed, written_off"),
        _count("contracts", "contracts open at t - 1"),
        _money("balance", "their outstanding at t - 1"),
        _money("balance_at_t", "their outstanding at t when still open, else 0"),
        info={"layer": "mart", "grain": grain},
    )


migration_month = _migration_table(
    "migration_month",
    False,
    "one row per period kind, period-end month, beginning class and end class (the whole book)",
)
roll_month = _roll_table(
    "roll_month",
    False,
    "one row per month-end t, DPD bucket at t - 1 and destination at t (the whole book)",
)
migration_segment_month = _migration_table(
    "migration_segment_month",
    True,
    "one row per period kind, period-end month, segment combination, beginning "
    "class and end class (migration_month by segment)",
)
roll_segment_month = _roll_table(
    "roll_segment_month",
    True,
    "one row per month-end t, segment combination, DPD bucket at t - 1 and "
    "destination at t (roll_month by segment)",
)

# How many of the largest exposures per kind and month `concentration_month` keeps.
CONCENTRATION_KEPT = 100

concentration_month = sa.Table(
    "concentration_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("kind", sa.String, nullable=False, doc="lessee, group, related_party or the total"),
    sa.Column("place", sa.Integer, nullable=False, doc="1 = largest; ties by key"),
    sa.Column("key", sa.String, nullable=True, doc="lessee_id or group_id; NULL for the total"),
    sa.Column("name", sa.String, nullable=True, doc="corporate lessees' names only"),
    _count("lessees", "lessees with exposure in the row"),
    _money("outstanding", "outstanding principal of rows not written off"),
    info={
        "layer": "mart",
        "grain": f"one row per month-end, kind and place up to {CONCENTRATION_KEPT} (the largest "
        "lessee, group and related-party exposures) plus the related-party total",
    },
)

# PostgreSQL reads one month-end of the larger summaries through these; DuckDB skips the other
# months by zone maps (the rows are written in month order) and needs no index.
for _table, _keys in (
    (portfolio_month, ("month_idx",)),
    (portfolio_segment_month, ("month_idx",)),
    (migration_segment_month, ("period", "month_idx")),
    (roll_segment_month, ("month_idx",)),
    (concentration_month, ("month_idx",)),
):
    sa.Index(f"ix_{_table.name}_month", *(_table.c[k] for k in _keys)).ddl_if(dialect="postgresql")


def _vintage_table(name: str, keys: list[sa.Column], grain: str) -> sa.Table:
    """A `keys` × cohort × MOB vintage summary with the vintage measures."""
    return sa.Table(
        name,
        metadata,
        *keys,
        sa.Column("cohort_idx", sa.Integer, nullable=False, doc="month_idx of the start month"),
        sa.Column("cohort_month", sa.Date, nullable=False),
        sa.Column("mob", sa.Integer, nullable=False),
        _count("cohort_contracts", "contracts of the cohort (counted at MOB 0)"),
        _money("cohort_principal", "original principal of the cohort (counted at MOB 0)"),
        _money("ever30_principal", "original principal of contracts first DPD > 30 at this MOB"),
        _money("ever90_principal", "original principal of contracts first DPD > 90 at this MOB"),
        _money("current30_outstanding", "outstanding of rows DPD > 30, not written off"),
        _money("current90_outstanding", "outstanding of rows DPD > 90, not written off"),
        _money("writeoff_amount", "write-offs at this MOB (writeoffs.amount, else row balance)"),
        info={"layer": "mart", "grain": grain},
    )


vintage_month = _vintage_table(
    "vintage_month",
    _segment_columns(),
    "one row per cohort month, MOB and segment combination at which something happens "
    "(MOB 0, DPD > 30 or a write-off); other cells are zero",
)

# Coarser copies of vintage_month: the whole book, and one segment dimension at a time.
vintage_total_month = _vintage_table(
    "vintage_total_month",
    [],
    "one row per cohort month and MOB at which something happens (vintage_month summed over "
    "the segments)",
)

vintage_dimension_month = _vintage_table(
    "vintage_dimension_month",
    [
        sa.Column("dimension", sa.String, nullable=False, doc="a segment column name"),
        sa.Column("value", sa.String, nullable=False),
    ],
    "one row per segment dimension, value, cohort month and MOB at which something happens "
    "(vintage_month summed over the other segments)",
)

committee_classifications = sa.Table(
    "committee_classifications",
    metadata,
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("effective_month", sa.String(7), nullable=False, doc="YYYY-MM"),
    sa.Column("risk_class", sa.String, nullable=False),
    sa.Column("proposal_id", sa.Integer, nullable=False, doc="committee_decisions.decision_id"),
    sa.Column("proposed_by", sa.String, nullable=False),
    sa.Column("approved_by", sa.String, nullable=False),
    sa.Column("approved_at", sa.DateTime, nullable=False, doc="UTC"),
    info={
        "layer": "build",
        "grain": "one row per contract and effective month: the latest approved committee "
        "classification proposal, copied from the portal store at the build",
    },
)

# The monitoring marts (warehouse/marts/monitoring.py). One row per contract: what the
# collections, warning and leased-asset queries filter source rows by.
contract_segments = sa.Table(
    "contract_segments",
    metadata,
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    _money("original_principal", "the contract principal"),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("start_idx", sa.Integer, nullable=False, doc="month_idx of the start month"),
    sa.Column("end_idx", sa.Integer, nullable=True, doc="month closed or written off (last row)"),
    sa.Column("first_90_idx", sa.Integer, nullable=True, doc="first month with DPD > 90"),
    sa.Column("first_90_month_end", sa.Date, nullable=True),
    info={
        "layer": "mart",
        "grain": "one row per contract: lessee, segments, cohort, principal, start, end month "
        "and first month-end over 90 DPD",
    },
)

# The partitions of `collection_facts`' previous-action months (warehouse/marts/monitoring.py).
PREVIOUS_KEYS: dict[str, str] = {
    "any": "",
    "channel": " with this channel",
    "outcome": " with this outcome",
    "channel_outcome": " with this channel and outcome",
    "collector": " by this collector",
}

# The collections marts (warehouse/marts/monitoring.py): actions and credited receipts with
# their contract's segments, so the 催收 page filters them like any summary.
collection_facts = sa.Table(
    "collection_facts",
    metadata,
    sa.Column("action_id", sa.String, nullable=False),
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    sa.Column("month_idx", sa.Integer, nullable=False, doc="the action's month"),
    sa.Column("action_time", sa.DateTime, nullable=False),
    sa.Column("action_day", sa.Date, nullable=False),
    sa.Column("channel", sa.String, nullable=False),
    sa.Column("counterparty_role", sa.String, nullable=False),
    sa.Column("outcome", sa.String, nullable=False),
    sa.Column("collector", sa.String, nullable=False),
    sa.Column("promised_amount", MONEY_TYPE, nullable=True),
    sa.Column("promise_due", sa.Date, nullable=False, doc="promised_date, else the day + 30"),
    *(
        _count(name, doc)
        for name, doc in (
            ("attempt", "1 unless a legal filing"),
            ("reached", "1 for an attempt contacted, promised, refused or paid"),
            ("promise", "1 for a promise to pay"),
            ("kept", "1 for a promise whose receipts to its due date reach the amount"),
            ("part", "1 for a promise with some receipts, not enough"),
            ("spell_start", "1 for the first action of a collection spell"),
            ("cured", "1 for a spell start followed by DPD 0 within 3 month-ends"),
        )
    ),
    # The month of the contract's previous action (by time, then id) overall and with the same
    # channel, outcome, both, or collector; NULL for the first. Distinct contracts in a month
    # or window are then the rows whose previous action falls before it: a sum, not a hash.
    *(
        sa.Column(f"prev_{key}_idx", sa.Integer, nullable=True, doc=f"previous action's month{doc}")
        for key, doc in PREVIOUS_KEYS.items()
    ),
    info={
        "layer": "mart",
        "grain": "one row per collection action, with its contract's segments and its flags",
    },
)
# 催收's cure-spell list reads the spells started in a window of months: on PostgreSQL a scan of
# every action otherwise (2.0 s at 1,000,000 contracts, 1.5 s with it); DuckDB skips by zone maps.
sa.Index(
    "ix_collection_facts_spells",
    collection_facts.c.month_idx,
    postgresql_where=collection_facts.c.spell_start == 1,
).ddl_if(dialect="postgresql")

collection_credits = sa.Table(
    "collection_credits",
    metadata,
    sa.Column("receipt_id", sa.String, nullable=False),
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    sa.Column("month_idx", sa.Integer, nullable=False, doc="the receipt's month"),
    sa.Column("received_date", sa.Date, nullable=False),
    _money("amount", "the receipt"),
    sa.Column("action_id", sa.String, nullable=False, doc="the latest action ≤ 30 days before"),
    sa.Column("action_time", sa.DateTime, nullable=False),
    sa.Column("channel", sa.String, nullable=False),
    sa.Column("collector", sa.String, nullable=False),
    info={
        "layer": "mart",
        "grain": "one row per receipt dated within 30 days on or after a collection action of "
        "its contract, credited to the latest such action",
    },
)

# The 催收 page's action figures per month, kept once per build (warehouse/marts/
# collection_months.py): ten times fewer rows than `collection_facts`. Only the branch of the
# segments is kept (the user's scope and the branch filter); with other segment or cohort
# filters queries/collections.py reads `collection_facts` (that grain is as large as the actions).
collection_action_month = sa.Table(
    "collection_action_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False, doc="the actions' month"),
    sa.Column("branch", sa.String, nullable=False),
    sa.Column("channel", sa.String, nullable=False),
    sa.Column("outcome", sa.String, nullable=False),
    sa.Column("collector", sa.String, nullable=False),
    sa.Column("due_idx", sa.Integer, nullable=True, doc="a promise's due month; NULL otherwise"),
    *(
        _count(name, doc)
        for name, doc in (
            ("actions", "actions"),
            ("attempts", "actions that are attempts (not a legal filing)"),
            ("reached", "attempts reached"),
            ("promises", "promises to pay"),
            ("kept", "promises kept (counted by the query only once due)"),
            ("part", "promises partly kept (likewise)"),
            ("spells", "collection spell starts"),
            ("cured", "spell starts cured within 3 month-ends"),
        )
    ),
    # Contracts whose first action of the month in each `PREVIOUS_KEYS` partition is here.
    *(
        _count(f"first_{key}", f"contracts with their first action of the month{doc} here")
        for key, doc in PREVIOUS_KEYS.items()
    ),
    info={
        "layer": "mart",
        "grain": "one row per month × branch × channel × outcome × collector × promise due month",
    },
)

# Receipts credited to collections per month (warehouse/marts/collection_months.py), read with
# `collection_action_month` when nothing but the branch is filtered.
collection_credit_month = sa.Table(
    "collection_credit_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False, doc="the receipts' month"),
    sa.Column("branch", sa.String, nullable=False),
    sa.Column("channel", sa.String, nullable=False, doc="of the action credited"),
    sa.Column("collector", sa.String, nullable=False, doc="of the action credited"),
    _count("receipts", "receipts credited"),
    _money("amount", "their amounts"),
    info={
        "layer": "mart",
        "grain": "one row per month × branch × channel × collector of `collection_credits`",
    },
)

# Distinct contracts over a window of months (warehouse/marts/collection_months.py): each
# contract's first action of a month in a partition, by the month of its previous one there.
collection_first_month = sa.Table(
    "collection_first_month",
    metadata,
    sa.Column("key", sa.String, nullable=False, doc="any, channel or collector"),
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("branch", sa.String, nullable=False),
    sa.Column("value", sa.String, nullable=False, doc="the channel or collector; '' for any"),
    sa.Column("prev_idx", sa.Integer, nullable=True, doc="the previous action's month; NULL: none"),
    _count("contracts", "contracts whose first action of the month in the partition is here"),
    info={
        "layer": "mart",
        "grain": "one row per partition key × month × branch × value × previous action's month",
    },
)

# IoT device status counted once per build (warehouse/marts/devices.py), so the 预警与租赁物
# page sums rows instead of reading every device event.
device_month = sa.Table(
    "device_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    _count("devices", "fitted devices: reported by the month-end, on a contract on the book"),
    _count("offline_devices", "fitted devices with an offline event in the month"),
    _count("geofence_exits", "geofence-exit events of fitted devices in the month"),
    _count("geofence_devices", "fitted devices with a geofence exit in the month"),
    _count("abnormal_stops", "abnormal-stop events of fitted devices in the month"),
    _count("abnormal_stop_devices", "fitted devices with an abnormal stop in the month"),
    info={
        "layer": "mart",
        "grain": "one row per month-end up to the build's as-of × segments × cohort with a "
        "fitted IoT device",
    },
)

# Alert events per month × type × contract counted once per build (warehouse/marts/devices.py),
# so the 预警与租赁物 alert list reads a month's rows instead of joining events to contracts.
device_alert_month = sa.Table(
    "device_alert_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False, doc="the events' month"),
    sa.Column("event_type", sa.String, nullable=False, doc="offline, geofence_exit, abnormal_stop"),
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    _count("devices", "the contract's devices with such an event in the month"),
    _count("events", "such events of the contract's devices in the month"),
    sa.Column("last_event_time", sa.DateTime, nullable=False),
    info={
        "layer": "mart",
        "grain": "one row per month × alert event type × contract with such an event",
    },
)

# The collections compliance flags raised once per build with its `collections.*` settings
# (warehouse/marts/compliance.py), so the 催收 page counts rows instead of ranking every contact.
collection_flags = sa.Table(
    "collection_flags",
    metadata,
    sa.Column("flag", sa.String, nullable=False, doc="the compliance flag the action raises"),
    sa.Column("action_id", sa.String, nullable=False),
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    sa.Column("action_time", sa.DateTime, nullable=False),
    sa.Column("channel", sa.String, nullable=False),
    sa.Column("collector", sa.String, nullable=False),
    info={
        "layer": "mart",
        "grain": "one row per collection action up to the build's as-of per compliance flag it "
        "raises, with the build's collections settings",
    },
)

# Inspection coverage counted once per build with its `watch.inspection_*` settings
# (warehouse/marts/inspection.py), so the 预警与租赁物 page sums rows instead of a range join.
inspection_month = sa.Table(
    "inspection_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    _count("assets", "open contracts whose principal is above the inspection value floor"),
    _count("covered", "of those, inspected within the inspection interval up to the month-end"),
    _count("overdue", "of those, not covered although started before the interval"),
    info={
        "layer": "mart",
        "grain": "one row per month-end up to the build's as-of × segments × cohort with an "
        "asset needing inspection, counted with the build's inspection settings",
    },
)

# `inspection_month` summed per month-end × branch (warehouse/marts/branch_months.py): what the
# coverage chart reads when nothing but the branch (and the user's scope) is filtered.
inspection_branch_month = sa.Table(
    "inspection_branch_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("branch", sa.String, nullable=False),
    _count("assets", "open contracts whose principal is above the inspection value floor"),
    _count("covered", "of those, inspected within the inspection interval up to the month-end"),
    _count("overdue", "of those, not covered although started before the interval"),
    info={
        "layer": "mart",
        "grain": "one row per month-end × branch of `inspection_month`",
    },
)

# Inspections per month × asset status counted once per build (warehouse/marts/inspection.py),
# so the 预警与租赁物 findings chart sums rows instead of joining inspections to contracts.
inspection_findings_month = sa.Table(
    "inspection_findings_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False, doc="the inspection's month"),
    sa.Column("asset_status", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    _count("inspections", "inspections of the month with this asset status"),
    _count("contracts", "contracts with such an inspection in the month"),
    info={
        "layer": "mart",
        "grain": "one row per inspection month × asset status × segments × cohort",
    },
)

# The assets overdue for inspection at the build's as-of with the build's `watch.inspection_*`
# settings (warehouse/marts/inspection.py), so the 预警与租赁物 list reads rows instead of a join.
inspection_overdue = sa.Table(
    "inspection_overdue",
    metadata,
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    sa.Column("original_principal", MONEY_TYPE, nullable=False),
    sa.Column("start_date", sa.Date, nullable=False),
    sa.Column("last_inspection", sa.Date, nullable=True, doc="NULL: never inspected by then"),
    info={
        "layer": "mart",
        "grain": "one row per asset overdue for inspection at the build's as-of, with the "
        "build's inspection settings",
    },
)

# Each warning signal on the segments × cohort groups it counts for (warehouse/marts/lead_time.py),
# so the 预警与租赁物 signal chart filters rows instead of matching signals to every contract.
signal_scope = sa.Table(
    "signal_scope",
    metadata,
    sa.Column("signal_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    sa.Column("contract_id", sa.String, nullable=True, doc="NULL for a lessee-wide signal"),
    sa.Column("signal_date", sa.Date, nullable=False),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("severity", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    info={
        "layer": "mart",
        "grain": "one row per warning signal × segments × cohort group it counts for: its "
        "contract's group, or every group of its lessee's contracts for a lessee-wide signal",
    },
)

# The whole book's signals and lessees per month × source × severity at the build's as-of
# (warehouse/marts/lead_time.py): the signal chart with no filter and no branch scope.
signal_month = sa.Table(
    "signal_month",
    metadata,
    sa.Column("month_idx", sa.Integer, nullable=False, doc="the signals' month"),
    sa.Column("source", sa.String, nullable=False),
    sa.Column("severity", sa.String, nullable=False),
    _count("signals", "signals dated in the month"),
    _count("lessees", "distinct lessees with such a signal"),
    info={
        "layer": "mart",
        "grain": "one row per month × source × severity with a signal, over the whole book",
    },
)

# Each lessee's first warning signal and first 90+ per segments × cohort, kept once per build
# (warehouse/marts/lead_time.py), so the lead-time figures of 预警与租赁物 read a few rows per
# lessee instead of matching every signal against every contract.
lead_time_facts = sa.Table(
    "lead_time_facts",
    metadata,
    sa.Column("kind", sa.String, nullable=False, doc="signal (first signal) or over90 (first 90+)"),
    sa.Column("level", sa.String, nullable=True, doc="high or medium (medium and worse); signals"),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    sa.Column("event_date", sa.Date, nullable=False, doc="signal date or first 90+ month-end"),
    sa.Column("signal_id", sa.String, nullable=True),
    sa.Column("source", sa.String, nullable=True),
    sa.Column("contract_id", sa.String, nullable=True, doc="NULL for a lessee-wide signal"),
    info={
        "layer": "mart",
        "grain": "per lessee × segments × cohort with a contract: its first signal of each "
        "level (a lessee-wide signal on every such row of its lessee) and its first 90+",
    },
)

# The lead time of every lessee of the whole book at the build's as-of, per level
# (warehouse/marts/lead_time.py): what the three lead-time figures read with no filter and no
# branch scope, instead of ranking `lead_time_facts` three times per page view.
lead_time_lessees = sa.Table(
    "lead_time_lessees",
    metadata,
    sa.Column("level", sa.String, nullable=False, doc="high or medium (medium and worse)"),
    sa.Column("lessee_id", sa.String, nullable=False),
    sa.Column("first_signal_date", sa.Date, nullable=True),
    sa.Column("first_signal_source", sa.String, nullable=True),
    sa.Column("first_90_month_end", sa.Date, nullable=True),
    sa.Column("lead_days", sa.Integer, nullable=True, doc="first 90+ − first signal, in days"),
    sa.Column("lead_group", sa.String, nullable=False, doc="warned, late, missed or no_default"),
    sa.Column(
        "contract_id",
        sa.String,
        nullable=True,
        doc="the contract to open: the 90+ one, else the signal's, else the lessee's first",
    ),
    info={
        "layer": "mart",
        "grain": "one row per level × lessee with a first signal or a first 90+ by the "
        "build's as-of, over the whole book",
    },
)

# The watch rules read from the source tables rather than the mart (queries/at_risk.py), flagged
# once per build at its as-of with its `watch.*` settings (warehouse/marts/watch.py).
WATCH_SOURCE_RULES: tuple[str, ...] = (
    "signal",
    "iot",
    "inspection_abnormal",
    "inspection_overdue",
    "promise_broken",
    "debt_ratio",
    "cash_flow",
    "revenue_drop",
)

contract_watch = sa.Table(
    "contract_watch",
    metadata,
    sa.Column("contract_id", sa.String, nullable=False),
    *(
        _count(f"f_{rule}", f"1 when the contract meets watch rule `{rule}`, else 0")
        for rule in WATCH_SOURCE_RULES
    ),
    info={
        "layer": "mart",
        "grain": "one row per contract open at the build's as-of that meets a watch rule read "
        "from the source tables, with the build's watch settings",
    },
)

# Every open contract at the build's as-of meeting a watch rule the build can flag (all but the
# portal's watchlist), with what the 风险合同 list shows and filters on
# (warehouse/marts/watch.py, after the early-warning scores): the list at the build's as-of,
# watch settings and score cut-off reads these rows instead of every open contract-month.
at_risk_rows = sa.Table(
    "at_risk_rows",
    metadata,
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("lessee_id", sa.String, nullable=False),
    *_segment_columns(),
    sa.Column("cohort_month", sa.Date, nullable=False),
    sa.Column("outstanding_principal", MONEY_TYPE, nullable=False),
    sa.Column("overdue_principal", MONEY_TYPE, nullable=False),
    sa.Column("dpd", sa.Integer, nullable=False),
    sa.Column("risk_class", sa.String, nullable=False),
    sa.Column("class_reason", sa.String, nullable=False),
    sa.Column("score", sa.Double, nullable=True, doc="the early-warning score; NULL: not scored"),
    sa.Column("score_reason", sa.String, nullable=True, doc="the score's top reason key"),
    *(
        _count(f"f_{rule}", f"1 when the contract meets watch rule `{rule}`, else 0")
        for rule in ("score", "dpd", "class", "observation", *WATCH_SOURCE_RULES)
    ),
    info={
        "layer": "mart",
        "grain": "one row per contract open at the build's as-of that meets a watch rule other "
        "than the watchlist, with the build's watch settings and score cut-off",
    },
)

# The early-warning score of each performing contract at the scored month-ends, with the model
# version approved when the build ran (warehouse/marts/ew_scores.py); empty when no version is
# approved or scoring was refused. The build does not empty it: its scoring step carries over the
# month-ends whose inputs did not change (`ew_score_months`) and replaces the others. Read by
# 风险合同, the dossier and 模型监控 (docs/early-warning.md, "In the product").
ew_scores = sa.Table(
    "ew_scores",
    metadata,
    sa.Column("contract_id", sa.String, nullable=False),
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("month_end", sa.Date, nullable=False),
    sa.Column("model_version", sa.String, nullable=False, doc="the registry version, e.g. ew-0003"),
    sa.Column(
        "score",
        sa.Double,
        nullable=False,
        doc="probability of 90+ DPD or write-off at one of the next 6 month-ends",
    ),
    sa.Column(
        "score_decile",
        sa.SmallInteger,
        nullable=False,
        doc="1 = the riskiest tenth of the contracts scored at that month-end, 10 = the safest",
    ),
    *(
        sa.Column(f"reason_{i}", sa.String, nullable=True, doc=f"reason {i}: a reason key")
        for i in (1, 2, 3)
    ),
    info={
        "layer": "mart",
        "grain": "one row per contract performing (open, DPD ≤ 90) at a scored month-end, "
        "scored with the model version in force when the build ran",
    },
)
# The dossier reads one contract's scores, the at-risk list one month-end's; DuckDB's zone maps
# serve without an index.
sa.Index("ix_ew_scores_contract_id", ew_scores.c.contract_id).ddl_if(dialect="postgresql")
sa.Index("ix_ew_scores_month", ew_scores.c.month_idx, ew_scores.c.contract_id).ddl_if(
    dialect="postgresql"
)

# Each feature's performing contracts per bin of the approved version's training reference at each
# scored month-end, counted while scoring (warehouse/marts/ew_scores.py): 模型监控's feature PSI
# reads one month-end's rows. Kept, carried over and replaced with `ew_scores`; empty when the
# version's card keeps no reference.
ew_feature_bins = sa.Table(
    "ew_feature_bins",
    metadata,
    sa.Column("model_version", sa.String, nullable=False, doc="the registry version scored with"),
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("month_end", sa.Date, nullable=False),
    sa.Column("feature", sa.String, nullable=False, doc="a feature of the card's reference"),
    sa.Column(
        "bin",
        sa.SmallInteger,
        nullable=False,
        doc="numeric: 0 … len(edges) closed on the right, len(edges) + 1 missing; "
        "segment: the reference's value at that position, len(values) any other value",
    ),
    sa.Column("rows", sa.BigInteger, nullable=False, doc="contracts scored in that bin"),
    info={
        "layer": "mart",
        "grain": "one row per model version, scored month-end, reference feature and bin "
        "(bins with no contract included)",
    },
)
sa.Index(
    "ix_ew_feature_bins_month", ew_feature_bins.c.model_version, ew_feature_bins.c.month_idx
).ddl_if(dialect="postgresql")

# 模型监控's figures of the approved version per scored month-end, worked out at the end of the
# build's early-warning step at the build's as-of by the page's own statements
# (`queries.model_monitoring.performance_statement` / `calibration_statement`, early_warning/
# scoring.py): a row whose 6-month outcome is known there has the same outcome at any earlier
# as-of that knows it, so the page reads these rows and blanks the outcome of the month-ends whose
# 6th month-end is after its as-of. Never carried over (carried-over scores gain outcomes as
# months pass): emptied by every build and filled again when it scores. `ew_score_bins` counts
# the scores per bin of the card's training deciles (the score's PSI; none without a reference).
ew_performance_months = sa.Table(
    "ew_performance_months",
    metadata,
    sa.Column("model_version", sa.String, nullable=False, doc="the registry version scored with"),
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("month_end", sa.Date, nullable=False),
    sa.Column("rows", sa.BigInteger, nullable=False, doc="contracts scored at the month-end"),
    sa.Column("predicted", sa.Double, nullable=False, doc="their mean score"),
    sa.Column("n", sa.BigInteger, nullable=True, doc="rows with a known outcome (NULL: unknown)"),
    sa.Column("n1", sa.BigInteger, nullable=True, doc="of them, defaults"),
    sa.Column("rank_sum", sa.Double, nullable=True, doc="sum of the defaults' average ranks"),
    sa.Column("brier", sa.Double, nullable=True, doc="mean squared error of the score"),
    sa.Column("ks", sa.Double, nullable=True, doc="largest gap of the cumulative shares"),
    info={
        "layer": "mart",
        "grain": "one row per model version and scored month-end, at the build's as-of",
    },
)
ew_calibration_months = sa.Table(
    "ew_calibration_months",
    metadata,
    sa.Column("model_version", sa.String, nullable=False, doc="the registry version scored with"),
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("month_end", sa.Date, nullable=False),
    sa.Column("score_decile", sa.SmallInteger, nullable=False, doc="1 = the riskiest tenth"),
    sa.Column("rows", sa.BigInteger, nullable=False, doc="contracts scored in the decile"),
    sa.Column("predicted", sa.Double, nullable=False, doc="their mean score"),
    sa.Column("defaults", sa.BigInteger, nullable=True, doc="defaults (NULL: outcome unknown)"),
    sa.Column("observed", sa.Double, nullable=True, doc="defaults ÷ rows with a known outcome"),
    info={
        "layer": "mart",
        "grain": "one row per model version, scored month-end and score decile, at the build's "
        "as-of",
    },
)

ew_score_bins = sa.Table(
    "ew_score_bins",
    metadata,
    sa.Column("model_version", sa.String, nullable=False, doc="the registry version scored with"),
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("month_end", sa.Date, nullable=False),
    sa.Column(
        "edges",
        sa.String,
        nullable=False,
        doc="the card's score edges the bins are cut at (`queries.model_monitoring.edges_key`)",
    ),
    sa.Column("bin", sa.SmallInteger, nullable=False, doc="0 … len(edges), closed on the right"),
    sa.Column("rows", sa.BigInteger, nullable=False, doc="contracts scored in that bin"),
    info={
        "layer": "mart",
        "grain": "one row per model version, scored month-end and bin of the score at the "
        "card's training deciles (bins with a contract)",
    },
)

# Per scored month-end, the fingerprint of everything its features read when the build scored it
# (warehouse/marts/ew_scores.py `input_fingerprints`): the next build carries the month-end's
# scores and feature bins over when it finds the same fingerprint with the same version. Kept with
# `ew_scores`; empty when it is.
ew_score_months = sa.Table(
    "ew_score_months",
    metadata,
    sa.Column("model_version", sa.String, nullable=False, doc="the registry version scored with"),
    sa.Column("month_idx", sa.Integer, nullable=False),
    sa.Column("month_end", sa.Date, nullable=False),
    sa.Column(
        "fingerprint",
        sa.String(64),
        nullable=False,
        doc="SHA-256 of the month-end's inputs, the feature code and the version",
    ),
    sa.Column("rows", sa.BigInteger, nullable=False, doc="rows of ew_scores at that month-end"),
    info={
        "layer": "mart",
        "grain": "one row per month-end scored (or carried over) by the build, with the version",
    },
)

# What each build did about the early-warning score, kept across loads like `loads`: the version it
# scored with, or why it scored nothing (no approved version, a model refused).
ew_score_log = sa.Table(
    "ew_score_log",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("built_at", sa.DateTime, nullable=False, doc="UTC time the build scored"),
    sa.Column("as_of", sa.Date, nullable=False, doc="the build's as-of"),
    sa.Column("outcome", sa.String, nullable=False, doc="scored, no_model, refused or skipped"),
    sa.Column("model_version", sa.String, nullable=True, doc="NULL when no version was found"),
    sa.Column("month_ends", sa.Integer, nullable=False, doc="month-ends scored"),
    sa.Column("scores", sa.BigInteger, nullable=False, doc="rows written to ew_scores"),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("message", sa.String, nullable=False, doc="the line the build printed"),
    info={"layer": "portal", "grain": "one row per build: its early-warning scoring"},
)

check_runs = sa.Table(
    "check_runs",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("run_at", sa.DateTime, nullable=False, doc="UTC time the run finished"),
    sa.Column("as_of", sa.Date, nullable=True, doc="month-end the mart checks stop at; NULL: all"),
    sa.Column("load_id", sa.Integer, nullable=True, doc="latest load when the run started"),
    sa.Column("sha256", sa.String(64), nullable=True, doc="that load's extract fingerprint"),
    sa.Column("seconds", sa.Float, nullable=False),
    sa.Column("checks", sa.Integer, nullable=False),
    sa.Column("blocking_failures", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    info={"layer": "portal", "grain": "one row per data-check run (postloan check)"},
)

check_results = sa.Table(
    "check_results",
    metadata,
    sa.Column("run_id", sa.Integer, nullable=False),
    sa.Column("check_id", sa.String, nullable=False),
    sa.Column("dataset", sa.String, nullable=False),
    sa.Column("severity", sa.String, nullable=False, doc="blocking or warning"),
    sa.Column("status", sa.String, nullable=False, doc="passed, failed, error or skipped"),
    sa.Column("failing_rows", sa.BigInteger, nullable=False),
    sa.Column("examples", sa.String, nullable=False, doc="JSON list of the first offending keys"),
    sa.Column("message", sa.String, nullable=True, doc="why a check could not run"),
    sa.Column("seconds", sa.Float, nullable=False),
    info={"layer": "portal", "grain": "one row per check per data-check run"},
)

RISK_CLASS_RANK: dict[str, int] = {c: i for i, c in enumerate(spec.RISK_CLASSES)}
NPL_CLASSES: tuple[str, ...] = ("substandard", "doubtful", "loss")
DPD_BUCKETS: tuple[str, ...] = ("M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7+")
CLASS_REASONS: tuple[str, ...] = (
    "dpd",
    "restructured",
    "restructured_again",
    "override",
    "upgrade_hold",
    "debtor_npl_share",
    "committee",
)
