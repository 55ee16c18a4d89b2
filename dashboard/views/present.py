"""What the user reads: a query frame in the user's language and units, for screens and files.

`present(frame, lang, roles)` is the one step from a query frame to what a person reads: hidden
columns dropped, codes named (products, classes, reasons …), money in 万元 (the unit its header
names) rounded half up to 0.01, ratios rounded to 0.01 %, headers from the catalogue. The values
stay typed (Decimal, int, date) so a workbook keeps numbers; each column's Excel number format
rides along in `frame.attrs["formats"]`. `as_text` turns the same frame into the screen's text
(`20,601.57`, `2.60%`, "—"), so a screen table and its download hold the same values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from dashboard.i18n.catalogue import CATALOGUE, CODED_COLUMNS, label, t
from dashboard.page.format import DASH, WAN, count, missing, one_type, pct

MONEY_FORMAT = "#,##0.00"
RATE_FORMAT = "0.00%"
COUNT_FORMAT = "#,##0"
FORMATS = "formats"  # the key of `frame.attrs`: display header -> Excel number format


@dataclass(frozen=True)
class Roles:
    """What each column of a query frame is: money (yuan), a ratio, a count, a code, hidden."""

    header: Callable[[str, str], str]  # (column, lang) -> display header
    money: frozenset[str] = frozenset()
    rates: frozenset[str] = frozenset()
    counts: frozenset[str] = frozenset()
    hidden: frozenset[str] = frozenset()
    words: Mapping[str, Callable[[object, str], str]] = field(default_factory=dict)


def in_wan(amount: object) -> Decimal | None:
    """Yuan as 万元 rounded half up to 0.01 (None when missing)."""
    if missing(amount):
        return None
    return (Decimal(str(amount)) / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ratio(rate: object) -> Decimal | None:
    """A ratio rounded half up to 0.01 % (0.0001), so the file shows what the screen shows."""
    if missing(rate):
        return None
    return Decimal(str(rate)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _whole(value: object) -> int | None:
    return None if missing(value) else int(value)


def _plain(value: object) -> object:
    """None for missing; a midnight timestamp as a date (a month-end is a day, not an instant)."""
    if missing(value):
        return None
    if isinstance(value, datetime) and value.time() == time() and value.tzinfo is None:
        return value.date()
    return value


def group_words(code: object, name: object) -> str | None:
    """A group as people read it: `恒泰华鑫集团有限公司 (GRP000219)`, the code alone when the
    extract names no group, None when there is no group. A group's name is a company name,
    never personal data (docs/security.md)."""
    if missing(code):
        return None
    return f"{name} ({code})" if isinstance(name, str) and name.strip() else str(code)


def _named_groups(frame: pd.DataFrame) -> pd.DataFrame:
    """`group_id` as "name (code)" and `group_name` folded into it, when a frame has both."""
    if not {"group_id", "group_name"} <= set(frame.columns):
        return frame
    words = [group_words(c, n) for c, n in zip(frame["group_id"], frame["group_name"], strict=True)]
    out = frame.drop(columns=["group_name"])
    out["group_id"] = pd.Series(words, index=out.index, dtype=object)
    return out


def present(frame: pd.DataFrame, lang: str, roles: Roles) -> pd.DataFrame:
    """`frame` as the user reads it in `lang`: named codes (a group as "name (code)"), 万元,
    ratios, display headers."""
    out = _named_groups(frame.drop(columns=[c for c in frame.columns if c in roles.hidden]))
    out = out.astype(object)
    formats: dict[str, str] = {}
    for column in out.columns:
        values = out[column]
        if column in roles.money:
            out[column], formats[column] = [in_wan(v) for v in values], MONEY_FORMAT
        elif column in roles.rates:
            out[column], formats[column] = [ratio(v) for v in values], RATE_FORMAT
        elif column in roles.counts:
            out[column], formats[column] = [_whole(v) for v in values], COUNT_FORMAT
        elif column in roles.words:
            name = roles.words[column]
            out[column] = [None if missing(v) else name(v, lang) for v in values]
    out = out.map(_plain)
    headers = {c: roles.header(c, lang) for c in out.columns}
    out = out.rename(columns=headers)
    out.attrs[FORMATS] = {headers[c]: f for c, f in formats.items()}
    return out


def _text(value: object, fmt: str | None) -> object:
    if missing(value):
        return DASH
    if fmt == MONEY_FORMAT:
        return f"{Decimal(str(value)):,.2f}"
    if fmt == RATE_FORMAT:
        return pct(value)
    if fmt == COUNT_FORMAT:
        return count(int(value))
    return value


def as_text(presented: pd.DataFrame) -> pd.DataFrame:
    """The screen's text of a presented frame: `20,601.57`, `2.60%`, `1,234`, "—" when missing.

    A column that gets a "—" beside dates or numbers becomes text throughout (one Arrow type).
    """
    formats: dict[str, str] = presented.attrs.get(FORMATS, {})
    out = presented.copy()
    for j, column in enumerate(presented.columns):  # by position: headers may repeat
        fmt = formats.get(column)
        out.isetitem(j, one_type(pd.Series([_text(v, fmt) for v in presented.iloc[:, j]])))
    out.attrs = {}
    return out


def column_header(column: str, lang: str) -> str:
    """A column's header in `lang`: its `col.<name>` label, else the name as given."""
    key = f"col.{column}"
    return t(key, lang) if key in CATALOGUE else column


# Columns whose header names 万元: a query returns yuan, so these are money whatever a page says.
WAN_COLUMNS: frozenset[str] = frozenset(
    key.removeprefix("col.")
    for key, text in CATALOGUE.items()
    if key.startswith("col.") and "万元" in text["zh"]
)


# Coded columns of the monitoring pages, named by the shared `value.<code>` labels too.
MONITORING_CODES: frozenset[str] = frozenset(
    {
        "channel",
        "outcome",
        "first_channel",
        "flag",
        "source",
        "first_signal_source",
        "severity",
        "lead_group",
        "band",
        "asset_status",
        "event_type",
        "inspection_type",
    }
)


def industry_label(code: object, lang: str) -> str:
    """A GB/T 4754 section letter as its name (regulatory/codes.py), else the catalogue's."""
    return label(code, lang, "industry")


def region_label(code: object, lang: str) -> str:
    """A GB/T 2260 region code as its name (the bundled code list), else as given."""
    return label(code, lang, "region")


def value_label(column: str) -> Callable[[object, str], str]:
    """How a coded column's values are named (an inspection by a third party is not the
    third-party-contact flag of the same code)."""
    if column == "industry":
        return industry_label
    if column == "region":
        return region_label
    if column == "inspection_type":
        return lambda v, lang: label("third_party_inspection" if v == "third_party" else v, lang)
    return label


def table_roles(
    money: Iterable[str] = (), rates: Iterable[str] = (), counts: Iterable[str] = ()
) -> Roles:
    """The roles of an analytics table: `col.*` headers, shared value labels, the given units
    (every column whose header names 万元 is money)."""
    return Roles(
        header=column_header,
        money=frozenset(money) | WAN_COLUMNS,
        rates=frozenset(rates),
        counts=frozenset(counts),
        words={
            c: value_label(c) for c in CODED_COLUMNS | MONITORING_CODES | {"industry", "region"}
        },
    )
