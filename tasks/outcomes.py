"""Structured task outcomes: what each kind carries, checked, and the collections contact rules.

An outcome is recorded as JSON text with exact values: a promised amount is a decimal string in
yuan with at most two places (never a float), dates are ISO dates, a contact's time is the local
wall-clock time of the display zone (`display.time_zone`, Beijing by default) the contact window
of docs/domain.md §10 is stated in. Free text is stripped, bounded and refused when it holds
control characters. `check_outcome` raises `TaskError` with a code the page turns into words.

A contact (a promise to pay, or an attempt that reached no one) names its channel and the party
contacted. Like the 催收 compliance flags (`warehouse.marts.compliance`), only real-time channels
(phone, sms, visit) are judged against the window, and the daily cap counts real-time contacts
addressed to the lessee, per debtor and local calendar day, over all its tasks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from warehouse.settings import Settings, display_zone

OUTCOME_KINDS: tuple[str, ...] = (
    "promise_to_pay",
    "restructuring_proposed",
    "legal_filing",
    "no_contact",
    "inspected",
    "reviewed",
    "other",
)
CONTACT_KINDS: frozenset[str] = frozenset({"promise_to_pay", "no_contact"})
CHANNELS: tuple[str, ...] = ("phone", "sms", "visit", "letter")
REAL_TIME: frozenset[str] = frozenset({"phone", "sms", "visit"})
PARTIES: tuple[str, ...] = ("lessee", "guarantor")
FINDINGS: tuple[str, ...] = ("normal", "misuse", "damage", "pledged", "missing")
MAX_AMOUNT = Decimal("1000000000000")  # a promise of a trillion yuan is a typing error
PROMISE_HORIZON = timedelta(days=366)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
FLAGS: tuple[str, ...] = ("outside_window", "over_daily_cap")


class TaskError(ValueError):
    """A refused task act; `code` and `values` let the page say it in the user's language."""

    def __init__(self, code: str, message: str, **values: object) -> None:
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class ContactRules:
    """The contact window (local times, both ends allowed), the daily cap and the zone."""

    start: time
    end: time
    daily_cap: int
    zone: ZoneInfo

    @classmethod
    def from_settings(cls, settings: Settings) -> ContactRules:
        """The `collections.*` settings of docs/domain.md §10 and the display zone."""
        return cls(
            time.fromisoformat(str(settings["collections.contact_window_start"])),
            time.fromisoformat(str(settings["collections.contact_window_end"])),
            int(settings["collections.daily_cap"]),
            display_zone(settings),
        )

    def local(self, utc: datetime) -> datetime:
        """A naive UTC time as naive local wall-clock time of the rules' zone."""
        return utc.replace(tzinfo=ZoneInfo("UTC")).astimezone(self.zone).replace(tzinfo=None)


def text(value: object, name: str, limit: int, *, required: bool = True) -> str:
    """`value` stripped, at most `limit` characters and free of control characters."""
    said = "" if value is None else str(value).strip()
    if required and not said:
        raise TaskError("missing", f"{name} is required", field=name)
    if len(said) > limit:
        raise TaskError("too_long", f"{name} is over {limit} characters", field=name, n=limit)
    if CONTROL.search(said):
        raise TaskError("control", f"{name} holds control characters", field=name)
    return said


def _choice(value: object, name: str, choices: tuple[str, ...]) -> str:
    if value not in choices:
        raise TaskError(
            "choice", f"{name} must be one of {', '.join(choices)}", field=name, choices=choices
        )
    return str(value)


def _date(value: object, name: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise TaskError("date", f"{name} is not a date (YYYY-MM-DD)", field=name) from exc


def amount(value: object) -> Decimal:
    """A promised amount: exact yuan, more than zero, at most two decimal places."""
    try:
        found = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise TaskError("amount", f"amount {value!r} is not a number", field="amount") from exc
    if not found.is_finite() or found <= 0 or found >= MAX_AMOUNT:
        raise TaskError("amount", f"amount {value!r} must be above 0", field="amount")
    if found != found.quantize(Decimal("0.01")):
        raise TaskError("amount", f"amount {value!r} has more than two decimals", field="amount")
    return found.quantize(Decimal("0.01"))


def contacted_at(value: object, now_local: datetime) -> datetime:
    """The local time of a contact (minutes), not in the future."""
    if isinstance(value, datetime):
        found = value.replace(tzinfo=None, second=0, microsecond=0)
    else:
        try:
            found = datetime.fromisoformat(str(value).strip()).replace(second=0, microsecond=0)
        except ValueError as exc:
            raise TaskError(
                "date", "contact time is not a time (YYYY-MM-DD HH:MM)", field="contacted_at"
            ) from exc
        if found.tzinfo is not None:
            raise TaskError("date", "give the contact time as local time", field="contacted_at")
    if found > now_local:
        raise TaskError("future", "the contact time is in the future", field="contacted_at")
    return found


def check_outcome(kind: str, fields: Mapping[str, object], now_local: datetime) -> dict[str, str]:
    """The outcome of `kind` as the JSON-ready dict stored, every field checked."""
    _choice(kind, "outcome", OUTCOME_KINDS)
    found: dict[str, str] = {}
    if kind in CONTACT_KINDS:
        at = contacted_at(fields.get("contacted_at"), now_local)
        found["channel"] = _choice(fields.get("channel"), "channel", CHANNELS)
        found["party"] = _choice(fields.get("party", "lessee"), "party", PARTIES)
        found["contacted_at"] = at.strftime("%Y-%m-%dT%H:%M")
        if kind == "promise_to_pay":
            found["amount"] = str(amount(fields.get("amount")))
            promised = _date(fields.get("date"), "date")
            if not at.date() <= promised <= at.date() + PROMISE_HORIZON:
                raise TaskError(
                    "promise_date", "the promised date must fall within a year", field="date"
                )
            found["date"] = promised.isoformat()
    elif kind == "restructuring_proposed":
        found["terms"] = text(fields.get("terms"), "terms", 2000)
        decision = str(fields.get("decision_id") or "").strip()
        if decision:
            if not re.fullmatch(r"[0-9]{1,18}", decision):
                raise TaskError(
                    "decision", "the committee decision is a number", field="decision_id"
                )
            found["decision_id"] = str(int(decision))
    elif kind == "legal_filing":
        found["court"] = text(fields.get("court"), "court", 100)
        found["case_number"] = text(fields.get("case_number"), "case_number", 64)
        filed = _date(fields.get("filed_on"), "filed_on")
        if filed > now_local.date():
            raise TaskError("future", "the filing date is in the future", field="filed_on")
        found["filed_on"] = filed.isoformat()
    elif kind == "inspected":
        found["finding"] = _choice(fields.get("finding"), "finding", FINDINGS)
        found["note"] = text(fields.get("note"), "note", 2000, required=False)
    elif kind == "reviewed":
        found["conclusion"] = text(fields.get("conclusion"), "conclusion", 2000)
    else:
        found["note"] = text(fields.get("note"), "note", 2000)
    return found


def judged(outcome: Mapping[str, str]) -> bool:
    """True for a real-time contact addressed to the lessee: the one the daily cap counts."""
    return outcome.get("channel") in REAL_TIME and outcome.get("party") == "lessee"


def contact_flags(rules: ContactRules, outcome: Mapping[str, str], earlier: int) -> list[str]:
    """The §10 flags a contact raises: outside the window (a real-time channel only), or over
    the daily cap (`earlier` judged contacts of the debtor already that local day)."""
    if outcome.get("channel") not in REAL_TIME:
        return []
    flags = []
    moment = datetime.fromisoformat(outcome["contacted_at"]).time()
    if not rules.start <= moment <= rules.end:
        flags.append("outside_window")
    if judged(outcome) and earlier >= rules.daily_cap:
        flags.append("over_daily_cap")
    return flags
