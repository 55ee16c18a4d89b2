"""dashboard.views.present: one query frame → what the user reads, on screen and in files."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd

from dashboard.views.present import as_text, present, table_roles


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "product": ["direct_lease", None],
            "industry": ["C", "K"],
            "risk_class": ["normal", "loss"],
            "outstanding": [Decimal(206015677), None],
            "npl_ratio": [0.025965582323385120856, None],
            "contracts": [1234, 5],
        }
    )


def test_money_goes_to_wan_rates_round_and_codes_become_words() -> None:
    """206,015,677 yuan = 20,601.57 万元 (half up); 0.0259655… = 2.60%; codes named in zh."""
    roles = table_roles(rates=["npl_ratio"], counts=["contracts"])
    shown = present(_frame(), "zh", roles)
    assert list(shown.columns) == [
        "产品",
        "行业",
        "五级分类",
        "未偿本金（万元）",
        "不良率",
        "合同数",
    ]
    assert shown.iloc[0].tolist() == [
        "直租",
        "制造业",
        "正常",
        Decimal("20601.57"),
        Decimal("0.0260"),
        1234,
    ]
    assert shown.attrs["formats"] == {
        "未偿本金（万元）": "#,##0.00",
        "不良率": "0.00%",
        "合同数": "#,##0",
    }
    text = as_text(shown)
    assert text.iloc[0].tolist() == ["直租", "制造业", "正常", "20,601.57", "2.60%", "1,234"]
    assert text.iloc[1].tolist() == ["—", "房地产业", "损失", "—", "—", "5"]


def test_english_headers_and_words() -> None:
    shown = as_text(present(_frame(), "en", table_roles()))
    assert shown.columns[3] == "Outstanding (10k yuan)"
    assert shown.iloc[0, :3].tolist() == ["Direct lease", "Manufacturing", "Normal"]


def test_a_month_end_is_a_date_in_the_file_and_on_screen() -> None:
    """A midnight timestamp (how Arrow and the warehouse give a month-end) becomes a date."""
    frame = pd.DataFrame({"month_end": pd.to_datetime(["2024-06-30", None])})
    shown = present(frame, "zh", table_roles())
    assert shown.iloc[0, 0] == date(2024, 6, 30)
    assert as_text(shown).iloc[1, 0] == "—"


def test_a_group_reads_as_its_name_and_code() -> None:
    """group_id + group_name → one column "恒泰华鑫集团有限公司 (GRP000219)"; a group the extract
    does not name stays its code; no group stays empty."""
    frame = pd.DataFrame(
        {
            "lessee_id": ["L1", "L2", "L3"],
            "group_id": ["GRP000219", "GRP000007", None],
            "group_name": ["恒泰华鑫集团有限公司", None, None],
        }
    )
    shown = present(frame, "zh", table_roles())
    assert list(shown.columns) == ["承租人编号", "集团"]  # the name folded into the group
    assert list(shown.iloc[:2, 1]) == ["恒泰华鑫集团有限公司 (GRP000219)", "GRP000007"]
    assert pd.isna(shown.iloc[2, 1])
    assert list(as_text(shown).iloc[:, 1]) == [
        "恒泰华鑫集团有限公司 (GRP000219)",
        "GRP000007",
        "—",
    ]
