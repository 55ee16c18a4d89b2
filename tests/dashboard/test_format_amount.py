"""Headline amounts read as 亿元 from 1 亿 up and 万元 below, two decimals rounded half up.

Worked by hand: 1 亿 = 100,000,000 yuan, 1 万 = 10,000 yuan.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dashboard.page.format import amount


@pytest.mark.parametrize(
    ("yuan", "zh", "en"),
    [
        # 1,234,567,890 / 1e8 = 12.3456789 -> 12.35
        (Decimal("1234567890"), "12.35 亿元", "12.35 × 100m yuan"),
        # exactly 1 亿
        (Decimal("100000000"), "1.00 亿元", "1.00 × 100m yuan"),
        # 99,999,999.99 / 1e4 = 9,999.999999 rounds to 10,000.00 万: read as 1.00 亿
        (Decimal("99999999.99"), "1.00 亿元", "1.00 × 100m yuan"),
        # 99,999,949.99 / 1e4 = 9,999.994999 -> 9,999.99 万 (stays below the switch)
        (Decimal("99999949.99"), "9,999.99 万元", "9,999.99 × 10k yuan"),
        # 206,015,677 yuan (the 合同本金) = 2.06015677 亿 -> 2.06
        (206015677, "2.06 亿元", "2.06 × 100m yuan"),
        # 34,567,850 / 1e4 = 3,456.785 -> half up 3,456.79
        (Decimal("34567850"), "3,456.79 万元", "3,456.79 × 10k yuan"),
        # 50 yuan = 0.005 万 -> half up 0.01
        (Decimal("50"), "0.01 万元", "0.01 × 10k yuan"),
        (0, "0.00 万元", "0.00 × 10k yuan"),
        # a fall of 150,000,000 yuan: -1.50 亿
        (Decimal("-150000000"), "-1.50 亿元", "-1.50 × 100m yuan"),
        # 1,234,550,000,000 / 1e8 = 12,345.5 -> thousands separator
        (Decimal("1234550000000"), "12,345.50 亿元", "12,345.50 × 100m yuan"),
    ],
)
def test_amount_switches_unit_at_one_yi_and_rounds_half_up(yuan: object, zh: str, en: str) -> None:
    assert amount(yuan, "zh") == zh
    assert amount(yuan, "en") == en


def test_a_missing_amount_is_a_dash() -> None:
    assert amount(None, "zh") == "—"
    assert amount(float("nan"), "en") == "—"
