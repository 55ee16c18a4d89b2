"""The URL form of the filters: parsed against the choices on offer, written back minimal."""

from __future__ import annotations

from datetime import date

import pandas as pd

from dashboard.data.cached import Choices
from dashboard.page.contract_params import all_rows, named_group, page_rows, parse_drill
from dashboard.page.sidebar import parse, to_params
from queries.filters import Filters

OFFER = Choices(
    month_ends=(date(2024, 4, 30), date(2024, 5, 31), date(2024, 6, 30)),
    segments={"product": ("direct_lease", "loan"), "region": ("310000",)},
)
JUNE = date(2024, 6, 30)


def test_forged_and_unknown_values_are_dropped() -> None:
    got = parse(
        {
            "as_of": ["1999-01"],
            "product": ["loan", "'; DROP TABLE x", "loan"],
            "region": ["999999"],
            "cohort_from": ["2024-06"],
            "cohort_to": ["2024-04"],
        },
        OFFER,
        JUNE,
    )
    assert got == Filters(
        as_of=JUNE,
        product=("loan",),
        cohort_from=date(2024, 4, 30),
        cohort_to=date(2024, 6, 30),
    )


def test_round_trip_leaves_defaults_out() -> None:
    flt = Filters(as_of=date(2024, 5, 31), product=("loan", "direct_lease"))
    params = to_params(flt, JUNE)
    assert params == {"as_of": ["2024-05"], "product": ["direct_lease", "loan"]}
    assert parse(params, OFFER, JUNE) == flt
    assert to_params(Filters(as_of=JUNE), JUNE) == {}


def test_drill_params_use_allow_lists() -> None:
    assert parse_drill({"roll": ["M1:M2"]}, "zh").options == {
        "from_bucket": "M1",
        "to_bucket": "M2",
    }
    mig = parse_drill({"migration": ["ytd:new_business:normal"], "page": ["3"]}, "en")
    assert mig.query == "contract_lists.migration_cell" and mig.page == 3
    forged = parse_drill(
        {"migration": ["ytd:new_business:reduced"], "bucket": ["M0' OR 1=1"], "page": ["-1"]},
        "zh",
    )
    assert (forged.query, forged.options, forged.page) == ("overdue.contracts_behind", {}, 1)
    text = parse_drill({"segment": ["product:*x*"]}, "zh").description
    assert "\\*x\\*" in text  # markdown from the URL is escaped


def test_vintage_and_exposure_drills_use_allow_lists() -> None:
    point = parse_drill({"vintage": ["2024Q1:5"], "page": ["2"]}, "en")
    assert (point.query, point.options, point.page) == (
        "vintage.cohort_contracts",
        {"cohort": "2024Q1", "mob": 5},
        2,
    )
    assert "2024Q1" in point.description and "MOB 5" in point.description
    group = parse_drill({"exposure": ["group:GRP000219"]}, "zh")
    assert (group.query, group.options) == (
        "exposures.exposure_contracts",
        {"kind": "group", "key": "GRP000219"},
    )
    total = parse_drill({"exposure": ["related_parties_total:"]}, "en")
    assert total.options == {"kind": "related_parties_total", "key": None}
    # forged: an unknown kind, a key with markup, a key on the total, no key on a lessee,
    # a cohort that is no month, a MOB that is no number -> the plain open book
    for params in (
        {"exposure": ["everyone:X"]},
        {"exposure": ["lessee:<b>x</b>"]},
        {"exposure": ["related_parties_total:X"]},
        {"exposure": ["lessee:"]},
        {"vintage": ["2024-13:1"]},
        {"vintage": ["2024-03:x"]},
        {"vintage": ["2024-03:-1"]},
    ):
        assert parse_drill(params, "zh").query == "overdue.contracts_behind", params


def test_a_group_list_names_its_group_in_the_criteria() -> None:
    """The link carries GRP000219, the rows its name → "单一集团 恒泰集团有限公司 (GRP000219)";
    without a name the code stays; other lists are untouched."""
    drill = parse_drill({"exposure": ["group:GRP000219"]}, "zh")
    rows = pd.DataFrame({"group_id": ["GRP000219"], "group_name": ["恒泰集团有限公司"]})
    assert (
        named_group(drill, rows, "zh").parts[0] == "集中度：单一集团 恒泰集团有限公司 (GRP000219)"
    )
    unnamed = rows.assign(group_name=[None])
    assert named_group(drill, unnamed, "zh").parts[0] == "集中度：单一集团 GRP000219"
    bucket = parse_drill({"bucket": ["M1"]}, "zh")
    assert named_group(bucket, rows, "zh") == bucket


def test_monitoring_drills_are_unpaged_lists_cut_into_screens() -> None:
    """device=geofence_exit and inspection=overdue name their lists; forged values fall back.
    An unpaged list is asked once for its first 1,000 rows and page 2 is rows 50-99 of them."""
    device = parse_drill({"device": ["geofence_exit"], "page": ["2"]}, "zh")
    assert (device.query, device.options, device.paged) == (
        "leased_assets.device_alert_contracts",
        {"event_type": "geofence_exit"},
        False,
    )
    overdue = parse_drill({"inspection": ["overdue"]}, "en")
    assert overdue.query == "inspections.inspection_contracts"
    assert overdue.options == {"kind": "overdue"}
    for params in ({"device": ["fire"]}, {"inspection": ["abnormal'--"]}):
        assert parse_drill(params, "zh").query == "overdue.contracts_behind"
    asked: list[dict] = []

    def run(query: str, **options: object) -> pd.DataFrame:
        asked.append({"query": query, **options})
        return pd.DataFrame({"contract_id": [f"C{n}" for n in range(120)], "total_rows": 120})

    assert list(page_rows(device, run)["contract_id"]) == [f"C{n}" for n in range(50, 100)]
    assert len(all_rows(device, run)) == 120 and "total_rows" not in all_rows(device, run)
    assert {a["limit"] for a in asked} == {1000} and not any("offset" in a for a in asked)
