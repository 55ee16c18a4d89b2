"""Display formatting: the only place exact money becomes text."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

WAN = Decimal(10000)


def wan(amount: Decimal | int) -> str:
    """Yuan as 万元 with two decimals and thousands separators, rounded half up."""
    value = (Decimal(amount) / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value:,.2f}"


def count(value: int) -> str:
    """A count with thousands separators."""
    return f"{int(value):,}"


_MD_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]<>()#+-.!|~$"})


def md_text(value: object) -> str:
    """Text from the data escaped for st.markdown, so it shows literally and never as markup."""
    return str(value).translate(_MD_SPECIAL)
