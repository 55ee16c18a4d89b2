"""Personal data (个人信息) in query results, and how it is masked for roles that do not need it.

A query that returns personal data returns it under one of the column names of `PERSONAL_COLUMNS`;
the dashboard masks those columns centrally (`dashboard.data.cached.query` and every download) with
`mask_personal(frame, reveal=...)`, so no page can forget to.

Which rows are personal: names and ID numbers of *individual* lessees (and guarantors); a
corporate name or unified social credit code is not personal data. A row counts as corporate only
when its type column says exactly `corporate`; a missing or unknown type is masked (fail closed),
and a frame without the type column is masked on every row. Phone numbers and collectors' names
identify a person whoever the debtor is, so they are masked on every row.

Masks keep the length: names keep the first character (张三丰 → 张**), ID numbers the first 3
and last 4 characters (110***********1234), phone numbers the first 3 and last 4 digits
(138****5678). Masking is idempotent, so masking twice (query, then download) changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

NAME = "name"
ID_NUMBER = "id_number"
PHONE = "phone"

MASK = "*"
CORPORATE = "corporate"


@dataclass(frozen=True)
class PersonalColumn:
    """A result column holding personal data: its kind and the column saying whose row it is."""

    kind: str  # NAME, ID_NUMBER or PHONE
    type_column: str | None = None  # None: personal on every row


# Result column name -> what it holds. Return personal data ONLY under these names.
PERSONAL_COLUMNS: dict[str, PersonalColumn] = {
    "lessee_name": PersonalColumn(NAME, "lessee_type"),
    "lessee_id_number": PersonalColumn(ID_NUMBER, "lessee_type"),
    "id_number": PersonalColumn(ID_NUMBER, "lessee_type"),
    "guarantor_name": PersonalColumn(NAME, "guarantor_type"),
    "guarantor_id_number": PersonalColumn(ID_NUMBER, "guarantor_type"),
    "phone": PersonalColumn(PHONE),
    "lessee_phone": PersonalColumn(PHONE),
    "contact_phone": PersonalColumn(PHONE),
    "guarantor_phone": PersonalColumn(PHONE),
    "collector": PersonalColumn(NAME),
    "collector_name": PersonalColumn(NAME),
    "collector_phone": PersonalColumn(PHONE),
}


def mask_name(value: str) -> str:
    """The first character, then one `*` per further character (张三丰 → 张**)."""
    text = value.strip()
    if len(text) <= 1:
        return MASK
    return text[0] + MASK * (len(text) - 1)


def _keep_ends(text: str, head: int, tail: int) -> str:
    if len(text) <= head + tail:
        return MASK * len(text)
    return text[:head] + MASK * (len(text) - head - tail) + text[-tail:]


def mask_id_number(value: str) -> str:
    """The first 3 and last 4 characters (110***********1234); shorter values wholly masked."""
    return _keep_ends(value.strip(), 3, 4)


def mask_phone(value: str) -> str:
    """The first 3 and last 4 characters (138****5678); shorter values wholly masked."""
    return _keep_ends(value.strip(), 3, 4)


MASKERS: dict[str, Callable[[str], str]] = {
    NAME: mask_name,
    ID_NUMBER: mask_id_number,
    PHONE: mask_phone,
}


def _masked_value(value: object, masker: Callable[[str], str]) -> object:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return value
    return masker(str(value))


def personal_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of `frame` that hold personal data."""
    return [c for c in frame.columns if c in PERSONAL_COLUMNS]


def mask_personal(frame: pd.DataFrame, *, reveal: bool) -> pd.DataFrame:
    """`frame` itself when `reveal`; else a copy with personal values masked on personal rows."""
    columns = personal_columns(frame)
    if reveal or not columns:
        return frame
    masked = frame.copy()
    for name in columns:
        spec = PERSONAL_COLUMNS[name]
        if spec.type_column is not None and spec.type_column in frame.columns:
            personal = frame[spec.type_column].astype(object).ne(CORPORATE)
        else:
            personal = pd.Series(True, index=frame.index)
        masker = MASKERS[spec.kind]
        masked[name] = pd.Series(
            [
                _masked_value(v, masker) if hide else v
                for v, hide in zip(frame[name].tolist(), personal.tolist(), strict=True)
            ],
            index=frame.index,
            dtype=object,
        )
    return masked
