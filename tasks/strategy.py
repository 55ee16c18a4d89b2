"""The tiered post-loan strategy as data: which step, which department and which SLA for what.

A strategy has two parts. *Bands* say what a contract past due gets: per DPD band (`from`–`to`
inclusive, `to` None = no upper end), product (`*` = any) and exposure size (`min_exposure`, the
outstanding principal in yuan from which the row applies), the step, its owner department, its SLA
in working days and its priority (1 highest … 3). *Triggers* say the same for the warnings beyond
DPD (`TRIGGERS`: IoT alerts, inspection findings, financial deterioration, external signals).

Version 0 is `postloan.toml` `[tasks]` (`from_settings`); an administrator saves later versions in
the portal store (`save_version`, `postloan tasks strategy set FILE`) and the latest one is in force
(`current`). A contract takes the row of its most specific product (its own code before `*`), then
the largest `min_exposure` not above its exposure, then its DPD band. `validate` refuses, with a
message naming the row, a strategy whose bands overlap or leave a gap (for every product and
exposure tier the bands cover DPD 1 … ∞ exactly once), that names an unknown step or department,
or a non-positive SLA; nothing is saved then. docs/tasks.md lists the defaults.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from tasks.departments import DEPARTMENTS
from tasks.outcomes import CONTROL
from warehouse.portal import audit, utc_now
from warehouse.portal.tasks import task_strategies
from warehouse.settings import Settings, load_settings

# step code -> (zh, en): the actions a task asks for.
STEPS: dict[str, tuple[str, str]] = {
    "reminder": ("还款提醒（短信/电话）", "Payment reminder (SMS or call)"),
    "notice": ("电话催收并发送书面催收通知", "Collection call and written notice"),
    "visit": (
        "上门拜访与协商（可形成重组方案提交委员会）",
        "Visit and negotiation (may end in a restructuring proposal to the committee)",
    ),
    "demand": ("发送正式催告函", "Formal demand"),
    "litigation": ("诉讼评估与资产回收", "Litigation assessment and asset recovery"),
    "site_inspection": ("现场检查租赁物", "Site inspection of the leased asset"),
    "legal_review": ("法务审查", "Legal review"),
    "financial_review": ("财务审查", "Financial review"),
    "signal_review": ("外部信号核查", "Review of the external signal"),
}

# trigger code -> (zh, en): the warnings beyond DPD that make tasks (tasks.triggers).
TRIGGERS: dict[str, tuple[str, str]] = {
    "iot": ("物联网位移/离线告警", "IoT displacement or offline alert"),
    "inspection": ("检查发现挪用、损毁或抵质押", "Inspection finding of misuse, damage or pledge"),
    "financial": ("承租人财务恶化", "Lessee financial deterioration"),
    "signal": ("税务、司法或社保信号", "Tax, court or social-security signal"),
}

ANY_PRODUCT = "*"
PRODUCT_CODE = re.compile(r"[A-Za-z0-9_-]{1,32}")
NOTE_LIMIT = 500


class StrategyError(ValueError):
    """A strategy that cannot be used; the message names the row and what is wrong."""


@dataclass(frozen=True)
class Band:
    """What a contract past due gets: DPD `dpd_from`–`dpd_to` (None = no end), per product and
    exposure tier."""

    dpd_from: int
    dpd_to: int | None
    product: str
    min_exposure: Decimal
    step: str
    department: str
    sla_days: int
    priority: int


@dataclass(frozen=True)
class TriggerRule:
    """What a warning beyond DPD (`TRIGGERS`) gets."""

    trigger: str
    step: str
    department: str
    sla_days: int
    priority: int


@dataclass(frozen=True)
class Strategy:
    """A strategy version: its bands and trigger rules (version 0 = the settings)."""

    version: int
    bands: tuple[Band, ...]
    triggers: tuple[TriggerRule, ...]
    created_by: str = "postloan.toml"
    created_at: datetime | None = None

    def trigger_rule(self, trigger: str) -> TriggerRule | None:
        """The rule for `trigger`, None when this strategy makes no task for it."""
        return next((t for t in self.triggers if t.trigger == trigger), None)

    def body(self) -> dict[str, object]:
        """The strategy as the JSON object stored in `task_strategies.body`."""
        bands = []
        for b in self.bands:
            row = asdict(b)
            row["min_exposure"] = str(b.min_exposure)
            bands.append(row)
        return {"bands": bands, "triggers": [asdict(t) for t in self.triggers]}


def step_words(step: str, lang: str = "zh") -> str:
    """The words of a step in `lang` ("zh" or "en"); an unknown code is shown as given."""
    words = STEPS.get(step)
    if words is None:
        return step
    return words[1] if lang == "en" else words[0]


def _int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise StrategyError(f"{what}: {value!r} is not a whole number")
    try:
        return int(value)
    except ValueError as exc:
        raise StrategyError(f"{what}: {value!r} is not a whole number") from exc


def _common(row: dict[str, object], where: str) -> tuple[str, str, int, int]:
    step, department = str(row.get("step", "")), str(row.get("department", ""))
    if step not in STEPS:
        raise StrategyError(f"{where}: unknown step {step!r}; choose from {', '.join(STEPS)}")
    if department not in DEPARTMENTS:
        raise StrategyError(
            f"{where}: unknown department {department!r}; choose from {', '.join(DEPARTMENTS)}"
        )
    sla = _int(row.get("sla_days"), f"{where}: sla_days")
    if sla <= 0:
        raise StrategyError(f"{where}: the SLA must be at least 1 working day, not {sla}")
    priority = _int(row.get("priority", 2), f"{where}: priority")
    if priority not in (1, 2, 3):
        raise StrategyError(f"{where}: priority is 1 (highest), 2 or 3, not {priority}")
    return step, department, sla, priority


def _band(row: object, n: int) -> Band:
    where = f"band {n}"
    if not isinstance(row, dict):
        raise StrategyError(f"{where}: expected an object, got {row!r}")
    step, department, sla, priority = _common(row, where)
    start = _int(row.get("dpd_from"), f"{where}: dpd_from")
    end_value = row.get("dpd_to")
    end = None if end_value in (None, "") else _int(end_value, f"{where}: dpd_to")
    if start < 1 or (end is not None and end < start):
        raise StrategyError(f"{where}: DPD {start}–{end} is not a band of days past due ≥ 1")
    try:
        floor = Decimal(str(row.get("min_exposure", "0")))
    except InvalidOperation as exc:
        raise StrategyError(f"{where}: min_exposure {row.get('min_exposure')!r}") from exc
    if not floor.is_finite() or floor < 0:
        raise StrategyError(f"{where}: min_exposure must be an amount ≥ 0, not {floor}")
    product = str(row.get("product") or ANY_PRODUCT)
    if product != ANY_PRODUCT and not PRODUCT_CODE.fullmatch(product):
        raise StrategyError(
            f"{where}: product {product[:40]!r} is not '*' or a product code (letters, digits, "
            "_ and -, at most 32)"
        )
    return Band(start, end, product, floor, step, department, sla, priority)


def _trigger(row: object, n: int) -> TriggerRule:
    where = f"trigger {n}"
    if not isinstance(row, dict):
        raise StrategyError(f"{where}: expected an object, got {row!r}")
    code = str(row.get("trigger", ""))
    if code not in TRIGGERS:
        raise StrategyError(f"{where}: unknown trigger {code!r}; choose from {', '.join(TRIGGERS)}")
    return TriggerRule(code, *_common(row, f"{where} ({code})"))


def _check_cover(bands: tuple[Band, ...]) -> None:
    """Every product × exposure tier covers DPD 1 … ∞ once; `*` from 0 yuan exists."""
    tiers: dict[tuple[str, Decimal], list[Band]] = {}
    for b in bands:
        tiers.setdefault((b.product, b.min_exposure), []).append(b)
    if (ANY_PRODUCT, Decimal(0)) not in {(p, f.normalize()) for p, f in tiers}:
        raise StrategyError(
            "no band for product '*' from exposure 0: a contract past due must always get a step"
        )
    for (product, floor), rows in tiers.items():
        tier = f"product {product!r} from exposure {floor}"
        expected = 1
        for b in sorted(rows, key=lambda r: r.dpd_from):
            if expected is None or b.dpd_from < expected:
                raise StrategyError(f"{tier}: DPD bands overlap at {b.dpd_from}")
            if b.dpd_from > expected:
                raise StrategyError(f"{tier}: no band for DPD {expected}–{b.dpd_from - 1}")
            expected = None if b.dpd_to is None else b.dpd_to + 1
        if expected is not None:
            raise StrategyError(f"{tier}: no band for DPD {expected} and above")


def parse(
    body: object, version: int = 0, created_by: str = "", at: datetime | None = None
) -> Strategy:
    """A validated `Strategy` from a JSON-like body; `StrategyError` says what is wrong."""
    if not isinstance(body, dict):
        raise StrategyError("a strategy is an object with 'bands' and 'triggers'")
    unknown = sorted(set(body) - {"bands", "triggers"})
    if unknown:
        raise StrategyError(f"unknown keys {', '.join(unknown)}; a strategy has bands, triggers")
    raw_bands, raw_triggers = body.get("bands"), body.get("triggers", [])
    if not isinstance(raw_bands, list) or not raw_bands:
        raise StrategyError("a strategy needs a list of DPD bands")
    if not isinstance(raw_triggers, list):
        raise StrategyError("'triggers' is a list")
    bands = tuple(_band(row, n) for n, row in enumerate(raw_bands, start=1))
    triggers = tuple(_trigger(row, n) for n, row in enumerate(raw_triggers, start=1))
    seen = [t.trigger for t in triggers]
    twice = sorted({t for t in seen if seen.count(t) > 1})
    if twice:
        raise StrategyError(f"trigger {', '.join(twice)} is given more than once")
    _check_cover(bands)
    return Strategy(version, bands, triggers, created_by or "postloan.toml", at)


def _settings_row(text: str, fields: tuple[str, ...], key: str) -> dict[str, object]:
    parts = text.split()
    if len(parts) != len(fields):
        raise StrategyError(f"{key}: {text!r} should be {len(fields)} words: {' '.join(fields)}")
    return dict(zip(fields, parts, strict=True))


BAND_FIELDS = ("dpd", "product", "min_exposure", "step", "department", "sla_days", "priority")
TRIGGER_FIELDS = ("trigger", "step", "department", "sla_days", "priority")


def from_settings(settings: Settings) -> Strategy:
    """Version 0: `tasks.dpd_bands` and `tasks.triggers` of the settings, validated."""
    bands = []
    for text in settings["tasks.dpd_bands"]:
        row = _settings_row(str(text), BAND_FIELDS, "tasks.dpd_bands")
        start, _, end = str(row.pop("dpd")).partition("-")
        bands.append({**row, "dpd_from": start, "dpd_to": end or None})
    triggers = [
        _settings_row(str(text), TRIGGER_FIELDS, "tasks.triggers")
        for text in settings["tasks.triggers"]
    ]
    return parse({"bands": bands, "triggers": triggers})


def current(engine: Engine, settings: Settings | None = None) -> Strategy:
    """The strategy in force: the latest saved version, else version 0 from `settings` (default:
    the settings file)."""
    t = task_strategies
    with engine.connect() as conn:
        row = conn.execute(sa.select(t).order_by(t.c.version.desc()).limit(1)).first()
    if row is None:
        return from_settings(settings or load_settings())
    return parse(json.loads(row.body), row.version, row.created_by, row.created_at)


def save_version(
    engine: Engine, body: object, actor: str, note: str | None = None, at: datetime | None = None
) -> Strategy:
    """Validate `body` and store it as the next version (in force from now), audited as
    `task_strategy`; a refused body raises `StrategyError` and stores nothing."""
    when = at or utc_now()
    parse(body)
    note = (note or "").strip() or None
    if note is not None and (len(note) > NOTE_LIMIT or CONTROL.search(note)):
        raise StrategyError(
            f"the note must be at most {NOTE_LIMIT} characters without control characters"
        )
    t = task_strategies
    with engine.begin() as conn:
        latest = conn.execute(sa.select(sa.func.max(t.c.version))).scalar_one()
        version = (latest or 0) + 1
        strategy = parse(body, version, actor, when)
        conn.execute(
            t.insert().values(
                version=version,
                body=json.dumps(strategy.body(), ensure_ascii=False, sort_keys=True),
                created_by=actor,
                created_at=when,
                note=note,
            )
        )
        audit.record(
            conn,
            actor=actor,
            action="task_strategy",
            target=f"task_strategies:{version}",
            details={
                "version": version,
                "note": note,
                "bands": len(strategy.bands),
                "triggers": len(strategy.triggers),
            },
            at=when,
        )
    return strategy


@dataclass(frozen=True)
class Version:
    """One saved strategy version as the history lists it."""

    version: int
    created_by: str
    created_at: datetime
    note: str | None


def versions(engine: Engine) -> list[Version]:
    """Every saved version, newest first (version 0, the settings, is not stored)."""
    t = task_strategies
    stmt = sa.select(t.c.version, t.c.created_by, t.c.created_at, t.c.note).order_by(
        t.c.version.desc()
    )
    with engine.connect() as conn:
        return [Version(*row) for row in conn.execute(stmt)]


def _cell(value: object) -> object:
    """An edited table cell as `parse` reads it: blank → None, a whole float → int, text trimmed."""
    if value is None or (isinstance(value, float) and value != value):  # NaN: an empty cell
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.strip() or None
    if hasattr(value, "item"):  # numpy scalars
        return _cell(value.item())
    return value


def body_from_rows(
    bands: Sequence[Mapping[str, object]], triggers: Sequence[Mapping[str, object]]
) -> dict[str, object]:
    """A strategy body from edited table rows (blank rows dropped); `parse`/`save_version`
    validate it."""
    fields = ("dpd_from", "dpd_to", "product", "min_exposure", "step", "department")
    band_rows = []
    for row in bands:
        cells = {k: _cell(row.get(k)) for k in (*fields, "sla_days", "priority")}
        if all(v is None for v in cells.values()):
            continue
        if cells["min_exposure"] is not None:
            cells["min_exposure"] = str(cells["min_exposure"])
        # A blank cell takes the default (product *, exposure 0, priority 2); a blank dpd_to is
        # the open end.
        band_rows.append({k: v for k, v in cells.items() if v is not None or k == "dpd_to"})
    trigger_rows = []
    for row in triggers:
        cells = {k: _cell(row.get(k)) for k in TRIGGER_FIELDS}
        if all(v is None for v in cells.values()):
            continue
        trigger_rows.append({k: v for k, v in cells.items() if v is not None})
    return {"bands": band_rows, "triggers": trigger_rows}
