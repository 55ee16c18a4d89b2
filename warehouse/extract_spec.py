"""The extract format as data: every table, column, type, key and code list of an extract.

This registry is the single source of truth for the loader's checks, the warehouse source tables,
the demo generator and `docs/extract-format.md` (a test keeps the document in step with it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds. Money is yuan with at most 2 decimals; dates are ISO YYYY-MM-DD; months YYYY-MM;
# timestamps ISO YYYY-MM-DD HH:MM[:SS] in local (Beijing) time without zone.
TEXT = "text"
DATE = "date"
MONTH = "month"
TIMESTAMP = "timestamp"
MONEY = "money"
RATE = "rate"
INT = "int"
FLOAT = "float"
BOOL = "bool"

KINDS = (TEXT, DATE, MONTH, TIMESTAMP, MONEY, RATE, INT, FLOAT, BOOL)

ENTITY_TYPES = ("financing_lease", "financial_lease", "lender")
LESSEE_TYPES = ("corporate", "individual")
PRODUCTS = ("direct_lease", "sale_leaseback", "loan")
RISK_CLASSES = ("normal", "special_mention", "substandard", "doubtful", "loss")
RESTRUCTURE_TYPES = (
    "extension",
    "grace_period",
    "capitalised_interest",
    "rate_cut",
    "reduction",
    "refinancing",
)
INDUSTRIES = tuple("ABCDEFGHIJKLMNOPQRST")  # GB/T 4754-2017 sections
CHANNELS = ("phone", "sms", "letter", "visit", "agency", "legal")
COUNTERPARTY_ROLES = ("lessee", "guarantor", "other")
OUTCOMES = ("no_answer", "contacted", "promise_to_pay", "refused", "paid", "legal_filed")
INSPECTION_TYPES = ("routine", "site", "third_party")
ASSET_STATUSES = ("normal", "idle", "damaged", "missing", "pledged", "relocated")
DEVICE_EVENT_TYPES = ("offline", "geofence_exit", "abnormal_stop", "low_utilisation")
SIGNAL_SOURCES = ("tax", "court", "social_security", "financial", "iot", "news", "internal")
SEVERITIES = ("low", "medium", "high")
GUARANTOR_TYPES = ("corporate", "individual")
MANIFEST_KEYS = ("as_of", "institution", "entity_type", "currency")


@dataclass(frozen=True)
class Column:
    """One column of an extract table."""

    name: str
    kind: str
    required: bool = True  # False: the cell may be empty
    enum: tuple[str, ...] | None = None
    nonnegative: bool = False
    pattern: str | None = None  # a regular expression the text must match in full
    doc: str = ""


@dataclass(frozen=True)
class Reference:
    """A foreign key: these columns must name an existing row of another table."""

    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One extract table (a CSV file or an .xlsx sheet of the same name)."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = True
    references: tuple[Reference, ...] = field(default_factory=tuple)
    doc: str = ""

    def column(self, name: str) -> Column:
        """The column called `name`."""
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> tuple[str, ...]:
        """Column names in declared order."""
        return tuple(c.name for c in self.columns)


def _ref(col: str, table: str) -> Reference:
    return Reference((col,), table, (col,))


TABLES: tuple[Table, ...] = (
    Table(
        "lessees",
        (
            Column("lessee_id", TEXT),
            Column("name", TEXT, doc="personal data for individuals"),
            Column("lessee_type", TEXT, enum=LESSEE_TYPES),
            Column("id_number", TEXT, doc="unified social credit code or resident ID number"),
            Column("industry", TEXT, enum=INDUSTRIES, doc="GB/T 4754 section letter"),
            Column("region", TEXT, pattern=r"\d{6}", doc="6-digit administrative division code"),
            Column("group_id", TEXT, required=False),
            Column(
                "group_name",
                TEXT,
                required=False,
                doc="the group's name (a company name, not personal data); the column may be "
                "left out",
            ),
            Column("related_party", BOOL),
        ),
        key=("lessee_id",),
        doc="One row per lessee (承租人).",
    ),
    Table(
        "contracts",
        (
            Column("contract_id", TEXT),
            Column("lessee_id", TEXT),
            Column("product", TEXT, enum=PRODUCTS),
            Column("asset_category", TEXT),
            Column("start_date", DATE),
            Column("principal", MONEY, nonnegative=True),
            Column("annual_rate", RATE, nonnegative=True, doc="0.065 = 6.5% a year"),
            Column("term_months", INT, nonnegative=True),
            Column("branch", TEXT),
            Column("account_manager", TEXT),
        ),
        key=("contract_id",),
        references=(_ref("lessee_id", "lessees"),),
        doc="One row per lease or loan contract.",
    ),
    Table(
        "schedule",
        (
            Column("contract_id", TEXT),
            Column("installment_no", INT, nonnegative=True),
            Column("due_date", DATE),
            Column("principal_due", MONEY, nonnegative=True),
            Column("interest_due", MONEY, nonnegative=True),
            Column("valid_from", DATE, required=False),
            Column("valid_to", DATE, required=False),
        ),
        key=("contract_id", "valid_from", "installment_no"),
        references=(_ref("contract_id", "contracts"),),
        doc="One row per installment per schedule version (versions differ by valid_from).",
    ),
    Table(
        "receipts",
        (
            Column("receipt_id", TEXT),
            Column("contract_id", TEXT),
            Column("received_date", DATE),
            Column("amount", MONEY, nonnegative=True),
        ),
        key=("receipt_id",),
        references=(_ref("contract_id", "contracts"),),
        doc="One row per receipt (回款).",
    ),
    Table(
        "restructurings",
        (
            Column("contract_id", TEXT),
            Column("effective_date", DATE),
            Column("restructure_type", TEXT, enum=RESTRUCTURE_TYPES),
        ),
        key=("contract_id", "effective_date"),
        required=False,
        references=(_ref("contract_id", "contracts"),),
        doc="One row per restructuring; the new schedule version starts on effective_date.",
    ),
    Table(
        "writeoffs",
        (
            Column("contract_id", TEXT),
            Column("writeoff_date", DATE),
            Column("amount", MONEY, nonnegative=True),
        ),
        key=("contract_id",),
        required=False,
        references=(_ref("contract_id", "contracts"),),
        doc="At most one write-off (核销) per contract.",
    ),
    Table(
        "classification_overrides",
        (
            Column("contract_id", TEXT),
            Column("effective_month", MONTH),
            Column("risk_class", TEXT, enum=RISK_CLASSES),
            Column("reason", TEXT),
            Column("approved_by", TEXT),
        ),
        key=("contract_id", "effective_month"),
        required=False,
        references=(_ref("contract_id", "contracts"),),
        doc="Manual classification by the risk committee; it can only worsen the floor.",
    ),
    Table(
        "provisions",
        (
            Column("contract_id", TEXT),
            Column("month_end", DATE),
            Column("amount", MONEY, nonnegative=True),
        ),
        key=("contract_id", "month_end"),
        required=False,
        references=(_ref("contract_id", "contracts"),),
        doc="Loss provision (减值准备) per contract and month-end.",
    ),
    Table(
        "guarantors",
        (
            Column("contract_id", TEXT),
            Column("guarantor_id", TEXT),
            Column("name", TEXT),
            Column("guarantor_type", TEXT, enum=GUARANTOR_TYPES),
        ),
        key=("contract_id", "guarantor_id"),
        required=False,
        references=(_ref("contract_id", "contracts"),),
    ),
    Table(
        "collections",
        (
            Column("action_id", TEXT),
            Column("contract_id", TEXT),
            Column("action_time", TIMESTAMP),
            Column("channel", TEXT, enum=CHANNELS),
            Column("counterparty_role", TEXT, enum=COUNTERPARTY_ROLES),
            Column("outcome", TEXT, enum=OUTCOMES),
            Column("promised_amount", MONEY, required=False, nonnegative=True),
            Column("promised_date", DATE, required=False),
            Column("collector", TEXT),
        ),
        key=("action_id",),
        required=False,
        references=(_ref("contract_id", "contracts"),),
        doc="One row per collection (催收) attempt.",
    ),
    Table(
        "inspections",
        (
            Column("inspection_id", TEXT),
            Column("contract_id", TEXT),
            Column("inspection_date", DATE),
            Column("inspection_type", TEXT, enum=INSPECTION_TYPES),
            Column("asset_status", TEXT, enum=ASSET_STATUSES),
            Column("note", TEXT, required=False),
        ),
        key=("inspection_id",),
        required=False,
        references=(_ref("contract_id", "contracts"),),
        doc="Leased-asset inspections (租赁物检查).",
    ),
    Table(
        "device_events",
        (
            Column("event_id", TEXT),
            Column("contract_id", TEXT),
            Column("device_id", TEXT),
            Column("event_time", TIMESTAMP),
            Column("event_type", TEXT, enum=DEVICE_EVENT_TYPES),
            Column("latitude", FLOAT, required=False),
            Column("longitude", FLOAT, required=False),
            Column("run_hours", FLOAT, required=False, nonnegative=True),
        ),
        key=("event_id",),
        required=False,
        references=(_ref("contract_id", "contracts"),),
        doc="IoT events from devices on leased assets.",
    ),
    Table(
        "warning_signals",
        (
            Column("signal_id", TEXT),
            Column("lessee_id", TEXT),
            Column("contract_id", TEXT, required=False),
            Column("signal_date", DATE),
            Column("source", TEXT, enum=SIGNAL_SOURCES),
            Column("severity", TEXT, enum=SEVERITIES),
            Column("description", TEXT),
        ),
        key=("signal_id",),
        required=False,
        references=(_ref("lessee_id", "lessees"), _ref("contract_id", "contracts")),
        doc="Early-warning signals (预警信号).",
    ),
    Table(
        "lessee_financials",
        (
            Column("lessee_id", TEXT),
            Column("period_end", DATE),
            Column("total_assets", MONEY),
            Column("total_liabilities", MONEY),
            Column("revenue", MONEY),
            Column("net_profit", MONEY),
            Column("operating_cash_flow", MONEY),
        ),
        key=("lessee_id", "period_end"),
        required=False,
        references=(_ref("lessee_id", "lessees"),),
        doc="Corporate lessees' financial statements (财务数据比对).",
    ),
    Table(
        "company_financials",
        (
            Column("month_end", DATE),
            Column("total_assets", MONEY, nonnegative=True),
            Column("net_assets", MONEY),
            Column("cash_and_deposits", MONEY, nonnegative=True),
            Column("government_bonds", MONEY, nonnegative=True),
            Column("fixed_income_investments", MONEY, nonnegative=True),
            Column("leasing_assets", MONEY, nonnegative=True),
            Column("capital_net", MONEY),
        ),
        key=("month_end",),
        required=False,
        doc="The institution's own monthly balance-sheet figures for prudential ratios.",
    ),
)

TABLES_BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}
REQUIRED_TABLES: tuple[str, ...] = ("manifest", *(t.name for t in TABLES if t.required))
