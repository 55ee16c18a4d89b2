"""Region codes read as GB/T 2260 names from the bundled code list, on screens and in files;
industry letters as GB/T 4754-2017 sections."""

from __future__ import annotations

import csv

import pandas as pd

from dashboard.i18n.catalogue import label, localise
from dashboard.i18n.regions import CODE_LIST, region_name
from dashboard.views.present import present, table_roles
from dashboard.views.risk import headers_only, shown
from warehouse.demo.reference import REGIONS


def test_prefecture_province_and_municipality_codes_are_named() -> None:
    assert (label("130400", "zh", "region"), label("130400", "en", "region")) == (
        "邯郸市",
        "Handan",
    )
    assert (label("130000", "zh", "region"), label("130000", "en", "region")) == ("河北省", "Hebei")
    # GB/T 2260 lists 110100 as 市辖区: the business reads the city
    assert (label("110100", "zh", "region"), label("110100", "en", "region")) == (
        "北京市",
        "Beijing",
    )
    assert label("610000", "en", "region") == "Shaanxi"  # not Shanxi (140000)
    assert label("610100", "en", "region") == "Xi'an"


def test_a_county_code_takes_its_prefecture_and_unknown_codes_stay_as_given() -> None:
    assert region_name("130407", "zh") == "邯郸市"  # 肥乡区 lies in 邯郸市
    assert label("999999", "zh", "region") == "999999"
    assert label("<b>", "zh", "region") == "<b>"
    assert label("130400", "zh") == "130400"  # without its column a code is not guessed at


def test_industry_letters_are_gbt_4754_sections() -> None:
    assert (label("E", "zh", "industry"), label("E", "en", "industry")) == (
        "建筑业",
        "Construction",
    )
    assert label("T", "zh", "industry") == "国际组织"


def test_every_demo_region_is_in_the_bundled_list_with_both_names() -> None:
    with CODE_LIST.open(encoding="utf-8") as handle:
        rows = {r["code"]: r for r in csv.DictReader(handle)}
    assert all(r["name_zh"] and r["name_en"] for r in rows.values())
    assert [code for code, *_ in REGIONS if code not in rows] == []


def test_present_names_region_and_industry_for_screens_and_files() -> None:
    frame = pd.DataFrame({"region": ["130400", "440100"], "industry": ["E", "C"]})
    shown = present(frame, "zh", table_roles())
    assert list(shown.columns) == ["地区", "行业"]
    assert shown.to_dict("list") == {"地区": ["邯郸市", "广州市"], "行业": ["建筑业", "制造业"]}


def test_risk_committee_tables_and_files_name_region_and_industry() -> None:
    """The dossier, the at-risk list and the committee pack share `views.risk` roles."""
    frame = pd.DataFrame({"region": ["130400"], "industry": ["E"], "note": [None]})
    assert shown(frame, "en").to_dict("records") == [
        {"Region": "Handan", "Industry": "Construction", "Note": "—"}
    ]
    assert headers_only(frame, "zh").iloc[0].tolist()[:2] == ["邯郸市", "建筑业"]


def test_a_localised_table_shows_a_dash_for_an_empty_cell_never_none() -> None:
    frame = pd.DataFrame({"product": ["loan", None], "last_login": [None, "2026-11-24 09:00"]})
    shown = localise(frame, "zh")
    assert shown.to_dict("list") == {
        "产品": ["贷款", "—"],
        "last_login": ["—", "2026-11-24 09:00"],
    }
