"""Personal data is masked for roles that do not need it: the rules of queries/personal_data.py.

Hand-worked masks (lengths kept):
- 张三丰 (3 characters) → 张** ; 李四 → 李* ; 欧阳娜娜 → 欧*** ; a one-character name → *
- resident ID 110101199001011234 (18) → first 3 `110` + 11 `*` + last 4 `1234`
- phone 13812345678 (11) → `138` + 4 `*` + `5678`; a 7-character number is masked whole.
"""

from __future__ import annotations

import hashlib
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.access.user import ROLES, User, sees_personal_data
from dashboard.downloads.export import export
from queries.personal_data import PERSONAL_COLUMNS, mask_personal

ID_18 = "110101199001011234"
USCC = "91110108MA01ABCD3X"  # a unified social credit code: a company's, not personal


def book_rows() -> pd.DataFrame:
    """Two individuals, one company, one row of unknown type."""
    return pd.DataFrame(
        {
            "contract_id": ["C1", "C2", "C3", "C4"],
            "lessee_type": ["individual", "corporate", "individual", None],
            "lessee_name": ["张三丰", "北京某某租赁有限公司", "李四", "欧阳娜娜"],
            "lessee_id_number": [ID_18, USCC, "32010219850203567X", ID_18],
            "phone": ["13812345678", "01012345678", None, "1234567"],
        },
        dtype=object,
    )


def test_individual_names_ids_and_phones_are_masked_keeping_length() -> None:
    """C1 is an individual: every personal column masked as worked out in the module docstring."""
    masked = mask_personal(book_rows(), reveal=False).set_index("contract_id")
    assert masked.loc["C1", "lessee_name"] == "张**"
    assert masked.loc["C1", "lessee_id_number"] == "110***********1234"
    assert masked.loc["C1", "phone"] == "138****5678"
    assert masked.loc["C3", "lessee_name"] == "李*"
    assert masked.loc["C3", "lessee_id_number"] == "320***********567X"


def test_corporate_names_and_codes_stay_but_phones_are_masked() -> None:
    """A company's name and credit code are not personal data; a phone number always is."""
    masked = mask_personal(book_rows(), reveal=False).set_index("contract_id")
    assert masked.loc["C2", "lessee_name"] == "北京某某租赁有限公司"
    assert masked.loc["C2", "lessee_id_number"] == USCC
    assert masked.loc["C2", "phone"] == "010****5678"


def test_unknown_lessee_type_is_masked_fail_closed() -> None:
    """C4 has no type: treated as an individual; a 7-character phone is masked whole."""
    masked = mask_personal(book_rows(), reveal=False).set_index("contract_id")
    assert masked.loc["C4", "lessee_name"] == "欧***"
    assert masked.loc["C4", "lessee_id_number"] == "110***********1234"
    assert masked.loc["C4", "phone"] == "*******"


def test_without_a_type_column_every_value_is_masked() -> None:
    """No lessee_type column: even the company's name is masked (we cannot tell)."""
    masked = mask_personal(book_rows().drop(columns=["lessee_type"]), reveal=False)
    assert list(masked["lessee_name"]) == ["张**", "北*********", "李*", "欧***"]


def test_missing_values_stay_missing_and_other_columns_untouched() -> None:
    """C3's phone is empty and stays empty; contract ids are not personal."""
    frame = book_rows()
    masked = mask_personal(frame, reveal=False)
    assert masked["phone"].iloc[2] is None
    assert list(masked["contract_id"]) == ["C1", "C2", "C3", "C4"]
    assert frame["lessee_name"].iloc[0] == "张三丰"  # the input frame is not changed


def test_reveal_returns_the_frame_unchanged() -> None:
    """A role that needs personal data gets the very same frame."""
    frame = book_rows()
    assert mask_personal(frame, reveal=True) is frame


def test_masking_twice_is_masking_once() -> None:
    """Data masked by the query layer is masked again by the download: nothing changes."""
    once = mask_personal(book_rows(), reveal=False)
    assert mask_personal(once, reveal=False).equals(once)


def test_a_one_character_name_is_masked_whole() -> None:
    frame = pd.DataFrame({"lessee_name": ["王"], "lessee_type": ["individual"]}, dtype=object)
    assert mask_personal(frame, reveal=False)["lessee_name"].iloc[0] == "*"


def test_guarantor_names_follow_the_guarantor_type() -> None:
    """An individual guarantor's name is masked, a corporate guarantor's is not."""
    frame = pd.DataFrame(
        {"guarantor_name": ["王小明", "某担保公司"], "guarantor_type": ["individual", "corporate"]},
        dtype=object,
    )
    assert list(mask_personal(frame, reveal=False)["guarantor_name"]) == ["王**", "某担保公司"]


def test_collector_names_are_masked_on_every_row() -> None:
    """A collector is a person whoever the debtor is."""
    frame = pd.DataFrame(
        {"collector": ["赵六"], "lessee_type": ["corporate"]},
        dtype=object,
    )
    assert mask_personal(frame, reveal=False)["collector"].iloc[0] == "赵*"


def test_personal_columns_name_the_extract_fields() -> None:
    """The lessee's name and ID number (extract `lessees.name`, `lessees.id_number`) are listed."""
    assert {"lessee_name", "lessee_id_number", "guarantor_name", "phone"} <= set(PERSONAL_COLUMNS)


@pytest.mark.parametrize(
    ("roles", "sees"),
    [
        (("executive",), False),
        (("admin",), False),
        (("risk_committee",), True),
        (("compliance",), True),
        (("executive", "risk_committee"), True),
        (("admin", "executive"), False),
    ],
)
def test_who_sees_personal_data(roles: tuple[str, ...], sees: bool) -> None:
    """risk_committee and compliance see personal data; executive and admin do not."""
    assert set(roles) <= set(ROLES)
    user = User("u", "U", frozenset(roles))
    assert sees_personal_data(user) is sees


def test_nobody_signed_in_sees_no_personal_data() -> None:
    assert sees_personal_data(None) is False


def test_export_masks_both_formats_unless_revealed() -> None:
    """The one download path: masked bytes for a role without need, clear bytes otherwise; the
    hash is the SHA-256 of the bytes returned and the row count the frame's (4)."""
    frame = book_rows()
    for fmt in ("xlsx", "csv"):
        masked = export(frame, fmt, reveal=False)
        assert masked.row_count == 4
        assert masked.sha256 == hashlib.sha256(masked.data).hexdigest()
        text = cell_text(masked.data)
        assert "张**" in text and "张三丰" not in text and ID_18 not in text
        assert "张三丰" in cell_text(export(frame, fmt, reveal=True).data)


def test_export_refuses_an_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown export format"):
        export(book_rows(), "pdf", reveal=True)


def cell_text(data: bytes) -> str:
    if data[:2] == b"PK":
        rows = load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)
        return "\n".join(str(v) for row in rows for v in row)
    return data.decode("utf-8-sig")
