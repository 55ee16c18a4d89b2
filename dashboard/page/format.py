"""Display formatting: the only place exact money becomes text."""

from __future__ import annotations

import time
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from warehouse.settings import display_zone, labelled_time, load_settings, local_time, zone_label

WAN = Decimal(10000)
ZONE_SECONDS = 60.0  # how long the display time zone is kept before postloan.toml is read again
_zone: list[tuple[float, ZoneInfo]] = []


def zone() -> ZoneInfo:
    """The display time zone (`display.time_zone`), re-read from the settings every minute."""
    now = time.monotonic()
    if not _zone or now - _zone[0][0] > ZONE_SECONDS:
        _zone[:] = [(now, display_zone(load_settings()))]
    return _zone[0][1]


def zone_name(at: datetime | None = None) -> str:
    """The display zone as a label: `UTC+08:00 Asia/Shanghai`."""
    return zone_label(zone(), at)


def shown_time(at: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time in the display zone, without the zone (for a column that names it)."""
    return local_time(at, zone(), fmt)


def shown_time_zoned(at: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time in the display zone with its zone: `2026-10-31 18:05 (UTC+08:00 …)`."""
    return labelled_time(at, zone(), fmt)


def wan(amount: Decimal | int) -> str:
    """Yuan as 万元 with two decimals and thousands separators, rounded half up."""
    value = (Decimal(amount) / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


YI = Decimal(100_000_000)
CENT = Decimal("0.01")
AMOUNT_UNITS: dict[str, tuple[str, str]] = {  # lang -> (亿元 form, 万元 form) of `amount`
    "zh": ("{} 亿元", "{} 万元"),
    "en": ("{} × 100m", "{} × 10k"),  # yuan: short enough for a card at 1280 px
}


def amount_unit(yuan: object) -> Decimal:
    """The unit a headline amount reads in: 亿 (`YI`) from 1 亿 up, else 万 (`WAN`).

    The switch is on the rounded 万元 figure, so 99,999,999.99 yuan reads "1.00 亿元", never
    "10,000.00 万元". A missing amount reads in 万.
    """
    if missing(yuan):
        return WAN
    in_wan = (Decimal(str(yuan)) / WAN).quantize(CENT, rounding=ROUND_HALF_UP)
    return YI if abs(in_wan) >= WAN else WAN


def amount_number(yuan: object, unit: Decimal, *, sign: bool = False) -> str:
    """Yuan in `unit` (亿 or 万) with two decimals, rounded half up; "—" when missing; `sign`
    puts "+" before a positive change."""
    if missing(yuan):
        return DASH
    value = (Decimal(str(yuan)) / unit).quantize(CENT, rounding=ROUND_HALF_UP)
    return f"{value:+,.2f}" if sign else f"{value:,.2f}"


def amount(yuan: object, lang: str = "zh") -> str:
    """A large amount for a headline: 亿元 from 1 亿 up ("12.35 亿元", English "12.35 × 100m"
    yuan), else 万元 ("3,456.78 万元", "3,456.78 × 10k"), two decimals rounded half up, "—" when
    missing; the sign is kept."""
    if missing(yuan):
        return DASH
    unit = amount_unit(yuan)
    yi_form, wan_form = AMOUNT_UNITS["en" if lang == "en" else "zh"]
    return (yi_form if unit == YI else wan_form).format(amount_number(yuan, unit))


def count(value: int) -> str:
    """A count with thousands separators."""
    return f"{int(value):,}"


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>()#+-.!|~$"})


def md_text(value: object) -> str:
    """Text from the data escaped for st.markdown, so it shows literally and never as markup."""
    return str(value).translate(_MD_SPECIAL)


DASH = "—"


def missing(value: object) -> bool:
    """True for None, NaN, NaT and pd.NA (never for text)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def wan_or_dash(amount: object) -> str:
    """Money in 万元 with 2 decimals, or "—" when missing."""
    return DASH if missing(amount) else wan(Decimal(str(amount)))


def pct(rate: object, digits: int = 2) -> str:
    """A ratio as a percentage with `digits` decimals, or "—" when missing."""
    if missing(rate):
        return DASH
    value = (Decimal(str(rate)) * 100).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return f"{value:,.{digits}f}%"


def pct_points(change: object) -> str:
    """A change of a ratio in percentage points with a sign, or "—"."""
    if missing(change):
        return DASH
    value = (Decimal(str(change)) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return f"{value:+,.2f} pp"


def count_or_dash(value: object) -> str:
    """A count with separators, or "—"."""
    return DASH if missing(value) else count(int(value))


def one_type(values: pd.Series) -> list[object]:
    """A column as shown: when "—" (or other text) sits beside dates or numbers, all as text.

    Flags are left alone: they are put in words later, in the reader's language (committee pack).
    """
    texts = [isinstance(v, str) for v in values]
    if any(texts) and not all(texts) and not any(isinstance(v, bool | np.bool_) for v in values):
        return [v if isinstance(v, str) else str(v) for v in values]
    return list(values)


def display(frame: pd.DataFrame, money=(), rates=(), counts=()) -> pd.DataFrame:
    """A copy of `frame` as display text: money in 万元, rates in %, counts, None as "—".

    A column that gets a "—" for a missing date or number becomes text throughout: Arrow (and so
    st.dataframe) takes one type per column, and a mix logs an ArrowTypeError on every render.
    """
    out = frame.astype(object).copy()
    for cols, fmt in ((money, wan_or_dash), (rates, pct), (counts, count_or_dash)):
        for c in cols:
            if c in out.columns:
                out[c] = [fmt(v) for v in out[c]]
    out = out.map(lambda v: DASH if missing(v) else v)
    for j in range(out.shape[1]):  # by position: headers may repeat
        out.isetitem(j, one_type(out.iloc[:, j]))
    return out
