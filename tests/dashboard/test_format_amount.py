"""Headline amounts read as 亿元 from 1 亿 up and 万元 below, two decimals rounded half up.

Worked by hand: 1 亿 = 100,000,000 yuan, 1 万 = 10,000 yuan.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from dashboard.page.format import amount, amount_number, amount_unit
from dashboard.views.overview import card_change


@pytest.mark.parametrize(
    ("yuan", "zh", "en"),
    [
        # 1,234,567,890 / 1e8 = 12.3456789 -> 12.35
        (Decimal("1234567890"), "12.35 亿元", "12.35 × 100m"),
        # exactly 1 亿
        (Decimal("100000000"), "1.00 亿元", "1.00 × 100m"),
        # 99,999,999.99 / 1e4 = 9,999.999999 rounds to 10,000.00 万: read as 1.00 亿
        (Decimal("99999999.99"), "1.00 亿元", "1.00 × 100m"),
        # 99,999,949.99 / 1e4 = 9,999.994999 -> 9,999.99 万 (stays below the switch)
        (Decimal("99999949.99"), "9,999.99 万元", "9,999.99 × 10k"),
        # 206,015,677 yuan (the 合同本金) = 2.06015677 亿 -> 2.06
        (206015677, "2.06 亿元", "2.06 × 100m"),
        # 34,567,850 / 1e4 = 3,456.785 -> half up 3,456.79
        (Decimal("34567850"), "3,456.79 万元", "3,456.79 × 10k"),
        # 50 yuan = 0.005 万 -> half up 0.01
        (Decimal("50"), "0.01 万元", "0.01 × 10k"),
        (0, "0.00 万元", "0.00 × 10k"),
        # a fall of 150,000,000 yuan: -1.50 亿
        (Decimal("-150000000"), "-1.50 亿元", "-1.50 × 100m"),
        # 1,234,550,000,000 / 1e8 = 12,345.5 -> thousands separator
        (Decimal("1234550000000"), "12,345.50 亿元", "12,345.50 × 100m"),
    ],
)
def test_amount_switches_unit_at_one_yi_and_rounds_half_up(yuan: object, zh: str, en: str) -> None:
    assert amount(yuan, "zh") == zh
    assert amount(yuan, "en") == en


def test_a_missing_amount_is_a_dash() -> None:
    assert amount(None, "zh") == "—"
    assert amount(float("nan"), "en") == "—"


def test_a_change_reads_in_the_unit_of_its_figure() -> None:
    """A card of 2.06 亿元 (206,015,677 yuan) that fell 14,166,000 yuan: -0.14166 亿 -> "-0.14";
    a card of 3,456.79 万元 that rose 5,000 yuan: +0.50 万; a missing change is a dash."""
    big, small = amount_unit(206015677), amount_unit(Decimal("34567850"))
    assert (big, small) == (Decimal(100_000_000), Decimal(10_000))
    assert amount_number(Decimal("-14166000"), big, sign=True) == "-0.14"
    assert amount_number(5000, small, sign=True) == "+0.50"
    assert amount_number(None, small, sign=True) == "—"
    assert card_change("outstanding", 206015677, Decimal("54000000")) == "+0.54"
    assert card_change("npl_ratio", Decimal("0.05"), Decimal("0.0012")) == "+0.12 pp"
