"""Configuration in one place: the settings file, the environment and `.streamlit/secrets.toml`.

`SETTINGS` is the registry of every configurable value of docs/domain.md with its default; the file
`postloan.toml` (or the file named by `POSTLOAN_SETTINGS`) overrides any of them. Everything else
receives a frozen `Settings` value and never reads files or the environment itself.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_WAREHOUSE_URL = "duckdb:///data/warehouse.duckdb"


@dataclass(frozen=True)
class Setting:
    """One configurable value: its dotted key, default, and the rule it comes from."""

    key: str
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "dpd.tolerance", "0.00", "docs/domain.md §2: unpaid residue (yuan) ignored when finding DPD"
    ),
    Setting(
        "classification.observation_months",
        12,
        "docs/domain.md §4.2: minimum length of a restructuring observation period, in months",
    ),
    Setting(
        "classification.observation_installments",
        2,
        "docs/domain.md §4.2: minimum installments due inside an observation period",
    ),
    Setting(
        "classification.re_restructuring_class",
        "substandard",
        "docs/domain.md §4.2 (unconfirmed): floor for a restructuring inside an observation period",
    ),
    Setting(
        "classification.upgrade_installments",
        2,
        "docs/domain.md §4.5: on-time installments after clearing arrears that allow leaving NPL",
    ),
    Setting(
        "classification.upgrade_months",
        6,
        "docs/domain.md §4.5: months after clearing arrears that allow leaving NPL",
    ),
    Setting(
        "classification.debtor_npl_share",
        "0.10",
        "docs/domain.md §4.4: NPL share of a corporate lessee's balance above which all its "
        "contracts are at least substandard",
    ),
    Setting("provisions.normal", "0.01", "docs/domain.md §5: estimated provision rate, normal"),
    Setting(
        "provisions.special_mention",
        "0.02",
        "docs/domain.md §5: estimated provision rate, special mention",
    ),
    Setting(
        "provisions.substandard", "0.25", "docs/domain.md §5: estimated provision rate, substandard"
    ),
    Setting("provisions.doubtful", "0.50", "docs/domain.md §5: estimated provision rate, doubtful"),
    Setting("provisions.loss", "1.00", "docs/domain.md §5: estimated provision rate, loss"),
    Setting(
        "entity.entity_type",
        "",
        "docs/domain.md §8: financing_lease | financial_lease | lender; empty takes the extract "
        "manifest",
    ),
    Setting(
        "entity.net_assets_source",
        "company_financials",
        "docs/domain.md §8: where net assets / capital net come from (the extract's "
        "company_financials)",
    ),
    Setting(
        "collections.contact_window_start", "08:00", "docs/domain.md §10: earliest allowed contact"
    ),
    Setting(
        "collections.contact_window_end", "21:00", "docs/domain.md §10: latest allowed contact"
    ),
    Setting("collections.daily_cap", 3, "docs/domain.md §10: contact attempts per debtor per day"),
    Setting("collections.retention_years", 2, "docs/domain.md §10: minimum years records are kept"),
    Setting("access.idle_minutes", 30, "access: minutes without activity before sign-out"),
    Setting("access.absolute_hours", 12, "access: hours after sign-in before sign-out"),
    Setting("access.max_failed_logins", 5, "access: wrong passwords in a row before lockout"),
    Setting("access.lockout_minutes", 15, "access: minutes an account stays locked"),
    Setting(
        "access.min_password_length",
        12,
        "access: fewest characters of a new local password (never below 8)",
    ),
    Setting("access.oidc_roles_claim", "roles", "access: OIDC claim holding the roles"),
    Setting(
        "access.oidc_branches_claim",
        "branches",
        "access: OIDC claim holding the branch scope (absent = every branch)",
    ),
    Setting(
        "watch.signal_days", 90, "docs/domain.md §4: days a high-severity warning signal counts"
    ),
    Setting("watch.iot_days", 30, "docs/domain.md §4: days an IoT alert counts"),
    Setting("watch.promise_days", 90, "docs/domain.md §10: days a broken promise to pay counts"),
    Setting(
        "watch.inspection_interval_days",
        180,
        "docs/domain.md §4: an asset above the minimum value uninspected this long is overdue",
    ),
    Setting(
        "watch.inspection_min_asset_value",
        "1000000.00",
        "docs/domain.md §4: contract principal (yuan) above which inspections are required",
    ),
    Setting(
        "watch.debt_ratio", "0.70", "docs/domain.md §4: lessee debt ratio above which it is watched"
    ),
    Setting(
        "watch.revenue_drop_share",
        "0.20",
        "docs/domain.md §4: year-on-year revenue fall (share) above which a lessee is watched",
    ),
    Setting(
        "early_warning.registry",
        "data/models",
        "docs/early-warning.md: the model registry folder the build scores from (relative: under "
        "the project folder)",
    ),
    Setting(
        "early_warning.score_months",
        12,
        "docs/early-warning.md: month-ends up to the as-of that the build scores with the "
        "approved model",
    ),
    Setting(
        "early_warning.train_months",
        24,
        "docs/early-warning.md: month-ends a book above 500,000 training rows is trained on "
        "(at least 19: the backtest's)",
    ),
    Setting(
        "early_warning.score_cutoff",
        "0.10",
        "docs/risk-committee.md: early-warning score (a probability) from which a contract is "
        "at risk",
    ),
    Setting(
        "alerts.par30_max",
        "0.05",
        "docs/domain.md §5: 30+ overdue balance rate above which an alert fires (risk appetite)",
    ),
    Setting(
        "alerts.par90_max",
        "0.03",
        "docs/domain.md §5: 90+ overdue balance rate above which an alert fires (risk appetite)",
    ),
    Setting(
        "alerts.normal_migration_rate_max",
        "0.03",
        "docs/domain.md §7: monthly 正常类迁徙率 above which an alert fires",
    ),
    Setting(
        "alerts.special_mention_migration_rate_max",
        "0.20",
        "docs/domain.md §7: monthly 关注类迁徙率 above which an alert fires",
    ),
    Setting(
        "alerts.substandard_migration_rate_max",
        "0.30",
        "docs/domain.md §7: monthly 次级类迁徙率 above which an alert fires",
    ),
    Setting(
        "alerts.doubtful_migration_rate_max",
        "0.30",
        "docs/domain.md §7: monthly 可疑类迁徙率 above which an alert fires",
    ),
    Setting(
        "alerts.performing_migration_rate_max",
        "0.02",
        "docs/domain.md §7: monthly 正常贷款迁徙率 above which an alert fires",
    ),
    Setting(
        "alerts.large_exposure",
        "10000000.00",
        "docs/domain.md §4: outstanding principal (yuan) from which a contract with a "
        "high-severity signal or IoT alert raises an alert",
    ),
    Setting(
        "alerts.band_share",
        "0.05",
        "alerts: hysteresis band as a share of the line; an alert resolves only that far inside",
    ),
    Setting(
        "alerts.grace_periods",
        1,
        "alerts: consecutive breached month-ends before an alert fires",
    ),
    Setting(
        "alerts.model_psi_max",
        "0.25",
        "docs/early-warning.md (Monitoring): PSI of the early-warning score against its "
        "training distribution above which model.psi fires",
    ),
    Setting(
        "alerts.model_auc_min",
        "0.70",
        "docs/early-warning.md (Monitoring): AUC of the early-warning score at the latest "
        "month-end with a known 6-month outcome below which model.auc fires",
    ),
    Setting(
        "delivery.base_url",
        "http://localhost:8501",
        "delivery: the portal's address as recipients reach it, for the links in messages",
    ),
    Setting(
        "delivery.allowed_domains",
        "",
        "delivery: comma-separated e-mail domains messages may go to (empty: any)",
    ),
    Setting(
        "tasks.dpd_bands",
        [
            "1-7 * 0 reminder service 1 3",
            "8-30 * 0 notice collections 3 3",
            "31-60 * 0 visit risk 10 2",
            "61-90 * 0 demand legal 5 1",
            "91- * 0 litigation legal 20 1",
        ],
        "docs/domain.md §10: the strategy's DPD bands (version 0): DPD from-to, product, "
        "minimum exposure, step, department, SLA in working days, priority",
    ),
    Setting(
        "tasks.triggers",
        [
            "iot site_inspection operations 3 2",
            "inspection legal_review legal 5 1",
            "financial financial_review finance 10 2",
            "signal signal_review risk 5 2",
        ],
        "docs/domain.md §4: the strategy's triggers beyond DPD (version 0): trigger, step, "
        "department, SLA in working days, priority",
    ),
    Setting(
        "tasks.iot_events",
        "offline,geofence_exit",
        "docs/domain.md §4: device event types that make a site-inspection task",
    ),
    Setting(
        "tasks.inspection_statuses",
        "damaged,missing,pledged,relocated",
        "docs/domain.md §4: inspection asset statuses that make a legal-review task",
    ),
    Setting(
        "tasks.debt_ratio",
        "0.70",
        "docs/domain.md §4: lessee debt ratio above which it gets a financial review",
    ),
    Setting(
        "tasks.debt_ratio_rise",
        "0.10",
        "docs/domain.md §4: rise of the debt ratio over a year that gets a financial review",
    ),
    Setting(
        "tasks.revenue_drop_share",
        "0.20",
        "docs/domain.md §4: year-on-year revenue fall (share) that gets a financial review",
    ),
    Setting(
        "tasks.cash_flow_floor",
        "0.00",
        "docs/domain.md §4: operating cash flow (yuan) below which a lessee is reviewed",
    ),
    Setting(
        "tasks.signal_sources",
        "tax,court,social_security",
        "docs/domain.md §4: warning-signal sources that make a signal-review task",
    ),
    Setting(
        "tasks.signal_severities",
        "medium,high",
        "docs/domain.md §4: warning-signal severities that make a signal-review task",
    ),
    Setting("tasks.signal_days", 90, "docs/domain.md §4: days a signal keeps its task open"),
    Setting(
        "rectification.days_data_check",
        5,
        "docs/domain.md §9: working days to rectify a blocking data-check failure",
    ),
    Setting(
        "rectification.days_validation",
        5,
        "docs/domain.md §9: working days to rectify a validation finding of a filing",
    ),
    Setting(
        "rectification.days_correction",
        10,
        "docs/domain.md §9: working days to rectify the cause of a filing correction",
    ),
    Setting(
        "display.time_zone",
        "Asia/Shanghai",
        "display: IANA time zone every time is shown in, on screens and in files (stored in UTC)",
    ),
)

SETTING_KEYS = tuple(s.key for s in SETTINGS)


@dataclass(frozen=True)
class Settings:
    """The settings in force: every key of `SETTINGS`, as values."""

    values: dict[str, Any] = field(default_factory=dict)
    source: str = "defaults"

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def decimal(self, key: str) -> Decimal:
        """A setting read as an exact Decimal."""
        return Decimal(str(self.values[key]))

    def as_rows(self) -> list[tuple[str, str]]:
        """The settings as (key, text) rows, for recording and printing."""
        return [(k, str(self.values[k])) for k in SETTING_KEYS]


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in data.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, f"{key}."))
        else:
            out[key] = v
    return out


def settings_path() -> Path:
    """The settings file in use: $POSTLOAN_SETTINGS or postloan.toml at the project root."""
    return Path(os.environ.get("POSTLOAN_SETTINGS", ROOT / "postloan.toml"))


def load_settings(path: Path | None = None, overrides: dict[str, Any] | None = None) -> Settings:
    """Read the settings file over the defaults; unknown keys are an error, not ignored."""
    values = {s.key: s.default for s in SETTINGS}
    path = path or settings_path()
    source = "defaults"
    if path.exists():
        with path.open("rb") as fh:
            given = _flatten(tomllib.load(fh))
        unknown = sorted(set(given) - set(values))
        if unknown:
            raise ValueError(f"{path}: unknown settings {', '.join(unknown)}")
        values.update(given)
        source = str(path)
    if overrides:
        values.update(overrides)
    return Settings(values=values, source=source)


def secrets_path() -> Path:
    """The secrets file: $POSTLOAN_SECRETS or `.streamlit/secrets.toml` at the project root."""
    return Path(os.environ.get("POSTLOAN_SECRETS", ROOT / ".streamlit" / "secrets.toml"))


def secrets_section(name: str) -> dict[str, Any]:
    """One table of the secrets file (e.g. `smtp`); empty when the file or table is missing."""
    section = _secrets().get(name, {})
    return dict(section) if isinstance(section, dict) else {}


def _secrets() -> dict[str, Any]:
    path = secrets_path()
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return tomllib.load(fh)


def warehouse_url(explicit: str | None = None) -> str:
    """The warehouse URL: --warehouse, $POSTLOAN_WAREHOUSE_URL, secrets.toml, or the default."""
    if explicit:
        return explicit
    env = os.environ.get("POSTLOAN_WAREHOUSE_URL")
    if env:
        return env
    url = _secrets().get("warehouse", {}).get("url")
    return url or DEFAULT_WAREHOUSE_URL


def display_zone(settings: Settings | None = None) -> ZoneInfo:
    """The time zone every time is shown in (`display.time_zone`; times are stored in UTC)."""
    name = str((settings or load_settings())["display.time_zone"])
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"display.time_zone: {name!r} is not an IANA time zone") from error


def _aware(at: datetime) -> datetime:
    """A stored time as an aware UTC time (the portal and the loader store naive UTC)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at


def zone_label(zone: ZoneInfo, at: datetime | None = None) -> str:
    """The zone as `UTC+08:00 Asia/Shanghai`: its offset at `at` (default: now) and its name."""
    moment = _aware(at) if at is not None else datetime.now(tz=UTC)
    offset = moment.astimezone(zone).strftime("%z")  # +0800
    return f"UTC{offset[:3]}:{offset[3:]} {zone.key}"


def local_time(at: datetime, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (naive UTC or aware) time as wall-clock text in `zone`, without the zone."""
    return _aware(at).astimezone(zone).strftime(fmt)


def labelled_time(at: datetime, zone: ZoneInfo, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored time in `zone` with its zone: `2026-10-31 18:05 (UTC+08:00 Asia/Shanghai)`."""
    return f"{local_time(at, zone, fmt)} ({zone_label(zone, at)})"
